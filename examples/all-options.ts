import type { BackupConfig } from "../lib/core/config/types";

/**
 * An example that uses every option of accounts.ts. The test suite validates and plans it
 * offline like the main example; copy what you need from here into accounts.ts.
 */
export const config: BackupConfig = {
  organizationId: "o-z9y8x7w6v5",
  central: {
    accountId: "555555555555",
    region: "us-east-1",
    bucketName: "example-org-backup-all-options",
    keyAlias: "alias/org-backup",
    keyArn: "arn:aws:kms:us-east-1:555555555555:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    storageClass: "STANDARD",
    replicationTimeControl: true,
    replicateDeleteMarkers: false,
    deployRoleName: "BackupDeployRole",
    planRoleName: "BackupPlanRole",
    replicationRoleName: "org-backup-replication",
    sourceBucketPrefix: "org-backup-src",
    sourceKeyAlias: "alias/org-backup-source",
    keyDeletionWindowDays: 30,
    accessMode: "listed-accounts",
    bucketKey: true,
    objectLock: { mode: "GOVERNANCE", days: 30 },
    lifecycle: {
      transitions: [
        { days: 30, storageClass: "STANDARD_IA" },
        { days: 180, storageClass: "GLACIER" },
      ],
      noncurrentVersionExpirationDays: 365,
    },
    monitoring: { enabled: true, emails: ["platform-alerts@example.com"] },
    batchReplication: true,
  },
  members: [
    // Same region, all defaults.
    { accountId: "666666666666", name: "payments" },
    // Cross-region: its bucket, key and provider live in eu-west-1.
    {
      accountId: "777777777777",
      name: "analytics-eu",
      region: "eu-west-1",
      storageClass: "GLACIER_IR",
      replicationTimeControl: false,
      replicateDeleteMarkers: true,
      extraRules: [
        { id: "reports-to-deep-archive", prefix: "777777777777/reports/", priority: 2, storageClass: "DEEP_ARCHIVE" },
        { id: "paused-scratch", prefix: "777777777777/scratch/", priority: 1, enabled: false },
      ],
    },
    // An existing bucket and key, adopted with import blocks.
    {
      accountId: "888888888888",
      name: "legacy-media",
      existingBucket: {
        bucketName: "legacy-media-assets-prod",
        kmsKeyArn: "arn:aws:kms:us-east-1:888888888888:key/11111111-2222-4333-8444-555555555555",
      },
      extraRules: [{ id: "tagged-critical", prefix: "888888888888/", tag: { key: "backup", value: "critical" }, priority: 1 }],
      monitoring: { enabled: false },
      batchReplication: false,
    },
  ],
  stateBackend: {
    bucket: "example-org-terraform-state",
    region: "us-east-1",
    keyPrefix: "s3-central-backup",
    roleArn: "arn:aws:iam::555555555555:role/TerraformStateAccess",
  },
  // CI roles and what `npm run bootstrap:deploy` creates (OIDC provider, state bucket,
  // plan and deploy roles in every account of the OUs below).
  ci: {
    githubRepository: "example-org/s3-central-backup",
    deployEnvironment: "production",
    planRoleName: "GitHubActionsBackupPlan",
    deployRoleName: "GitHubActionsBackupDeploy",
    useExistingOidcProvider: false,
    bootstrapRoleName: "OrganizationAccountAccessRole",
    stateAdminRoleArns: ["arn:aws:iam::555555555555:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_*"],
    // Humans who run verify, backfill or a deploy by hand (Identity Center admins of the central account).
    operatorRoleArns: ["arn:aws:iam::555555555555:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_*"],
    stateNoncurrentVersionDays: 90,
    organization: {
      managementAccountId: "999900000000",
      delegatedAdminAccountId: "999900000001",
      organizationalUnitIds: ["ou-ab12-workload1", "ou-ab12-backupsec"],
    },
  },
  tags: { CostCenter: "platform", DataClassification: "backup" },
  // A second, locked copy in an account of its own and another Region (docs/vault.md):
  // every member also replicates into it. Leave out keyArn until the vault stack exists.
  vault: {
    accountId: "121212121212",
    region: "us-west-2",
    bucketName: "example-org-backup-vault",
    keyAlias: "alias/org-backup-vault",
    keyArn: "arn:aws:kms:us-west-2:121212121212:key/2b3c4d5e-6f70-4a81-9b2c-3d4e5f607182",
    objectLockDays: 35,
  },
};
