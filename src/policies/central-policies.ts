import type { ResolvedCentral } from "../config/resolved";
import { Condition, PolicyDocument, denyInsecureTransport, keyAdministrationByAccount, policyDocument, s3ViaService } from "./policy-document";

/** The IAM policy variable that confines every account to its own prefix. */
export const PRINCIPAL_ACCOUNT_VARIABLE = "${aws:PrincipalAccount}";

/**
 * Object-level actions a replication role performs on the destination, each from the Amazon
 * S3 User Guide:
 * - `s3:ReplicateObject`, `s3:ReplicateDelete`: the destination bucket policy of a
 *   cross-account replication grants them to the source side ("Configuring replication for
 *   buckets in different accounts",
 *   https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-walkthrough-2.html, and
 *   "Setting up permissions for live replication", section "Granting permissions when the
 *   source and destination buckets are owned by different AWS accounts",
 *   https://docs.amazonaws.cn/en_us/AmazonS3/latest/userguide/setting-repl-config-perm-overview.md).
 * - `s3:ReplicateTags`: same page, its note on tagged objects: S3 replicates tags only when
 *   the replication role has `s3:ReplicateTags`, and a destination owner who does not want
 *   them denies it in the bucket policy.
 * - `s3:ObjectOwnerOverrideToBucketOwner`: "Changing the replica owner",
 *   https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-change-owner.html: the
 *   owner override of the replication rule needs it in the destination bucket policy.
 */
export const REPLICATION_WRITE_ACTIONS = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"] as const;

/**
 * The only bucket-level action the replication roles get on the central bucket: reading its
 * versioning state. Its source is the destination bucket policy of "Configuring replication
 * for buckets in different accounts" (URL above; the same example in the archived guide,
 * github.com/awsdocs/amazon-s3-developer-guide, doc_source/replication-walkthrough-2.md),
 * which grants `s3:GetBucketVersioning` and `s3:PutBucketVersioning` on the bucket. The
 * archived "Setting up permissions for live replication" grants `s3:List*` on the bucket
 * instead. Neither `s3:PutBucketVersioning` nor `s3:List*` is kept: the central account
 * alone decides whether its bucket is versioned, replication writes replicas by key and
 * never lists the destination, and a member controls its own replication role, so a listing
 * would show it every other account's key names.
 */
export const REPLICATION_BUCKET_ACTIONS = ["s3:GetBucketVersioning"] as const;

export interface CentralPolicyInput {
  readonly organizationId: string;
  readonly central: ResolvedCentral;
  /** Member account IDs; only read in `listed-accounts` mode, so the organization mode's policies never grow. */
  readonly memberAccountIds: readonly string[];
}

/**
 * Who is a legitimate replication principal: a role with the configured name, in an
 * account of the organization (and, in `listed-accounts` mode, in a listed account).
 * Conditions on fixed values, not principal ARNs, so the policy is accepted before the
 * member roles exist and Block Public Access does not count it as public.
 */
function replicationPrincipalCondition(input: CentralPolicyInput): Condition {
  const { organizationId, central, memberAccountIds } = input;
  return {
    StringEquals: {
      "aws:PrincipalOrgID": organizationId,
      ...(central.accessMode === "listed-accounts" ? { "aws:PrincipalAccount": [...memberAccountIds].sort() } : {}),
    },
    ArnLike: { "aws:PrincipalArn": `arn:aws:iam::*:role/${central.replicationRoleName}` },
  };
}

/**
 * Central bucket policy (seed 002): TLS only; each organization account's replication role
 * may write replicas only under `<its account ID>/`, through the `${aws:PrincipalAccount}`
 * policy variable, so the policy's size does not depend on the number of members, and may
 * read the bucket's versioning state. Nothing lets a member list, read or delete: see
 * __tests__/isolation-proofs.test.ts for the exhaustive check.
 */
export function centralBucketPolicy(input: CentralPolicyInput): PolicyDocument {
  const { bucketArn } = input.central;
  const principals = replicationPrincipalCondition(input);
  return policyDocument(
    denyInsecureTransport(bucketArn),
    {
      Sid: "ReplicationRolesWriteOnlyUnderOwnAccountPrefix",
      Effect: "Allow",
      Principal: "*",
      Action: [...REPLICATION_WRITE_ACTIONS],
      Resource: `${bucketArn}/${PRINCIPAL_ACCOUNT_VARIABLE}/*`,
      Condition: principals,
    },
    {
      Sid: "ReplicationRolesReadBucketVersioning",
      Effect: "Allow",
      Principal: "*",
      Action: [...REPLICATION_BUCKET_ACTIONS],
      Resource: bucketArn,
      Condition: principals,
    },
  );
}

/**
 * The KMS encryption context S3 uses with the central key: the object ARN, or, with S3
 * Bucket Keys, the bucket ARN (the known pitfall: conditions on object ARNs never match
 * once Bucket Keys are on).
 */
export function centralEncryptionContext(central: ResolvedCentral, objectPrefix: string): string {
  return central.bucketKey ? central.bucketArn : `${central.bucketArn}/${objectPrefix}`;
}

/**
 * Central key policy: the central account administers the key; replication roles of the
 * organization may only encrypt with it, only through S3 in the central region, and only
 * for objects of the central bucket. Constant size in organization mode.
 * `kms:Encrypt` and the `kms:ViaService` / `kms:EncryptionContext:aws:s3:arn` conditions
 * follow "Replicating encrypted objects (SSE-C, SSE-S3, SSE-KMS, DSSE-KMS)",
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html,
 * whose examples (as in the archived copy of the guide) name `kms:Encrypt` only.
 * `kms:GenerateDataKey` predates this note and no page cited here backs it for replication:
 * it is how S3 obtains data keys for SSE-KMS writes, S3 Bucket Keys included.
 */
export function centralKeyPolicy(input: CentralPolicyInput): PolicyDocument {
  const { central } = input;
  const principals = replicationPrincipalCondition(input);
  return policyDocument(keyAdministrationByAccount(central.accountId), {
    Sid: "ReplicationRolesEncryptOnlyThroughS3",
    Effect: "Allow",
    Principal: "*",
    Action: ["kms:Encrypt", "kms:GenerateDataKey"],
    Resource: "*",
    Condition: {
      ...principals,
      StringEquals: { ...principals.StringEquals, "kms:ViaService": s3ViaService(central.region) },
      StringLike: { "kms:EncryptionContext:aws:s3:arn": centralEncryptionContext(central, "*") },
    },
  });
}
