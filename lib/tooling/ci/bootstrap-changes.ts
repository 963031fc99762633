import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { synthesizeBootstrap } from "../../../stacks/apps/bootstrap-app";
import type { BackupConfig } from "../../core/config/types";
import { fileAt, resolveCommit } from "./changed-stacks";
import { baseConfig } from "./stack-fingerprints";

/** The bootstrap stacks whose Terraform an edit of accounts.ts changes: they need `npm run bootstrap:deploy` again. */
export interface BootstrapChange {
  /** `new` when the base had no `ci` (nothing bootstrapped yet), else the bootstrap stacks that differ. */
  readonly stacks: readonly string[] | "new";
}

function bootstrapJson(config: BackupConfig, outdir: string): Map<string, string> {
  const { stacks } = synthesizeBootstrap(config, { outdir, offline: true });
  return new Map(stacks.map((s) => [s, fs.readFileSync(path.join(outdir, "stacks", s, "cdk.tf.json"), "utf8")]));
}

/**
 * What the edit of accounts.ts since `baseRef` changes in the bootstrap (the CI roles, the
 * deploy and plan roles of every account, their boundaries, the guardrail): both configs are
 * synthesized with the working tree's code, so a change of the product's own code is not
 * seen here (docs/ci-and-state.md says to run bootstrap:plan after an upgrade). `head` is the
 * config the check already loaded, so both sides are the file the check validated. Undefined
 * when the head has no `ci` or nothing changed.
 */
export function bootstrapChanges(repo: string, baseRef: string, head: BackupConfig): BootstrapChange | undefined {
  if (!head.ci) return undefined;
  const baseText = fileAt(repo, resolveCommit(repo, baseRef), "accounts.ts");
  const base = baseText === undefined ? undefined : baseConfig(repo, baseText);
  if (!base?.ci) return { stacks: "new" };
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-bootstrap-"));
  try {
    const before = bootstrapJson(base, path.join(work, "base"));
    const after = bootstrapJson(head, path.join(work, "head"));
    const changed = [...after.keys()].filter((s) => before.get(s) !== after.get(s));
    return changed.length > 0 ? { stacks: changed } : undefined;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The bootstrap (CI roles, every account's deploy and plan roles, their boundaries, the
 * guardrail) is applied by hand: an edit that changes it (central.keyArn, say, which the
 * deploy role's denies name) must be applied there before CI deploys what depends on it.
 */
export function bootstrapNotice(change: BootstrapChange): string {
  const what = change.stacks === "new" ? "adds ci, so there is a bootstrap to apply" : `changes the bootstrap (${change.stacks.join(", ")})`;
  return (
    `BOOTSTRAP: this edit ${what}: run npm run bootstrap:plan, then npm run bootstrap:deploy, as an organization admin ` +
    "(docs/ci-and-state.md#setting-it-up-apply-the-bootstrap) before CI deploys it; until then CI's roles refuse what the edit needs."
  );
}
