/**
 * npm run state -- summary
 * npm run state -- <stack> list | show <address> | outputs
 * Runs Terraform against the right stack directory and backend (from accounts.ts, real
 * mode). A member removed from accounts.ts can still be read while its state exists.
 * Synthesizes into cdktf.out (or CDKTF_OUTDIR, as cdktf does).
 */
import * as path from "path";
import { config } from "../accounts";
import { STATE_COMMANDS, stackStateCommand, stateSummary } from "../lib/ci/state";
import { requireTerraform } from "../lib/terraform/cli";

const target = { config, outdir: path.resolve(process.env.CDKTF_OUTDIR ?? path.join(__dirname, "..", "cdktf.out")) };
const [first, command, address] = process.argv.slice(2);
const RETIRE = 'not in accounts.ts: Terraform still tracks its resources; retire it (docs/ci-and-state.md, "Retire an account")';

async function main(): Promise<void> {
  requireTerraform();
  if (!first) throw new Error(`Usage: npm run state -- summary | <stack> ${STATE_COMMANDS}`);
  if (first === "summary") {
    const { rows, warnings } = await stateSummary(target);
    console.log(`${"stack".padEnd(24)}${"resources".padStart(10)}${"serial".padStart(8)}  last modified`);
    for (const r of rows) {
      const when = r.lastModified?.toISOString() ?? "-";
      console.log(`${r.stack.padEnd(24)}${String(r.resources).padStart(10)}${String(r.serial ?? "-").padStart(8)}  ${when}${r.orphaned ? "  REMOVED" : ""}`);
    }
    for (const r of rows.filter((row) => row.orphaned)) console.error(`!! ${r.stack} (REMOVED) is ${RETIRE}.`);
    for (const warning of warnings) console.error(`warning: ${warning}`);
    return;
  }
  const result = await stackStateCommand(target, first, command ?? "list", address);
  if (result.orphaned) console.error(`!! ${first} is ${RETIRE}.`);
  process.stdout.write(result.output);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
