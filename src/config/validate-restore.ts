import type { BackupConfig } from "./types";
import type { ResolvedRestore } from "./resolved";
import { ROLE_ARN_PATTERN, ROLE_NAME } from "./patterns";
import { CI_DEFAULTS } from "./validate-ci";
import { DEFAULTS, bucketNameProblem, type ConfigProblem } from "./validate";

/** Defaults of `restore` (src/config/types.ts RestoreConfig). */
export const RESTORE_DEFAULTS = { roleName: "s3-central-backup-restore" };

/** The drill scratch bucket beside the central bucket. */
export function drillBucketName(centralBucketName: string): string {
  return `${centralBucketName}-drills`;
}

/** Every problem in `restore`; empty when it is absent or valid. */
export function restoreProblems(config: BackupConfig): ConfigProblem[] {
  const restore = config.restore;
  if (restore === undefined) return [];
  const problems: ConfigProblem[] = [];
  const report = (field: string, problem: string, fix: string) => problems.push({ field, problem, fix });
  const assumableBy: readonly unknown[] = Array.isArray(restore.assumableBy) ? restore.assumableBy : [];
  if (assumableBy.length === 0)
    report(
      "restore.assumableBy",
      "the list is empty, so nobody could restore",
      'list the roles that run restores, e.g. "arn:aws:iam::111111111111:role/BackupOperator"',
    );
  assumableBy.forEach((arn, i) => {
    if (typeof arn !== "string" || !ROLE_ARN_PATTERN.test(arn))
      report(
        `restore.assumableBy[${i}]`,
        `"${String(arn)}" is not an IAM role ARN`,
        "write arn:aws:iam::<account>:role/<path/name>; '*' may stand for a generated suffix",
      );
  });
  const roleName = restore.roleName ?? RESTORE_DEFAULTS.roleName;
  if (!ROLE_NAME.test(roleName))
    report(
      "restore.roleName",
      `"${roleName}" is not an IAM role name`,
      `use up to 64 letters, digits or +=,.@_-, or remove the field for "${RESTORE_DEFAULTS.roleName}"`,
    );
  else if (otherRoleNames(config).includes(roleName))
    report("restore.roleName", `"${roleName}" is also the name of another role of the project`, "give the restore role its own name");
  const drills = drillBucketName(String(config.central?.bucketName));
  const drillProblem = bucketNameProblem(drills);
  if (drillProblem) report("restore", `the drill bucket name ${drillProblem}`, "shorten central.bucketName to 56 characters or fewer");
  (restore.extraTargetBuckets ?? []).forEach((bucket, i) => {
    const field = `restore.extraTargetBuckets[${i}]`;
    const problem = bucketNameProblem(bucket);
    if (problem) report(field, problem, "write the exact name of an existing bucket");
    else if (bucket === config.central?.bucketName)
      report(field, `"${bucket}" is the central bucket`, "remove it: restores never write into the backup itself");
  });
  return problems;
}

/** Names of every other role the project creates or assumes in an account. */
function otherRoleNames(config: BackupConfig): string[] {
  const replication = config.central?.replicationRoleName ?? DEFAULTS.replicationRoleName;
  return [
    config.central?.deployRoleName,
    config.central?.planRoleName ?? DEFAULTS.planRoleName,
    replication,
    `${replication}-batch`,
    ...(config.ci ? [config.ci.planRoleName ?? CI_DEFAULTS.planRoleName, config.ci.deployRoleName ?? CI_DEFAULTS.deployRoleName] : []),
  ].filter((name): name is string => typeof name === "string");
}

/** `restore` with its defaults filled in; call after restoreProblems found nothing. */
export function resolveRestore(config: BackupConfig): ResolvedRestore | undefined {
  const restore = config.restore;
  if (restore === undefined) return undefined;
  const roleName = restore.roleName ?? RESTORE_DEFAULTS.roleName;
  return {
    roleName,
    roleArn: `arn:aws:iam::${config.central.accountId}:role/${roleName}`,
    assumableBy: [...restore.assumableBy],
    drillBucketName: drillBucketName(config.central.bucketName),
    extraTargetBuckets: [...(restore.extraTargetBuckets ?? [])],
  };
}
