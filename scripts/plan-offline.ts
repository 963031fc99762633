/**
 * npm run plan:offline — OFFLINE MODE. Synthesizes every stack with fake credentials and
 * the provider's skip_* flags (no STS, no AWS API call, no network), then runs the real
 * `terraform init` + `terraform plan` against hashicorp/aws 5.100.0 for each stack, two at
 * a time. It proves the configuration is valid and what would be created; it cannot prove
 * that AWS accepts it (see the README).
 */
import * as path from "path";
import { config } from "../accounts";
import { TerraformMissingError, requireTerraform } from "../lib/terraform/cli";
import { PlanSummary, planAllOffline } from "../lib/terraform/offline-plan";
import { ConfigError } from "../lib/validate";
import { PolicySizeError } from "../lib/policies/size-limits";

const outdir = path.resolve(__dirname, "..", "cdktf.out");

function row(cells: (string | number)[]): string {
  const [stack, ...counts] = cells;
  return String(stack).padEnd(24) + counts.map((c) => String(c).padStart(9)).join("");
}

async function main(): Promise<void> {
  const version = requireTerraform();
  console.log(`OFFLINE MODE: fake credentials, no AWS calls, no state written. Terraform ${version}, hashicorp/aws 5.100.0.`);
  const started = Date.now();
  console.log(row(["stack", "add", "change", "destroy", "import"]));
  const summaries = await planAllOffline(config, {
    outdir,
    onStackDone: (s: PlanSummary) => console.log(row([s.stack, s.add, s.change, s.destroy, s.import])),
  });
  const total = (key: "add" | "change" | "destroy" | "import") => summaries.reduce((sum, s) => sum + s[key], 0);
  console.log(row([`TOTAL (${summaries.length} stacks)`, total("add"), total("change"), total("destroy"), total("import")]));
  for (const member of config.members.filter((m) => m.existingBucket)) {
    console.log(`Note: member-${member.accountId} adopts ${member.existingBucket!.bucketName} with import blocks; offline mode cannot read it from AWS, so its plan shows a create. Run npm run plan for the real import plan.`);
  }
  console.log(`Planned in ${((Date.now() - started) / 1000).toFixed(1)} s. Plans saved as ${path.relative(process.cwd(), outdir)}/stacks/<stack>/offline.tfplan.`);
}

main().catch((error: unknown) => {
  if (error instanceof TerraformMissingError || error instanceof ConfigError || error instanceof PolicySizeError) {
    console.error(error.message);
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
