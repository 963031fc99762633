import { execFile, execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { byDeployOrder } from "../../core/config/naming";
import { DataReplacement, stackDataReplacements } from "./data-replacements";
import { OFFLINE_MODE_ENV } from "../../core/offline-mode";
import { UserError } from "../../core/errors";
import { typescriptEntryArgs } from "./typescript-entry";

const execFileAsync = promisify(execFile);

/** Where a stack's Terraform state lives, read from its synthesized backend block. */
export type StateLocation =
  | { readonly backend: "local"; readonly path: string }
  | { readonly backend: "s3"; readonly bucket: string; readonly key: string; readonly region: string }
  | { readonly backend: string };

/** A stack that the base synthesized and the working tree no longer does: what it leaves in AWS. */
export interface RemovedStack {
  readonly stack: string;
  readonly accountId: string;
  readonly region?: string;
  /** Role the stack's provider assumed: the one to use for the manual retirement steps. */
  readonly deployRoleArn?: string;
  /** Buckets the stack managed; they carry prevent_destroy and stay, with their data. */
  readonly buckets: readonly string[];
  readonly state: StateLocation;
  /**
   * The base's central stack named the account (listed-accounts mode) and the new one does
   * not: once central deploys, the central bucket refuses the account's replicas.
   */
  readonly centralDropsAccount: boolean;
}

export interface StackChanges {
  readonly added: string[];
  readonly changed: string[];
  readonly removed: string[];
}

export interface ChangeReport extends StackChanges {
  /** What each removed stack leaves behind, for the removal notice. */
  readonly retired: RemovedStack[];
  /**
   * Dependencies that shape the synthesized Terraform but cannot be compared by synthesis
   * (the base is synthesized with the working tree's node_modules): when any changed, every
   * stack present on both sides is listed as changed.
   */
  readonly dependencyChanges: string[];
  /** Data-holding resources (buckets, keys) of the changed stacks that the head would replace or destroy. */
  readonly replacements: DataReplacement[];
  /** How the change was found: fingerprints of accounts.ts (stack-fingerprints.ts) or two full synths. */
  readonly method?: "fingerprints" | "full synth";
}

/** Packages whose version changes what cdktf writes (provider version, resource shapes). */
export const SYNTH_PACKAGES = ["cdktf", "@cdktf/provider-aws", "constructs"] as const;
/** The committed provider lock file: a new provider version changes every plan. */
export const PROVIDER_LOCK_FILE = "terraform/.terraform.lock.hcl";

/** A checkout's synth refused its accounts.ts (invalid, or not compiling); the message is main.ts's own. */
export class SynthError extends UserError {
  constructor(message: string) {
    super(message);
  }
}

/**
 * Synthesizes a checkout with its own main.ts (so a base commit is synthesized with the
 * code it had), in real mode (the backend of its accounts.ts), into outdir.
 */
export async function synthCheckout(checkout: string, outdir: string): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: outdir };
  delete env[OFFLINE_MODE_ENV];
  try {
    await execFileAsync(process.execPath, typescriptEntryArgs("main.ts"), { cwd: checkout, env, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? "").trim();
    // main.ts reports a user's mistake in accounts.ts as a message without stack frames: pass it on as it is.
    if (stderr && !/^\s+at /m.test(stderr)) throw new SynthError(stderr);
    throw new Error(`synthesizing ${checkout} failed: ${stderr || (error as Error).message}`, { cause: error });
  }
}

