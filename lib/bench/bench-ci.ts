/**
 * The CI section of npm run bench (also alone: npm run bench -- --ci-only): what a workflow
 * run costs as the organization grows. All times are measured in this run, on this machine,
 * and compared as ratios.
 *  - every-stack change (a provider bump): matrix jobs per phase and synths per run, at N = 10, 1,000, 5,000;
 *  - the pull-request path of adding one account: changed-stacks + offline plan of the new
 *    stack, against bare `terraform init` + `plan` of the same synthesized stack;
 *  - one shard runner's offline plan throughput at N = 100, at parallelism 1, 2 and 4, and
 *    from it the estimated wall time of an org-wide plan at N = 1,000 on 20 runners.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { writeConfigFile } from "./config-file";
import { fmt, table } from "./format";
import { syntheticConfig } from "./synthetic-config";
import { projectCopy } from "./temp-repo";
import { DEFAULT_MAX_SHARDS, shardPlan } from "../tooling/ci/shards";
import { stackInputs } from "../../stacks/stack-inputs";
import { INIT_ARGS, initStack, terraformBinary, terraformEnv } from "../tooling/terraform/cli";
import { typescriptEntryArgs } from "../tooling/ci/typescript-entry";
import { validateConfig } from "../core/config/validate";
import { defineCommand, runCli } from "../cli/command";
import { PROJECT_ROOT } from "../core/project-root";

const ROOT = PROJECT_ROOT;
const PR_SIZES = [10, 1000, 5000];
const THROUGHPUT_MEMBERS = 100;
const THROUGHPUT_STACKS = 16;
const NEW_ACCOUNT = "555555555555";

function runTsx(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, typescriptEntryArgs(args[0], args.slice(1)), {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...env },
    maxBuffer: 64 << 20,
  });
  if (result.status !== 0 && !(result.status === 1 && args.includes("drift"))) {
    throw new Error(`${args.join(" ")} failed (exit ${result.status}):\n${result.stderr}`);
  }
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Steps across both workflows that synthesize (npm run synth), by job: the synths of one run. */
function synthSteps(): { workflow: string; job: string }[] {
  return ["backup.yml", "drift.yml"].flatMap((file) => {
    const wf = yaml.safeLoad(fs.readFileSync(path.join(ROOT, ".github/workflows", file), "utf8")) as { jobs: Record<string, { steps: { run?: string }[] }> };
    return Object.entries(wf.jobs).flatMap(([job, j]) =>
      j.steps.filter((s) => /npm run --silent synth\b/.test(s.run ?? "")).map(() => ({ workflow: file, job })),
    );
  });
}

