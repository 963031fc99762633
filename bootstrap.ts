/**
 * The bootstrap: what CI needs before the first pipeline run, applied ONCE by an
 * organization admin (docs/ci-and-state.md). Built from `ci` and `stateBackend` of
 * accounts.ts; its state is local (terraform-state/bootstrap/).
 *   npm run bootstrap:plan:offline [-- --config examples/all-options.ts]
 *                                          synth + real terraform init/plan, offline, no AWS
 *   npm run bootstrap:plan [-- <stack>]    plan against AWS, as the admin
 *   npm run bootstrap:deploy -- [<stack>...] --auto-approve   (bootstrap-ci, bootstrap-account-roles)
 * Without a command it only synthesizes (as the cdktf CLI does through --app).
 */
import * as path from "path";
import { requireAwsCredentials } from "./src/ci/credentials";
import { tally, textHeader, textResult } from "./src/ci/stack-report";
import { loadConfigFile } from "./src/config/load";
import { isOfflineMode } from "./src/config/offline-mode";
import { selectStacks } from "./src/config/stack-selection";
import { requireTerraform } from "./src/terraform/cli";
import { StackAction, runStacks } from "./src/terraform/stack-runner";
import { optionValue, positionalArgs } from "./src/cli/cli-options";
import { reportFailure } from "./src/cli/errors";
import { synthesizeBootstrap } from "./src/apps/bootstrap-app";
import { BOOTSTRAP_OUTDIR } from "./src/stacks/bootstrap-target";

const COMMANDS = ["plan:offline", "plan", "deploy"];

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  const configFile = optionValue("--config", rest);
  const config = loadConfigFile(configFile ? path.resolve(configFile) : undefined);
  if (command === undefined) {
    synthesizeBootstrap(config, { offline: isOfflineMode() });
    return 0;
  }
  if (!COMMANDS.includes(command))
    throw new Error(`Usage: npm run bootstrap:plan:offline | bootstrap:plan | bootstrap:deploy [-- <stack>...] (not "${command}")`);
  const offline = command === "plan:offline";
  const autoApprove = rest.includes("--auto-approve");
  const action: StackAction = command === "deploy" && autoApprove ? "deploy" : "plan";
  const outdir = path.resolve(__dirname, BOOTSTRAP_OUTDIR);
  const terraformVersion = requireTerraform();
  const { stacks: all } = synthesizeBootstrap(config, { outdir, offline });
  const stacks = selectStacks(all, positionalArgs(["--config"], rest));
  if (!offline) await requireAwsCredentials(`npm run bootstrap:${command}`);
  console.log(
    `${offline ? "OFFLINE MODE: fake credentials, no AWS calls, no state written." : "BOOTSTRAP, as you (an organization admin)."} Terraform ${terraformVersion}.`,
  );
  console.log(textHeader());
  const results = await runStacks(stacks, { outdir, action, offline, parallelism: 2, onDone: (r) => console.log(textResult(action, r)) });
  console.log(`${tally(action, results)}. Logs: ${BOOTSTRAP_OUTDIR}/stacks/<stack>/${action}.log`);
  for (const r of results.filter((x) => x.outcome === "failed")) console.error(`${r.stack} failed:\n${r.detail}`);
  if (command === "deploy" && !autoApprove) console.log("Nothing was applied: this was the plan. Run again with --auto-approve to apply it.");
  return results.some((r) => r.outcome === "failed") ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => reportFailure(error, "bootstrap"),
);
