import * as fs from "fs";
import * as path from "path";
import { config as exampleConfig } from "../accounts";
import { config as allOptionsConfig } from "../examples/all-options";
import type { BackupConfig } from "../src/config/types";
import { requireTerraform } from "../src/terraform/cli";
import { planAllOffline } from "../src/terraform/offline-plan";
import { FIXTURE_ROOT, FixtureName, fixtureOutdir } from "./support/offline-plan-fixture";

/** Plans both example configs offline once for the whole suite (real terraform, real provider). */
export default async function globalSetup(): Promise<void> {
  requireTerraform();
  // For quick local iterations only: reuse plans made by an earlier run. CI never sets it.
  if (process.env.REUSE_PLAN_FIXTURE === "1" && fs.existsSync(path.join(fixtureOutdir("all-options"), "summaries.json"))) return;
  fs.rmSync(FIXTURE_ROOT, { recursive: true, force: true });
  const fixtures: [FixtureName, BackupConfig][] = [
    ["example", exampleConfig],
    ["all-options", allOptionsConfig],
  ];
  for (const [name, config] of fixtures) {
    const outdir = fixtureOutdir(name);
    const summaries = await planAllOffline(config, { outdir });
    fs.writeFileSync(path.join(outdir, "summaries.json"), JSON.stringify(summaries));
  }
}
