/**
 * npm run bench [-- --quick]   How the project scales from 10 to 1,000 member accounts.
 * Prints numbers; asserts nothing (targets are printed beside them). --quick skips N = 1,000.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { syntheticConfig } from "../lib/bench/synthetic-config";
import { centralBucketPolicy } from "../lib/policies/central-policies";
import type { PolicyDocument } from "../lib/policies/policy-document";
import { POLICY_LIMITS, policySize } from "../lib/policies/size-limits";
import { mapWithLimit, requireTerraform } from "../lib/terraform/cli";
import { initStack, planStack } from "../lib/terraform/offline-plan";
import { validateConfig } from "../lib/validate";

const ROOT = path.resolve(__dirname, "..");
const TSX = require.resolve("tsx/cli");
const quick = process.argv.includes("--quick");
const SIZES = quick ? [10, 100] : [10, 100, 1000];
const work = fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-bench-"));

interface SynthRun {
  readonly wallMs: number;
  readonly buildMs: number;
  readonly synthMs: number;
  readonly maxRssBytes: number;
  readonly outdir: string;
}

function synth(members: number, name: string, offline = false): SynthRun {
  const outdir = path.join(work, name);
  const started = process.hrtime.bigint();
  const out = execFileSync(process.execPath, [TSX, "scripts/bench-synth.ts", String(members), outdir, offline ? "offline" : "real"], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { wallMs, outdir, ...JSON.parse(out) };
}

const readStack = (outdir: string, stack: string) => fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8");
const stacksOf = (outdir: string) => fs.readdirSync(path.join(outdir, "stacks")).sort();

/** Size of a synthesized policy attribute the way AWS counts it (Terraform's $${ escape undone). */
function sizeOf(policyJson: string): number {
  return policySize(JSON.parse(policyJson.replace(/\$\$\{/g, "${")) as PolicyDocument);
}

function policySizes(outdir: string) {
  const central = JSON.parse(readStack(outdir, "central"));
  const memberName = stacksOf(outdir).find((s) => s.startsWith("member-"))!;
  const member = JSON.parse(readStack(outdir, memberName));
  const bucketPolicy = Object.values(central.resource.aws_s3_bucket_policy as Record<string, { policy: string }>)[0].policy;
  const rolePolicies = Object.values(member.resource.aws_iam_role_policy as Record<string, { name: string; policy: string }>);
  const replication = rolePolicies.find((p) => p.name.endsWith("replication-permissions"))!;
  return {
    centralBucket: sizeOf(bucketPolicy),
    centralKey: sizeOf(central.resource.aws_kms_key.central_key.policy),
    memberRole: sizeOf(replication.policy),
  };
}

/** Stacks whose synthesized JSON differs between two outdirs (added, removed or changed). */
function changedStacks(before: string, after: string): string[] {
  const a = stacksOf(before);
  const b = stacksOf(after);
  return [...new Set([...a, ...b])].filter((s) => !a.includes(s) || !b.includes(s) || readStack(before, s) !== readStack(after, s));
}

function duBytes(dir: string, followLinks: boolean): number {
  const out = execFileSync("du", [followLinks ? "-sbL" : "-sb", dir], { encoding: "utf8" });
  return Number(out.split("\t")[0]);
}

const fmt = {
  s: (ms: number) => `${(ms / 1000).toFixed(2)} s`,
  mib: (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`,
  pct: (bytes: number, limit: number) => `${bytes} B (${((100 * bytes) / limit).toFixed(1)}%)`,
};

function table(header: string[], rows: (string | number)[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells: (string | number)[]) => "| " + cells.map((c, i) => String(c).padEnd(widths[i])).join(" | ") + " |";
  console.log(line(header));
  console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
  rows.forEach((r) => console.log(line(r)));
}

async function main(): Promise<void> {
  const terraformVersion = requireTerraform();
  const cpu = os.cpus();
  console.log(`Machine: ${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} cores, ${fmt.mib(os.totalmem())} RAM; node ${process.version}, terraform ${terraformVersion}`);
  console.log(`Sizes: ${SIZES.join(", ")} members${quick ? " (--quick: 1,000 skipped)" : ""}. Work dir: ${work}\n`);

  const rows: (string | number)[][] = [];
  const runs = new Map<number, SynthRun>();
  for (const n of SIZES) {
    const run = synth(n, `n${n}`);
    runs.set(n, run);
    const plusOne = synth(n + 1, `n${n}-plus-one`);
    const changed = changedStacks(run.outdir, plusOne.outdir);
    fs.rmSync(plusOne.outdir, { recursive: true, force: true });
    const sizes = policySizes(run.outdir);
    rows.push([
      n,
      fmt.s(run.wallMs),
      `${fmt.s(run.buildMs)} + ${fmt.s(run.synthMs)}`,
      fmt.mib(run.maxRssBytes),
      fmt.pct(sizes.centralBucket, POLICY_LIMITS.bucketPolicy.limit),
      fmt.pct(sizes.centralKey, POLICY_LIMITS.keyPolicy.limit),
      fmt.pct(sizes.memberRole, POLICY_LIMITS.roleInlinePolicies.limit),
      `${changed.length} (${changed.join(", ")})`,
    ]);
  }
  console.log("Synth (whole process, tsx start-up included) and policy sizes, organization mode:");
  table(["members", "synth wall", "build + write", "peak RSS", "central bucket policy", "central key policy", "member role policy", "stacks changed by +1 member"], rows);

  const ns = [...runs.keys()];
  const marginal = ns.slice(1).map((n, i) => {
    const prev = ns[i];
    return `${prev}->${n}: ${((runs.get(n)!.wallMs - runs.get(prev)!.wallMs) / (n - prev)).toFixed(1)} ms/account`;
  });
  console.log(`\nMarginal synth cost: ${marginal.join("; ")}`);
  const largest = runs.get(ns[ns.length - 1])!;
  console.log(`Target at 1,000 members: <= 20 s and <= 2 GiB.${quick ? " (not measured: --quick)" : ` Measured: ${fmt.s(largest.wallMs)}, ${fmt.mib(largest.maxRssBytes)}: ${largest.wallMs <= 20000 && largest.maxRssBytes <= 2 ** 31 ? "met" : "MISSED"}.`}`);

  // Listed-accounts mode grows with N: size from the same pure function the central stack uses.
  const listedSize = (n: number) => {
    const resolved = validateConfig(syntheticConfig(n, { accessMode: "listed-accounts" }));
    return policySize(centralBucketPolicy({ organizationId: resolved.organizationId, central: resolved.central, memberAccountIds: resolved.members.map((m) => m.accountId) }));
  };
  const [s10, s100] = [listedSize(10), listedSize(100)];
  const perAccount = (s100 - s10) / 90;
  const maxAccounts = Math.floor(10 + (POLICY_LIMITS.bucketPolicy.limit - s10) / perAccount);
  console.log(`\nListed-accounts mode, central bucket policy: ${SIZES.map((n) => `${n}: ${listedSize(n)} B`).join(", ")}; ${perAccount.toFixed(1)} B per account, 20 KB reached at about ${maxAccounts} accounts (synth stops there and names organization mode).`);

  // Terraform with the shared plugin cache, N = 100, offline.
  const offline = synth(100, "n100-offline", true);
  const stacks = stacksOf(offline.outdir);
  const dirOf = (s: string) => path.join(offline.outdir, "stacks", s);
  const member = stacks.find((s) => s.startsWith("member-"))!;
  await initStack(dirOf("central"));
  let t = Date.now();
  await initStack(dirOf(member));
  const initMs = Date.now() - t;
  t = Date.now();
  await planStack(dirOf(member));
  const planMs = Date.now() - t;
  t = Date.now();
  await mapWithLimit(stacks.filter((s) => s !== "central" && s !== member), os.cpus().length, (s) => initStack(dirOf(s)));
  const initAllMs = Date.now() - t;
  const providerBytes = duBytes("/opt/tf-plugins", true) || 0;
  const initializedBytes = duBytes(offline.outdir, false);
  const linkedDirs = stacks.filter((s) => fs.existsSync(path.join(dirOf(s), ".terraform"))).length;
  console.log(`\nTerraform, N = 100, offline, shared plugin cache:`);
  table(["measure", "value"], [
    ["init of one member stack (cache warm)", fmt.s(initMs)],
    ["offline plan of that member stack", fmt.s(planMs)],
    [`init of the other ${stacks.length - 2} stacks (${os.cpus().length} at a time)`, `${fmt.s(initAllMs)} (${(initAllMs / (stacks.length - 2)).toFixed(0)} ms/stack wall)`],
    [`disk of all ${linkedDirs} initialized stack dirs (links not followed)`, fmt.mib(initializedBytes)],
    ["provider binary (one copy, in the mirror / cache)", fmt.mib(providerBytes)],
    ["N copies it would be without the cache", fmt.mib(providerBytes * stacks.length)],
  ]);
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => fs.rmSync(work, { recursive: true, force: true }));
