/**
 * npm run state -- summary
 * npm run state -- <stack> list | show <address> | outputs
 * Runs Terraform against the right stack directory and backend (from accounts.ts, real
 * mode). A member removed from accounts.ts can still be read while its state exists.
 * Synthesizes into cdktf.out (or CDKTF_OUTDIR, as cdktf does).
 */
import { requireAwsCredentials } from "../tooling/ci/credentials";
import type { StateTarget } from "../tooling/ci/state";
import { STATE_COMMANDS, stateRequest } from "../tooling/ci/state-request";
import { loadConfigFile } from "../core/config/load";
import { requireTerraform } from "../tooling/terraform/cli";
import { validateConfig } from "../core/config/validate";
import { outdirFromEnv, sayIfSlow } from "./cli-options";
import { defineCommand, runCli } from "./command";
import { stateReading } from "./lazy-modules";

const STATE = defineCommand({
  name: "state",
  usage: `npm run state -- summary | <stack> ${STATE_COMMANDS}`,
  summary: "Reads Terraform state through each stack's own backend: a summary of every stack, or one stack's resources, one resource or its outputs.",
  options: {},
  positionals: {
    valueName: `summary | <stack> ${STATE_COMMANDS}`,
    description: "summary, or a stack (central, member-<accountId>) and what to read (default list)",
    min: 1,
    max: 3,
  },
  example: "npm run state -- central show aws_s3_bucket.central_bucket",
});

const RETIRE = 'not in accounts.ts: Terraform still tracks its resources; retire it (docs/ci-and-state.md, "Retire an account")';

async function printSummary(target: StateTarget, where: string): Promise<void> {
  const { stateSummary } = stateReading();
  const { rows, warnings } = await sayIfSlow(`terraform init and state pull of every stack (state in ${where})`, stateSummary(target));
  console.log(`${"stack".padEnd(24)}${"resources".padStart(10)}${"serial".padStart(8)}  last modified`);
  for (const r of rows) {
    const when = r.lastModified?.toISOString() ?? (r.serial === null ? "not deployed yet" : "-");
    console.log(`${r.stack.padEnd(24)}${String(r.resources).padStart(10)}${String(r.serial ?? "-").padStart(8)}  ${when}${r.orphaned ? "  REMOVED" : ""}`);
  }
  for (const r of rows.filter((row) => row.orphaned)) console.error(`!! ${r.stack} (REMOVED) is ${RETIRE}.`);
  for (const warning of warnings) console.error(`warning: ${warning}`);
}

runCli(STATE, async ({ positionals }) => {
  const request = stateRequest(positionals);
  const target: StateTarget = { config: loadConfigFile(), outdir: outdirFromEnv() };
  const backend = validateConfig(target.config).stateBackend;
  requireTerraform();
  // Remote state is read with your credentials; local state needs none.
  if (backend) await sayIfSlow("AWS credentials (instance metadata?)", requireAwsCredentials("npm run state"));
  const where = backend ? `s3://${backend.bucket}/${backend.keyPrefix}/` : "terraform-state/";
  if (request.kind === "summary") return printSummary(target, where);
  const { stack, command, address } = request;
  const { stackStateCommand } = stateReading();
  const result = await sayIfSlow(`terraform init and state of ${stack} (state in ${where})`, stackStateCommand(target, stack, command, address));
  if (result.orphaned) console.error(`!! ${stack} is ${RETIRE}.`);
  process.stdout.write(result.output);
});