export function git(repo: string, args: string[]): string {
  return execFileSync("git", args, { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** The commit a ref names, or a one-line error saying how to make it available. */
export function resolveCommit(repo: string, ref: string): string {
  try {
    return git(repo, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  } catch {
    throw new Error(`"${ref}" is not a commit of this repository. Fetch it first (git fetch origin ${ref}); in GitHub Actions check out with fetch-depth: 0.`);
  }
}

/**
 * Synthesizes `ref` in a temporary detached git worktree (only its tracked files, sharing
 * this checkout's node_modules) into outdir. The worktree is removed afterwards.
 */
export async function synthRef(repo: string, ref: string, outdir: string): Promise<void> {
  const commit = resolveCommit(repo, ref);
  const worktree = fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-base-"));
  git(repo, ["worktree", "add", "--detach", "--force", worktree, commit]);
  try {
    const modules = path.join(worktree, "node_modules");
    fs.rmSync(modules, { recursive: true, force: true }); // only the worktree's own copy (a committed link, say)
    fs.symlinkSync(path.join(repo, "node_modules"), modules, "dir");
    await synthCheckout(worktree, outdir);
  } finally {
    git(repo, ["worktree", "remove", "--force", worktree]);
    fs.rmSync(worktree, { recursive: true, force: true });
  }
}

/** Each stack's cdk.tf.json, as written by cdktf (compared byte for byte: nothing is normalized away). */
function stacksIn(outdir: string): Map<string, string> {
  const dir = path.join(outdir, "stacks");
  const stacks = new Map<string, string>();
  for (const stack of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    stacks.set(stack, fs.readFileSync(path.join(dir, stack, "cdk.tf.json"), "utf8"));
  }
  return stacks;
}

interface SynthesizedStack {
  readonly provider?: { readonly aws?: readonly { readonly region?: string; readonly assume_role?: readonly { readonly role_arn?: string }[] }[] };
  readonly resource?: { readonly aws_s3_bucket?: Record<string, { readonly bucket?: string }> };
  readonly terraform?: { readonly backend?: Record<string, Record<string, unknown>> };
}

/** What a removed stack leaves behind, read from its last synthesized Terraform (the base's). */
export function describeRemoved(stack: string, cdkTfJson: string, repo: string, centralBefore = "", centralAfter = ""): RemovedStack {
  const tf = JSON.parse(cdkTfJson) as SynthesizedStack;
  const provider = tf.provider?.aws?.[0];
  const [kind, settings] = Object.entries(tf.terraform?.backend ?? {})[0] ?? ["local", {}];
  const state: StateLocation =
    kind === "local"
      ? {
          backend: "local",
          path: path.relative(repo, path.resolve(repo, "cdktf.out", "stacks", stack, String((settings.path as string | undefined) ?? "terraform.tfstate"))),
        }
      : kind === "s3"
        ? { backend: "s3", bucket: String(settings.bucket), key: String(settings.key), region: String(settings.region) }
        : { backend: kind };
  const accountId = stack.replace(/^member-/, "");
  return {
    stack,
    accountId,
    region: provider?.region,
    deployRoleArn: provider?.assume_role?.[0]?.role_arn,
    buckets: Object.values(tf.resource?.aws_s3_bucket ?? {}).map((b) => String(b.bucket)),
    state,
    centralDropsAccount: centralBefore.includes(accountId) && !centralAfter.includes(accountId),
  };
}

/** Stacks whose synthesized Terraform differs between two synth outputs. Sorted, central first. */
export function compareSynth(baseOutdir: string, headOutdir: string, repo: string, dependencyChanges: string[] = []): ChangeReport {
  const base = stacksIn(baseOutdir);
  const head = stacksIn(headOutdir);
  const order = (names: string[]) => names.sort(byDeployOrder);
  const removed = order([...base.keys()].filter((s) => !head.has(s)));
  const changed = order([...head.keys()].filter((s) => base.has(s) && (dependencyChanges.length > 0 || base.get(s) !== head.get(s))));
  return {
    added: order([...head.keys()].filter((s) => !base.has(s))),
    changed,
    removed,
    replacements: changed.flatMap((s) => stackDataReplacements(s, base.get(s)!, head.get(s)!)),
    retired: removed.map((s) => describeRemoved(s, base.get(s)!, repo, base.get("central"), head.get("central"))),
    dependencyChanges,
  };
}

function packageVersions(packageLock: string | undefined): Map<string, string | undefined> {
  const lock = packageLock ? (JSON.parse(packageLock) as { packages?: Record<string, { version?: string }> }) : {};
  return new Map(SYNTH_PACKAGES.map((p) => [p, lock.packages?.[`node_modules/${p}`]?.version]));
}

/** A file as a commit has it, or undefined when the commit has no such file. */
export function fileAt(repo: string, commit: string, file: string): string | undefined {
  try {
    return execFileSync("git", ["show", `${commit}:${file}`], {
      cwd: repo,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch {
    return undefined;
  }
}

function workingFile(repo: string, file: string): string | undefined {
  const full = path.join(repo, file);
  return fs.existsSync(full) ? fs.readFileSync(full, "utf8") : undefined;
}

/**
 * Synth-relevant dependency changes between `baseRef` and the working tree: the versions of
 * SYNTH_PACKAGES in package-lock.json, and the provider lock file. Other packages (test
 * tools, the AWS SDK of the day-2 scripts) do not change any stack's Terraform.
 */
export function dependencyChanges(repo: string, baseRef: string): string[] {
  const commit = resolveCommit(repo, baseRef);
  const before = packageVersions(fileAt(repo, commit, "package-lock.json"));
  const after = packageVersions(workingFile(repo, "package-lock.json"));
  const changes = SYNTH_PACKAGES.filter((p) => before.get(p) !== after.get(p)).map((p) => `${p} ${before.get(p) ?? "(none)"} -> ${after.get(p) ?? "(none)"}`);
  if (fileAt(repo, commit, PROVIDER_LOCK_FILE) !== workingFile(repo, PROVIDER_LOCK_FILE)) changes.push(`${PROVIDER_LOCK_FILE} changed`);
  return changes;
}

/** Synthesizes `baseRef` (with its own code) and the working tree of `repo`, and compares them. */
export async function changedStacks(repo: string, baseRef: string): Promise<ChangeReport> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-changed-"));
  try {
    const deps = dependencyChanges(repo, baseRef);
    await Promise.all([synthRef(repo, baseRef, path.join(work, "base")), synthCheckout(repo, path.join(work, "head"))]);
    return compareSynth(path.join(work, "base"), path.join(work, "head"), repo, deps);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function stateCommands(r: RemovedStack): string[] {
  if (r.state.backend === "local" && "path" in r.state) {
    const dir = path.join(path.dirname(r.state.path), "retired");
    return [`mkdir -p ${dir} && mv ${r.state.path} ${dir}/`];
  }
  if (r.state.backend === "s3" && "key" in r.state) {
    const retired = path.posix.join(path.posix.dirname(r.state.key), "retired", path.posix.basename(r.state.key));
    return [`aws s3 mv s3://${r.state.bucket}/${r.state.key} s3://${r.state.bucket}/${retired} --region ${r.state.region}`];
  }
  return [`move the state of ${r.stack} out of the ${r.state.backend} backend`];
}

/**
 * What the operator must know and do when a stack disappears from accounts.ts. The
 * retirement procedure: Terraform forgets the stack, AWS keeps everything (docs/ci-and-state.md).
 */
export function removalNotice(r: RemovedStack): string {
  const buckets = r.buckets.length > 0 ? r.buckets : ["<source bucket>"];
  const region = r.region ? ` --region ${r.region}` : "";
  return [
    `!! ${r.stack} was REMOVED from accounts.ts. Nothing is destroyed and nothing is deployed for it:`,
    `   its stack is no longer synthesized, and its source bucket and key carry prevent_destroy.`,
    `   Left in account ${r.accountId}, no longer deployed by anything: bucket ${buckets.join(", ")} with its data and KMS key,`,
    `   the replication role and rule (replication KEEPS RUNNING), the alerts; its replicas stay under ${r.accountId}/ in the central bucket.`,
    ...(r.centralDropsAccount
      ? [
          `   central changed too (listed-accounts mode): once central deploys, the central bucket refuses ${r.accountId}: its replication FAILS and alerts until step 3.`,
        ]
      : []),
    `   To retire the account (docs/ci-and-state.md, "Retire an account"):`,
    `   1. merge this change (nothing is deployed for ${r.stack});`,
    `   2. npm run state -- ${r.stack} list      what Terraform still tracks (its state is kept until step 4)`,
    `   3. stop replication, as ${r.deployRoleArn ?? "the account's deploy role"}:`,
    ...buckets.map((b) => `        aws s3api delete-bucket-replication --bucket ${b}${region}`),
    `   4. archive the state, so that Terraform forgets the stack (the AWS resources stay):`,
    ...stateCommands(r).map((c) => `        ${c}`),
    `   Removed by mistake? Put the line back: before step 3 the next plan shows no change; after step 3 it restores`,
    `   replication; after step 4 move the state back first (or the plan tries to create the existing bucket).`,
  ].join("\n");
}
