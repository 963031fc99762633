/**
 * The shape of `accounts.ts`, the project's one config file.
 *
 * Everything a stack needs is derived from this object: member stacks never read the
 * central stack's Terraform state, so any member can be planned alone, offline, in parallel.
 * `validateConfig` (lib/core/config/validate.ts) checks it and fills in the defaults before any stack
 * is built.
 */

/** S3 storage classes a replication rule may write replicas in. */
export const REPLICA_STORAGE_CLASSES = [
  "STANDARD",
  "STANDARD_IA",
  "ONEZONE_IA",
  "INTELLIGENT_TIERING",
  "GLACIER_IR",
  "GLACIER",
  "DEEP_ARCHIVE",
  "REDUCED_REDUNDANCY",
] as const;
export type ReplicaStorageClass = (typeof REPLICA_STORAGE_CLASSES)[number];

/** Where Terraform keeps each stack's state. Omit it to keep local state files. */
export interface StateBackendConfig {
  /** Existing S3 bucket that holds the state files (created outside this project). */
  readonly bucket: string;
  /** Region of the state bucket. */
  readonly region: string;
  /** Key prefix; each stack's state is `<keyPrefix>/<stack>.tfstate`. Default `org-s3-central-backup`. */
  readonly keyPrefix?: string;
  /** Role ARN Terraform assumes to reach the state bucket. Default: the caller's own credentials. */
  readonly roleArn?: string;
}

/** An extra replication rule of a member, beside the default rule for `<accountId>/`. */
export interface ExtraReplicationRule {
  /** Rule ID, unique within the member; letters, digits, `-` and `_`. */
  readonly id: string;
  /**
   * Key prefix the rule replicates. It must start with `<accountId>/`, because the central
   * bucket only accepts each account under its own prefix.
   */
  readonly prefix: string;
  /** Only objects carrying this tag (key and value) are replicated. */
  readonly tag?: { readonly key: string; readonly value: string };
  /** Higher wins when two rules match one object. Must differ from every other rule's. */
  readonly priority: number;
  /** `false` keeps the rule in the configuration but stops it replicating. Default `true`. */
  readonly enabled?: boolean;
  /** Replica storage class for this rule. Default: the member's storage class. */
  readonly storageClass?: ReplicaStorageClass;
}

/** A bucket that already exists in the member account and is adopted instead of created. */
export interface ExistingSourceBucket {
  /** Name of the bucket to adopt with Terraform `import` blocks. */
  readonly bucketName: string;
  /**
   * Key ARN of the bucket's existing KMS key. When set, the key is adopted too; when
   * omitted, a new key is created and becomes the bucket's default encryption key.
   */
  readonly kmsKeyArn?: string;
}

/** Monitoring of replication failures in a member account. */
export interface MonitoringConfig {
  /**
   * Default `true`: S3 replication-failure notifications into an encrypted SNS topic, and a
   * CloudWatch alarm per enabled rule, in every member (S3 sends replication events straight
   * to SNS: EventBridge does not get them).
   */
  readonly enabled?: boolean;
  /** Email addresses subscribed to the failure topic. Each must confirm by email. */
  readonly emails?: readonly string[];
}

/** Options a member may override; unset ones take the central default. */
export interface ReplicationOptions {
  /** Storage class of the replicas in the central bucket. */
  readonly storageClass?: ReplicaStorageClass;
  /** S3 Replication Time Control (15-minute SLA, with replication metrics). */
  readonly replicationTimeControl?: boolean;
  /** Replicate delete markers to the central bucket. Off keeps deleted data in the backup. */
  readonly replicateDeleteMarkers?: boolean;
  /** Replication failure alerts. */
  readonly monitoring?: MonitoringConfig;
  /** Role and permissions for `npm run backfill` (S3 Batch Replication). Default `true`. */
  readonly batchReplication?: boolean;
}

