import type { ResolvedCentral, ResolvedVault } from "../../core/config/resolved";
import { REPLICATION_BUCKET_ACTIONS, REPLICATION_WRITE_ACTIONS } from "./central-policies";
import { memberBusArn } from "./detection-policies";
import { REPLICATION_SOURCE_READ_ACTIONS, batchReportsPrefix } from "./member-policies";
import { PolicyDocument, policyDocument } from "./policy-document";

/**
 * The permissions boundary of every role the deploy role creates or edits in a member
 * account (replication, batch replication and the replication watch). It is created with the plan and deploy roles
 * by the bootstrap's StackSet, outside anything the deploy role may change, and caps those
 * roles at what replication and S3 Batch Replication need, whatever inline policy the deploy
 * role puts on them: an effective permission is in both the boundary and the role's policy
 * (IAM User Guide, "Permissions boundaries for IAM entities",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html).
 * No IAM, no STS, no object reads beyond the batch reports, KMS only through S3, events only
 * onto central's member bus.
 */
export function replicationBoundaryName(central: ResolvedCentral): string {
  return `${central.replicationRoleName}-boundary`;
}

/** The boundary's ARN in one account (`*` for a condition that holds in every account). */
export function replicationBoundaryArn(central: ResolvedCentral, accountId: string): string {
  return `arn:aws:iam::${accountId}:policy/${replicationBoundaryName(central)}`;
}

/** `sourceBucketArns`: the project's source buckets (the generated name pattern, adopted buckets): the only ones a replication role reads. */
export function replicationBoundaryPolicy(central: ResolvedCentral, sourceBucketArns: readonly string[], vault?: ResolvedVault): PolicyDocument {
  return policyDocument(
    {
      Sid: "ReplicationReadsOnlyProjectSources",
      Effect: "Allow",
      Action: ["s3:GetReplicationConfiguration", "s3:ListBucket", "s3:PutInventoryConfiguration", "s3:InitiateReplication", ...REPLICATION_SOURCE_READ_ACTIONS],
      Resource: [...sourceBucketArns, ...sourceBucketArns.map((b) => `${b}/*`)],
    },
    {
      Sid: "ReplicationWritesOnlyIntoTheCentralBucket",
      Effect: "Allow",
      Action: [...REPLICATION_WRITE_ACTIONS, ...REPLICATION_BUCKET_ACTIONS],
      Resource: [central.bucketArn, `${central.bucketArn}/*`],
    },
    // With `vault`, exactly the same writes into the vault bucket (its own policy confines each account to its prefix).
    ...(vault
      ? [
          {
            Sid: "ReplicationWritesOnlyIntoTheVaultBucket",
            Effect: "Allow" as const,
            Action: [...REPLICATION_WRITE_ACTIONS, ...REPLICATION_BUCKET_ACTIONS],
            Resource: [vault.bucketArn, `${vault.bucketArn}/*`],
          },
        ]
      : []),
    {
      Sid: "BatchReplicationManifestsAndReports",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
      Resource: `arn:aws:s3:::*/${batchReportsPrefix()}*`,
    },
    {
      Sid: "WatchForwardsOnlyToTheCentralMemberBus",
      Effect: "Allow",
      Action: "events:PutEvents",
      Resource: memberBusArn(central),
    },
    {
      Sid: "KeysOnlyThroughS3",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
      Resource: "*",
      Condition: { StringLike: { "kms:ViaService": "s3.*.amazonaws.com" } },
    },
  );
}
