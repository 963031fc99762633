import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { ITerraformDependable, TerraformProvider, dependable } from "cdktf";
import { Construct } from "constructs";
import { DEFAULTS } from "../../core/config/defaults";
import type { CentralLifecycleConfig, ObjectLockConfig } from "../../core/config/types";
import { PolicyDocument, toTerraformJson } from "../policies/policy-document";
import { GROWING_POLICY_ADVICE, assertPolicyFits } from "../policies/size-limits";

export interface EncryptedBucketProps {
  readonly provider: TerraformProvider;
  readonly bucketName: string;
  /**
   * Logical ID of the bucket resource in Terraform. Fixed here rather than derived from
   * the construct path, so that moving the construct never plans a bucket replacement.
   */
  readonly logicalId: string;
  /**
   * Default SSE-KMS key of the bucket. Omitted: SSE-S3 (AES256), for a bucket whose writer is
   * a service that cannot be granted a key (CloudTrail's audit logs).
   */
  readonly kmsKeyArn?: string;
  readonly policy: PolicyDocument;
  /** S3 Bucket Keys: one data key per bucket instead of one KMS call per object. */
  readonly bucketKeyEnabled?: boolean;
  /** Adopt a bucket that already exists (Terraform `import` blocks) instead of creating it. */
  readonly adoptExisting?: boolean;
  readonly objectLock?: ObjectLockConfig;
  readonly lifecycle?: CentralLifecycleConfig;
  /** Scratch buckets: every object version, current and noncurrent, expires this many days after it is written or replaced. */
  readonly expireEverythingAfterDays?: number;
  /**
   * The policy denies changing the bucket's own settings to everyone (the vault): attach it
   * after versioning, encryption, ownership, public access block and Object Lock, or
   * Terraform's first apply would be refused by the policy it just attached.
   */
  readonly policyLast?: boolean;
}

/**
 * A versioned, SSE-KMS encrypted bucket with Block Public Access, bucket-owner-enforced
 * ownership, a bucket policy, and `prevent_destroy`: the shape both the central and the
 * source buckets share. Its policy is size-checked at synth; a refusal names this
 * construct's path.
 */
export class EncryptedBucket extends Construct {
  /** The bucket's name (a reference to its `bucket` attribute): what outputs show. */
  readonly bucketName: string;
  /** The bucket's ARN (a reference). */
  readonly bucketArn: string;
  /**
   * Terraform's `id` of the bucket, which is its name: the reference the bucket's own
   * settings and the configurations attached to it (replication, notifications) use, so
   * Terraform creates them after the bucket.
   */
  readonly bucketId: string;
  /**
   * Versioning and default encryption: what must exist before anything writes objects
   * into the bucket for others (replication), or those objects miss either.
   */
  readonly writePrerequisites: readonly ITerraformDependable[];
  /** The bucket policy: what a service that checks it on creation (CloudTrail) must come after. */
  readonly policyAttached: ITerraformDependable;
  private readonly versioning: S3BucketVersioningA;

  constructor(scope: Construct, id: string, props: EncryptedBucketProps) {
    super(scope, id);
    const { provider } = props;
    assertPolicyFits("bucketPolicy", `${this.node.path}: bucket ${props.bucketName}`, GROWING_POLICY_ADVICE, props.policy);

    const resource = new S3Bucket(this, "Bucket", {
      provider,
      bucket: props.bucketName,
      forceDestroy: false,
      objectLockEnabled: props.objectLock ? true : undefined,
      lifecycle: { preventDestroy: true },
    });
    resource.overrideLogicalId(props.logicalId);
    this.bucketName = resource.bucket;
    this.bucketArn = resource.arn;
    this.bucketId = resource.id;
    const bucket = this.bucketId;

    this.versioning = new S3BucketVersioningA(this, "Versioning", {
      provider,
      bucket,
      versioningConfiguration: { status: "Enabled" },
    });
    const encryption = new S3BucketServerSideEncryptionConfigurationA(this, "Encryption", {
      provider,
      bucket,
      rule: [
        props.kmsKeyArn
          ? {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn },
              bucketKeyEnabled: props.bucketKeyEnabled ?? false,
            }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
    });
    this.writePrerequisites = [this.versioning, encryption];
    const access = this.lockDownAccess(props, bucket);
    this.policyAttached = access[2];
    if (props.adoptExisting) {
      for (const adopted of [resource, this.versioning, encryption, ...access]) adopted.importFrom(props.bucketName, provider);
    }
    const objectLock = this.addRetention(props, bucket);
    if (props.policyLast) {
      const [policy, ...settings] = [access[2], access[0], access[1], this.versioning, encryption, ...(objectLock ? [objectLock] : [])];
      policy.dependsOn = settings.map((r) => dependable(r));
    }
  }

