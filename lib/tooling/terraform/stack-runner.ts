import * as fs from "fs";
import * as path from "path";
import { stripVTControlCharacters } from "util";
import { byDeployOrder, CENTRAL_STACK_NAME, VAULT_STACK_NAME } from "../../core/config/naming";
import { networkFailure, unreachableMessage } from "../../core/network-errors";
import { INIT_ARGS, firstAloneThenLimit, runTerraform, terraformOrThrow, TerraformResult } from "./cli";

/**
 * What a run does to each stack:
 * - plan: init + plan, saved as <action>.tfplan (no lock: a plan never blocks a deploy);
 * - drift: the same plan, where "changes" means the real infrastructure drifted from the code;
 * - deploy: init + plan, then apply of exactly that saved plan when it has changes.
 */
export type StackAction = "plan" | "drift" | "deploy";

export type StackOutcome = "no changes" | "changes" | "failed" | "skipped";

export interface StackResult {
  readonly stack: string;
  readonly outcome: StackOutcome;
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  readonly import: number;
  readonly seconds: number;
  /** Why it failed or was skipped: the last lines of Terraform's error, or the reason. */
  readonly detail?: string;
}

export interface StackRunOptions {
  /** Synthesized output (cdktf.out): stacks are in <outdir>/stacks/<stack>. */
  readonly outdir: string;
  readonly action: StackAction;
  /** Offline mode: no refresh (nothing is read from AWS). Never with deploy. */
  readonly offline?: boolean;
  /** Stacks run at once. */
  readonly parallelism: number;
  /** Stacks reported as skipped with this reason instead of run (e.g. deployed by an earlier attempt). */
  readonly skip?: ReadonlyMap<string, string>;
  /** Called as each stack finishes, in completion order. */
  readonly onDone?: (result: StackResult) => void;
  /** Extra environment for Terraform (e.g. TF_CLI_ARGS_plan from the workflow). */
  readonly env?: NodeJS.ProcessEnv;
  /** Called once when one Terraform command of a stack has run for `slowAfterMs` (default 10 s). */
  readonly onSlow?: (stack: string, command: string) => void;
  readonly slowAfterMs?: number;
}

const PLAN_LINE = /Plan: (?:(\d+) to import, )?(\d+) to add, (\d+) to change, (\d+) to destroy/;
const APPLY_LINE = /Apply complete! Resources: (?:(\d+) imported, )?(\d+) added, (\d+) changed, (\d+) destroyed/;

function counts(output: string, line: RegExp): Pick<StackResult, "add" | "change" | "destroy" | "import"> {
  const m = line.exec(output);
  return m ? { import: Number(m[1] ?? 0), add: Number(m[2]), change: Number(m[3]), destroy: Number(m[4]) } : { import: 0, add: 0, change: 0, destroy: 0 };
}

/**
 * The last lines of what Terraform said on failure, without ANSI colour, each cut short:
 * Terraform quotes the offending source line, and cdk.tf.json is one very long line.
 */
export function failureDetail(result: TerraformResult): string {
  const text = stripVTControlCharacters(result.stderr.trim() || result.stdout.trim());
  // The provider wraps a failed connection to STS in "Cannot assume IAM Role" and a list of
  // IAM causes; the connection is the cause, and the list would send the user to IAM.
  const unreachable = networkFailure(text);
  if (unreachable) return `Terraform ${unreachableMessage(unreachable.host)}.\n${unreachable.evidence}`;
  const cut = (line: string) => (line.length > 200 ? `${line.slice(0, 200)}…` : line);
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .slice(-6)
    .map(cut)
    .join("\n");
}

class StackFailure extends Error {}

/** Runs terraform in one stack directory; every run's output is appended to <action>.log there. */
async function terraformIn(dir: string, options: StackRunOptions, args: string[], okCodes = [0]): Promise<TerraformResult> {
  const slow = setTimeout(() => options.onSlow?.(path.basename(dir), `terraform ${args[0]}`), options.slowAfterMs ?? 10_000);
  const result = await runTerraform(args, dir, options.env ?? {}).finally(() => clearTimeout(slow));
  fs.appendFileSync(path.join(dir, `${options.action}.log`), `$ terraform ${args.join(" ")}\n${result.stdout}${result.stderr}\n`);
  if (!okCodes.includes(result.code)) throw new StackFailure(failureDetail(result));
  return result;
}

