import { withoutSourceMaps, buildApp } from "../../../stacks/apps/backup-app";
import { loadConfigFile } from "../../core/config/load";
import { validateConfig } from "../../core/config/validate";
import { configWarnings } from "../../core/config/warnings";
import { BootstrapChange, bootstrapChanges } from "./bootstrap-changes";
import type { ChangeReport } from "./changed-stacks";
import type { DataReplacement } from "./data-replacements";
import { changedStacksFast } from "./stack-fingerprints";

export interface ConfigCheckOptions {
  /** The checkout whose accounts.ts is checked, and whose git history holds the base. */
  readonly repo: string;
  /** Compare with this commit; without it, data-replacing edits are not looked for. */
  readonly base?: string;
  /** Replacements the user acknowledged, as `<stack>/<resource>` (what the check prints), or `all`. */
  readonly allowReplace: readonly string[];
}

export interface ConfigCheckResult {
  readonly members: number;
  readonly stacks: number;
  /** Milliseconds to load and validate, and to build every stack (which checks each policy's size). */
  readonly validateMs: number;
  readonly buildMs: number;
  readonly changes?: ChangeReport;
  /** With a base: what the edit changes in the bootstrap, which must then be applied again. */
  readonly bootstrap?: BootstrapChange;
  readonly unacknowledged: readonly DataReplacement[];
  /** What the valid config still leaves undone (configWarnings). */
  readonly warnings: readonly string[];
}

/** What `--allow-replace` takes to acknowledge one replacement. */
export function acknowledgement(r: DataReplacement): string {
  return `${r.stack}/${r.resource}`;
}

const elapsed = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6;

/**
 * The check of the user's own accounts.ts, offline and without Terraform: it loads and
 * validates the file, builds every stack (each construct checks its policies against AWS's
 * size limits as it is built; nothing is written), and, given a base, lists the stacks the
 * edit changes and every bucket or key it would replace or destroy.
 */
export async function checkConfig(options: ConfigCheckOptions): Promise<ConfigCheckResult> {
  let started = process.hrtime.bigint();
  const config = loadConfigFile();
  const resolved = validateConfig(config);
  const validateMs = elapsed(started);
  started = process.hrtime.bigint();
  const app = withoutSourceMaps(() => buildApp(config, { offline: true }));
  const buildMs = elapsed(started);
  const changes = options.base === undefined ? undefined : await changedStacksFast(options.repo, options.base);
  const bootstrap = options.base === undefined ? undefined : bootstrapChanges(options.repo, options.base, config);
  const allowed = new Set(options.allowReplace);
  const unacknowledged = (changes?.replacements ?? []).filter((r) => !allowed.has("all") && !allowed.has(acknowledgement(r)));
  return {
    members: resolved.members.length,
    stacks: app.node.children.length,
    validateMs,
    buildMs,
    changes,
    bootstrap,
    unacknowledged,
    warnings: configWarnings(resolved),
  };
}