/** One member account whose source bucket is backed up into the central bucket. */
export interface MemberAccountConfig extends ReplicationOptions {
  /** 12-digit AWS account ID. Also the key prefix of its data, in both buckets. */
  readonly accountId: string;
  /** Readable name, shown in plans and tags. */
  readonly name: string;
  /** Region of the source bucket. Default: the central region. */
  readonly region?: string;
  /** Adopt an existing bucket instead of creating `<sourceBucketPrefix>-<accountId>-<region>`. */
  readonly existingBucket?: ExistingSourceBucket;
  /** More rules beside the default `<accountId>/` rule (priority 0). */
  readonly extraRules?: readonly ExtraReplicationRule[];
}

/** Object Lock on the central bucket. Can only be switched on when the bucket is created. */
export interface ObjectLockConfig {
  /** GOVERNANCE can be lifted by privileged users; COMPLIANCE by nobody, not even root. */
  readonly mode: "GOVERNANCE" | "COMPLIANCE";
  /** Default retention of every new object version, in days. */
  readonly days: number;
}

/** Lifecycle of replicas in the central bucket. */
export interface CentralLifecycleConfig {
  /** Move current versions to a colder class after some days, e.g. `[{ days: 90, storageClass: "GLACIER" }]`. */
  readonly transitions?: readonly { readonly days: number; readonly storageClass: ReplicaStorageClass }[];
  /** Delete noncurrent versions this many days after they become noncurrent. */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * With `noncurrentVersionExpirationDays`: the newest this-many noncurrent versions of every
   * key are kept whatever their age, so a wave of overwrites or delete markers cannot age
   * every version out. Default 5, 1 to 100 (S3's limit), e.g. `10`.
   */
  readonly keepNoncurrentVersions?: number;
}

/** The central (backup) account and the organization-wide defaults. */
export interface CentralAccountConfig extends ReplicationOptions {
  /** 12-digit AWS account ID that owns the central bucket. */
  readonly accountId: string;
  /** Region of the central bucket and its key. */
  readonly region: string;
  /** Globally unique name of the central bucket. */
  readonly bucketName: string;
  /** Alias of the central KMS key, `alias/<name>`. */
  readonly keyAlias: string;
  /**
   * Key ARN of the central KMS key, once the central stack has been deployed (its
   * `central_key_arn` output). Pins replication to that exact key; until set, member
   * rules name the key by its alias ARN in the central account.
   */
  readonly keyArn?: string;
  /**
   * Role Terraform assumes in every account (central and members) to deploy. With `ci`
   * set, the bootstrap creates it in every account (trusted only by the deploy CI role), so
   * it must not be `OrganizationAccountAccessRole`, which AWS Organizations already created.
   */
  readonly deployRoleName: string;
  /**
   * Read-only role in every account (central and members) that plans assume: it reads the
   * configuration Terraform refreshes, never backup data, and writes nothing. Created by
   * the bootstrap (bootstrap.ts); trusted only by the plan CI role. Default `s3-central-backup-plan`.
   */
  readonly planRoleName?: string;
  /** Name of the replication role created in every member account. Default `s3-central-backup-replication`. */
  readonly replicationRoleName?: string;
  /** Source buckets are named `<sourceBucketPrefix>-<accountId>-<region>`. Default `s3-backup-source`. */
  readonly sourceBucketPrefix?: string;
  /** Alias of each member's source key, `alias/<name>`. Default `alias/s3-backup-source`. */
  readonly sourceKeyAlias?: string;
  /**
   * The one role of the central account that may change the central bucket's policy,
   * lifecycle, versioning, ownership, ACLs, encryption, replication or Object Lock, delete
   * versions, and disable, delete or re-policy the central key (docs/ci-and-state.md,
   * "Break glass"). Every other principal, the account root and the deploy role included,
   * is denied. Create it by hand, trusted only by the people on the break-glass rota, with
   * MFA. Default `s3-central-backup-break-glass`.
   */
  readonly breakGlassRoleName?: string;
  /** KMS key deletion window in days, 7–30. Default 30. */
  readonly keyDeletionWindowDays?: number;
  /**
   * Who may replicate into the central bucket: `organization` (default) admits every
   * account of the organization under its own prefix with a policy whose size does not
   * depend on the number of members; `listed-accounts` admits only the members of this
   * file and grows with them.
   */
  readonly accessMode?: "organization" | "listed-accounts";
  /** S3 Bucket Keys on the central bucket: fewer KMS calls, lower KMS cost. Default `false`. */
  readonly bucketKey?: boolean;
  /** Optional Object Lock on the central bucket. */
  readonly objectLock?: ObjectLockConfig;
  /** Optional lifecycle rules on the central bucket. */
  readonly lifecycle?: CentralLifecycleConfig;
}

/** The whole config: what `accounts.ts` exports. */
export interface BackupConfig {
  /** AWS Organization ID, `o-` followed by 10–32 lowercase letters or digits. */
  readonly organizationId: string;
  /** The central account and the defaults every member inherits. */
  readonly central: CentralAccountConfig;
  /** Member accounts. Adding an account is adding one entry here. */
  readonly members: readonly MemberAccountConfig[];
  /** Remote state. Omit to keep state in local files (`terraform-state/`). */
  readonly stateBackend?: StateBackendConfig;
  /**
   * @deprecated One role for plans and deploys let any pull request deploy. Replaced by
   * `ci` (a plan CI role and a deploy CI role); setting it is a validation error that says so.
   */
  readonly ciRoleArn?: string;
  /** GitHub Actions roles and the one-off bootstrap (`npm run bootstrap:*`). Omit to manage CI access by hand. */
  readonly ci?: CiConfig;
  /** Tags put on every resource, beside `ManagedBy`. */
  readonly tags?: Readonly<Record<string, string>>;
  /** `npm run org-sync`: which accounts of the organization are deliberately not members, and where it reads the organization. */
  readonly organizationSync?: OrganizationSyncConfig;
  /** Restore access: a restore role in the central account and the drill bucket. Omit for none. */
  readonly restore?: RestoreConfig;
  /**
   * A second, locked copy in another account (docs/vault.md): every member also replicates
   * into the vault bucket, under the same `<accountId>/` prefix. Omit for none.
   */
  readonly vault?: VaultConfig;
}

/**
 * The vault (docs/vault.md): a bucket and key in an account of their own, neither central nor
 * a member, written only by the members' replication rules and locked with Object Lock in
 * COMPLIANCE mode, so that the backups outlive the loss of the central account or its Region.
 * For example:
 *
 * ```ts
 * vault: { accountId: "121212121212", region: "eu-west-1", bucketName: "acme-org-backup-vault", keyAlias: "alias/backup-vault", objectLockDays: 35 },
 * ```
 */
export interface VaultConfig {
  /** 12-digit AWS account ID that owns the vault bucket and key: neither the central account nor a member. */
  readonly accountId: string;
  /** Region of the vault bucket and its key; may differ from central's (a Region outage then spares one copy). */
  readonly region: string;
  /** Globally unique name of the vault bucket. Object Lock is switched on at creation, so renaming it means a new, empty vault. */
  readonly bucketName: string;
  /** Alias of the vault KMS key, `alias/<name>`. */
  readonly keyAlias: string;
  /**
   * Key ARN of the vault key, once the vault stack has been deployed (its `vault_key_arn`
   * output). Pins the members' vault rules to that exact key; until set, they name the key
   * by its alias ARN in the vault account.
   */
  readonly keyArn?: string;
  /**
   * Default Object Lock retention of every replica version in the vault, in COMPLIANCE mode:
   * nobody, the vault account's root included, can delete a version or shorten its retention
   * before it ends. Required (a vault without a lock is not a vault), whole days, 1 to 3650.
   */
  readonly objectLockDays: number;
}

/**
 * Where the bootstrap rolls the plan and deploy roles out: a CloudFormation StackSet with
 * service-managed permissions and automatic deployment, so every account of the targeted
 * OUs, present and future, gets them. StackSets never deploy into the management account.
 */
export interface OrganizationRolloutConfig {
  /** The organization's management account: the StackSet lives here unless `delegatedAdminAccountId` is set. */
  readonly managementAccountId: string;
  /** A registered delegated administrator for CloudFormation StackSets, to run the StackSet from instead. */
  readonly delegatedAdminAccountId?: string;
  /** Root (`r-...`) or OU IDs (`ou-...`) whose accounts get the roles. They must hold the central account and every member. */
  readonly organizationalUnitIds: readonly string[];
}

/**
 * GitHub Actions access, split by power: pull request and drift plans assume the plan CI
 * role (read-only everywhere), deploys from the `production` environment assume the deploy
 * CI role. Both live in the central account with the GitHub OIDC provider; `bootstrap.ts`
 * creates them, the state bucket and the per-account roles.
 */
export interface CiConfig {
  /** `owner/repo` exactly as GitHub spells it (OIDC subjects are case-sensitive). */
  readonly githubRepository: string;
  /** GitHub environment deploy jobs run in; only its subject, on `main`, reaches the deploy CI role. Default `production`. */
  readonly deployEnvironment?: string;
  /** Name of the plan CI role in the central account. Default `s3-central-backup-ci-plan`. */
  readonly planRoleName?: string;
  /** Name of the deploy CI role in the central account. Default `s3-central-backup-ci-deploy`. */
  readonly deployRoleName?: string;
  /** The account has a GitHub OIDC provider already (one per account): use it instead of creating one. Default `false`. */
  readonly useExistingOidcProvider?: boolean;
  /** Role the bootstrap assumes in the central account (and in a delegated administrator). Default `OrganizationAccountAccessRole`. */
  readonly bootstrapRoleName?: string;
  /**
   * Role ARNs (wildcards allowed, e.g. an IAM Identity Center admin role) that keep access
   * to the state objects besides the CI roles and the account root. Default: the bootstrap
   * role in the central account.
   */
  readonly stateAdminRoleArns?: readonly string[];
  /**
   * Your operators' roles (ARNs, `*` allowed in the name, e.g. an IAM Identity Center admin
   * role) that may also assume the plan and deploy roles in every account: for
   * `npm run verify`, `npm run backfill` and plans or deploys by hand. Default none: only
   * the CI roles. The GitHub OIDC subjects never reach these roles through it.
   */
  readonly operatorRoleArns?: readonly string[];
  /** Days the state bucket keeps a noncurrent state version (a bad write can be rolled back). Default 90. */
  readonly stateNoncurrentVersionDays?: number;
  /** Where the plan and deploy roles are rolled out. */
  readonly organization: OrganizationRolloutConfig;
}

/**
 * `npm run org-sync` compares the organization's ACTIVE accounts (or those of
 * `ci.organization.organizationalUnitIds`) with `members`. The central account and the
 * management account are never reported missing.
 */
export interface OrganizationSyncConfig {
  /** Accounts that are not backed up on purpose, each with the reason (shown in the report). */
  readonly exclude?: readonly { readonly accountId: string; readonly reason: string }[];
  /**
   * Role the command assumes to read AWS Organizations: in the management account or in a
   * delegated administrator (only those may call ListAccounts). Default: the plan role in
   * `ci.organization.delegatedAdminAccountId` when set, else the caller's own credentials.
   */
  readonly roleArn?: string;
}

/**
 * Restore access (docs/policies.md, "Restore role"): a role in the central account, created
 * by the central stack, that reads object versions of the central bucket and writes them back
 * where a restore may go. Omit it and no restore role, no drill bucket, and no restore grant
 * in any member's policies exist.
 */
export interface RestoreConfig {
  /** Role ARNs (`*` allowed in the name, e.g. an IAM Identity Center role) that may assume the restore role. At least one. */
  readonly assumableBy: readonly string[];
  /** Name of the restore role in the central account. Default `s3-central-backup-restore`. */
  readonly roleName?: string;
  /** Buckets besides the members' source buckets and the drill bucket that restores may write into (`--to`). Default none. */
  readonly extraTargetBuckets?: readonly string[];
}
