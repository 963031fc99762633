import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { EncryptedBucket, EncryptedBucketProps } from "../../lib/infra/constructs/encrypted-bucket";
import { denyInsecureTransport, policyDocument } from "../../lib/infra/policies/policy-document";
import { PolicySizeError } from "../../lib/infra/policies/size-limits";
import { policyOfSize } from "../support/construct-fixtures";
import { exposed, resource, synthConstruct } from "../support/construct-synth";
import { StackJson, onlyResource, parsePolicy, resourcesOf } from "../support/synth";

const KEY_ARN = "arn:aws:kms:eu-central-1:111111111111:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const policy = policyDocument(denyInsecureTransport("arn:aws:s3:::acme-backup"));
const props = { logicalId: "backup_bucket", bucketName: "acme-backup", kmsKeyArn: KEY_ARN, policy };
const BUCKET = "${aws_s3_bucket.backup_bucket.id}";

function synthBucket(extra: Partial<EncryptedBucketProps> = {}): StackJson {
  return synthConstruct((scope, provider) => {
    const bucket = new EncryptedBucket(scope, "Bucket", { provider, ...props, ...extra });
    // A writer that must wait for the bucket's write prerequisites, as replication does.
    new IamRolePolicy(scope, "Writer", { provider, role: "writer", policy: "{}", dependsOn: [...bucket.writePrerequisites] });
    return { bucketName: bucket.bucketName, bucketArn: bucket.bucketArn, bucketId: bucket.bucketId };
  });
}

describe("EncryptedBucket", () => {
  test("the bucket under its fixed logical ID, never force-destroyed, with prevent_destroy", () => {
    const bucket = resource(synthBucket(), "aws_s3_bucket", "backup_bucket");
    expect(bucket).toEqual({ bucket: "acme-backup", force_destroy: false, lifecycle: { prevent_destroy: true }, provider: "aws" });
  });

  test("versioned, SSE-KMS with the given key by default, Bucket Keys only when asked", () => {
    const stack = synthBucket();
    expect(onlyResource(stack, "aws_s3_bucket_versioning")).toMatchObject({ bucket: BUCKET, versioning_configuration: { status: "Enabled" } });
    expect(onlyResource(stack, "aws_s3_bucket_server_side_encryption_configuration")).toMatchObject({
      bucket: BUCKET,
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: KEY_ARN }, bucket_key_enabled: false }],
    });
    const withBucketKey = onlyResource(synthBucket({ bucketKeyEnabled: true }), "aws_s3_bucket_server_side_encryption_configuration");
    expect(withBucketKey.rule[0].bucket_key_enabled).toBe(true);
  });

  test("without a key: SSE-S3, for writers that cannot be granted one (CloudTrail)", () => {
    const sse = onlyResource(synthBucket({ kmsKeyArn: undefined }), "aws_s3_bucket_server_side_encryption_configuration");
    expect(sse.rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }]);
  });

  test("public access blocked four ways, ACLs off, and the policy applied after the block", () => {
    const stack = synthBucket();
    expect(onlyResource(stack, "aws_s3_bucket_public_access_block")).toMatchObject({
      bucket: BUCKET,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(onlyResource(stack, "aws_s3_bucket_ownership_controls").rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
    const bucketPolicy = onlyResource(stack, "aws_s3_bucket_policy");
    expect(parsePolicy(bucketPolicy.policy)).toEqual(policy);
    const [blockId] = Object.keys(stack.resource.aws_s3_bucket_public_access_block);
    expect(bucketPolicy.depends_on).toEqual([`aws_s3_bucket_public_access_block.${blockId}`]);
  });

  test("exposes its name, ARN and id as references, and its versioning and encryption as write prerequisites", () => {
    const stack = synthBucket();
    expect(exposed(stack, "bucketName")).toBe("${aws_s3_bucket.backup_bucket.bucket}");
    expect(exposed(stack, "bucketArn")).toBe("${aws_s3_bucket.backup_bucket.arn}");
    expect(exposed(stack, "bucketId")).toBe(BUCKET);
    const [versioning] = Object.keys(stack.resource.aws_s3_bucket_versioning);
    const [encryption] = Object.keys(stack.resource.aws_s3_bucket_server_side_encryption_configuration);
    expect(onlyResource(stack, "aws_iam_role_policy").depends_on).toEqual([
      `aws_s3_bucket_versioning.${versioning}`,
      `aws_s3_bucket_server_side_encryption_configuration.${encryption}`,
    ]);
  });

  test("Object Lock: enabled on the bucket, default retention set after versioning", () => {
    const stack = synthBucket({ objectLock: { mode: "GOVERNANCE", days: 30 } });
    expect(resource(stack, "aws_s3_bucket", "backup_bucket").object_lock_enabled).toBe(true);
    const lock = onlyResource(stack, "aws_s3_bucket_object_lock_configuration");
    expect(lock.rule).toEqual({ default_retention: { mode: "GOVERNANCE", days: 30 } });
    expect(lock.depends_on).toEqual([`aws_s3_bucket_versioning.${Object.keys(stack.resource.aws_s3_bucket_versioning)[0]}`]);
    expect(resourcesOf(synthBucket(), "aws_s3_bucket_object_lock_configuration")).toHaveLength(0);
  });

  test("lifecycle: transitions and noncurrent expiry as configured, none without a lifecycle", () => {
    const lifecycle = { transitions: [{ days: 30, storageClass: "STANDARD_IA" as const }], noncurrentVersionExpirationDays: 365 };
    const rules = onlyResource(synthBucket({ lifecycle }), "aws_s3_bucket_lifecycle_configuration").rule;
    expect(rules).toEqual([
      { id: "transition-to-colder-storage", status: "Enabled", filter: [{}], transition: [{ days: 30, storage_class: "STANDARD_IA" }] },
      {
        id: "expire-noncurrent-versions",
        status: "Enabled",
        filter: [{}],
        noncurrent_version_expiration: [{ noncurrent_days: 365, newer_noncurrent_versions: 5 }],
      },
    ]);
    expect(resourcesOf(synthBucket(), "aws_s3_bucket_lifecycle_configuration")).toHaveLength(0);
  });

  test("a scratch bucket expires every version and every upload after the given days", () => {
    const [rule] = onlyResource(synthBucket({ expireEverythingAfterDays: 1 }), "aws_s3_bucket_lifecycle_configuration").rule;
    expect(rule).toMatchObject({
      id: "expire-everything",
      expiration: [{ days: 1 }],
      noncurrent_version_expiration: [{ noncurrent_days: 1 }],
      abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }],
    });
  });

  test("adoptExisting imports the bucket and each of its settings by bucket name; nothing is imported otherwise", () => {
    const imported = (synthBucket({ adoptExisting: true }).import as StackJson[]).map((i) => [i.to.split(".")[0], i.id]);
    expect(imported).toEqual(
      [
        "aws_s3_bucket",
        "aws_s3_bucket_versioning",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_public_access_block",
        "aws_s3_bucket_ownership_controls",
        "aws_s3_bucket_policy",
      ].map((type) => [type, "acme-backup"]),
    );
    expect(synthBucket().import).toBeUndefined();
  });

  test("a bucket policy over 20 KB stops synthesis, naming the construct's path and the bucket", () => {
    expect(() => synthBucket({ policy: policyOfSize(300) })).toThrow(PolicySizeError);
    expect(() => synthBucket({ policy: policyOfSize(300) })).toThrow(
      /^stack\/Bucket: bucket acme-backup: the S3 bucket policy would be \d+ bytes, over AWS's limit of 20480/,
    );
  });
});
