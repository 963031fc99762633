import type { CentralLifecycleConfig, ObjectLockConfig, ReplicaStorageClass, StateBackendConfig } from "./config";

/**
 * The config after validation: every default filled in and every name derived, so that
 * stacks and scripts never repeat a default or a naming rule.
 */
export interface ResolvedConfig {
  readonly organizationId: string;
  readonly central: ResolvedCentral;
  readonly members: readonly ResolvedMember[];
  readonly stateBackend?: Required<Pick<StateBackendConfig, "bucket" | "region" | "keyPrefix">> &
    Pick<StateBackendConfig, "roleArn">;
  readonly ciRoleArn?: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface ResolvedCentral {
  readonly accountId: string;
  readonly region: string;
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly keyAlias: string;
  /** What replication rules name as the replica key: the pinned key ARN, else the alias ARN. */
  readonly replicaKmsKeyId: string;
  /** Resource the replication role may encrypt with: the pinned key ARN, else any key of the central account in its region. */
  readonly keyResourceForMembers: string;
  readonly deployRoleArn: string;
  readonly replicationRoleName: string;
  readonly keyDeletionWindowDays: number;
  readonly accessMode: "organization" | "listed-accounts";
  readonly bucketKey: boolean;
  readonly objectLock?: ObjectLockConfig;
  readonly lifecycle?: CentralLifecycleConfig;
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
  readonly batchReplication: boolean;
  readonly batchReplicationRoleName: string;
}