  /** Block Public Access, bucket-owner-enforced ownership, then the bucket policy. */
  private lockDownAccess(props: EncryptedBucketProps, bucket: string): [S3BucketPublicAccessBlock, S3BucketOwnershipControls, S3BucketPolicy] {
    const { provider } = props;
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, "PublicAccessBlock", {
      provider,
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const ownership = new S3BucketOwnershipControls(this, "Ownership", {
      provider,
      bucket,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    const policy = new S3BucketPolicy(this, "Policy", {
      provider,
      bucket,
      policy: toTerraformJson(props.policy),
      // The policy is checked against Block Public Access, so BPA goes first.
      dependsOn: [publicAccessBlock],
    });
    return [publicAccessBlock, ownership, policy];
  }

  /** Object Lock's default retention (returned, if any) and the lifecycle rules, both after versioning is on. */
  private addRetention(props: EncryptedBucketProps, bucket: string): S3BucketObjectLockConfigurationA | undefined {
    const { provider } = props;
    let objectLock: S3BucketObjectLockConfigurationA | undefined;
    if (props.objectLock) {
      objectLock = new S3BucketObjectLockConfigurationA(this, "ObjectLock", {
        provider,
        bucket,
        rule: { defaultRetention: { mode: props.objectLock.mode, days: props.objectLock.days } },
        dependsOn: [this.versioning],
      });
    }
    const lifecycleRules = [...lifecycleRulesOf(props.lifecycle), ...scratchRulesOf(props.expireEverythingAfterDays)];
    if (lifecycleRules.length > 0) {
      new S3BucketLifecycleConfiguration(this, "Lifecycle", {
        provider,
        bucket,
        rule: lifecycleRules,
        dependsOn: [this.versioning],
      });
    }
    return objectLock;
  }
}

function lifecycleRulesOf(lifecycle: CentralLifecycleConfig | undefined) {
  const rules = [];
  if (lifecycle?.transitions?.length) {
    rules.push({
      id: "transition-to-colder-storage",
      status: "Enabled",
      filter: [{}],
      transition: lifecycle.transitions.map((t) => ({ days: t.days, storageClass: t.storageClass })),
    });
  }
  if (lifecycle?.noncurrentVersionExpirationDays !== undefined) {
    rules.push({
      id: "expire-noncurrent-versions",
      status: "Enabled",
      filter: [{}],
      // The newest noncurrent versions survive whatever their age: a burst of delete markers
      // or overwrites cannot expire every real version of a key.
      noncurrentVersionExpiration: [
        {
          noncurrentDays: lifecycle.noncurrentVersionExpirationDays,
          newerNoncurrentVersions: lifecycle.keepNoncurrentVersions ?? DEFAULTS.keepNoncurrentVersions,
        },
      ],
    });
  }
  return rules;
}

function scratchRulesOf(days: number | undefined) {
  if (days === undefined) return [];
  return [
    {
      id: "expire-everything",
      status: "Enabled",
      filter: [{}],
      expiration: [{ days }],
      noncurrentVersionExpiration: [{ noncurrentDays: days }],
      abortIncompleteMultipartUpload: [{ daysAfterInitiation: days }],
    },
  ];
}
