import * as fs from "fs";
import * as path from "path";
import { markdownReport, tally, textHeader, textResult, textTotal } from "../tooling/ci/stack-report";
import { StackAction, StackResult, runStacks } from "../tooling/terraform/stack-runner";
import { slowNoticeMs } from "./cli-options";

/** A run of synthesized stacks as a command prints it: the backup's stacks and the bootstrap's alike. */
export interface StackRun {
  readonly stacks: readonly string[];
  readonly outdir: string;
  /** What Terraform does: a deploy without --auto-approve is a plan. */
  readonly action: StackAction;
  readonly offline: boolean;
  readonly parallelism: number;
  /** The line before the table: the mode, the stacks, the Terraform version. */
  readonly banner: string;
  /** A deploy asked without --auto-approve: the run says that nothing was applied. */
  readonly planOnly: boolean;
  readonly skip?: ReadonlyMap<string, string>;
  /** Told of each stack as it finishes, after its row is printed. */
  readonly onDone?: (result: StackResult) => void;
  /** Appends the Markdown table to this file (e.g. $GITHUB_STEP_SUMMARY). */
  readonly summary?: { readonly file: string; readonly title: string };
  /** Printed after the tally. */
  readonly notes?: readonly string[];
}

/** Runs the stacks, printing a row as each finishes, then the totals; its results. */
export async function runAndReport(run: StackRun): Promise<StackResult[]> {
  const { action, outdir } = run;
  console.log(run.banner);
  console.log(textHeader());
  const started = Date.now();
  const results = await runStacks(run.stacks, {
    outdir,
    action,
    offline: run.offline,
    parallelism: run.parallelism,
    skip: run.skip,
    onDone: (r) => {
      console.log(textResult(action, r));
      if (r.outcome === "failed") console.error(`${r.stack} failed:\n${r.detail}`);
      run.onDone?.(r);
    },
    onSlow: (stack, command) => console.error(`… ${stack}: still waiting for ${command}`),
    slowAfterMs: slowNoticeMs(),
  });
  console.log(textTotal(results));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`${tally(action, results)}. ${seconds} s. Logs: ${path.relative(process.cwd(), outdir) || "."}/stacks/<stack>/${action}.log`);
  if (run.summary) fs.appendFileSync(run.summary.file, markdownReport(run.summary.title, action, results));
  for (const note of run.notes ?? []) console.log(note);
  if (run.planOnly) console.log(planOnlyNotice(results));
  return results;
}

/** After a deploy without --auto-approve: applying makes sense only if every plan succeeded. */
export function planOnlyNotice(results: readonly { readonly outcome: string }[]): string {
  const failed = results.filter((r) => r.outcome === "failed").length;
  return failed === 0
    ? "Nothing was applied: this was the plan. Run again with --auto-approve to apply it."
    : `Nothing was applied: ${failed} plan(s) FAILED (above). Fix them first; --auto-approve applies only a plan that succeeded.`;
}