async function runOne(stack: string, options: StackRunOptions): Promise<StackResult> {
  const started = Date.now();
  const dir = path.join(options.outdir, "stacks", stack);
  const base = { stack, add: 0, change: 0, destroy: 0, import: 0 };
  const done = (r: Omit<StackResult, "seconds">) => ({ ...r, seconds: (Date.now() - started) / 1000 });
  try {
    if (!fs.existsSync(path.join(dir, "cdk.tf.json"))) throw new StackFailure(`not synthesized: ${path.relative(process.cwd(), dir)}/cdk.tf.json is missing`);
    fs.rmSync(path.join(dir, `${options.action}.log`), { force: true });
    await terraformIn(dir, options, [...INIT_ARGS]);
    const planFile = `${options.action}.tfplan`;
    const planArgs = ["plan", "-input=false", "-no-color", "-detailed-exitcode", `-out=${planFile}`];
    if (options.offline) planArgs.push("-refresh=false", "-lock=false");
    else if (options.action !== "deploy") planArgs.push("-lock=false");
    // -detailed-exitcode: 0 no changes, 2 changes, 1 error.
    const plan = await terraformIn(dir, options, planArgs, [0, 2]);
    if (plan.code === 0) return done({ ...base, outcome: "no changes" });
    if (options.action !== "deploy") return done({ ...base, ...counts(plan.stdout, PLAN_LINE), outcome: "changes" });
    const apply = await terraformIn(dir, options, ["apply", "-input=false", "-no-color", planFile]);
    return done({ ...base, ...counts(apply.stdout, APPLY_LINE), outcome: "changes" });
  } catch (error) {
    const detail = error instanceof StackFailure ? error.message : error instanceof Error ? error.message : String(error);
    return done({ ...base, outcome: "failed", detail });
  }
}

/**
 * Runs the action on every stack, `parallelism` at a time, and returns one result per stack
 * in deploy order. A failed stack never stops the others: every stack gets its result. The
 * first stack runs alone so that its init fills the shared plugin cache the others link to.
 * On deploy, central and then the vault run alone before any member (members replicate into
 * their buckets and keys), and members are skipped when either failed.
 */
export async function runStacks(stacks: readonly string[], options: StackRunOptions): Promise<StackResult[]> {
  if (options.offline && options.action === "deploy") throw new Error("offline mode cannot deploy");
  const ordered = [...new Set(stacks)].sort(byDeployOrder);
  const results = new Map<string, StackResult>();
  const record = (r: StackResult) => {
    results.set(r.stack, r);
    options.onDone?.(r);
    return r;
  };
  const skipped = (stack: string, detail: string) => record({ stack, outcome: "skipped", add: 0, change: 0, destroy: 0, import: 0, seconds: 0, detail });
  const toRun = ordered.filter((s) => {
    const reason = options.skip?.get(s);
    if (reason !== undefined) skipped(s, reason);
    return reason === undefined;
  });
  // On deploy the destinations, central then the vault, run one at a time before any member:
  // a member's rules name their buckets and keys, which must exist.
  const destinations: string[] = options.action === "deploy" ? toRun.filter((s) => s === CENTRAL_STACK_NAME || s === VAULT_STACK_NAME) : [];
  let failedDestination: string | undefined;
  const run = async (stack: string) => {
    if (failedDestination) return skipped(stack, `${failedDestination} failed to deploy: members deploy after it`);
    const result = record(await runOne(stack, options));
    if (destinations.includes(stack) && result.outcome === "failed") failedDestination = stack;
    return result;
  };
  for (const stack of destinations) await run(stack);
  await firstAloneThenLimit(
    toRun.filter((s) => !destinations.includes(s)),
    options.parallelism,
    run,
  );
  return ordered.map((s) => results.get(s)!);
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

/** `terraform show -json` of the plan a run saved in a stack directory (`<action>.tfplan`). */
export async function showSavedPlan(stackDir: string, action: StackAction = "plan"): Promise<TerraformPlanJson> {
  return JSON.parse(await terraformOrThrow(["show", "-json", `${action}.tfplan`], stackDir)) as TerraformPlanJson;
}
