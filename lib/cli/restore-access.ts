import { UserError } from "../core/errors";
import type { ResolvedConfig } from "../core/config/resolved";
import type { RestoreAccess } from "../tooling/ops/restore/access";

/** The restore role and drill bucket the central stack creates when accounts.ts sets `restore`. */
export function restoreAccessOf(resolved: ResolvedConfig): RestoreAccess {
  if (!resolved.restore)
    throw new UserError(
      'accounts.ts has no restore access: add restore: { assumableBy: ["arn:aws:iam::<account>:role/<your operator role>"] }, deploy the central stack and the members (docs/restore.md), then run the restore with that role\'s credentials.',
    );
  return { roleArn: resolved.restore.roleArn, drillBucketName: resolved.restore.drillBucketName, drillRegion: resolved.central.region };
}
