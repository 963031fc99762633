/**
 * npm run state -- summary
 * npm run state -- <stack> list | show <address> | outputs
 * Runs Terraform against the right stack directory and backend (from accounts.ts, real
 * mode). A member removed from accounts.ts can still be read while its state exists.
 * Synthesizes into cdktf.out (or CDKTF_OUTDIR, as cdktf does).
 */
import * as path from "path";
import { requireAwsCredentials } from "../ci/credentials";
import { STATE_COMMANDS, StateTarget, stackStateCommand, stateSummary } from "../ci/state";
import { loadConfigFile } from "../config/load";
import { requireTerraform } from "../terraform/cli";
import { validateConfig } from "../config/validate";
import { sayIfSlow } from "./cli-options";
import { reportFailure } from "./errors";

const [first, command, address] = process.argv.slice(2);
const RETIRE = 'not in accounts.ts: Terraform still tracks its resources; retire it (docs/ci-and-state.md, "Retire an account")';

async function main(): Promise<void> {
  if (!first) throw new Error(`Usage: npm run state -- summary | <stack> ${STATE_COMMANDS}`);
  const target: StateTarget = { config: loadConfigFile(), outdir: path.resolve(process.env.CDKTF_OUTDIR ?? path.join(__dirname, "..", "..", "cdktf.out")) };
  const backend = validateConfig(target.config).stateBackend;
  requireTerraform();
  // Remote state is read with your credentials; local state needs none.
  if (backend) await sayIfSlow("AWS credentials (instance metadata?)", requireAwsCredentials("npm run state"));
  const where = backend ? `s3://${backend.bucket}/${backend.keyPrefix}/` : "terraform-state/";
  if (first === "summary") {
    const { rows, warnings } = await sayIfSlow(`terraform init and state pull of every stack (state in ${where})`, stateSummary(target));
    console.log(`${"stack".padEnd(24)}${"resources".padStart(10)}${"serial".padStart(8)}  last modified`);
    for (const r of rows) {
      const when = r.lastModified?.toISOString() ?? (r.serial === null ? "not deployed yet" : "-");
      console.log(`${r.stack.padEnd(24)}${String(r.resources).padStart(10)}${String(r.serial ?? "-").padStart(8)}  ${when}${r.orphaned ? "  REMOVED" : ""}`);
    }
    for (const r of rows.filter((row) => row.orphaned)) console.error(`!! ${r.stack} (REMOVED) is ${RETIRE}.`);
    for (const warning of warnings) console.error(`warning: ${warning}`);
    return;
  }
  const result = await sayIfSlow(`terraform init and state of ${first} (state in ${where})`, stackStateCommand(target, first, command ?? "list", address));
  if (result.orphaned) console.error(`!! ${first} is ${RETIRE}.`);
  process.stdout.write(result.output);
}

main().catch((error: unknown) => reportFailure(error, "state"));
