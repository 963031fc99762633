import type { ResolvedCentral } from "../resolved-config";
import {
  Condition,
  PolicyDocument,
  denyInsecureTransport,
  keyAdministrationByAccount,
  policyDocument,
  s3ViaService,
} from "./policy-document";

/** The IAM policy variable that confines every account to its own prefix. */
export const PRINCIPAL_ACCOUNT_VARIABLE = "${aws:PrincipalAccount}";

/** Object-level actions a replication role performs on the destination. */
export const REPLICATION_WRITE_ACTIONS = [
  "s3:ReplicateObject",
  "s3:ReplicateDelete",
  "s3:ReplicateTags",
  "s3:ObjectOwnerOverrideToBucketOwner",
] as const;

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
 * policy variable, so the policy's size does not depend on the number of members.
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
      Sid: "ReplicationRolesCheckBucketVersioning",
      Effect: "Allow",
      Principal: "*",
      Action: ["s3:GetBucketVersioning", "s3:List*"],
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
