import type { BackupConfig } from "./types";

/**
 * The keys each object of accounts.ts may hold. Typed against types.ts, so that a field
 * added to a type without its entry here (or an entry without a field) fails `tsc`.
 * "value" is a leaf, "map" an object with keys of the user's choosing (tags), a nested
 * schema an object, and a one-element array a list of such objects.
 */
export type KeySchema<T> = { readonly [K in keyof T]-?: FieldShape<NonNullable<T[K]>> };
type FieldShape<V> = V extends readonly (infer E)[]
  ? E extends object
    ? readonly [KeySchema<E>]
    : "value"
  : V extends object
    ? KeySchema<V> | "map"
    : "value";

const REPLICATION_OPTIONS = {
  storageClass: "value",
  replicationTimeControl: "value",
  replicateDeleteMarkers: "value",
  monitoring: { enabled: "value", emails: "value" },
  batchReplication: "value",
} as const;

export const CONFIG_KEYS: KeySchema<BackupConfig> = {
  organizationId: "value",
  central: {
    ...REPLICATION_OPTIONS,
    accountId: "value",
    region: "value",
    bucketName: "value",
    keyAlias: "value",
    keyArn: "value",
    deployRoleName: "value",
    planRoleName: "value",
    breakGlassRoleName: "value",
    replicationRoleName: "value",
    sourceBucketPrefix: "value",
    sourceKeyAlias: "value",
    keyDeletionWindowDays: "value",
    accessMode: "value",
    bucketKey: "value",
    objectLock: { mode: "value", days: "value" },
    lifecycle: { transitions: [{ days: "value", storageClass: "value" }], noncurrentVersionExpirationDays: "value", keepNoncurrentVersions: "value" },
  },
  members: [
    {
      ...REPLICATION_OPTIONS,
      accountId: "value",
      name: "value",
      region: "value",
      existingBucket: { bucketName: "value", kmsKeyArn: "value" },
      extraRules: [{ id: "value", prefix: "value", tag: { key: "value", value: "value" }, priority: "value", enabled: "value", storageClass: "value" }],
    },
  ],
  stateBackend: { bucket: "value", region: "value", keyPrefix: "value", roleArn: "value" },
  ciRoleArn: "value",
  ci: {
    githubRepository: "value",
    deployEnvironment: "value",
    planRoleName: "value",
    deployRoleName: "value",
    useExistingOidcProvider: "value",
    bootstrapRoleName: "value",
    stateAdminRoleArns: "value",
    operatorRoleArns: "value",
    stateNoncurrentVersionDays: "value",
    organization: { managementAccountId: "value", delegatedAdminAccountId: "value", organizationalUnitIds: "value" },
  },
  tags: "map",
  restore: { assumableBy: "value", roleName: "value", extraTargetBuckets: "value" },
  organizationSync: { exclude: [{ accountId: "value", reason: "value" }], roleArn: "value" },
  vault: { accountId: "value", region: "value", bucketName: "value", keyAlias: "value", keyArn: "value", objectLockDays: "value" },
};
