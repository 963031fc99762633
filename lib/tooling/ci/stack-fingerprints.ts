import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildApp } from "../../../stacks/apps/backup-app";
import type { BackupConfig } from "../../core/config/types";
import { loadConfigFile } from "../../core/config/load";
import { validateConfig } from "../../core/config/validate";
import { stackInputs } from "../../../stacks/stack-inputs";
import { ChangeReport, changedStacks, compareSynth, fileAt, git, resolveCommit } from "./changed-stacks";
import type { DataReplacement } from "./data-replacements";

/**
 * Paths whose content cannot change any stack's synthesized Terraform: the app never reads
 * them. A change anywhere else (code, dependencies, examples, scripts) takes the full synth.
 */
const NEVER_SYNTHESIZED = [/\.md$/, /^docs\//, /^__tests__\//, /^\.github\//, /^\.ci\//, /^help$/, /^\.gitignore$/];
const CONFIG_FILE = "accounts.ts";

/**
 * Each stack's fingerprint: a hash of the exact object the stack is built from
 * (stacks/stack-inputs.ts). For one version of the code and dependencies, equal
 * fingerprints mean byte-identical Terraform, because a stack reads nothing else.
 * Not sorted: a reordered object may reorder the Terraform, so it counts as a difference.
 */
export function stackFingerprints(config: BackupConfig): Map<string, string> {
  const fingerprints = new Map<string, string>();
  for (const [stack, input] of stackInputs(validateConfig(config))) {
    fingerprints.set(stack, crypto.createHash("sha256").update(JSON.stringify(input)).digest("hex"));
  }
  return fingerprints;
}

function synthOnly(config: BackupConfig, stacks: string[], outdir: string): void {
  fs.mkdirSync(path.join(outdir, "stacks"), { recursive: true });
  // An empty selection means "all" to buildApp: nothing to build is handled here.
  if (stacks.length > 0) buildApp(config, { outdir, stacks }).synth();
}

/**
 * The exact change between two configs under the same code, without synthesizing every
 * stack: the stacks whose fingerprints differ are candidates, and only they are
 * synthesized, on both sides, and compared byte for byte as the full path does. So the
 * answer is the full synth's answer: stacks outside the candidates are identical by
 * construction, and a candidate whose Terraform did not change is not listed.
 */
export function changesBetweenConfigs(base: BackupConfig, head: BackupConfig, repo: string): ChangeReport {
  const before = stackFingerprints(base);
  const after = stackFingerprints(head);
  const candidates = [...new Set([...before.keys(), ...after.keys()])].filter((s) => before.get(s) !== after.get(s));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-fingerprint-"));
  try {
    synthOnly(
      base,
      candidates.filter((s) => before.has(s)),
      path.join(work, "base"),
    );
    synthOnly(
      head,
      candidates.filter((s) => after.has(s)),
      path.join(work, "head"),
    );
    return { ...compareSynth(path.join(work, "base"), path.join(work, "head"), repo), method: "fingerprints" };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

const gitLines = (repo: string, args: string[]) => git(repo, args).split("\n").filter(Boolean);

/** Files that differ between a commit and the working tree, untracked ones included. */
function filesChangedSince(repo: string, commit: string): string[] {
  return [...gitLines(repo, ["diff", "--name-only", commit, "--"]), ...gitLines(repo, ["ls-files", "--others", "--exclude-standard"])];
}

/** The base's accounts.ts (its text), loaded with the working tree's code (the same code, on this path). */
export function baseConfig(repo: string, text: string): BackupConfig {
  // Beside accounts.ts, so that its relative imports resolve as they do for accounts.ts.
  const file = path.join(repo, `.accounts.base-${process.pid}-${Date.now()}.ts`);
  fs.writeFileSync(file, text);
  try {
    return loadConfigFile(file);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/**
 * What changed since a commit, as the fingerprint path sees it: only accounts.ts (and files the
 * app never reads), nothing that reaches a stack, or something else (code, dependencies, or a
 * base without accounts.ts, which has no stacks to fingerprint), which takes the full synth.
 */
type ChangeKind = { readonly kind: "config"; readonly baseText: string } | { readonly kind: "none" } | { readonly kind: "other" };

function changeSince(repo: string, commit: string): ChangeKind {
  const changed = filesChangedSince(repo, commit);
  if (!changed.every((f) => f === CONFIG_FILE || NEVER_SYNTHESIZED.some((re) => re.test(f)))) return { kind: "other" };
  if (!changed.includes(CONFIG_FILE)) return { kind: "none" };
  const baseText = fileAt(repo, commit, CONFIG_FILE);
  return baseText === undefined ? { kind: "other" } : { kind: "config", baseText };
}

function changesOfConfigEdit(repo: string, baseText: string): ChangeReport {
  return changesBetweenConfigs(baseConfig(repo, baseText), loadConfigFile(path.join(repo, CONFIG_FILE)), repo);
}

/**
 * Stacks changed since `baseRef`: by fingerprints when nothing but accounts.ts (and files the
 * app never reads) changed, else by the full synth of both sides (lib/tooling/ci/changed-stacks.ts),
 * which stays the reference and handles code and dependency changes.
 */
export async function changedStacksFast(repo: string, baseRef: string): Promise<ChangeReport> {
  const change = changeSince(repo, resolveCommit(repo, baseRef));
  if (change.kind === "other") return { ...(await changedStacks(repo, baseRef)), method: "full synth" };
  if (change.kind === "none") return { added: [], changed: [], removed: [], retired: [], dependencyChanges: [], replacements: [], method: "fingerprints" };
  return changesOfConfigEdit(repo, change.baseText);
}

/**
 * The buckets and keys an uncommitted edit of accounts.ts would replace or destroy, by the
 * fingerprint path only (a second at 1,000 accounts): none when the checkout is not a git
 * repository or code changed too (then `npm run check -- --base <ref>` compares in full).
 */
export function configEditReplacements(repo: string, baseRef = "HEAD"): DataReplacement[] {
  let commit: string;
  try {
    commit = resolveCommit(repo, baseRef);
  } catch {
    return [];
  }
  const change = changeSince(repo, commit);
  return change.kind === "config" ? changesOfConfigEdit(repo, change.baseText).replacements : [];
}

/** Every stack of the working tree's accounts.ts, as "added" (a full plan, deploy or drift run): no synth needed. */
export function allStacks(repo: string): ChangeReport {
  const added = [...stackInputs(validateConfig(loadConfigFile(path.join(repo, CONFIG_FILE)))).keys()];
  return { added, changed: [], removed: [], retired: [], dependencyChanges: [], replacements: [], method: "fingerprints" };
}
