import type { ResolvedConfig } from "../config/resolved";
import type { RestoreAccess } from "../ops/restore/access";

/** The restore role's name until the central stack creates it and the config names it. */
export const RESTORE_ROLE_NAME = "s3-central-backup-restore";

/** The one place that derives restore access from the config. */
export function restoreAccessOf(resolved: ResolvedConfig): RestoreAccess {
  // merged later: read resolved.restore (roleArn, drillBucketName) once the central stack's restore role lands.
  const { central } = resolved;
  return {
    roleArn: `arn:aws:iam::${central.accountId}:role/${RESTORE_ROLE_NAME}`,
    drillBucketName: `${central.bucketName}-drills`,
    drillRegion: central.region,
  };
}
