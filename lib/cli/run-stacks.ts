/**
 * npm run plan:offline -- [stack...]   OFFLINE: fake credentials, no AWS call, plan against the real provider
 * npm run plan -- [stack...]           real plan (read-only, no lock)
 * npm run drift -- [stack...]          real plan; fails when any stack drifted from the code
 * npm run deploy -- [stack...] --auto-approve   plan, then apply that plan; central first
 * The first argument is the action (the npm scripts pass it). Each action's options are
 * declared below; `npm run <action> -- --help` lists them.
 */
import * as fs from "fs";
import * as path from "path";
import { loadConfigFile } from "../core/config/load";
import type { BackupConfig } from "../core/config/types";
import { requireAwsCredentials } from "../tooling/ci/credentials";
import { dataLossWarning } from "../tooling/ci/data-replacements";
import { memberStackName } from "../core/config/naming";
import { selectStacks } from "../core/stack-selection";
import { UsageError } from "../core/errors";
import { requireTerraform } from "../tooling/terraform/cli";
import type { StackAction } from "../tooling/terraform/stack-runner";
import { outdirFromEnv, roleOption, sayIfSlow, STACK_PATTERNS } from "./cli-options";
import { CommandSpec, defineCommand, OptionValues, withArgs, wholeNumber } from "./command";
import { runCommand } from "./errors";
import { backupApp, stackFingerprints } from "./lazy-modules";
import { runAndReport } from "./stack-run";
import { PROJECT_ROOT } from "../core/project-root";

const COMMON = {
  "skip-synth": { type: "boolean", description: "use cdktf.out as it is (e.g. CI's synthesized artifact) instead of synthesizing" },
  parallelism: { type: "string", valueName: "N", description: "stacks run at once, 1 to 64 (default 4)", parse: wholeNumber(1, 64) },
  summary: { type: "string", valueName: "FILE", description: "append a Markdown table of the results (e.g. $GITHUB_STEP_SUMMARY)" },
} as const;

const PLAN_OPTIONS = { ...COMMON, role: roleOption("plan") };
const DEPLOY_OPTIONS = {
  ...COMMON,
  role: roleOption("deploy"),
  "auto-approve": { type: "boolean", description: "apply the plan (without it, deploy only plans)" },
  "done-file": { type: "string", valueName: "FILE", description: "skip the stacks listed in FILE, and add each one this run deploys (retries in CI)" },
} as const;

type Options = OptionValues<typeof DEPLOY_OPTIONS>;

const ACTIONS: Record<string, CommandSpec<typeof PLAN_OPTIONS> | CommandSpec<typeof DEPLOY_OPTIONS>> = {
  "plan:offline": defineCommand({
    name: "plan:offline",
    usage: "npm run plan:offline -- [stack...] [--role plan|deploy|break-glass] [--skip-synth] [--parallelism N] [--summary FILE]",
    summary: "OFFLINE MODE: synthesizes, then runs the real terraform init and plan of each stack with fake credentials: no AWS account, no AWS call.",
    options: PLAN_OPTIONS,
    positionals: STACK_PATTERNS,
    example: "npm run plan:offline -- member-555555555555",
  }),
  plan: defineCommand({
    name: "plan",
    usage: "npm run plan -- [stack...] [--role plan|deploy|break-glass] [--skip-synth] [--parallelism N] [--summary FILE]",
    summary: "Plans each stack against AWS as its account's read-only plan role (no lock: a plan never blocks a deploy).",
    options: PLAN_OPTIONS,
    positionals: STACK_PATTERNS,
    example: "npm run plan -- central",
  }),
  drift: defineCommand({
    name: "drift",
    usage: "npm run drift -- [stack...] [--role plan|deploy|break-glass] [--skip-synth] [--parallelism N] [--summary FILE]",
    summary: "Plans each stack against AWS and exits 1 when any stack drifted from the code.",
    options: PLAN_OPTIONS,
    positionals: STACK_PATTERNS,
    example: "npm run drift -- 'member-*'",
  }),
  deploy: defineCommand({
    name: "deploy",
    usage:
      "npm run deploy -- [stack...] [--auto-approve] [--role plan|deploy|break-glass] [--skip-synth] [--parallelism N] [--summary FILE] [--done-file FILE]",
    summary: "Plans each stack as its deploy role, then with --auto-approve applies exactly that plan; central before any member.",
    options: DEPLOY_OPTIONS,
    positionals: STACK_PATTERNS,
    example: "npm run deploy -- central --role break-glass --auto-approve",
  }),
};

