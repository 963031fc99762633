import type { BackupConfig } from "./types";
import type { ConfigProblem } from "./validate";

/**
 * Object Lock with members that control their own replication (issue 21, point 4): replicated
 * retention overrides the destination's default ("What does Amazon S3 replicate?", S3 User
 * Guide), and s3:ReplicateObject has no condition key on the retention mode or date
 * (Service Authorization Reference), so whoever may replicate decides how long a replica is
 * locked, COMPLIANCE decades included. The mitigation: Object Lock only with
 * `accessMode: "listed-accounts"`, so only the accounts this file names (not every account
 * of the organization) can send locked replicas. The rest is a documented risk
 * (docs/policies.md, "Residual risks"). Checked against the documentation, not against AWS.
 */
export function objectLockProblems(config: BackupConfig): ConfigProblem[] {
  const central = config.central;
  if (!central?.objectLock || central.accessMode === "listed-accounts") return [];
  return [
    {
      field: "central.objectLock",
      problem:
        'with accessMode "organization" every account of the organization could replicate objects with its own Object Lock retention (even decades of COMPLIANCE) into the central bucket',
      fix: 'set central.accessMode to "listed-accounts", so that only the members of this file can, or remove objectLock',
    },
  ];
}
