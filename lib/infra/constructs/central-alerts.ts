import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import type { ResolvedCentral } from "../../core/config/resolved";
import { DETECTION, auditBucketName, auditBucketPolicy, centralTopicPolicy, detectionRules } from "../policies/detection-policies";
import { toTerraformJson } from "../policies/policy-document";

export interface CentralAlertsProps {
  readonly provider: TerraformProvider;
  readonly central: ResolvedCentral;
  /** The restore role's ARN (with `restore`): its every assumption alerts. */
  readonly restoreRoleArn?: string;
  /** The central bucket's name (a reference): the trail records its object-level writes. */
  readonly centralBucketName: string;
}

/**
 * Detection in the central account, in minutes rather than at the next drift run: an audit
 * trail (management events, and the central bucket's object writes and deletes as data
 * events) into its own bucket, and one EventBridge rule per attack into an SNS topic with the
 * `central.monitoring.emails` subscriptions. The topic is not KMS-encrypted: EventBridge
 * cannot use an AWS managed key, and a key of its own would be a second key in central that
 * the pipeline may not create (docs/policies.md, Security Hub table).
 */
export class CentralAlerts extends Construct {
  /** The alerts topic's ARN (a reference). */
  readonly topicArn: string;
  /** The audit log bucket's name (a reference). */
  readonly auditBucketName: string;

  constructor(scope: Construct, id: string, props: CentralAlertsProps) {
    super(scope, id);
    const { provider, central } = props;
    const topic = new SnsTopic(this, "Topic", { provider, name: DETECTION.topicName });
    new SnsTopicPolicy(this, "TopicPolicy", { provider, arn: topic.arn, policy: toTerraformJson(centralTopicPolicy(central)) });
    central.alertEmails.forEach(
      (endpoint, index) => new SnsTopicSubscription(this, `Email${index}`, { provider, topicArn: topic.arn, protocol: "email", endpoint }),
    );
    for (const rule of detectionRules(central, props.restoreRoleArn)) {
      const eventRule = new CloudwatchEventRule(this, `Rule-${rule.id}`, {
        provider,
        name: `${DETECTION.rulePrefix}${rule.id}`,
        description: rule.description,
        eventPattern: JSON.stringify(rule.pattern),
      });
      new CloudwatchEventTarget(this, `Target-${rule.id}`, { provider, rule: eventRule.name, arn: topic.arn });
    }
    const logs = this.auditBucket(props);
    new Cloudtrail(this, "Trail", {
      provider,
      name: DETECTION.trailName,
      s3BucketName: logs.bucket,
      enableLogFileValidation: true,
      includeGlobalServiceEvents: true,
      eventSelector: [
        {
          includeManagementEvents: true,
          readWriteType: "All",
          dataResource: [{ type: "AWS::S3::Object", values: [`arn:aws:s3:::${props.centralBucketName}/`] }],
        },
      ],
      dependsOn: [logs],
    });
    this.topicArn = topic.arn;
    this.auditBucketName = logs.bucket;
  }

  /** Versioned, SSE-S3 (CloudTrail writes without a key grant), public access blocked, owner-enforced, TLS only, logs deleted by break glass alone. */
  private auditBucket(props: CentralAlertsProps): S3BucketPolicy {
    const { provider, central } = props;
    const bucket = new S3Bucket(this, "AuditBucket", { provider, bucket: auditBucketName(central), lifecycle: { preventDestroy: true } });
    // A fixed logical ID, like the central bucket's: a refactor never plans a replacement of the logs.
    bucket.overrideLogicalId("audit_bucket");
    new S3BucketVersioningA(this, "AuditVersioning", { provider, bucket: bucket.id, versioningConfiguration: { status: "Enabled" } });
    new S3BucketPublicAccessBlock(this, "AuditPublicAccessBlock", {
      provider,
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "AuditOwnership", { provider, bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
    new S3BucketServerSideEncryptionConfigurationA(this, "AuditEncryption", {
      provider,
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
    return new S3BucketPolicy(this, "AuditPolicy", { provider, bucket: bucket.id, policy: toTerraformJson(auditBucketPolicy(central)) });
  }
}
