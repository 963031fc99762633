import type { ResolvedRestore } from "../config/resolved";
import { PolicyDocument, policyDocument } from "./policy-document";

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
 * STS, no deletes, no bucket configuration: whatever inline policy the deploy role puts on
 * the restore role, it cannot delete a version or change a bucket.
 */
export function restoreBoundaryPolicy(): PolicyDocument {
  return policyDocument(
    {
      Sid: "RestoreReadsListsAndWritesObjects",
      Effect: "Allow",
      Action: [...new Set([...RESTORE_READ_ACTIONS, ...RESTORE_LIST_ACTIONS, ...RESTORE_WRITE_ACTIONS, "s3:GetBucketVersioning"])],
      Resource: "*",
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
