import type { ReplicaStorageClass } from "./types";

/** What an option of accounts.ts is when it is left out (documented on each field in types.ts). */
export const DEFAULTS = {
  replicationRoleName: "s3-central-backup-replication",
  sourceBucketPrefix: "s3-backup-source",
  sourceKeyAlias: "alias/s3-backup-source",
  keyDeletionWindowDays: 30,
  storageClass: "STANDARD" as ReplicaStorageClass,
  replicationTimeControl: true,
  replicateDeleteMarkers: false,
  monitoring: true,
  batchReplication: true,
  stateKeyPrefix: "org-s3-central-backup",
  accessMode: "organization" as const,
  planRoleName: "s3-central-backup-plan",
  restoreRoleName: "s3-central-backup-restore",
  breakGlassRoleName: "s3-central-backup-break-glass",
  keepNoncurrentVersions: 5,
};

/** Defaults of `ci` (CiConfig in types.ts). */
export const CI_DEFAULTS = {
  planRoleName: "s3-central-backup-ci-plan",
  deployRoleName: "s3-central-backup-ci-deploy",
  deployEnvironment: "production",
  bootstrapRoleName: "OrganizationAccountAccessRole",
  stateNoncurrentVersionDays: 90,
};

/** S3 Replication Time Control replicates 99.99% of objects within 15 minutes; its metrics and events use the same threshold. */
export const RTC_MINUTES = 15;

/** The tag every resource carries, beside the config's own tags. */
export const MANAGED_BY_TAG = { ManagedBy: "org-s3-central-backup" } as const;
