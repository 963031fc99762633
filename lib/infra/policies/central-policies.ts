import type { ResolvedCentral } from "../../core/config/resolved";
import { Condition, PolicyDocument, PolicyStatement, denyInsecureTransport, keyAdministrationByAccount, policyDocument, s3ViaService } from "./policy-document";

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
  /** The restore role (with `restore`): besides break glass, the only reader of backup objects. */
  readonly restoreRoleArn?: string;
}

/**
 * What only the break-glass role (`central.breakGlassRoleName`) may do to the central bucket
 * and its objects: destroy or hide versions (version deletion, delete markers, overwrites,
 * Object Lock retention and legal holds), and change what protects them (policy, lifecycle,
 * versioning, ownership, ACLs, public access block, default encryption, replication, Object
 * Lock). A delete marker or an overwrite destroys nothing by itself, but a default restore
 * brings back the newest version, and a lifecycle rule expires the hidden ones.
 */
export const CENTRAL_BUCKET_BREAK_GLASS_ACTIONS = [
  "s3:DeleteObject",
  "s3:DeleteObjectVersion",
  "s3:PutObject",
  "s3:PutObjectAcl",
  "s3:PutObjectVersionAcl",
  "s3:PutObjectRetention",
  "s3:PutObjectLegalHold",
  "s3:BypassGovernanceRetention",
  "s3:PutBucketObjectLockConfiguration",
  "s3:PutLifecycleConfiguration",
  "s3:PutBucketPolicy",
  "s3:DeleteBucketPolicy",
  "s3:PutBucketVersioning",
  "s3:PutBucketOwnershipControls",
  "s3:PutBucketAcl",
  "s3:PutBucketPublicAccessBlock",
  "s3:PutEncryptionConfiguration",
  "s3:PutReplicationConfiguration",
  "s3:DeleteBucket",
] as const;

/** Reads of backup data: only the restore role and break glass (the restore's own listing is not data). */
export const CENTRAL_BACKUP_READ_ACTIONS = ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectVersionForReplication"] as const;

/**
 * What only the break-glass role may do to the central key: without the key every replica is
 * unreadable, Object Lock COMPLIANCE or not. `kms:CreateGrant` because a grant hands the key's
 * use to any principal, outside the policy; S3 encrypts and decrypts replicas without grants.
 * The alias actions because repointing the alias sends new replicas under another key.
 */
export const CENTRAL_KEY_BREAK_GLASS_ACTIONS = [
  "kms:ScheduleKeyDeletion",
  "kms:DisableKey",
  "kms:DisableKeyRotation",
  "kms:DeleteImportedKeyMaterial",
  "kms:ImportKeyMaterial",
  "kms:PutKeyPolicy",
  "kms:CreateGrant",
  "kms:UpdateAlias",
  "kms:DeleteAlias",
  "kms:UpdatePrimaryRegion",
] as const;

/** Cryptographic use of the central key that the pipeline's roles never need (it decrypts or re-encrypts backups). */
export const CENTRAL_KEY_DATA_ACTIONS = ["kms:Decrypt", "kms:Encrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey*"] as const;

/** Objects `npm run verify` writes and then heads in central: no backup data, so the deploy role may read them. */
export function verifyMarkerObjects(bucketArn: string): string {
  return `${bucketArn}/*/_replication-check/*`;
}

/** Every principal but these, in a deny: `aws:PrincipalArn` is the role's ARN for any of its sessions. */
function everyoneBut(...roleArns: string[]): Condition {
  return { ArnNotEquals: { "aws:PrincipalArn": roleArns } };
}

/** The pipeline's own roles in every account: they deploy and plan, never decrypt. */
function pipelineRoles(roles: Pick<ResolvedCentral, "deployRoleName" | "planRoleName">): string[] {
  return [roles.deployRoleName, roles.planRoleName].map((name) => `arn:aws:iam::*:role/${name}`);
}

/** A backup key's deny of its data actions to the deploy and plan roles of every account (central's and the vault's keys). */
export function pipelineNeverDecrypts(roles: Pick<ResolvedCentral, "deployRoleName" | "planRoleName">): PolicyStatement {
  return {
    Sid: "ThePipelineNeverDecryptsBackups",
    Effect: "Deny",
    Principal: "*",
    Action: [...CENTRAL_KEY_DATA_ACTIONS],
    Resource: "*",
    Condition: { ArnLike: { "aws:PrincipalArn": pipelineRoles(roles) } },
  };
}

