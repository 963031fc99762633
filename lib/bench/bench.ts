/**
 * npm run bench [-- --quick | --max <members>] [--runs <n>] [--compare-source-maps] [--skip-terraform]
 *
 * How the project scales with the number of member accounts: synth time and peak memory
 * (each synth in its own process, like main.ts), policy sizes against AWS's limits, stacks
 * changed per added member, and Terraform init/plan/disk with the shared plugin cache.
 * Prints numbers and verdicts; asserts nothing (no timing is ever part of a test).
 *   --max <n>               largest size (default 1000: sizes 10, 100, 1000); --quick = --max 100
 *   --runs <n>              synth runs per size, the median is shown (default 3)
 *   --compare-source-maps   also synthesize the largest size with Node's source maps on (before the fix)
 *   --skip-terraform        skip the Terraform part (N = 100 init, plan, disk)
 *   --ci-only / --skip-ci   only / not the CI section (lib/bench/bench-ci.ts: shards, pull-request path, shard throughput)
 *   --restore-only          only the restore section (lib/bench/restore-bench.ts: selection over 1,000,000 versions, copy throughput)
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { fmt, median, table, timed } from "./format";
import { benchCi } from "./bench-ci";
import { restoreBench } from "./restore-bench";
import { syntheticConfig } from "./synthetic-config";
import { awsPolicySize, changedStacks, diskUsageBytes, policiesOf, providerCopies, readStack, readStackText, stacksOf } from "./measure";
import { CentralPolicyInput, centralBucketPolicy, centralKeyPolicy } from "../infra/policies/central-policies";
import { POLICY_LIMITS, UNRESOLVED_REFERENCE_LENGTH, policySize } from "../infra/policies/size-limits";
import { mapWithConcurrency } from "../core/pool";
import { requireTerraform, initStack } from "../tooling/terraform/cli";
import { runStacks, showSavedPlan } from "../tooling/terraform/stack-runner";
import { typescriptEntryArgs } from "../tooling/ci/typescript-entry";
import { validateConfig } from "../core/config/validate";
import { defineCommand, runCli, wholeNumber } from "../cli/command";
import type { OptionValues } from "../cli/command";
import { PROJECT_ROOT } from "../core/project-root";

const ROOT = PROJECT_ROOT;
const GNU_TIME = "/usr/bin/time";
let gnuTime: boolean | undefined;
/** Whether GNU time is there to measure the peak RSS of a whole synth (asked once, when the bench starts). */
const hasGnuTime = () => (gnuTime ??= fs.existsSync(GNU_TIME) && spawnSync(GNU_TIME, ["-v", "true"]).status === 0);

const BENCH = defineCommand({
  name: "bench",
  usage: "npm run bench -- [--quick | --max <members>] [--runs <n>] [--compare-source-maps] [--skip-terraform] [--ci-only | --skip-ci | --restore-only]",
  summary: "Measures how the project scales with the number of member accounts (synth, policies, Terraform, CI). Prints numbers; asserts nothing.",
  options: {
    quick: { type: "boolean", description: "10 and 100 members only (--max 100)" },
    max: { type: "string", valueName: "<members>", description: "largest size (default 1000: sizes 10, 100, 1000)", parse: wholeNumber(1, 100_000) },
    runs: { type: "string", valueName: "<n>", description: "synth runs per size, the median is shown (default 3)", parse: wholeNumber(1, 100) },
    "compare-source-maps": { type: "boolean", description: "also synthesize the largest size with Node's source maps on (before the fix)" },
    "skip-terraform": { type: "boolean", description: "skip the Terraform part (N = 100 init, plan, disk)" },
    "ci-only": { type: "boolean", description: "only the CI section (shards, pull-request path, shard throughput)" },
    "skip-ci": { type: "boolean", description: "everything but the CI section" },
    "restore-only": { type: "boolean", description: "only the restore section (version selection over 1,000,000 versions, copy throughput)" },
  },
  example: "npm run bench -- --quick --skip-terraform",
});
type BenchOptions = OptionValues<typeof BENCH.options>;

