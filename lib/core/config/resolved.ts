import type { CentralLifecycleConfig, ObjectLockConfig, ReplicaStorageClass, StateBackendConfig } from "./types";

/**
 * The config after validation: every default filled in and every name derived, so that
 * stacks and scripts never repeat a default or a naming rule.
 */
export interface ResolvedConfig {
  readonly organizationId: string;
  readonly central: ResolvedCentral;
  readonly members: readonly ResolvedMember[];
  readonly stateBackend?: Required<Pick<StateBackendConfig, "bucket" | "region" | "keyPrefix">> & Pick<StateBackendConfig, "roleArn">;
  /** Set when accounts.ts configures `ci`: the CI roles and what the bootstrap creates. */
  readonly ci?: ResolvedCi;
  readonly tags: Readonly<Record<string, string>>;
  /** Set when accounts.ts configures `restore`. */
  readonly restore?: ResolvedRestore;
  /** Set when accounts.ts configures `vault`. */
  readonly vault?: ResolvedVault;
}

/** `vault` of accounts.ts with every name and ARN derived (docs/vault.md). */
export interface ResolvedVault extends ResolvedDestination {
  /** `vault`: the cdktf stack and its output directory. */
  readonly stackName: string;
  /** Days of COMPLIANCE retention every replica version gets by default. */
  readonly objectLockDays: number;
  /** The project's deploy and plan roles, in the vault account like in any other (central's names). */
  readonly deployRoleArn: string;
  readonly planRoleArn: string;
  /** The vault key's deletion window: central's (`central.keyDeletionWindowDays`). */
  readonly keyDeletionWindowDays: number;
  /** `<vault.bucketName>-drills`: the scratch bucket drills from the vault write into (created with `restore`). */
  readonly drillBucketName: string;
  /** With `restore`: the vault's own restore role, `restore.roleName` in the vault account (docs/vault.md). */
  readonly restoreRoleArn?: string;
}

/** Where members replicate to (central, the vault): the account, bucket and key their rules and roles name. */
export interface ResolvedDestination {
  readonly accountId: string;
  readonly region: string;
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly keyAlias: string;
  /** What replication rules name as the replica key: the pinned key ARN (`keyArn`), else the alias ARN. */
  readonly replicaKmsKeyId: string;
  /** Resource the replication role may encrypt with: the pinned key ARN, else any key of the destination's account in its region. */
  readonly keyResourceForMembers: string;
}

export interface ResolvedCentral extends ResolvedDestination {
  /** Role name Terraform deploys with, in every account. */
  readonly deployRoleName: string;
  readonly deployRoleArn: string;
  /** Read-only role name plans use, in every account (created by the bootstrap). */
  readonly planRoleName: string;
  readonly planRoleArn: string;
  /** The one principal the central bucket and key policies let change them (types.ts, breakGlassRoleName). */
  readonly breakGlassRoleName: string;
  readonly breakGlassRoleArn: string;
  /** `central.monitoring.emails`: who the central account's security alerts reach. */
  readonly alertEmails: readonly string[];
  readonly replicationRoleName: string;
  /** Created source buckets are named `<sourceBucketPrefix>-<accountId>-<region>`. */
  readonly sourceBucketPrefix: string;
  readonly sourceKeyAlias: string;
  readonly keyDeletionWindowDays: number;
  readonly accessMode: "organization" | "listed-accounts";
  readonly bucketKey: boolean;
  readonly objectLock?: ObjectLockConfig;
  readonly lifecycle?: CentralLifecycleConfig & { readonly keepNoncurrentVersions: number };
}

export interface ResolvedRule {
  readonly id: string;
  readonly prefix: string;
  readonly tag?: { readonly key: string; readonly value: string };
  readonly priority: number;
  readonly enabled: boolean;
  readonly storageClass: ReplicaStorageClass;
}

export interface ResolvedMember {
  readonly accountId: string;
  readonly name: string;
  readonly region: string;
  /** `member-<accountId>`: the cdktf stack and its output directory. */
  readonly stackName: string;
  readonly deployRoleArn: string;
  /** The account's read-only plan role (see ResolvedCentral.planRoleName). */
  readonly planRoleArn: string;
  readonly sourceBucketName: string;
  readonly sourceBucketArn: string;
  /** True when the bucket exists already and is imported, not created. */
  readonly adoptBucket: boolean;
  /** Key ARN of an existing source key to adopt, if any. */
  readonly existingKeyArn?: string;
  readonly sourceKeyAlias: string;
  readonly replicationRoleName: string;
  readonly replicationRoleArn: string;
  readonly replicationTimeControl: boolean;
  readonly replicateDeleteMarkers: boolean;
  /** The default rule (prefix `<accountId>/`, priority 0) first, then the extra rules. */
  readonly rules: readonly ResolvedRule[];
  readonly monitoring: { readonly enabled: boolean; readonly emails: readonly string[] };
  /** Name of the failure alerts topic and of its key's alias. */
  readonly alertsName: string;
  readonly batchReplication: boolean;
  readonly batchReplicationRoleName: string;
  readonly batchReplicationRoleArn: string;
  /** Name of the rule that forwards replication-stopping changes to central, and of the role it forwards with. */
  readonly watchName: string;
  readonly watchRoleArn: string;
}

/** `ci` of accounts.ts with defaults filled in and every ARN and OIDC subject derived. */
export interface ResolvedCi {
  readonly githubRepository: string;
  readonly deployEnvironment: string;
  /** The CI account: the central account holds the OIDC provider and both CI roles. */
  readonly accountId: string;
  readonly oidcProviderArn: string;
  /** False when the account's existing GitHub OIDC provider is used. */
  readonly createOidcProvider: boolean;
  readonly planRoleName: string;
  readonly planRoleArn: string;
  readonly deployRoleName: string;
  readonly deployRoleArn: string;
  /** OIDC subjects the plan CI role trusts: pull requests, and `main` (nightly drift, manual plans). */
  readonly planSubjects: readonly string[];
  /** The one OIDC subject the deploy CI role trusts: the deploy environment. */
  readonly deploySubject: string;
  /** Role the bootstrap assumes in the central account. */
  readonly bootstrapRoleArn: string;
  readonly stateAdminRoleArns: readonly string[];
  /** Roles besides the CI roles that may assume the plan and deploy roles (empty: CI only). */
  readonly operatorRoleArns: readonly string[];
  readonly stateNoncurrentVersionDays: number;
  readonly organization: {
    readonly managementAccountId: string;
    /** Where the StackSet lives: the delegated administrator if set, else the management account. */
    readonly stackSetAccountId: string;
    readonly delegatedAdmin: boolean;
    /** Role the bootstrap assumes in a delegated administrator; none in the management account (the admin's own credentials). */
    readonly stackSetBootstrapRoleArn?: string;
    readonly organizationalUnitIds: readonly string[];
  };
}

/** The config the bootstrap runs on: accounts.ts with `ci` set. */
export type BootstrapConfig = ResolvedConfig & { readonly ci: ResolvedCi };

/** `restore` of accounts.ts with its defaults and derived names. */
export interface ResolvedRestore {
  readonly roleName: string;
  readonly roleArn: string;
  readonly assumableBy: readonly string[];
  /** `<central.bucketName>-drills`: the scratch bucket restore drills write into. */
  readonly drillBucketName: string;
  readonly extraTargetBuckets: readonly string[];
}
