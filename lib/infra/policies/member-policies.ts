import type { ResolvedCentral, ResolvedMember, ResolvedRestore, ResolvedVault } from "../../core/config/resolved";
import { REPLICATION_WRITE_ACTIONS, centralEncryptionContext, replicaKeyActions } from "./central-policies";
import {
  PolicyDocument,
  PolicyStatement,
  assumableOnlyBy,
  denyInsecureTransport,
  keyAdministrationByAccount,
  policyDocument,
  s3ViaService,
} from "./policy-document";
import { restoreGrantOnSourceKey, restoreGrantsOnSourceBucket, restorersOf } from "./restore-policies";

/** Source-side reads S3 replication needs; nothing that returns object data to a caller. */
export const REPLICATION_SOURCE_READ_ACTIONS = [
  "s3:GetObjectVersionForReplication",
  "s3:GetObjectVersionAcl",
  "s3:GetObjectVersionTagging",
  "s3:GetObjectRetention",
  "s3:GetObjectLegalHold",
] as const;

/** Restore access, when accounts.ts configures `restore`: the central account and its restore role, and the vault's role with `vault`. */
export interface RestoreAccess {
  readonly central: ResolvedCentral;
  readonly restore: ResolvedRestore;
  readonly vault?: ResolvedVault;
}

/**
 * Source bucket policy: TLS only; access inside the account stays with IAM. With `restore`,
 * each restore role (central's, the vault's) may write under `<accountId>/`, copies of this
 * account's data only.
 */
export function sourceBucketPolicy(member: ResolvedMember, restore?: RestoreAccess): PolicyDocument {
  const restorers = restore ? restorersOf(restore.central, restore.restore, restore.vault) : [];
  return policyDocument(denyInsecureTransport(member.sourceBucketArn), ...restorers.flatMap((r) => restoreGrantsOnSourceBucket(member, r)));
}

/**
 * Source key policy: the member account administers its key (and delegates use to IAM);
 * the replication role may decrypt only through S3 in the member's region. The role is
 * named by a condition, not as a principal, so the key can exist before the role.
 */
