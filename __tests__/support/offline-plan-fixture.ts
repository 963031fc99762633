import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { StackResult, TerraformPlanJson } from "../../lib/tooling/terraform/stack-runner";

/**
 * The suite plans the fixture configs ONCE, in jest's globalSetup (__tests__/global-setup.ts),
 * through the commands' own runner, with the real terraform and provider, offline. Tests read
 * the result from here. One folder per checkout, so that two checkouts never share plans.
 */
export const FIXTURE_ROOT = path.join(
  os.tmpdir(),
  `s3-backup-offline-plans-${createHash("sha256").update(path.resolve(__dirname, "../..")).digest("hex").slice(0, 12)}`,
);

export type FixtureName = "example" | "all-options";

/** One stack's offline plan counts, as the runner reports them. */
export type PlanCounts = Pick<StackResult, "stack" | "add" | "change" | "destroy" | "import">;

/** One stack's offline plan: its counts and `terraform show -json` of the saved plan. */
export type PlanSummary = PlanCounts & { readonly plan: TerraformPlanJson };

/** What `npm run plan:offline` printed when the global setup ran it on the example, as the README shows it. */
export interface RecordedCommand {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function fixtureOutdir(name: FixtureName): string {
  return path.join(FIXTURE_ROOT, name);
}

export function fixtureStackDir(name: FixtureName, stack: string): string {
  return path.join(fixtureOutdir(name), "stacks", stack);
}

function readFixture<T>(file: string): T {
  const full = path.join(FIXTURE_ROOT, file);
  if (!fs.existsSync(full)) throw new Error(`${full} is missing: run the tests through jest, whose globalSetup plans the fixtures`);
  return JSON.parse(fs.readFileSync(full, "utf8")) as T;
}

/** Plan summaries of the planned example, with each plan's JSON. */
export function loadOfflinePlans(name: "example"): PlanSummary[] {
  return readFixture<PlanSummary[]>(`${name}-summaries.json`);
}

/** Plan counts of a planned fixture config. */
export function loadPlanCounts(name: FixtureName): PlanCounts[] {
  return readFixture<PlanCounts[]>(`${name}-summaries.json`);
}

export function loadRecordedPlanCommand(): RecordedCommand {
  return readFixture<RecordedCommand>("example-plan-command.json");
}

/**
 * What a stack's plan log (written by the runner) shows of its configuration's validity:
 * `terraform plan` validates the configuration against the provider's schema before it
 * plans, so a plan made with hashicorp/aws 5.100.0 that printed no error and no warning is
 * what `terraform validate` would have said, without a second start of the provider.
 */
export function planLogVerdict(stackDir: string): { provider: string | undefined; planned: boolean; diagnostics: string[] } {
  const log = fs.readFileSync(path.join(stackDir, "plan.log"), "utf8");
  return {
    // A cold plugin cache installs the provider ("Installed"); a warm one reuses it ("Using").
    provider: /(?:Using|Installed) hashicorp\/aws (v[\d.]+)/.exec(log)?.[1],
    planned: /^(Plan: \d+ to add, \d+ to change, \d+ to destroy|No changes\.)/m.test(log),
    diagnostics: log.split("\n").filter((line) => /^\W*(Error|Warning):/.test(line)),
  };
}
