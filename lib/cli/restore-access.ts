import { UserError } from "../core/errors";
import type { ResolvedConfig, ResolvedMember } from "../core/config/resolved";
import type { RestoreAccess } from "../tooling/ops/restore/access";

/** The restore role and drill bucket the central stack creates when accounts.ts sets `restore`. */
export function restoreAccessOf(resolved: ResolvedConfig): RestoreAccess {
  if (!resolved.restore)
    throw new UserError(
      'accounts.ts has no restore access: add restore: { assumableBy: ["arn:aws:iam::<account>:role/<your operator role>"] }, deploy the central stack and the members (docs/restore.md), then run the restore with that role\'s credentials.',
    );
  return { roleArn: resolved.restore.roleArn, drillBucketName: resolved.restore.drillBucketName, drillRegion: resolved.central.region };
}

/**
 * Where `--to` may point for this account: its own source bucket, the drill bucket, or
 * `restore.extraTargetBuckets`, the buckets the restore role may write into. Checked before
 * any AWS call, so a typo or another member's bucket never gets as far as an AccessDenied.
 */
export function checkRestoreTarget(resolved: ResolvedConfig, member: ResolvedMember, bucket: string): void {
  const restore = resolved.restore;
  const allowed = [member.sourceBucketName, ...(restore ? [restore.drillBucketName, ...restore.extraTargetBuckets] : [])];
  if (!allowed.includes(bucket))
    throw new UserError(
      `--to ${bucket}: not a bucket a restore of ${member.accountId} may write into. Use one of ${allowed.join(", ")}, or add the bucket to restore.extraTargetBuckets and deploy the central stack.`,
    );
}
