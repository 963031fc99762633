import type { BackupConfig } from "./lib/core/config/types";

/**
 * The one config file. Every option is documented in lib/core/config/types.ts and in the README.
 * To back up one more account, add one line to `members`.
 * The IDs below are made up: replace them with your organization's.
 */
export const config: BackupConfig = {
  organizationId: "o-a1b2c3d4e5",
  central: {
    accountId: "111111111111",
    region: "eu-central-1",
    bucketName: "acme-org-central-backup",
    keyAlias: "alias/central-backup",
    storageClass: "STANDARD_IA",
    replicationTimeControl: true,
    replicateDeleteMarkers: false,
    deployRoleName: "OrganizationAccountAccessRole",
    planRoleName: "s3-central-backup-plan",
  },
  // CI with a plan role and a deploy role, created by `npm run bootstrap:deploy`: add `ci`
  // (see examples/all-options.ts) and give deployRoleName a dedicated name such as
  // "s3-central-backup-deploy" (the bootstrap creates it in every account).
  members: [
    { accountId: "222222222222", name: "workloads-prod" },
    { accountId: "333333333333", name: "workloads-staging" },
    { accountId: "444444444444", name: "data-lake" },
  ],
};
