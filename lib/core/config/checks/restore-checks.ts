import { DEFAULTS } from "../defaults";
import { drillBucketName } from "../naming";
import { ROLE_ARN_PATTERN, ROLE_NAME } from "../patterns";
import type { RestoreConfig } from "../types";
import { bucketNameProblem } from "./field-checks";

import { ConfigChecks } from "./config-checks";

/** The rules of `restore`: who may restore, the restore role's name, the drill bucket, extra targets. (Role names across the config: CiChecks.) */
export class RestoreChecks extends ConfigChecks {
  run(): void {
    const restore = this.config.restore;
    if (restore === undefined) return;
    this.assumableBy(restore);
    this.roleName(restore);
    this.drillBucket();
    this.vaultDrillBucket();
    this.extraTargets(restore);
  }

  assumableBy(restore: RestoreConfig): void {
    const arns: readonly unknown[] = Array.isArray(restore.assumableBy) ? restore.assumableBy : [];
    if (arns.length === 0)
      this.problems.report(
        "restore.assumableBy",
        "the list is empty, so nobody could restore",
        'list the roles that run restores, e.g. "arn:aws:iam::111111111111:role/BackupOperator"',
      );
    arns.forEach((arn, i) => {
      if (typeof arn !== "string" || !ROLE_ARN_PATTERN.test(arn))
        this.problems.report(
          `restore.assumableBy[${i}]`,
          `"${String(arn)}" is not an IAM role ARN`,
          "write arn:aws:iam::<account>:role/<path/name>; '*' may stand for a generated suffix",
        );
    });
  }

  roleName(restore: RestoreConfig): void {
    const name = restore.roleName ?? DEFAULTS.restoreRoleName;
    if (!ROLE_NAME.test(name))
      this.problems.report(
        "restore.roleName",
        `"${name}" is not an IAM role name`,
        `use up to 64 letters, digits or +=,.@_-, or remove the field for "${DEFAULTS.restoreRoleName}"`,
      );
  }

  drillBucket(): void {
    if (!this.problems.isValid("central.bucketName")) return;
    const problem = bucketNameProblem(drillBucketName(String(this.config.central?.bucketName)));
    if (problem) this.problems.report("restore", `the drill bucket name ${problem}`, "shorten central.bucketName to 56 characters or fewer");
  }

  /** With `vault`, the vault stack creates a drill bucket of its own beside the vault bucket. */
  vaultDrillBucket(): void {
    if (this.config.vault === undefined || !this.problems.isValid("vault.bucketName")) return;
    const problem = bucketNameProblem(drillBucketName(String(this.config.vault.bucketName)));
    if (problem) this.problems.report("vault.bucketName", `the vault's drill bucket name ${problem}`, "shorten vault.bucketName to 56 characters or fewer");
  }

  extraTargets(restore: RestoreConfig): void {
    (restore.extraTargetBuckets ?? []).forEach((bucket, i) => {
      const field = `restore.extraTargetBuckets[${i}]`;
      const problem = bucketNameProblem(bucket);
      if (problem) this.problems.report(field, problem, "write the exact name of an existing bucket");
      else if (bucket === this.config.central?.bucketName)
        this.problems.report(field, `"${bucket}" is the central bucket`, "remove it: restores never write into the backup itself");
      else if (bucket === this.config.vault?.bucketName)
        this.problems.report(field, `"${bucket}" is the vault bucket`, "remove it: restores never write into the backup itself");
    });
  }
}
