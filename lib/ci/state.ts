import * as fs from "fs";
import * as path from "path";
import { synthesize } from "../app";
import type { BackupConfig } from "../config";
import { validateConfig } from "../validate";
import { mapWithLimit, terraformOrThrow } from "../terraform/cli";

export class UnknownStackError extends Error {
  constructor(stack: string, known: readonly string[]) {
    super(`Unknown stack "${stack}". Stacks of accounts.ts: ${known.join(", ")}.`);
    this.name = "UnknownStackError";
  }
}

export interface StateTarget {
  readonly config: BackupConfig;
  /** Where the stacks are synthesized (real mode): cdktf.out for users. */
  readonly outdir: string;
}

export interface StackStateSummary {
  readonly stack: string;
  readonly resources: number;
  readonly serial: number | null;
  /** Local state: the file's mtime. Remote state: not read (shown as "-"). */
  readonly lastModified: Date | null;
}

/** Synthesizes in real mode (so the configured backend is used) and returns the stack names. */
export function synthForState(target: StateTarget): string[] {
  fs.mkdirSync(target.outdir, { recursive: true });
  return synthesize(target.config, { outdir: target.outdir });
}

function stackDir(target: StateTarget, stack: string, known: readonly string[]): string {
  if (!known.includes(stack)) throw new UnknownStackError(stack, known);
  return path.join(target.outdir, "stacks", stack);
}

async function init(dir: string): Promise<void> {
  await terraformOrThrow(["init", "-input=false", "-no-color", "-lockfile=readonly"], dir);
}

/** `terraform state list|show <address>` or `terraform output -json` for one stack. */
export async function stackStateCommand(target: StateTarget, stack: string, command: string, address?: string): Promise<string> {
  const known = synthForState(target);
  const dir = stackDir(target, stack, known);
  const args =
    command === "list" ? ["state", "list"]
    : command === "show" && address ? ["state", "show", "-no-color", address]
    : command === "outputs" ? ["output", "-json"]
    : undefined;
  if (!args) throw new Error(`Unknown state command "${command}${command === "show" ? " (missing <address>)" : ""}". Use: list | show <address> | outputs`);
  await init(dir);
  return terraformOrThrow(args, dir);
}

/** Resource count, serial and last change of every stack's state. */
export async function stateSummary(target: StateTarget, concurrency = 2): Promise<StackStateSummary[]> {
  const known = synthForState(target);
  const local = validateConfig(target.config).stateBackend === undefined;
  return mapWithLimit(known, concurrency, async (stack) => {
    const dir = stackDir(target, stack, known);
    await init(dir);
    const pulled = (await terraformOrThrow(["state", "pull"], dir)).trim();
    const state = pulled ? (JSON.parse(pulled) as { serial?: number; resources?: { mode: string; instances: unknown[] }[] }) : {};
    const resources = (state.resources ?? []).filter((r) => r.mode === "managed").reduce((n, r) => n + r.instances.length, 0);
    const file = path.resolve(dir, (JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8")).terraform.backend.local?.path as string) ?? "");
    const lastModified = local && fs.existsSync(file) ? fs.statSync(file).mtime : null;
    return { stack, resources, serial: state.serial ?? null, lastModified };
  });
}