export function sourceKeyPolicy(member: ResolvedMember, restore?: RestoreAccess): PolicyDocument {
  const restoreGrant = restore ? restorersOf(restore.central, restore.restore, restore.vault).map((r) => restoreGrantOnSourceKey(member, r)) : [];
  return policyDocument(keyAdministrationByAccount(member.accountId), ...restoreGrant, {
    Sid: "ReplicationRoleDecryptsOnlyThroughS3",
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${member.accountId}:root` },
    Action: "kms:Decrypt",
    Resource: "*",
    Condition: {
      StringEquals: { "kms:ViaService": s3ViaService(member.region) },
      ArnEquals: { "aws:PrincipalArn": member.replicationRoleArn },
    },
  });
}

/** Only S3, acting for this account's source bucket, may assume the replication role. */
export function replicationTrustPolicy(member: ResolvedMember): PolicyDocument {
  return assumableOnlyBy("S3ReplicationForThisAccountOnly", "s3.amazonaws.com", {
    StringEquals: { "aws:SourceAccount": member.accountId },
    ArnLike: { "aws:SourceArn": member.sourceBucketArn },
  });
}

/**
 * Least-privilege permissions of a member's replication role: read its source bucket's
 * replication data under `<accountId>/`, write replicas only under the same prefix of the
 * central bucket, decrypt with its own key and encrypt with the central key, both only
 * through S3 and only for those objects.
 * `s3:ListBucket` is granted on the source bucket only: "Setting up permissions for live
 * replication" (Amazon S3 User Guide, setting-repl-config-perm-overview; archived copy in
 * github.com/awsdocs/amazon-s3-developer-guide) asks for it there, to reach delete markers.
 * On the central bucket the role gets no bucket-level action at all, so it can neither list
 * nor read anything there.
 */
export function replicationRolePolicy(member: ResolvedMember, central: ResolvedCentral, sourceKeyArn: string, vault?: ResolvedVault): PolicyDocument {
  const accountPrefix = `${member.accountId}/`;
  return policyDocument(
    {
      Sid: "ReadSourceReplicationConfiguration",
      Effect: "Allow",
      Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
      Resource: member.sourceBucketArn,
    },
    {
      Sid: "ReadSourceVersionsForReplication",
      Effect: "Allow",
      Action: [...REPLICATION_SOURCE_READ_ACTIONS],
      Resource: `${member.sourceBucketArn}/${accountPrefix}*`,
    },
    {
      Sid: "ReplicateIntoOwnCentralPrefix",
      Effect: "Allow",
      Action: [...REPLICATION_WRITE_ACTIONS],
      Resource: `${central.bucketArn}/${accountPrefix}*`,
    },
    {
      Sid: "DecryptSourceObjectsThroughS3",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: sourceKeyArn,
      Condition: {
        StringEquals: { "kms:ViaService": s3ViaService(member.region) },
        StringLike: { "kms:EncryptionContext:aws:s3:arn": `${member.sourceBucketArn}/${accountPrefix}*` },
      },
    },
    {
      Sid: "EncryptReplicasWithCentralKeyThroughS3",
      Effect: "Allow",
      Action: replicaKeyActions(central),
      Resource: central.keyResourceForMembers,
      Condition: {
        StringEquals: { "kms:ViaService": s3ViaService(central.region) },
        StringLike: { "kms:EncryptionContext:aws:s3:arn": centralEncryptionContext(central, `${accountPrefix}*`) },
      },
    },
    ...(vault ? replicationIntoVault(member, vault) : []),
  );
}

/** With `vault`: replicas only under the member's own prefix of the vault bucket, encrypted with the vault key through S3 for those objects. */
function replicationIntoVault(member: ResolvedMember, vault: ResolvedVault): PolicyStatement[] {
  const ownObjects = `${vault.bucketArn}/${member.accountId}/*`;
  return [
    { Sid: "ReplicateIntoOwnVaultPrefix", Effect: "Allow", Action: [...REPLICATION_WRITE_ACTIONS], Resource: ownObjects },
    {
      Sid: "EncryptReplicasWithVaultKeyThroughS3",
      Effect: "Allow",
      Action: replicaKeyActions({ bucketKey: false }),
      Resource: vault.keyResourceForMembers,
      Condition: { StringEquals: { "kms:ViaService": s3ViaService(vault.region) }, StringLike: { "kms:EncryptionContext:aws:s3:arn": ownObjects } },
    },
  ];
}

/** The S3 Batch Operations jobs of a member: `npm run backfill` creates them in the member's region. */
export function batchJobArns(member: ResolvedMember): string {
  return `arn:aws:s3:${member.region}:${member.accountId}:job/*`;
}

/** Only S3 Batch Operations, for this account's jobs, may assume the backfill role. */
export function batchReplicationTrustPolicy(member: ResolvedMember): PolicyDocument {
  return assumableOnlyBy("S3BatchOperationsForThisAccountOnly", "batchoperations.s3.amazonaws.com", {
    StringEquals: { "aws:SourceAccount": member.accountId },
    // Confused deputy: only this account's Batch Operations jobs in the member's region.
    ArnLike: { "aws:SourceArn": batchJobArns(member) },
  });
}

/** Where Batch Replication writes its manifests and completion reports, in the source bucket. */
export function batchReportsPrefix(): string {
  return "_batch-replication/";
}

/**
 * Backfill role (S3 Batch Replication with a generated manifest): start replication of
 * existing object versions under `<accountId>/`, write manifests and reports under the
 * reports prefix of the source bucket. It never reads object data.
 */
export function batchReplicationRolePolicy(member: ResolvedMember, sourceKeyArn: string): PolicyDocument {
  const reports = `${member.sourceBucketArn}/${batchReportsPrefix()}*`;
  return policyDocument(
    {
      Sid: "InitiateReplicationOfAccountObjects",
      Effect: "Allow",
      Action: ["s3:InitiateReplication"],
      Resource: `${member.sourceBucketArn}/${member.accountId}/*`,
    },
    {
      Sid: "GenerateManifestFromSourceBucket",
      Effect: "Allow",
      Action: ["s3:GetReplicationConfiguration", "s3:PutInventoryConfiguration", "s3:ListBucket"],
      Resource: member.sourceBucketArn,
    },
    {
      Sid: "ReadAndWriteManifestsAndReports",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
      Resource: reports,
    },
    {
      Sid: "EncryptManifestsAndReportsThroughS3",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: sourceKeyArn,
      Condition: {
        StringEquals: { "kms:ViaService": s3ViaService(member.region) },
        StringLike: { "kms:EncryptionContext:aws:s3:arn": reports },
      },
    },
  );
}
