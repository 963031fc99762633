import * as path from "path";
import type { BackupConfig } from "../config/types";
import { synthesizeBootstrap } from "../apps/bootstrap-app";
import { PlanSummary, initStack, planStack } from "./offline-plan";

/**
 * Offline plan of the bootstrap (bootstrap.ts): synthesized with fake credentials and no
 * STS call, then the real `terraform init` and `plan -refresh=false` of each stack, one
 * after the other (two stacks; the first init fills the shared plugin cache).
 */
export async function planBootstrapOffline(
  config: BackupConfig,
  options: { readonly outdir: string; readonly onStackDone?: (summary: PlanSummary) => void },
): Promise<PlanSummary[]> {
  const { stacks } = synthesizeBootstrap(config, { outdir: options.outdir, offline: true });
  const summaries: PlanSummary[] = [];
  for (const stack of stacks) {
    const dir = path.join(options.outdir, "stacks", stack);
    await initStack(dir);
    const summary = await planStack(dir);
    options.onStackDone?.(summary);
    summaries.push(summary);
  }
  return summaries;
}
