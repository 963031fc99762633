/**
 * npm run plan:offline -- [stack...]   OFFLINE: fake credentials, no AWS call, plan against the real provider
 * npm run plan -- [stack...]           real plan (read-only, no lock)
 * npm run drift -- [stack...]          real plan; fails when any stack drifted from the code
 * npm run deploy -- [stack...] --auto-approve   plan, then apply that plan; central first
 * Plans and drift assume each account's read-only plan role; deploy its deploy role (--role overrides).
 * Options: --skip-synth (use cdktf.out as it is, e.g. CI's artifact), --parallelism N (default 4),
 *   --summary FILE (append a Markdown table, e.g. $GITHUB_STEP_SUMMARY),
 *   --done-file FILE (deploy: skip the stacks listed there, add each one that succeeds).
 * Stacks are names or globs (central, member-222222222222, 'member-*'); none means all. Only
 * the named stacks are synthesized; the whole accounts.ts is validated first.
 */
import * as fs from "fs";
import * as path from "path";
import { loadConfigFile } from "../config/load";
import { synthesize } from "../apps/backup-app";
import { requireAwsCredentials } from "../ci/credentials";
import { markdownReport, tally, textHeader, textResult, textTotal } from "../ci/stack-report";
import { selectStacks } from "../config/stack-selection";
import { requireTerraform } from "../terraform/cli";
import { StackAction, runStacks } from "../terraform/stack-runner";
import { intOption, optionValue, positionalArgs, roleOption, sayIfSlow, slowNoticeMs } from "./cli-options";
import { reportFailure } from "./errors";

const VALUE_FLAGS = ["--parallelism", "--summary", "--done-file", "--role"];
const [actionArg, ...rest] = process.argv.slice(2);
const offline = actionArg === "plan:offline";
const action = (offline ? "plan" : actionArg) as StackAction;
const skipSynth = rest.includes("--skip-synth");
const autoApprove = rest.includes("--auto-approve");
const outdir = path.resolve(process.env.CDKTF_OUTDIR ?? path.join(__dirname, "..", "..", "cdktf.out"));

function stacksOnDisk(): string[] {
  const dir = path.join(outdir, "stacks");
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((s) => fs.existsSync(path.join(dir, s, "cdk.tf.json"))) : [];
}

function readDone(file: string | undefined): Map<string, string> {
  if (!file || !fs.existsSync(file)) return new Map();
  const names = fs.readFileSync(file, "utf8").split(/\s+/).filter(Boolean);
  return new Map(names.map((s) => [s, "deployed by an earlier attempt of this run"]));
}

async function main(): Promise<number> {
  if (!["plan", "drift", "deploy"].includes(action)) throw new Error("Usage: npm run plan:offline | plan | drift | deploy -- [stack...] (see the help file)");
  const patterns = positionalArgs(VALUE_FLAGS, rest);
  const parallelism = intOption("--parallelism", 4, 1, 64, rest);
  const summaryFile = optionValue("--summary", rest);
  const doneFile = optionValue("--done-file", rest);
  const config = loadConfigFile();
  const terraformVersion = requireTerraform();
  // Validation first, so that nothing else is printed before a config error.
  const stacks = skipSynth
    ? selectStacks(stacksOnDisk(), patterns)
    : synthesize(config, { offline, outdir, stacks: patterns, role: roleOption(action === "deploy" ? "deploy" : "plan", rest) });
  if (!offline) await sayIfSlow("AWS credentials (instance metadata?)", requireAwsCredentials(`npm run ${action}`));
  const applying = action === "deploy" && autoApprove;
  const runAction: StackAction = action === "deploy" && !autoApprove ? "plan" : action;

  console.log(
    offline
      ? `OFFLINE MODE: fake credentials, no AWS calls, no state written. Terraform ${terraformVersion}, hashicorp/aws 5.100.0.`
      : `${applying ? "DEPLOY" : runAction.toUpperCase()}: ${stacks.length} stack(s), ${parallelism} at a time. Terraform ${terraformVersion}.`,
  );
  console.log(textHeader());
  const started = Date.now();
  const results = await runStacks(stacks, {
    outdir,
    action: runAction,
    offline,
    parallelism,
    skip: readDone(doneFile),
    onDone: (r) => {
      console.log(textResult(runAction, r));
      if (r.outcome === "failed") console.error(`${r.stack} failed:\n${r.detail}`);
      if (applying && doneFile && r.outcome !== "failed" && r.outcome !== "skipped") fs.appendFileSync(doneFile, `${r.stack}\n`);
    },
    onSlow: (stack, command) => console.error(`… ${stack}: still waiting for ${command}`),
    slowAfterMs: slowNoticeMs(),
  });
  console.log(textTotal(results));
  console.log(
    `${tally(runAction, results)}. ${((Date.now() - started) / 1000).toFixed(1)} s. Logs: ${path.relative(process.cwd(), outdir)}/stacks/<stack>/${runAction}.log`,
  );
  if (summaryFile) {
    const title = offline ? "Offline plan" : applying ? "Deploy" : runAction === "drift" ? "Drift" : "Plan";
    fs.appendFileSync(summaryFile, markdownReport(title, runAction, results));
  }
  if (offline) {
    for (const member of config.members.filter((m) => m.existingBucket && stacks.includes(`member-${m.accountId}`))) {
      console.log(
        `Note: member-${member.accountId} adopts ${member.existingBucket!.bucketName} with import blocks; offline mode cannot read it from AWS, so its plan shows a create. Run npm run plan for the real import plan.`,
      );
    }
  }
  if (action === "deploy" && !autoApprove) console.log("Nothing was applied: this was the plan. Run again with --auto-approve to apply it.");
  const failed = results.some((r) => r.outcome === "failed");
  const drifted = runAction === "drift" && results.some((r) => r.outcome === "changes");
  return failed || drifted ? 1 : 0;
}

main().then((code) => process.exit(code), reportFailure);
