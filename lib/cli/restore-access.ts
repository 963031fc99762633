import { UsageError, UserError } from "../core/errors";
import type { ResolvedConfig } from "../core/config/resolved";
import type { RestoreAccess } from "../tooling/ops/restore/access";
import { membersOrUsage } from "./members";

/** Which copy a restore or drill reads: the central bucket (default), or the vault's for the day central is lost (`--from vault`). */
export type BackupOrigin = "central" | "vault";

/** The backup a restore reads, and the role and drill bucket beside it. */
export interface RestoreOrigin {
  readonly origin: BackupOrigin;
  readonly bucket: string;
  readonly region: string;
  readonly access: RestoreAccess;
}

/** The restore role and drill bucket the central stack (or, `--from vault`, the vault stack) creates when accounts.ts sets `restore`. */
export function restoreOriginOf(resolved: ResolvedConfig, origin: BackupOrigin = "central"): RestoreOrigin {
  if (!resolved.restore)
    throw new UserError(
      'accounts.ts has no restore access: add restore: { assumableBy: ["arn:aws:iam::<account>:role/<your operator role>"] }, apply central by break glass (npm run deploy -- central --role break-glass --auto-approve) and then the members (docs/restore.md#on-the-bad-day), then run the restore with that role\'s credentials.',
    );
  if (origin === "central") {
    const access = { roleArn: resolved.restore.roleArn, drillBucketName: resolved.restore.drillBucketName, drillRegion: resolved.central.region };
    return { origin, bucket: resolved.central.bucketName, region: resolved.central.region, access };
  }
  const vault = resolved.vault;
  if (!vault?.restoreRoleArn)
    throw new UsageError(
      "--from vault: accounts.ts has no vault, so there is no second copy to read; restore from central (drop --from), or set up a vault (docs/vault.md).",
    );
  const access = { roleArn: vault.restoreRoleArn, drillBucketName: vault.drillBucketName, drillRegion: vault.region };
  return { origin, bucket: vault.bucketName, region: vault.region, access };
}

/** What a drill's --from takes: one copy, or `all` of those accounts.ts has. */
export type DrillFrom = BackupOrigin | "all";

/** The copies a drill reads: --from all is central, then the vault when accounts.ts has one. */
export function drillOrigins(resolved: ResolvedConfig, from: DrillFrom): RestoreOrigin[] {
  if (from !== "all") return [restoreOriginOf(resolved, from)];
  return [restoreOriginOf(resolved, "central"), ...(resolved.vault ? [restoreOriginOf(resolved, "vault")] : [])];
}

/** The restore role and drill bucket of one origin (central by default). */
export function restoreAccessOf(resolved: ResolvedConfig, origin: BackupOrigin = "central"): RestoreAccess {
  return restoreOriginOf(resolved, origin).access;
}

/** Whose backups a restore reads: a member of accounts.ts, or (with --retired) an account removed from it. */
export interface RestoreSubject {
  readonly accountId: string;
  /** Where a restore without --to writes (members only). */
  readonly ownBucket?: { readonly name: string; readonly region: string };
}

/**
 * `--retired <id>`: an account no longer in accounts.ts whose backups remain in central. It
 * has no bucket of the project's to restore into, so --to (the drill bucket or an extra
 * target) is required; an account still in accounts.ts is restored without the flag.
 */
export function restoreSubject(resolved: ResolvedConfig, accountId: string, retired: boolean): RestoreSubject {
  const member = resolved.members.find((m) => m.accountId === accountId);
  if (retired && member)
    throw new UsageError(`--retired: ${accountId} is in accounts.ts (${member.name}); restore it without --retired, into its own bucket or --to.`);
  if (retired) return { accountId };
  const [own] = membersOrUsage(resolved, { account: accountId }, " If it was removed and its backups remain in central: add --retired and --to.");
  return { accountId, ownBucket: { name: own.sourceBucketName, region: own.region } };
}

/**
 * Where `--to` may point for this account: its own source bucket, the origin's drill bucket,
 * or `restore.extraTargetBuckets`, the buckets the origin's restore role may write into.
 * Checked before any AWS call, so a typo or another member's bucket never gets as far as an
 * AccessDenied.
 */
export function checkRestoreTarget(resolved: ResolvedConfig, subject: RestoreSubject, bucket: string, origin: BackupOrigin = "central"): void {
  const restore = resolved.restore;
  const drills = restore ? [restoreAccessOf(resolved, origin).drillBucketName] : [];
  const allowed = [...(subject.ownBucket ? [subject.ownBucket.name] : []), ...drills, ...(restore?.extraTargetBuckets ?? [])];
  const stacks = resolved.vault ? "the central and vault stacks" : "the central stack";
  if (!allowed.includes(bucket))
    throw new UserError(
      `--to ${bucket}: not a bucket a restore of ${subject.accountId}${origin === "vault" ? " from the vault" : ""} may write into. Use one of ${allowed.join(", ")}, or add the bucket to restore.extraTargetBuckets and deploy ${stacks}.`,
    );
}
