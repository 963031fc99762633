import { DEFAULTS } from "../defaults";
import { ORGANIZATION_ID } from "../patterns";
import type { CentralAccountConfig } from "../types";

import { ConfigChecks } from "./config-checks";

/** Room for the audit log bucket's "-audit" suffix within S3's 63 characters (and the drill bucket's "-drills" is 7). */
const CENTRAL_BUCKET_NAME_MAX = 56;

/** Room for the suffixes of the roles and topics named after the replication role (naming.ts), within IAM's 64. */
const REPLICATION_ROLE_NAME_MAX = 55;

/** The rules of `organizationId` and `central`: one method per rule. */
export class CentralChecks extends ConfigChecks {
  private get central(): CentralAccountConfig {
    return this.config.central ?? ({} as CentralAccountConfig);
  }

  run(): void {
    this.organizationId();
    this.identity();
    this.keyArn();
    this.roleNames();
    this.keyDeletionWindow();
    this.replicationDefaults();
    this.objectLock();
    this.lifecycle();
  }

  organizationId(): void {
    const id = this.config.organizationId;
    if (typeof id !== "string" || !ORGANIZATION_ID.test(id))
      this.problems.report(
        "organizationId",
        `"${String(id)}" is not an AWS Organization ID`,
        'copy it from AWS Organizations > Settings: "o-" followed by 10 to 32 lowercase letters or digits',
      );
  }

  identity(): void {
    const c = this.central;
    this.fields.accountId("central.accountId", c.accountId);
    this.fields.region("central.region", c.region);
    this.fields.bucketName("central.bucketName", c.bucketName, "choose a globally unique name of 3-63 lowercase letters, digits, dots or hyphens");
    if (typeof c.bucketName === "string" && c.bucketName.length > CENTRAL_BUCKET_NAME_MAX)
      this.problems.report(
        "central.bucketName",
        `"${c.bucketName}" has ${c.bucketName.length} characters: the audit bucket "<name>-audit" would pass S3's 63`,
        `choose a name of at most ${CENTRAL_BUCKET_NAME_MAX} characters`,
      );
    this.fields.keyAlias("central.keyAlias", c.keyAlias);
    this.fields.keyAlias("central.sourceKeyAlias", c.sourceKeyAlias ?? DEFAULTS.sourceKeyAlias);
    const accessMode = c.accessMode ?? DEFAULTS.accessMode;
    if (accessMode !== "organization" && accessMode !== "listed-accounts")
      this.problems.report("central.accessMode", `"${String(accessMode)}" is not an access mode`, 'use "organization" or "listed-accounts"');
  }

  keyArn(): void {
    const c = this.central;
    this.fields.pinnedKeyArn("central.keyArn", c.keyArn, "central", this.problems.isValid("central.accountId", "central.region") ? c : undefined);
  }

  roleNames(): void {
    const c = this.central;
    this.fields.roleName("central.deployRoleName", c.deployRoleName, 'name the role Terraform assumes in every account, e.g. "OrganizationAccountAccessRole"');
    this.fields.roleName(
      "central.planRoleName",
      c.planRoleName ?? DEFAULTS.planRoleName,
      'use up to 64 letters, digits or +=,.@_-, or remove the field for "s3-central-backup-plan"',
    );
    this.fields.roleName(
      "central.breakGlassRoleName",
      c.breakGlassRoleName ?? DEFAULTS.breakGlassRoleName,
      'use up to 64 letters, digits or +=,.@_-, or remove the field for "s3-central-backup-break-glass"',
    );
    if ((c.breakGlassRoleName ?? DEFAULTS.breakGlassRoleName) === c.deployRoleName)
      this.problems.report("central.breakGlassRoleName", "is the deploy role", "name a separate role: the deploy role must not hold the keys to the backups");
    this.fields.roleName(
      "central.replicationRoleName",
      c.replicationRoleName ?? DEFAULTS.replicationRoleName,
      `use up to ${REPLICATION_ROLE_NAME_MAX} letters, digits or +=,.@_- (the batch and watch roles add "-batch" and "-watch")`,
      { maxLength: REPLICATION_ROLE_NAME_MAX, what: "a usable IAM role name" },
    );
  }

  keyDeletionWindow(): void {
    const days = this.central.keyDeletionWindowDays ?? DEFAULTS.keyDeletionWindowDays;
    if (!Number.isInteger(days) || days < 7 || days > 30)
      this.problems.report("central.keyDeletionWindowDays", `${days} is outside KMS's 7-30 days`, "use a whole number of days from 7 to 30 (30 recommended)");
  }

  replicationDefaults(): void {
    this.fields.storageClass("central.storageClass", this.central.storageClass);
    this.fields.emails("central.monitoring.emails", this.central.monitoring?.emails);
  }

  /**
   * Replicated retention overrides the destination's default ("What does Amazon S3
   * replicate?", S3 User Guide) and s3:ReplicateObject has no condition key on retention
   * (Service Authorization Reference): whoever may replicate decides how long a replica is
   * locked. So Object Lock only with listed-accounts, where that is the members of this file.
   * Checked against the documentation, not against AWS.
   */
  objectLock(): void {
    const lock = this.central.objectLock;
    if (!lock) return;
    if ((this.central.accessMode ?? DEFAULTS.accessMode) !== "listed-accounts")
      this.problems.report(
        "central.objectLock",
        'with accessMode "organization" every account of the organization could replicate objects with its own Object Lock retention (even decades of COMPLIANCE) into the central bucket',
        'set central.accessMode to "listed-accounts", so that only the members of this file can, or remove objectLock',
      );
    if (lock.mode !== "GOVERNANCE" && lock.mode !== "COMPLIANCE")
      this.problems.report("central.objectLock.mode", `"${String(lock.mode)}" is not an Object Lock mode`, 'use "GOVERNANCE" or "COMPLIANCE"');
    if (!Number.isInteger(lock.days) || lock.days < 1 || lock.days > 36500)
      this.problems.report("central.objectLock.days", `${lock.days} is not a retention in days`, "use a whole number of days from 1 to 36500");
  }

  lifecycle(): void {
    const lifecycle = this.central.lifecycle;
    (lifecycle?.transitions ?? []).forEach((t, i) => {
      this.fields.storageClass(`central.lifecycle.transitions[${i}].storageClass`, t.storageClass);
      this.fields.wholeDays(`central.lifecycle.transitions[${i}].days`, t.days, 0, "use a whole number of days, 0 or more");
    });
    this.fields.wholeDays(
      "central.lifecycle.noncurrentVersionExpirationDays",
      lifecycle?.noncurrentVersionExpirationDays,
      1,
      "use a whole number of days, 1 or more",
    );
    this.keepNoncurrentVersions(lifecycle?.keepNoncurrentVersions);
  }

  /** S3's NewerNoncurrentVersions accepts 1 to 100. */
  keepNoncurrentVersions(value: unknown): void {
    if (value !== undefined && (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 100))
      this.problems.report(
        "central.lifecycle.keepNoncurrentVersions",
        `${JSON.stringify(value)} is not a number of versions S3 accepts`,
        "use a whole number from 1 to 100, or remove the field for 5",
      );
  }
}