/** The bucket policy's locks: break glass alone changes or destroys; restore and break glass alone read. */
function centralBucketLocks(input: CentralPolicyInput): PolicyStatement[] {
  const { bucketArn, breakGlassRoleArn } = input.central;
  const readers = [breakGlassRoleArn, ...(input.restoreRoleArn ? [input.restoreRoleArn] : [])];
  return [
    {
      Sid: "OnlyBreakGlassChangesOrDestroysBackups",
      Effect: "Deny",
      Principal: "*",
      Action: [...CENTRAL_BUCKET_BREAK_GLASS_ACTIONS],
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: everyoneBut(breakGlassRoleArn),
    },
    {
      Sid: "OnlyRestoreAndBreakGlassReadBackups",
      Effect: "Deny",
      Principal: "*",
      Action: [...CENTRAL_BACKUP_READ_ACTIONS],
      NotResource: [bucketArn, verifyMarkerObjects(bucketArn)],
      Condition: everyoneBut(...readers),
    },
  ];
}

/**
 * Who is a legitimate replication principal: a role with the configured name, in an
 * account of the organization (and, in `listed-accounts` mode, in a listed account).
 * Conditions on fixed values, not principal ARNs, so the policy is accepted before the
 * member roles exist and Block Public Access does not count it as public.
 */
function replicationPrincipalCondition(input: CentralPolicyInput): Condition {
  const { organizationId, central, memberAccountIds } = input;
  return organizationReplicationPrincipals(
    organizationId,
    central.replicationRoleName,
    central.accessMode === "listed-accounts" ? memberAccountIds : undefined,
  );
}

/** The replication principals of a backup destination: the role name in the organization, and, when given, only in these accounts. */
export function organizationReplicationPrincipals(organizationId: string, replicationRoleName: string, listedAccountIds?: readonly string[]): Condition {
  return {
    StringEquals: {
      "aws:PrincipalOrgID": organizationId,
      ...(listedAccountIds ? { "aws:PrincipalAccount": [...listedAccountIds].sort() } : {}),
    },
    ArnLike: { "aws:PrincipalArn": `arn:aws:iam::*:role/${replicationRoleName}` },
  };
}

/** What a replica destination's bucket policy judges replicas by: its bucket, its key, where that key lives (central and the vault). */
export type ReplicaDestination = Pick<ResolvedCentral, "bucketArn" | "replicaKmsKeyId" | "region" | "accountId">;

/**
 * Keys a replica may be encrypted with: the pinned central key (`central.keyArn`), or,
 * until it is set, any key of the central account in its region (the alias ARN the rules
 * name resolves there; the deploy role may not repoint that alias, see deploy-role-policy.ts).
 */
export function acceptedReplicaKeys(central: ReplicaDestination): string {
  return central.replicaKmsKeyId.includes(":key/") ? central.replicaKmsKeyId : `arn:aws:kms:${central.region}:${central.accountId}:*`;
}

/**
 * Replicas the central account can always read. Replicas keep their
 * source's encryption type and SSE-C objects replicate with no extra permission ("Replicating
 * encrypted objects",
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html),
 * so a member could send replicas under SSE-C, SSE-S3 or its own key and then delete that
 * key. s3:ReplicateObject carries the s3:x-amz-server-side-encryption* condition keys
 * (Service Authorization Reference, via iam-data). One deny per way to be wrong (conditions in
 * one statement are ANDed): SSE-S3 or DSSE declared, an SSE-C algorithm declared, or a key
 * outside the central account named. Each pairs its test with `Null: false` on the same key,
 * so it denies only a request that carries the header: a negated operator, and an
 * `...IfExists` one too, is TRUE for a missing key (IAM User Guide, "IAM JSON policy
 * elements: Condition operators", ...IfExists and the Null check), so a bare
 * StringNotEqualsIfExists deny would refuse every replica that lacks the header.
 * Checked against the documentation, not against AWS: which headers S3 sets on a replication
 * request is not documented beyond the condition keys.
 */
export function replicaEncryptionDenies(central: ReplicaDestination, keySid = "ReplicasOnlyWithTheCentralKey"): PolicyStatement[] {
  const replicas = `${central.bucketArn}/*`;
  const deny = (Sid: string, Condition: Condition): PolicyStatement => ({
    Sid,
    Effect: "Deny",
    Principal: "*",
    Action: "s3:ReplicateObject",
    Resource: replicas,
    Condition,
  });
  const present = (key: string) => ({ Null: { [key]: "false" } });
  const algorithm = "s3:x-amz-server-side-encryption";
  const keyId = "s3:x-amz-server-side-encryption-aws-kms-key-id";
  const customer = "s3:x-amz-server-side-encryption-customer-algorithm";
  return [
    deny("ReplicasOnlySseKms", { ...present(algorithm), StringNotEquals: { [algorithm]: "aws:kms" } }),
    deny("ReplicasNeverSseC", present(customer)),
    deny(keySid, { ...present(keyId), StringNotLike: { [keyId]: acceptedReplicaKeys(central) } }),
  ];
}