const TF_MEMBERS = 100;
const TARGET = { wallMs: 20_000, rssBytes: 2 * 2 ** 30, atMembers: 1000 };
let work: string | undefined;
/** The bench's scratch directory, made when the first synth needs it. */
const workDir = () => (work ??= fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-bench-")));

interface SynthRun {
  readonly outdir: string;
  readonly wallMs: number;
  readonly buildMs: number;
  readonly synthMs: number;
  /** Peak RSS of the largest process of the synth (GNU time -v), else as the synth process reports it. */
  readonly peakRssBytes: number;
  /** Set when synth stopped with a PolicySizeError. */
  readonly refused?: string;
}

/** One synth in a child process, started as the npm scripts start their commands (node with tsx's CommonJS hook). */
function synth(members: number, name: string, flags: string[] = []): SynthRun {
  const outdir = path.join(workDir(), name);
  const command = [process.execPath, ...typescriptEntryArgs("lib/bench/bench-synth.ts", [String(members), outdir, ...flags])];
  const started = process.hrtime.bigint();
  const result = hasGnuTime()
    ? spawnSync(GNU_TIME, ["-v", ...command], { cwd: ROOT, encoding: "utf8", maxBuffer: 16 << 20 })
    : spawnSync(command[0], command.slice(1), { cwd: ROOT, encoding: "utf8", maxBuffer: 16 << 20 });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`synth of ${members} members failed:\n${result.stderr}`);
  const child = JSON.parse(result.stdout) as { buildMs?: number; synthMs?: number; maxRssBytes: number; refused?: string };
  const timeRss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr ?? "");
  return {
    outdir,
    wallMs,
    buildMs: child.buildMs ?? NaN,
    synthMs: child.synthMs ?? NaN,
    peakRssBytes: timeRss ? Number(timeRss[1]) * 1024 : child.maxRssBytes,
    refused: child.refused,
  };
}

const remove = (dir: string) => fs.rmSync(dir, { recursive: true, force: true });
/** Sizes of every policy that could grow with N, read from a synthesized outdir. */
function synthesizedPolicySizes(outdir: string) {
  const central = policiesOf(readStack(outdir, "central"));
  const firstMember = stacksOf(outdir).find((s) => s.startsWith("member-"))!;
  const member = policiesOf(readStack(outdir, firstMember));
  const roleTotal = (suffix: string) => {
    const role = [...member.inlineByRole.values()].find((ps) => ps.some((p) => p.name.endsWith(suffix))) ?? [];
    return role.reduce((sum, p) => sum + awsPolicySize(p.policy), 0);
  };
  return {
    centralBucketText: central.bucketPolicies.join("\n"),
    centralKeyText: central.keyPolicies.join("\n"),
    centralBucket: awsPolicySize(central.bucketPolicies[0]),
    centralKey: awsPolicySize(central.keyPolicies[0]),
    replicationRole: roleTotal("-replication-permissions"),
    batchRole: roleTotal("-batch-permissions"),
    firstMember,
    firstMemberText: readStackText(outdir, firstMember),
  };
}

/** Listed-accounts mode's central policy sizes, from the pure functions the central stack calls. */
function listedSizes(n: number): { bucket: number; key: number } {
  const resolved = validateConfig(syntheticConfig(n, { accessMode: "listed-accounts" }));
  const input: CentralPolicyInput = {
    organizationId: resolved.organizationId,
    central: resolved.central,
    memberAccountIds: resolved.members.map((m) => m.accountId),
  };
  return { bucket: policySize(centralBucketPolicy(input)), key: policySize(centralKeyPolicy(input)) };
}

/** Largest member count whose listed-accounts policy of this kind still fits (sizes grow monotonically). */
function lastFitting(kind: "bucket" | "key", limit: number): number {
  let lo = 1;
  let hi = 1;
  while (listedSizes(hi)[kind] <= limit) hi *= 2;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (listedSizes(mid)[kind] <= limit) lo = mid;
    else hi = mid;
  }
  return lo;
}

