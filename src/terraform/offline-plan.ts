import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { synthesize } from "../apps/backup-app";
import type { BackupConfig } from "../config/types";
import { INIT_ARGS, mapWithLimit, terraformOrThrow } from "./cli";

/** Counts of one stack's plan, as Terraform reports them. */
export interface PlanSummary {
  readonly stack: string;
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  readonly import: number;
  /** `terraform show -json` of the saved plan. */
  readonly plan: TerraformPlanJson;
}

/** The parts of Terraform's JSON plan format that this project reads. */
export interface TerraformPlanJson {
  readonly resource_changes?: readonly {
    readonly address: string;
    readonly type: string;
    readonly change: { readonly actions: readonly string[]; readonly after?: unknown; readonly importing?: unknown };
  }[];
  readonly planned_values?: unknown;
  readonly configuration?: unknown;
}

/** Synthesizes every stack in offline mode into outdir and puts the lock file beside each. Returns stack names. */
export function synthOffline(config: BackupConfig, outdir: string): string[] {
  return synthesize(config, { offline: true, outdir });
}

/** terraform init in a synthesized stack directory, offline-safe: the lock file is never rewritten. */
export async function initStack(stackDir: string): Promise<void> {
  await terraformOrThrow(INIT_ARGS, stackDir);
}

/**
 * Offline plan of one initialized stack: no refresh (nothing is read from AWS), no lock,
 * saved so that `terraform show -json` can prove what it contains.
 */
export async function planStack(stackDir: string): Promise<PlanSummary> {
  await terraformOrThrow(["plan", "-input=false", "-no-color", "-refresh=false", "-lock=false", "-out=offline.tfplan"], stackDir);
  const plan = JSON.parse(await terraformOrThrow(["show", "-json", "offline.tfplan"], stackDir)) as TerraformPlanJson;
  const count = (action: string) => (plan.resource_changes ?? []).filter((rc) => rc.change.actions.includes(action)).length;
  const imports = (plan.resource_changes ?? []).filter((rc) => rc.change.importing !== undefined).length;
  return { stack: path.basename(stackDir), add: count("create"), change: count("update"), destroy: count("delete"), import: imports, plan };
}

export interface OfflinePlanOptions {
  readonly outdir: string;
  /** Stacks planned at once; default the number of cores. */
  readonly concurrency?: number;
  /** Only these stacks (default all). */
  readonly stacks?: readonly string[];
  readonly onStackDone?: (summary: PlanSummary) => void;
}

/**
 * Synthesizes in offline mode, then init + plan for every stack. The first init runs alone
 * so that it fills the shared plugin cache before the others link to it.
 */
export async function planAllOffline(config: BackupConfig, options: OfflinePlanOptions): Promise<PlanSummary[]> {
  const all = synthOffline(config, options.outdir);
  const stacks = options.stacks ? all.filter((s) => options.stacks!.includes(s)) : all;
  const dirOf = (stack: string) => path.join(options.outdir, "stacks", stack);
  if (stacks.length === 0) return [];
  await initStack(dirOf(stacks[0]));
  return mapWithLimit(stacks, options.concurrency ?? os.cpus().length, async (stack) => {
    if (stack !== stacks[0]) await initStack(dirOf(stack));
    const summary = await planStack(dirOf(stack));
    options.onStackDone?.(summary);
    return summary;
  });
}

/** A fresh temporary directory for a synth, removed by the caller with removeDir. */
export function tempOutdir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
