/**
 * npm run plan / npm run deploy — REAL mode: runs the cdktf CLI with the project's
 * Terraform CLI config, against AWS, assuming the deploy role in each account.
 *   npm run plan -- <stack>            e.g. npm run plan -- member-222222222222
 *   npm run deploy -- <stack...>       e.g. npm run deploy -- central 'member-*'
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { OFFLINE_MODE_ENV } from "../lib/offline-mode";
import { TerraformMissingError, requireTerraform, terraformEnv } from "../lib/terraform/cli";

const [command, ...args] = process.argv.slice(2);
try {
  requireTerraform();
} catch (error) {
  console.error(error instanceof TerraformMissingError ? error.message : error);
  process.exit(1);
}
const env = terraformEnv();
// Real mode is never offline, whatever the caller's shell has set.
delete env[OFFLINE_MODE_ENV];
const cdktf = path.resolve(__dirname, "..", "node_modules", ".bin", "cdktf");
const result = spawnSync(cdktf, [command, ...args], { stdio: "inherit", env });
process.exit(result.status ?? 1);