function machine(terraformVersion: string): string {
  const cpus = os.cpus();
  const version = (pkg: string) => (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
  return [
    `Machine: ${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ${fmt.bytes(os.totalmem())} RAM, ${os.type()} ${os.release()}`,
    `Versions: node ${process.version}, terraform ${terraformVersion}, cdktf ${version("cdktf")}, @cdktf/provider-aws ${version("@cdktf/provider-aws")}, tsx ${version("tsx")}`,
  ].join("\n");
}

type SynthMedians = Map<number, { wallMs: number; workMs: number; rssBytes: number }>;

/** 1. Synth, organization mode: time, memory, policies, stacks changed by one more member. */
function synthSection(SIZES: number[], RUNS: number): SynthMedians {
  const synthRows: (string | number)[][] = [];
  const policyRows: (string | number)[][] = [];
  const medians = new Map<number, { wallMs: number; workMs: number; rssBytes: number }>();
  const centralTexts = new Set<string>();
  const memberTexts = new Set<string>();
  const changedCounts: number[] = [];
  let firstMember = "";
  for (const n of SIZES) {
    // Synths run in child processes one after the other: say what the silence is.
    console.error(`… synthesizing ${n} members ${RUNS + 1} times`);
    const runs = Array.from({ length: RUNS }, (_, r) => synth(n, `org-${n}-run${r}`));
    const plusOne = synth(n + 1, `org-${n}-plus-one`);
    const changed = changedStacks(runs[0].outdir, plusOne.outdir);
    changedCounts.push(changed.length);
    const sizes = synthesizedPolicySizes(runs[0].outdir);
    centralTexts.add(`${sizes.centralBucketText}\n${sizes.centralKeyText}`);
    memberTexts.add(sizes.firstMemberText);
    firstMember = sizes.firstMember;
    [...runs, plusOne].forEach((run) => remove(run.outdir));

    const walls = runs.map((r) => r.wallMs);
    const m = { wallMs: median(walls), workMs: median(runs.map((r) => r.buildMs + r.synthMs)), rssBytes: Math.max(...runs.map((r) => r.peakRssBytes)) };
    medians.set(n, m);
    synthRows.push([
      n,
      `${fmt.s(m.wallMs)} (${fmt.s(Math.min(...walls))}-${fmt.s(Math.max(...walls))})`,
      `${fmt.s(median(runs.map((r) => r.buildMs)))} + ${fmt.s(median(runs.map((r) => r.synthMs)))}`,
      `${(m.workMs / n).toFixed(1)} ms`,
      fmt.bytes(m.rssBytes),
      `${changed.length}${changed.length === 1 ? "" : " MISSED"} (${changed.join(", ")})`,
    ]);
    policyRows.push([
      n,
      fmt.of(sizes.centralBucket, POLICY_LIMITS.bucketPolicy.limit),
      fmt.of(sizes.centralKey, POLICY_LIMITS.keyPolicy.limit),
      fmt.of(sizes.replicationRole, POLICY_LIMITS.roleInlinePolicies.limit),
      fmt.of(sizes.batchRole, POLICY_LIMITS.roleInlinePolicies.limit),
    ]);
  }
  console.log("Synth, organization mode (wall: whole child process incl. tsx start-up, median (min-max); build + write: in process):");
  table(["members", "synth wall", "build + write", "build+write per member", "peak RSS", "stacks changed by +1 member"], synthRows);

  printScaling(medians, SIZES[SIZES.length - 1]);
  console.log(`Stacks changed by one added member: ${changedCounts.every((c) => c === 1) ? "exactly 1 at every N" : "MISSED: not 1 at every N"}.`);

  console.log(
    `\nPolicy sizes as AWS counts them (read from the synthesized JSON, $\${ counted as \${, Terraform references at ${UNRESOLVED_REFERENCE_LENGTH} chars), organization mode:`,
  );
  table(
    ["members", "central bucket policy / 20 KB", "central key policy / 32 KB", `${firstMember} replication role inline / 10,240`, "batch role inline / 10,240"],
    policyRows,
  );
  console.log(
    `Central bucket and key policies byte-identical at every N: ${centralTexts.size === 1 ? "yes" : "NO"}. ${firstMember}'s whole cdk.tf.json identical at every N: ${memberTexts.size === 1 ? "yes" : "NO"}.`,
  );

  return medians;
}

/** How the synth's wall time grows per member, and whether the target at 1,000 members was met. */
function printScaling(medians: SynthMedians, largest: number): void {
  const ns = [...medians.keys()];
  const slopes = ns.slice(1).map((n, i) => ({ from: ns[i], to: n, ms: (medians.get(n)!.wallMs - medians.get(ns[i])!.wallMs) / (n - ns[i]) }));
  console.log(`\nMarginal synth cost (wall): ${slopes.map((s) => `${s.from}->${s.to}: ${s.ms.toFixed(1)} ms/member`).join("; ")}`);
  if (slopes.length >= 2) {
    const ratio = slopes[slopes.length - 1].ms / slopes[slopes.length - 2].ms;
    const verdict = ratio <= 1.3 ? "linear (within the 30% run-to-run noise of this machine)" : "SUPERLINEAR";
    console.log(`Growth: last slope / previous slope = ${ratio.toFixed(2)}: ${verdict}.`);
  }
  const atTarget = medians.get(TARGET.atMembers);
  if (atTarget) {
    const met = atTarget.wallMs <= TARGET.wallMs && atTarget.rssBytes <= TARGET.rssBytes;
    console.log(
      `Target at ${TARGET.atMembers} members: <= ${fmt.s(TARGET.wallMs)} and <= ${fmt.bytes(TARGET.rssBytes)}. Measured ${fmt.s(atTarget.wallMs)} and ${fmt.bytes(atTarget.rssBytes)}: ${met ? "met" : "MISSED"}.`,
    );
  } else {
    console.log(`Target at ${TARGET.atMembers} members (<= 20 s, <= 2 GiB): not measured (--max ${largest}).`);
  }
}

/** The largest size synthesized again with Node's source maps on, as before the fix in stacks/apps/backup-app.ts. */
function compareSourceMaps(SIZES: number[], RUNS: number, medians: SynthMedians): void {
  const n = SIZES[SIZES.length - 1];
  const runs = Array.from({ length: RUNS }, (_, r) => synth(n, `maps-${n}-run${r}`, ["--source-maps"]));
  runs.forEach((run) => remove(run.outdir));
  const withMaps = { wall: median(runs.map((r) => r.wallMs)), build: median(runs.map((r) => r.buildMs)), write: median(runs.map((r) => r.synthMs)) };
  console.log(
    `Source maps on (before the fix in stacks/apps/backup-app.ts), ${n} members: wall ${fmt.s(withMaps.wall)}, build ${fmt.s(withMaps.build)} + write ${fmt.s(withMaps.write)}, ` +
      `against ${fmt.s(medians.get(n)!.wallMs)} with them off: ${fmt.s(withMaps.wall - medians.get(n)!.wallMs)} saved.`,
  );
}

/** 2. Listed-accounts mode: the central policies grow with N. */
function listedSection(SIZES: number[], quick: boolean): void {
  const listedRows: (string | number)[][] = [];
  for (const n of SIZES) {
    const run = synth(n, `listed-${n}`, ["--listed-accounts"]);
    const pure = listedSizes(n);
    if (run.refused) {
      listedRows.push([n, `${fmt.of(pure.bucket, POLICY_LIMITS.bucketPolicy.limit)}: synth refuses`, fmt.of(pure.key, POLICY_LIMITS.keyPolicy.limit)]);
    } else {
      const sizes = synthesizedPolicySizes(run.outdir);
      listedRows.push([n, fmt.of(sizes.centralBucket, POLICY_LIMITS.bucketPolicy.limit), fmt.of(sizes.centralKey, POLICY_LIMITS.keyPolicy.limit)]);
    }
    remove(run.outdir);
  }
  console.log("\nListed-accounts mode, central policies (synthesized; sizes of refused configs from the same policy functions):");
  table(["members", "central bucket policy / 20 KB", "central key policy / 32 KB"], listedRows);
  const [a, b] = [listedSizes(100), listedSizes(200)];
  const lastBucket = lastFitting("bucket", POLICY_LIMITS.bucketPolicy.limit);
  const lastKey = lastFitting("key", POLICY_LIMITS.keyPolicy.limit);
  console.log(
    `Growth: ${((b.bucket - a.bucket) / 100).toFixed(1)} B per member (bucket), ${((b.key - a.key) / 100).toFixed(1)} B (key). ` +
      `The bucket policy passes 20 KB at ${lastBucket + 1} members (${lastBucket} fit); the key policy would pass 32 KB at ${lastKey + 1}.`,
  );
  if (!quick) {
    const fits = synth(lastBucket, "listed-last-fitting", ["--listed-accounts"]);
    const over = synth(lastBucket + 1, "listed-first-over", ["--listed-accounts"]);
    [fits, over].forEach((run) => remove(run.outdir));
    console.log(
      `Synth with ${lastBucket} listed members: ${fits.refused ? "REFUSED (unexpected)" : "ok"}; with ${lastBucket + 1}: ${over.refused ? `refused: "${over.refused}"` : "NOT refused (unexpected)"}`,
    );
  }
}

/** 3. Terraform, N = 100, offline mode, shared plugin cache. */
async function terraformSection(): Promise<void> {
  console.error(`… terraform init of ${TF_MEMBERS + 1} stacks and one plan`);
  const run = synth(TF_MEMBERS, `terraform-${TF_MEMBERS}`, ["--offline"]);
  const stacks = stacksOf(run.outdir);
  const dirOf = (s: string) => path.join(run.outdir, "stacks", s);
  const member = stacks.find((s) => s.startsWith("member-"))!;
  const initFirstMs = await timed(() => initStack(dirOf("central")));
  const initMs = await timed(() => initStack(dirOf(member)));
  // The runner the commands use: init (already done, so a no-op check) + plan -detailed-exitcode.
  const planMs = await timed(() => runStacks([member], { outdir: run.outdir, action: "plan", offline: true, parallelism: 1 }));
  const showMs = await timed(() => showSavedPlan(dirOf(member)));
  const rest = stacks.filter((s) => s !== "central" && s !== member);
  const parallel = os.cpus().length;
  const initRestMs = await timed(() => mapWithConcurrency(rest, parallel, (s) => initStack(dirOf(s))));
  const initialized = stacks.filter((s) => fs.existsSync(path.join(dirOf(s), ".terraform", "providers"))).length;
  const copies = providerCopies(run.outdir);
  const outdirDisk = diskUsageBytes(run.outdir, false);
  const providerFile = copies.realTargets[0];
  const providerBytes = providerFile ? fs.statSync(providerFile).size : NaN;
  const cacheDisk = diskUsageBytes(path.join(os.homedir(), ".terraform.d", "plugin-cache"), true);
  console.log(`\nTerraform, ${TF_MEMBERS} members (${stacks.length} stacks), offline mode, shared plugin cache (provider from the local mirror):`);
  table(
    ["measure", "value"],
    [
      ["init of the first stack (central)", fmt.s(initFirstMs)],
      [`init of one member stack (${member})`, fmt.s(initMs)],
      ["offline plan of that member (the commands' runner; show -json of the saved plan apart)", `${fmt.s(planMs)} (show -json: ${fmt.s(showMs)})`],
      ["init + plan of one member", fmt.s(initMs + planMs)],
      [
        `init of the other ${rest.length} stacks, ${parallel} at a time`,
        `${fmt.s(initRestMs)} (${((initRestMs * parallel) / rest.length / 1000).toFixed(2)} s per init)`,
      ],
      [
        `disk of all ${initialized} initialized stack dirs (du, links not followed)`,
        `${fmt.bytes(outdirDisk)} (${fmt.bytes(outdirDisk / stacks.length)} per stack)`,
      ],
      ["provider links in the stack dirs / regular provider binaries", `${copies.links} / ${copies.regularBinaries}`],
      ["distinct real provider binaries behind the links", `${copies.realTargets.length} (${copies.realTargets.join(", ")})`],
      ["provider binary (one copy; du -L of the plugin cache)", `${fmt.bytes(providerBytes)} (${fmt.bytes(cacheDisk)})`],
      [`${stacks.length} copies, without the shared cache`, fmt.bytes(providerBytes * stacks.length)],
    ],
  );
  remove(run.outdir);
}

async function main(options: BenchOptions): Promise<void> {
  const quick = options.quick;
  const MAX = quick ? 100 : (options.max ?? 1000);
  const RUNS = options.runs ?? 3;
  const SIZES = [...new Set([...[10, 100, 1000].filter((n) => n <= MAX), MAX])].sort((a, b) => a - b);
  // Every config the bench generates starts from accounts.ts: check it before printing anything.
  validateConfig(syntheticConfig(1));
  if (options["ci-only"]) return benchCi();
  if (options["restore-only"]) return restoreBench();
  const benchStarted = Date.now();
  const terraformVersion = requireTerraform();
  console.log(machine(terraformVersion));
  console.log(
    `Sizes: ${SIZES.join(", ")} members (synthetic IDs, central settings of accounts.ts); ${RUNS} synth run(s) per size, median shown. ` +
      `Peak RSS: ${hasGnuTime() ? "/usr/bin/time -v (largest process of the synth)" : "the synth process's own maxRSS"}.\n`,
  );

  const medians = synthSection(SIZES, RUNS);
  if (options["compare-source-maps"]) compareSourceMaps(SIZES, RUNS, medians);
  listedSection(SIZES, quick);
  if (!options["skip-terraform"]) await terraformSection();
  if (!options["skip-ci"]) await benchCi();
  console.log(`\nBench took ${fmt.s(Date.now() - benchStarted)}.`);
}

const cleanUp = () => {
  if (work) remove(work);
};
process.on("SIGINT", () => {
  cleanUp();
  process.exit(130);
});
runCli(BENCH, async ({ values }) => {
  try {
    await main(values);
  } finally {
    cleanUp();
  }
});