/**
 * Central bucket policy: TLS only; each organization account's replication role
 * may write replicas only under `<its account ID>/`, through the `${aws:PrincipalAccount}`
 * policy variable, so the policy's size does not depend on the number of members, and may
 * read the bucket's versioning state. Nothing lets a member list, read or delete: see
 * __tests__/isolation-proofs.test.ts for the exhaustive check.
 */
export function centralBucketPolicy(input: CentralPolicyInput): PolicyDocument {
  const { bucketArn } = input.central;
  return policyDocument(
    denyInsecureTransport(bucketArn),
    ...replicaEncryptionDenies(input.central),
    ...centralBucketLocks(input),
    ...replicationRoleWrites(bucketArn, replicationPrincipalCondition(input)),
  );
}

/** A destination bucket's grants to the replication roles: replicas only under `<their account ID>/`, and the bucket's versioning state (central and the vault). */
export function replicationRoleWrites(bucketArn: string, principals: Condition): PolicyStatement[] {
  return [
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
  ];
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
 * What replication does with the central key: encrypt replicas (`kms:Encrypt`,
 * `kms:GenerateDataKey`), and, with S3 Bucket Keys, `kms:Decrypt` too.
 */
export function replicaKeyActions(central: Pick<ResolvedCentral, "bucketKey">): string[] {
  return ["kms:Encrypt", "kms:GenerateDataKey", ...(central.bucketKey ? ["kms:Decrypt"] : [])];
}

/**
 * Central key policy: the central account administers the key, except that only the
 * break-glass role may disable, delete, re-policy, grant or re-alias it (the deny binds the
 * account root too: a key policy's deny is not bypassed by root, unlike S3's bucket-policy
 * lockout exception), and the deploy and plan roles never use it on data; replication roles of the
 * organization may only encrypt with it, only through S3 in the central region, and only
 * for objects of the central bucket. Constant size in organization mode.
 * `kms:Encrypt` and the `kms:ViaService` / `kms:EncryptionContext:aws:s3:arn` conditions
 * follow "Replicating encrypted objects (SSE-C, SSE-S3, SSE-KMS, DSSE-KMS)",
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html,
 * whose examples (as in the archived copy of the guide) name `kms:Encrypt` only.
 * `kms:GenerateDataKey`, and with S3 Bucket Keys `kms:Decrypt`, come from the same page's
 * section on S3 Bucket Keys and replication: with Bucket Keys on the destination, the
 * replication role needs `kms:Decrypt` on the replica key (S3 decrypts the bucket-level key)
 * besides `kms:GenerateDataKey` (see replicaKeyActions). Same via-service and
 * encryption-context conditions. Checked against the documentation, not against AWS.
 */
export function centralKeyPolicy(input: CentralPolicyInput): PolicyDocument {
  const { central } = input;
  const principals = replicationPrincipalCondition(input);
  return policyDocument(
    keyAdministrationByAccount(central.accountId),
    {
      Sid: "OnlyBreakGlassDisablesDeletesOrRepoliciesTheKey",
      Effect: "Deny",
      Principal: "*",
      Action: [...CENTRAL_KEY_BREAK_GLASS_ACTIONS],
      Resource: "*",
      Condition: everyoneBut(central.breakGlassRoleArn),
    },
    pipelineNeverDecrypts(central),
    replicationRolesEncryptThroughS3(principals, central.region, centralEncryptionContext(central, "*"), replicaKeyActions(central)),
  );
}

/** A destination key's grant to the replication roles: these actions, only through S3 in the key's Region, only for objects matching the encryption context. */
export function replicationRolesEncryptThroughS3(principals: Condition, region: string, encryptionContext: string, actions: string[]): PolicyStatement {
  return {
    Sid: "ReplicationRolesEncryptOnlyThroughS3",
    Effect: "Allow",
    Principal: "*",
    Action: actions,
    Resource: "*",
    Condition: {
      ...principals,
      StringEquals: { ...principals.StringEquals, "kms:ViaService": s3ViaService(region) },
      StringLike: { "kms:EncryptionContext:aws:s3:arn": encryptionContext },
    },
  };
}
