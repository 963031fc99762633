import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { synthesize } from "../stacks/apps/backup-app";
import { mapWithConcurrency } from "../lib/core/pool";
import { LOCK_FILE } from "../stacks/apps/lock-file";
import { initStack, requireTerraform } from "../lib/tooling/terraform/cli";
import { runStacks, showSavedPlan, StackResult } from "../lib/tooling/terraform/stack-runner";
import { exampleProjectCopy } from "./support/example-project";
import { spawnCollect } from "./support/spawn-collect";
import { FIXTURE_ROOT, FixtureName, PlanCounts, PlanSummary, fixtureOutdir } from "./support/offline-plan-fixture";
import { config as allOptionsConfig } from "./fixtures/all-options";

/**
 * Plans both fixture configs offline once for the whole suite, through the runner the
 * commands use: the example exactly as the README's first command does (spawned in a copy of
 * the project whose accounts.ts is the example), the all-options config through the same
 * runner called directly. Saved: the command's output, each plan's JSON, the stack folders.
 */
export default async function globalSetup(): Promise<void> {
  requireTerraform();
  // For quick local iterations only: reuse plans made by an earlier run. CI never sets it.
  if (process.env.REUSE_PLAN_FIXTURE === "1" && fs.existsSync(path.join(FIXTURE_ROOT, "all-options-summaries.json"))) return;
  fs.rmSync(FIXTURE_ROOT, { recursive: true, force: true });
  fs.mkdirSync(FIXTURE_ROOT, { recursive: true });
  await fillPluginCache();
  // Side by side: the spawned command and the runner each keep one core busy.
  await Promise.all([planExampleAsTheReadmeDoes(), planAllOptions()]);
}

/**
 * One `terraform init` alone before the two plans run side by side: on a fresh machine the
 * shared plugin cache is empty, and Terraform's CLI configuration documentation says the
 * cache is not guaranteed to be safe for concurrent `terraform init` runs (checked against
 * the documentation, not reproduced here). Each runner already inits its first stack alone;
 * with the cache filled first, the two runners' first inits only link what is cached.
 */
async function fillPluginCache(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-plugin-cache-"));
  const lock = fs.readFileSync(LOCK_FILE, "utf8");
  const version = /provider "registry\.terraform\.io\/hashicorp\/aws" \{\s*version\s*=\s*"([^"]+)"/.exec(lock)![1];
  try {
    fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version } } } }));
    fs.copyFileSync(LOCK_FILE, path.join(dir, ".terraform.lock.hcl"));
    await initStack(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The all-options config through the runner; its tests read the counts only, so no `terraform show`. */
async function planAllOptions(): Promise<void> {
  const outdir = fixtureOutdir("all-options");
  const stacks = synthesize(allOptionsConfig, { offline: true, outdir });
  const results = requireAllPlanned("all-options", await runStacks(stacks, { outdir, action: "plan", offline: true, parallelism: 2 }));
  fs.writeFileSync(path.join(FIXTURE_ROOT, "all-options-summaries.json"), JSON.stringify(results.map(countsOf)));
}

const countsOf = (r: PlanCounts): PlanCounts => ({ stack: r.stack, add: r.add, change: r.change, destroy: r.destroy, import: r.import });

async function planExampleAsTheReadmeDoes(): Promise<void> {
  const copy = exampleProjectCopy("s3-backup-fixture-");
  try {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_") && k !== "S3_BACKUP_CONFIG" && k !== "CDKTF_OUTDIR"));
    const run = await spawnCollect("bash", ["-c", "npm run plan:offline"], { cwd: copy.dir, env: { ...env, AWS_EC2_METADATA_DISABLED: "true" } });
    const recorded = { status: run.status, stdout: run.stdout, stderr: run.stderr };
    fs.writeFileSync(path.join(FIXTURE_ROOT, "example-plan-command.json"), JSON.stringify(recorded));
    if (run.status !== 0) throw new Error(`npm run plan:offline failed on the example:\n${run.stderr}`);
    // Terraform's provider links are absolute, so the planned stacks can move out of the copy.
    fs.renameSync(path.join(copy.dir, "cdktf.out"), fixtureOutdir("example"));
  } finally {
    fs.rmSync(copy.dir, { recursive: true, force: true });
  }
  await saveSummaries("example", printedCounts(recordedStdout()));
}

function recordedStdout(): string {
  return (JSON.parse(fs.readFileSync(path.join(FIXTURE_ROOT, "example-plan-command.json"), "utf8")) as { stdout: string }).stdout;
}

/** The counts `npm run plan:offline` printed per stack, read back from its table. */
function printedCounts(stdout: string): PlanCounts[] {
  const rows = [...stdout.matchAll(/^(central|member-\d{12})\s+(?:changes|no changes)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/gm)];
  return rows.map((m) => ({ stack: m[1], add: Number(m[2]), change: Number(m[3]), destroy: Number(m[4]), import: Number(m[5]) }));
}

function requireAllPlanned(name: FixtureName, results: readonly StackResult[]): readonly StackResult[] {
  const failed = results.filter((r) => r.outcome === "failed");
  if (failed.length > 0) throw new Error(`offline plan of the ${name} fixture failed:\n${failed.map((r) => `${r.stack}: ${r.detail}`).join("\n")}`);
  return results;
}

async function saveSummaries(name: FixtureName, counts: readonly PlanCounts[]): Promise<void> {
  const summaries: PlanSummary[] = await mapWithConcurrency(counts, 2, async (c) => ({
    ...countsOf(c),
    plan: await showSavedPlan(path.join(fixtureOutdir(name), "stacks", c.stack)),
  }));
  fs.writeFileSync(path.join(FIXTURE_ROOT, `${name}-summaries.json`), JSON.stringify(summaries));
}
