import type { ResolvedCentral, ResolvedMember, ResolvedRestore, ResolvedVault } from "../../core/config/resolved";
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

/**
 * The backup a restore role reads: the central bucket (the central stack's role) or the vault
 * bucket (the vault stack's role, for the day central is lost), and the key that decrypts it.
 */
export interface RestoreSource {
  /** Names the role's statements: "Central" or "Vault". */
  readonly label: "Central" | "Vault";
  readonly bucketArn: string;
  readonly region: string;
  /** The bucket's key (a Terraform reference in its stack). */
  readonly keyArn: string;
  /** `kms:EncryptionContext:aws:s3:arn` of the bucket's objects (the bucket's ARN with S3 Bucket Keys). */
  readonly encryptionContext: string;
}

/** The central bucket as a restore source (centralEncryptionContext: with or without Bucket Keys). */
export function centralRestoreSource(central: ResolvedCentral, centralKeyArn: string): RestoreSource {
  return {
    label: "Central",
    bucketArn: central.bucketArn,
    region: central.region,
    keyArn: centralKeyArn,
    encryptionContext: centralEncryptionContext(central, "*"),
  };
}

/** The vault bucket as a restore source: its replicas carry no Bucket Key (vault-policies.ts). */
export function vaultRestoreSource(vault: ResolvedVault, vaultKeyArn: string): RestoreSource {
  return { label: "Vault", bucketArn: vault.bucketArn, region: vault.region, keyArn: vaultKeyArn, encryptionContext: `${vault.bucketArn}/*` };
}

export interface RestorePolicyInput {
  readonly source: RestoreSource;
  readonly restore: ResolvedRestore;
  readonly targets: RestoreTargets;
  /** The drill bucket beside the source bucket (central's or the vault's). */
  readonly drillBucketName: string;
}

/** Buckets a restore may write into: members' source buckets, the source's drill bucket, the extra targets. */
export function restoreTargetBuckets(input: RestorePolicyInput): string[] {
  const { restore, targets } = input;
  return [
    ...(targets.sourceBucketPattern ? [targets.sourceBucketPattern] : []),
    ...targets.adoptedBuckets,
    `arn:aws:s3:::${input.drillBucketName}`,
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
 * The restore role's permissions: read every version (and its tags) of the source bucket and
 * decrypt with its key only through S3 for objects of that bucket; write only into the
 * restore targets (each member's bucket policy narrows its own bucket to `<accountId>/` and to
 * copies of its own data); encrypt there only through S3, with keys whose policies admit the
 * role (each member's source key; the source's key for its drill bucket). Nothing deletes,
 * nothing configures a bucket.
 */
export function restoreRolePolicy(input: RestorePolicyInput): PolicyDocument {
  const { source } = input;
  const targets = restoreTargetBuckets(input);
  return policyDocument(
    { Sid: `List${source.label}Versions`, Effect: "Allow", Action: [...RESTORE_LIST_ACTIONS], Resource: source.bucketArn },
    { Sid: `Read${source.label}Versions`, Effect: "Allow", Action: [...RESTORE_READ_ACTIONS], Resource: `${source.bucketArn}/*` },
    {
      Sid: `Decrypt${source.label}ObjectsThroughS3`,
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: source.keyArn,
      Condition: {
        StringEquals: { "kms:ViaService": s3ViaService(source.region) },
        StringLike: { "kms:EncryptionContext:aws:s3:arn": source.encryptionContext },
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

/** The copy sources a member accepts from a restore role: its own account's data in the bucket the role restores from (with or without a leading `/`). */
export function ownCopySources(backupBucketName: string, accountId: string): string[] {
  return [`${backupBucketName}/${accountId}/*`, `/${backupBucketName}/${accountId}/*`];
}

/** A restore role as a member's policies admit it: central's, or (with `vault`) the vault's. */
export interface Restorer {
  /** Starts its statements' Sids: "" for central's role, "Vault" for the vault's. */
  readonly sidPrefix: "" | "Vault";
  readonly accountId: string;
  readonly roleArn: string;
  /** The backup bucket it copies from. */
  readonly bucketName: string;
}

/** The restore roles a member admits: central's, and the vault's when the vault stack creates one. */
export function restorersOf(central: ResolvedCentral, restore: ResolvedRestore, vault?: ResolvedVault): Restorer[] {
  const fromCentral: Restorer = { sidPrefix: "", accountId: central.accountId, roleArn: restore.roleArn, bucketName: central.bucketName };
  if (!vault?.restoreRoleArn) return [fromCentral];
  return [fromCentral, { sidPrefix: "Vault", accountId: vault.accountId, roleArn: vault.restoreRoleArn, bucketName: vault.bucketName }];
}

/**
 * What a member's source bucket policy adds for a restore role: writes under `<accountId>/`
 * only, and a server-side copy only of its own account's data, so a restore of member A can
 * never land in member B's bucket. Named by condition (the role's account root as
 * principal), so the policy is accepted before the role exists.
 */
export function restoreGrantsOnSourceBucket(member: ResolvedMember, restorer: Restorer): PolicyStatement[] {
  const principal = { AWS: `arn:aws:iam::${restorer.accountId}:root` };
  const isRestoreRole = { ArnEquals: { "aws:PrincipalArn": restorer.roleArn } };
  return [
    {
      Sid: `${restorer.sidPrefix}RestoreRoleWritesOwnPrefix`,
      Effect: "Allow",
      Principal: principal,
      Action: [...RESTORE_WRITE_ACTIONS],
      Resource: `${member.sourceBucketArn}/${member.accountId}/*`,
      Condition: isRestoreRole,
    },
    {
      Sid: `${restorer.sidPrefix}RestoreRoleChecksVersioning`,
      Effect: "Allow",
      Principal: principal,
      Action: "s3:GetBucketVersioning",
      Resource: member.sourceBucketArn,
      Condition: isRestoreRole,
    },
    {
      Sid: `${restorer.sidPrefix}RestoreRoleCopiesOnlyThisAccountsData`,
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: `${member.sourceBucketArn}/*`,
      Condition: {
        ...isRestoreRole,
        Null: { "s3:x-amz-copy-source": "false" },
        StringNotLike: { "s3:x-amz-copy-source": ownCopySources(restorer.bucketName, member.accountId) },
      },
    },
  ];
}

/** What a member's source key policy adds for a restore role: encrypt (and, for multipart copies, decrypt) only through S3, only under `<accountId>/`. */
export function restoreGrantOnSourceKey(member: ResolvedMember, restorer: Restorer): PolicyStatement {
  return {
    Sid: `${restorer.sidPrefix}RestoreRoleEncryptsOwnPrefixThroughS3`,
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${restorer.accountId}:root` },
    Action: ["kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt"],
    Resource: "*",
    Condition: {
      StringEquals: { "kms:ViaService": s3ViaService(member.region) },
      StringLike: { "kms:EncryptionContext:aws:s3:arn": `${member.sourceBucketArn}/${member.accountId}/*` },
      ArnEquals: { "aws:PrincipalArn": restorer.roleArn },
    },
  };
}
