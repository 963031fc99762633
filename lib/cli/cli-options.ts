import * as path from "path";
import { oneOf, PositionalSpec, StringOption } from "./command";
import { PROJECT_ROOT } from "../core/project-root";

/** Where the commands synthesize: CDKTF_OUTDIR (as cdktf reads it), else cdktf.out of the project. */
export function outdirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.CDKTF_OUTDIR ?? path.join(PROJECT_ROOT, "cdktf.out"));
}

/** `[stack...]`: the positionals of synth, plan, drift and deploy. */
export const STACK_PATTERNS: PositionalSpec = {
  valueName: "[stack...]",
  description: "stack names or globs: central, member-222222222222, 'member-*' (none: every stack)",
};

/** `--role plan|deploy|break-glass`: the role real-mode providers assume. */
export function roleOption(fallback: "plan" | "deploy"): StringOption<"plan" | "deploy" | "break-glass"> {
  return {
    type: "string",
    valueName: "plan|deploy|break-glass",
    description: `the role the providers assume: plan (read-only), deploy, or break-glass (central alone: its locks) (default: ${fallback})`,
    parse: oneOf("plan", "deploy", "break-glass"),
  };
}

/**
 * Awaits work; if it takes longer than `afterMs`, says once on stderr what it is waiting
 * for, so that no command sits silent (a first provider download, a slow STS endpoint).
 */
export async function sayIfSlow<T>(what: string, work: Promise<T>, afterMs = slowNoticeMs()): Promise<T> {
  const timer = setTimeout(() => console.error(`… still waiting for ${what}`), afterMs);
  try {
    return await work;
  } finally {
    clearTimeout(timer);
  }
}

/** After how long a waiting step says so: 10 s (S3_BACKUP_SLOW_NOTICE_MS lets the tests see it sooner). */
export function slowNoticeMs(env: NodeJS.ProcessEnv = process.env): number {
  const ms = Number(env.S3_BACKUP_SLOW_NOTICE_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : 10_000;
}
