/**
 * npm run state -- summary
 * npm run state -- <stack> list | show <address> | outputs
 * Runs Terraform against the right stack directory and backend (from accounts.ts).
 */
import * as path from "path";
import { config } from "../accounts";
import { stackStateCommand, stateSummary } from "../lib/ci/state";
import { requireTerraform } from "../lib/terraform/cli";

const target = { config, outdir: path.resolve(__dirname, "..", "cdktf.out") };
const [first, command, address] = process.argv.slice(2);

async function main(): Promise<void> {
  requireTerraform();
  if (!first) throw new Error("Usage: npm run state -- summary | <stack> list | <stack> show <address> | <stack> outputs");
  if (first === "summary") {
    const rows = await stateSummary(target);
    console.log(`${"stack".padEnd(24)}${"resources".padStart(10)}${"serial".padStart(8)}  last modified`);
    for (const r of rows) {
      console.log(`${r.stack.padEnd(24)}${String(r.resources).padStart(10)}${String(r.serial ?? "-").padStart(8)}  ${r.lastModified?.toISOString() ?? "-"}`);
    }
    return;
  }
  process.stdout.write(await stackStateCommand(target, first, command ?? "list", address));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