interface Run {
  readonly offline: boolean;
  readonly action: StackAction;
  readonly applying: boolean;
  readonly runAction: StackAction;
  readonly outdir: string;
  readonly options: Options;
}

function stacksOnDisk(outdir: string): string[] {
  const dir = path.join(outdir, "stacks");
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((s) => fs.existsSync(path.join(dir, s, "cdk.tf.json"))) : [];
}

function readDone(file: string | undefined): Map<string, string> {
  if (!file || !fs.existsSync(file)) return new Map();
  const names = fs.readFileSync(file, "utf8").split(/\s+/).filter(Boolean);
  return new Map(names.map((s) => [s, "deployed by an earlier attempt of this run"]));
}

/** Offline plans cannot read an adopted bucket from AWS: say why its plan shows a create. */
function offlineNotes(config: BackupConfig, stacks: readonly string[]): string[] {
  return config.members
    .filter((m) => m.existingBucket && stacks.includes(memberStackName(m.accountId)))
    .map(
      (member) =>
        `Note: ${memberStackName(member.accountId)} adopts ${member.existingBucket!.bucketName} with import blocks; offline mode cannot read it from AWS, so its plan shows a create. Run npm run plan for the real import plan.`,
    );
}

async function runAction(run: Run, patterns: string[]): Promise<number> {
  const { options, offline, action, runAction, applying, outdir } = run;
  const parallelism = options.parallelism ?? 4;
  const config = loadConfigFile();
  const terraformVersion = requireTerraform();
  const { synthesize } = backupApp();
  const { configEditReplacements } = stackFingerprints();
  // Validation first, so that nothing else is printed before a config error.
  const role = options.role ?? (action === "deploy" ? "deploy" : "plan");
  const stacks = options["skip-synth"] ? selectStacks(stacksOnDisk(outdir), patterns) : synthesize(config, { offline, outdir, stacks: patterns, role });
  if (!offline) await sayIfSlow("AWS credentials (instance metadata?)", requireAwsCredentials(`npm run ${action}`));
  const atRisk = options["skip-synth"] ? [] : configEditReplacements(PROJECT_ROOT).filter((r) => stacks.includes(r.stack));
  if (atRisk.length > 0) console.error(dataLossWarning(atRisk));
  const doneFile = options["done-file"];
  const title = offline ? "Offline plan" : applying ? "Deploy" : runAction === "drift" ? "Drift" : "Plan";
  const results = await runAndReport({
    stacks,
    outdir,
    action: runAction,
    offline,
    parallelism,
    banner: offline
      ? `OFFLINE MODE: fake credentials, no AWS calls, no state written. Terraform ${terraformVersion}, hashicorp/aws 5.100.0.`
      : `${applying ? "DEPLOY" : runAction.toUpperCase()}: ${stacks.length} stack(s), ${parallelism} at a time. Terraform ${terraformVersion}.`,
    planOnly: action === "deploy" && !applying,
    skip: readDone(doneFile),
    onDone: (r) => {
      if (applying && doneFile && r.outcome !== "failed" && r.outcome !== "skipped") fs.appendFileSync(doneFile, `${r.stack}\n`);
    },
    summary: options.summary ? { file: options.summary, title } : undefined,
    notes: offline ? offlineNotes(config, stacks) : [],
  });
  const failed = results.some((r) => r.outcome === "failed");
  const drifted = runAction === "drift" && results.some((r) => r.outcome === "changes");
  return failed || drifted ? 1 : 0;
}

const [actionArg, ...rest] = process.argv.slice(2);
runCommand(() => {
  const spec = ACTIONS[actionArg];
  if (!spec) throw new UsageError(`The first argument is the action: ${Object.keys(ACTIONS).join(", ")} (not "${actionArg ?? ""}"). See the help file.`);
  return withArgs(spec as CommandSpec<typeof DEPLOY_OPTIONS>, rest, ({ values, positionals }) => {
    const offline = actionArg === "plan:offline";
    const action: StackAction = offline ? "plan" : (actionArg as StackAction);
    const applying = action === "deploy" && values["auto-approve"];
    const run: Run = { offline, action, applying, runAction: action === "deploy" && !applying ? "plan" : action, outdir: outdirFromEnv(), options: values };
    return runAction(run, positionals);
  });
}, actionArg);
