import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { byDeployOrder } from "../app";
import { OFFLINE_MODE_ENV } from "../offline-mode";

export interface StackChanges {
  readonly added: string[];
  readonly changed: string[];
  readonly removed: string[];
}

const TSX = require.resolve("tsx/cli");

/**
 * Synthesizes a checkout with its own main.ts (so a base commit is synthesized with the
 * code it had), in real mode, into outdir.
 */
export function synthCheckout(checkout: string, outdir: string): void {
  const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: outdir };
  delete env[OFFLINE_MODE_ENV];
  execFileSync(process.execPath, [TSX, "main.ts"], { cwd: checkout, env, stdio: ["ignore", "ignore", "pipe"] });
}

function git(repo: string, args: string[]): string {
  return execFileSync("git", args, { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/**
 * Synthesizes `ref` in a temporary git worktree (sharing this checkout's node_modules)
 * and returns the outdir. The caller removes it.
 */
export function synthRef(repo: string, ref: string, outdir: string): void {
  const worktree = fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-base-"));
  git(repo, ["worktree", "add", "--detach", "--force", worktree, ref]);
  try {
    fs.symlinkSync(path.join(repo, "node_modules"), path.join(worktree, "node_modules"), "dir");
    synthCheckout(worktree, outdir);
  } finally {
    git(repo, ["worktree", "remove", "--force", worktree]);
    fs.rmSync(worktree, { recursive: true, force: true });
  }
}

function stacksIn(outdir: string): Map<string, string> {
  const dir = path.join(outdir, "stacks");
  const stacks = new Map<string, string>();
  for (const stack of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    stacks.set(stack, fs.readFileSync(path.join(dir, stack, "cdk.tf.json"), "utf8"));
  }
  return stacks;
}

/** Stacks whose synthesized Terraform differs between two synth outputs. Sorted, central first. */
export function compareSynth(baseOutdir: string, headOutdir: string): StackChanges {
  const base = stacksIn(baseOutdir);
  const head = stacksIn(headOutdir);
  const order = (names: string[]) => names.sort(byDeployOrder);
  return {
    added: order([...head.keys()].filter((s) => !base.has(s))),
    changed: order([...head.keys()].filter((s) => base.has(s) && base.get(s) !== head.get(s))),
    removed: order([...base.keys()].filter((s) => !head.has(s))),
  };
}

/** Synthesizes `baseRef` and the working tree of `repo`, and compares them. */
export function changedStacks(repo: string, baseRef: string): StackChanges {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-changed-"));
  try {
    synthRef(repo, baseRef, path.join(work, "base"));
    synthCheckout(repo, path.join(work, "head"));
    return compareSynth(path.join(work, "base"), path.join(work, "head"));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Every stack of the working tree, as "added" (a full plan or deploy, e.g. workflow_dispatch). */
export function allStacks(repo: string): StackChanges {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-all-"));
  try {
    synthCheckout(repo, path.join(work, "head"));
    return compareSynth(path.join(work, "none"), path.join(work, "head"));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** What the operator must know and do when a member stack disappears from accounts.ts. */
export function removalNotice(stack: string): string {
  const accountId = stack.replace("member-", "");
  return [
    `!! ${stack} was REMOVED from accounts.ts. Nothing is destroyed: no stack means no plan, and its bucket and key have prevent_destroy.`,
    `   Retained in AWS: the source bucket and key of ${accountId}, its replication role and rule (replication KEEPS RUNNING),`,
    `   and every replica under ${accountId}/ in the central bucket. To retire the account (README, "Retire an account"):`,
    `   1. stop replication: aws s3api delete-bucket-replication --bucket <source bucket> (in ${accountId});`,
    `   2. keep or empty the source bucket by hand; the central copies stay under ${accountId}/ (lifecycle/Object Lock apply);`,
    `   3. delete the stack's state (terraform-state/${stack}.tfstate, or <stateBackend.keyPrefix>/${stack}.tfstate).`,
    `   Removed by mistake? Put the line back: the next plan shows no change.`,
  ].join("\n");
}