/** `changed-stacks --base HEAD~1 --json` in a repository: how long it took and the stacks it listed as touched. */
function timedChangedStacks(dir: string): { ms: number; listed: string } {
  const started = process.hrtime.bigint();
  const changed = spawnSync(process.execPath, typescriptEntryArgs("lib/cli/changed-stacks.ts", ["--base", "HEAD~1", "--json"]), {
    cwd: dir,
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const report = JSON.parse(changed.stdout) as { added: string[]; changed: string[]; removed: string[]; method: string };
  const listed = [...report.added.map((s) => `+${s}`), ...report.changed.map((s) => `~${s}`), ...report.removed.map((s) => `-${s}`)];
  return { ms, listed: `${listed.join(" ")} (${report.method})` };
}

interface PullRequestTimes {
  readonly changedMs: number;
  /** npm run check --base HEAD~1: validation, every stack built (policy sizes), replacements against the base. */
  readonly checkMs: number;
  readonly planMs: number;
  readonly bareMs: number;
  readonly listed: string;
  /** changed-stacks for a removed member, then for an edited one. */
  readonly removeMs: number;
  readonly editMs: number;
}

/**
 * Adding one account at N members, as a pull request does: changed-stacks, then the offline
 * plan of the new stack; then changed-stacks for removing one member and editing another.
 */
function pullRequestPath(n: number): PullRequestTimes {
  const repo = projectCopy(ROOT, "s3-backup-bench-pr-");
  try {
    const accounts = path.join(repo.dir, "accounts.ts");
    const base = syntheticConfig(n);
    writeConfigFile(accounts, base);
    repo.git("commit", "-qam", `${n} members`);
    writeConfigFile(accounts, { ...base, members: [...base.members, { accountId: NEW_ACCOUNT, name: "new-team" }] });
    repo.git("commit", "-qam", "add one account");

    const added = timedChangedStacks(repo.dir);
    const checkMs = runTsx(repo.dir, ["lib/cli/check.ts", "--base", "HEAD~1"]);

    const stack = `member-${NEW_ACCOUNT}`;
    const planMs = runTsx(repo.dir, ["lib/cli/run-stacks.ts", "plan:offline", stack]);
    // Bare Terraform on the very stack directory plan:offline synthesized: a fresh init and a plan.
    const dir = path.join(repo.dir, "cdktf.out", "stacks", stack);
    fs.rmSync(path.join(dir, ".terraform"), { recursive: true, force: true });
    const bare = process.hrtime.bigint();
    const init = spawnSync(terraformBinary(), [...INIT_ARGS], { cwd: dir, env: terraformEnv() });
    const plan = spawnSync(terraformBinary(), ["plan", "-input=false", "-refresh=false", "-lock=false"], { cwd: dir, env: terraformEnv() });
    if (init.status !== 0 || plan.status !== 0) throw new Error(`bare terraform failed in ${dir}`);
    const bareMs = Number(process.hrtime.bigint() - bare) / 1e6;

    // Remove the first member, then edit the (new) first one.
    const [, second, ...others] = base.members;
    writeConfigFile(accounts, { ...base, members: [second, ...others, { accountId: NEW_ACCOUNT, name: "new-team" }] });
    repo.git("commit", "-qam", "remove one account");
    const removed = timedChangedStacks(repo.dir);
    writeConfigFile(accounts, { ...base, members: [{ ...second, storageClass: "GLACIER_IR" }, ...others, { accountId: NEW_ACCOUNT, name: "new-team" }] });
    repo.git("commit", "-qam", "edit one account");
    const edited = timedChangedStacks(repo.dir);
    return {
      changedMs: added.ms,
      checkMs,
      planMs,
      bareMs,
      listed: `${added.listed}; ${removed.listed}; ${edited.listed}`,
      removeMs: removed.ms,
      editMs: edited.ms,
    };
  } finally {
    fs.rmSync(repo.dir, { recursive: true, force: true });
  }
}

/** Stacks per minute one shard runner plans offline at each parallelism (the same synthesized stacks each time). */
async function shardThroughput(): Promise<Map<number, number>> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-bench-shard-"));
  const env = { S3_BACKUP_CONFIG: writeConfigFile(path.join(work, "accounts.ts"), syntheticConfig(THROUGHPUT_MEMBERS)), CDKTF_OUTDIR: path.join(work, "out") };
  try {
    runTsx(ROOT, ["lib/cli/synth.ts", "--offline"], env);
    const stacks = fs
      .readdirSync(path.join(env.CDKTF_OUTDIR, "stacks"))
      .filter((s) => s !== "central")
      .slice(0, THROUGHPUT_STACKS);
    // Warm the provider cache, so no parallelism pays for the first copy.
    await initStack(path.join(env.CDKTF_OUTDIR, "stacks", "central"));
    const perMinute = new Map<number, number>();
    for (const parallelism of [1, 2, 4]) {
      for (const s of stacks) fs.rmSync(path.join(env.CDKTF_OUTDIR, "stacks", s, ".terraform"), { recursive: true, force: true });
      const ms = runTsx(ROOT, ["lib/cli/run-stacks.ts", "plan:offline", "--skip-synth", "--parallelism", String(parallelism), ...stacks], env);
      perMinute.set(parallelism, (stacks.length * 60_000) / ms);
    }
    return perMinute;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Jobs per workflow run at each size: the matrix of every-stack plans and deploys. */
function printMatrix(): void {
  const synths = synthSteps();
  console.log(
    `Synth steps per workflow run: ${synths.map((s) => `${s.workflow} ${s.job}`).join(", ")} (one per workflow); plan and deploy jobs run --skip-synth on its artifact.`,
  );
  const matrixRows = PR_SIZES.map((n) => {
    const all = [...stackInputs(validateConfig(syntheticConfig(n))).keys()];
    const plan = shardPlan(all, DEFAULT_MAX_SHARDS);
    const largest = Math.max(...plan.plan.map((s) => s.count));
    return [n, all.length, plan.plan.length, `${plan.deployCentral ? 1 : 0} + ${plan.deployMembers.length}`, largest, 1];
  });
  table(
    ["members", "stacks", "plan jobs (every-stack change)", "deploy jobs (central + member shards)", "stacks per shard (max)", "synths per run"],
    matrixRows,
  );
}

/** A pull request that adds one account, at each size, against bare terraform. */
function printPullRequestPath(): void {
  const prRows: (string | number)[][] = [];
  const listings: string[] = [];
  for (const n of PR_SIZES) {
    console.error(`… pull request path at ${n} members (a git repository, changed-stacks, plan:offline, bare terraform)`);
    const r = pullRequestPath(n);
    const ratio = (r.changedMs + r.planMs) / r.bareMs;
    const verdict = ratio <= 1.5 ? "met 1.5× target" : ratio <= 2 ? "met 2× limit" : "MISSED 2× limit";
    prRows.push([
      n,
      fmt.s(r.changedMs),
      fmt.s(r.planMs),
      fmt.s(r.bareMs),
      `${fmt.ratio(ratio)} (${verdict})`,
      `${fmt.s(r.removeMs)} / ${fmt.s(r.editMs)}`,
      fmt.s(r.checkMs),
    ]);
    listings.push(`${n}: ${r.listed}`);
  }
  console.log(
    "\nPull request that adds one account (same run): changed-stacks --base HEAD~1, then npm run plan:offline -- <new stack>, against bare terraform init + plan of that stack:",
  );
  table(
    [
      "members",
      "changed-stacks (add)",
      "plan:offline (synth + init + plan)",
      "bare init + plan",
      "ratio",
      "changed-stacks (remove / edit)",
      "npm run check (add)",
    ],
    prRows,
  );
  console.log(`Listed (+ added, ~ changed, - removed; add; remove; edit):\n${listings.map((l) => `  ${l}`).join("\n")}`);
}

export async function benchCi(): Promise<void> {
  console.log(`\n## CI at scale (max shards ${DEFAULT_MAX_SHARDS}, GitHub's matrix limit 256)`);
  printMatrix();
  printPullRequestPath();
  console.error(`… offline plans of ${THROUGHPUT_STACKS} stacks at parallelism 1, 2 and 4`);
  const perMinute = await shardThroughput();
  console.log(`\nOne shard runner, offline plans of ${THROUGHPUT_STACKS} member stacks of a ${THROUGHPUT_MEMBERS}-member config, ${os.cpus().length} cores:`);
  table(
    ["parallelism", "stacks per minute"],
    [...perMinute].map(([p, spm]) => [p, spm.toFixed(1)]),
  );
  const [bestParallelism, best] = [...perMinute].reduce((a, b) => (b[1] > a[1] ? b : a));
  const perShard = Math.ceil(1001 / DEFAULT_MAX_SHARDS);
  const minutes = perShard / best;
  console.log(
    `Estimated org-wide plan at 1,000 members on ${DEFAULT_MAX_SHARDS} runners like this one: ${perShard} stacks per shard at ${best.toFixed(1)} stacks/min ` +
      `(parallelism ${bestParallelism}) = ${minutes.toFixed(1)} min of plans per runner, plus one synth and each runner's npm ci and provider download.`,
  );
}

const BENCH_CI = defineCommand({
  name: "bench-ci",
  usage: "node --require tsx/cjs lib/bench/bench-ci.ts   (or npm run bench -- --ci-only)",
  summary: "The CI section of npm run bench: matrix jobs per phase, the pull-request path of adding one account, one shard runner's throughput.",
  options: {},
  example: "npm run bench -- --ci-only",
});

if (require.main === module) runCli(BENCH_CI, benchCi);
