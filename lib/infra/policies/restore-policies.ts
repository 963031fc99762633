import type { ResolvedCentral, ResolvedMember, ResolvedRestore } from "../../core/config/resolved";
import { centralEncryptionContext } from "./central-policies";
import { PolicyDocument, PolicyStatement, policyDocument, s3ViaService } from "./policy-document";

/** Object reads a restore makes on the central bucket: versions, their tags, and thawing archived ones. */
export const RESTORE_READ_ACTIONS = ["s3:GetObjectVersion", "s3:GetObjectVersionTagging", "s3:GetObjectVersionAttributes", "s3:RestoreObject"] as const;
/** Bucket reads of the central bucket: the version listing a point-in-time selection pages through. */
export const RESTORE_LIST_ACTIONS = ["s3:ListBucket", "s3:ListBucketVersions"] as const;
/**
 * Writes into a restore target: CopyObject and UploadPartCopy (s3:PutObject, with the copy
 * source read by s3:GetObjectVersion on the central bucket), tags, aborting a failed
 * multipart copy, and HeadObject of the current version (s3:GetObject) so that a key that
 * already has the selected content is not rewritten.
 */
export const RESTORE_WRITE_ACTIONS = ["s3:PutObject", "s3:PutObjectTagging", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts", "s3:GetObject"] as const;

export function restoreBoundaryName(restore: ResolvedRestore): string {
  return `${restore.roleName}-boundary`;
}

/**
 * Permissions boundary of the restore role (created with the per-account roles, like the
 * replication boundary): S3 object reads, writes and listings, KMS only through S3. No IAM, no
 * STS, no deletes, no bucket configuration, no bucket outside the project (central, drills,
 * source buckets, `restore.extraTargetBuckets`): whatever inline policy is put on the restore
 * role, it cannot delete a version, change a bucket or reach another bucket.
 */
export function restoreBoundaryPolicy(bucketArns: readonly string[]): PolicyDocument {
  return policyDocument(
    {
      Sid: "RestoreReadsListsAndWritesOnlyProjectBuckets",
      Effect: "Allow",
      Action: [...new Set([...RESTORE_READ_ACTIONS, ...RESTORE_LIST_ACTIONS, ...RESTORE_WRITE_ACTIONS, "s3:GetBucketVersioning"])],
      Resource: [...bucketArns, ...bucketArns.map((b) => `${b}/*`)],
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

/** Where the central stack's restore role may write, besides the drill bucket and restore.extraTargetBuckets. */
export interface RestoreTargets {
  /** The members' generated source buckets, `arn:aws:s3:::<sourceBucketPrefix>-*`, if any member has one. */
  readonly sourceBucketPattern?: string;
  /** Adopted source buckets (existingBucket), by ARN. */
  readonly adoptedBuckets: readonly string[];
}

export interface RestorePolicyInput {
  readonly central: ResolvedCentral;
  readonly restore: ResolvedRestore;
  readonly targets: RestoreTargets;
  /** The central key's ARN (a Terraform reference in the central stack). */
  readonly centralKeyArn: string;
}

/** Buckets a restore may write into: members' source buckets, the drill bucket, the extra targets. */
export function restoreTargetBuckets(input: RestorePolicyInput): string[] {
  const { restore, targets } = input;
  return [
    ...(targets.sourceBucketPattern ? [targets.sourceBucketPattern] : []),
    ...targets.adoptedBuckets,
    `arn:aws:s3:::${restore.drillBucketName}`,
    ...restore.extraTargetBuckets.map((name) => `arn:aws:s3:::${name}`),
  ];
}

/**
 * Trust of the restore role: only the roles restore.assumableBy lists, named by condition on
 * their ARNs with their accounts as principals (as the operators' roles in
 * bootstrap-policies.ts), so a listed role that does not exist yet breaks nothing.
 */
export function restoreTrustPolicy(restore: ResolvedRestore): PolicyDocument {
  const accounts = [...new Set(restore.assumableBy.map((arn) => arn.split(":")[4]))].sort();
  return policyDocument({
    Sid: "OnlyTheListedRestoreOperators",
    Effect: "Allow",
    Principal: { AWS: accounts.map((account) => `arn:aws:iam::${account}:root`) },
    Action: "sts:AssumeRole",
    Condition: { ArnLike: { "aws:PrincipalArn": [...restore.assumableBy] } },
  });
}

/**
 * The restore role's permissions: read every version (and its tags) of the central bucket and
 * decrypt with the central key only through S3 for objects of the central bucket; write only
 * into the restore targets (each member's bucket policy narrows its own bucket to
 * `<accountId>/` and to copies of its own data); encrypt there only through S3, with keys
 * whose policies admit the role (each member's source key; the central key for the drill
 * bucket). Nothing deletes, nothing configures a bucket.
 */
export function restoreRolePolicy(input: RestorePolicyInput): PolicyDocument {
  const { central } = input;
  const targets = restoreTargetBuckets(input);
  return policyDocument(
    { Sid: "ListCentralVersions", Effect: "Allow", Action: [...RESTORE_LIST_ACTIONS], Resource: central.bucketArn },
    { Sid: "ReadCentralVersions", Effect: "Allow", Action: [...RESTORE_READ_ACTIONS], Resource: `${central.bucketArn}/*` },
    {
      Sid: "DecryptCentralObjectsThroughS3",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: input.centralKeyArn,
      Condition: {
        StringEquals: { "kms:ViaService": s3ViaService(central.region) },
        StringLike: { "kms:EncryptionContext:aws:s3:arn": centralEncryptionContext(central, "*") },
      },
    },
    { Sid: "WriteIntoRestoreTargets", Effect: "Allow", Action: [...RESTORE_WRITE_ACTIONS], Resource: targets.map((bucket) => `${bucket}/*`) },
    { Sid: "CheckTargetVersioning", Effect: "Allow", Action: "s3:GetBucketVersioning", Resource: targets },
    {
      Sid: "EncryptTargetsThroughS3",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt"],
      Resource: "arn:aws:kms:*:*:key/*",
      Condition: {
        StringLike: { "kms:ViaService": "s3.*.amazonaws.com", "kms:EncryptionContext:aws:s3:arn": targets.map((bucket) => `${bucket}/*`) },
      },
    },
  );
}

/** The copy sources a member accepts from the restore role: its own account's data in the central bucket (with or without a leading `/`). */
export function ownCopySources(central: ResolvedCentral, accountId: string): string[] {
  return [`${central.bucketName}/${accountId}/*`, `/${central.bucketName}/${accountId}/*`];
}

/**
 * What a member's source bucket policy adds for the restore role: writes
 * under `<accountId>/` only, and a server-side copy only of its own account's data, so a
 * restore of member A can never land in member B's bucket. Named by condition (central
 * account root as principal), so the policy is accepted before the role exists.
 */
export function restoreGrantsOnSourceBucket(member: ResolvedMember, central: ResolvedCentral, restore: ResolvedRestore): PolicyStatement[] {
  const principal = { AWS: `arn:aws:iam::${central.accountId}:root` };
  const isRestoreRole = { ArnEquals: { "aws:PrincipalArn": restore.roleArn } };
  return [
    {
      Sid: "RestoreRoleWritesOwnPrefix",
      Effect: "Allow",
      Principal: principal,
      Action: [...RESTORE_WRITE_ACTIONS],
      Resource: `${member.sourceBucketArn}/${member.accountId}/*`,
      Condition: isRestoreRole,
    },
    {
      Sid: "RestoreRoleChecksVersioning",
      Effect: "Allow",
      Principal: principal,
      Action: "s3:GetBucketVersioning",
      Resource: member.sourceBucketArn,
      Condition: isRestoreRole,
    },
    {
      Sid: "RestoreRoleCopiesOnlyThisAccountsData",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: `${member.sourceBucketArn}/*`,
      Condition: {
        ...isRestoreRole,
        Null: { "s3:x-amz-copy-source": "false" },
        StringNotLike: { "s3:x-amz-copy-source": ownCopySources(central, member.accountId) },
      },
    },
  ];
}

/** What a member's source key policy adds for the restore role: encrypt (and, for multipart copies, decrypt) only through S3, only under `<accountId>/`. */
export function restoreGrantOnSourceKey(member: ResolvedMember, central: ResolvedCentral, restore: ResolvedRestore): PolicyStatement {
  return {
    Sid: "RestoreRoleEncryptsOwnPrefixThroughS3",
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${central.accountId}:root` },
    Action: ["kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt"],
    Resource: "*",
    Condition: {
      StringEquals: { "kms:ViaService": s3ViaService(member.region) },
      StringLike: { "kms:EncryptionContext:aws:s3:arn": `${member.sourceBucketArn}/${member.accountId}/*` },
      ArnEquals: { "aws:PrincipalArn": restore.roleArn },
    },
  };
}
