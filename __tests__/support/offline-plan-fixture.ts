import * as fs from "fs";
import * as path from "path";
import type { PlanSummary } from "../../src/terraform/offline-plan";

/**
 * The suite plans the example configs ONCE, in jest's globalSetup (__tests__/global-setup.ts),
 * with the real terraform and provider, offline. Tests read the result from here.
 */
export const FIXTURE_ROOT = path.resolve(__dirname, "../../node_modules/.cache/s3-backup-offline-plans");

export type FixtureName = "example" | "all-options";

export function fixtureOutdir(name: FixtureName): string {
  return path.join(FIXTURE_ROOT, name);
}

export function fixtureStackDir(name: FixtureName, stack: string): string {
  return path.join(fixtureOutdir(name), "stacks", stack);
}

/** Plan summaries (with `terraform show -json` of each saved plan) of a planned example config. */
export function loadOfflinePlans(name: FixtureName): PlanSummary[] {
  const file = path.join(fixtureOutdir(name), "summaries.json");
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run the tests through jest, whose globalSetup plans the examples`);
  return JSON.parse(fs.readFileSync(file, "utf8")) as PlanSummary[];
}
