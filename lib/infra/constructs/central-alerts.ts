import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { CloudwatchEventBus } from "@cdktf/provider-aws/lib/cloudwatch-event-bus";
import { CloudwatchEventBusPolicy } from "@cdktf/provider-aws/lib/cloudwatch-event-bus-policy";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import type { ResolvedCentral } from "../../core/config/resolved";
import { watchName } from "../../core/config/naming";
import {
  DETECTION,
  auditBucketName,
  auditBucketPolicy,
  centralTopicPolicy,
  detectionRules,
  memberBusPolicy,
  memberChangesPattern,
} from "../policies/detection-policies";
import { toTerraformJson } from "../policies/policy-document";
import { EncryptedBucket } from "./encrypted-bucket";

export interface CentralAlertsProps {
  readonly provider: TerraformProvider;
  readonly central: ResolvedCentral;
  /** The restore role's ARN (with `restore`): its every assumption alerts. */
  readonly restoreRoleArn?: string;
  /** The central bucket's name (a reference): the trail records its object-level writes. */
  readonly centralBucketName: string;
  /** Only watch roles of this organization forward member changes. */
  readonly organizationId: string;
}

/**
 * Detection in the central account, in minutes rather than at the next drift run: an audit
 * trail (management events, and the central bucket's object writes and deletes as data
 * events) into its own bucket, and one EventBridge rule per attack into an SNS topic with the
 * `central.monitoring.emails` subscriptions; the members' watch rules (ReplicationWatch)
 * forward what stops their replication to a bus of its own here, whose rule alerts the same
 * topic. No member is named: adding one leaves this stack as it is. The topic is not KMS-encrypted: EventBridge
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
    this.addMemberBus(props, topic.arn);
    // SSE-S3: CloudTrail writes without a key grant. Logs are deleted by break glass alone (its policy).
    const logs = new EncryptedBucket(this, "AuditBucket", {
      provider,
      logicalId: "audit_bucket",
      bucketName: auditBucketName(central),
      policy: auditBucketPolicy(central),
    });
    new Cloudtrail(this, "Trail", {
      provider,
      name: DETECTION.trailName,
      s3BucketName: logs.bucketName,
      enableLogFileValidation: true,
      includeGlobalServiceEvents: true,
      eventSelector: [
        {
          includeManagementEvents: true,
          readWriteType: "All",
          dataResource: [{ type: "AWS::S3::Object", values: [`arn:aws:s3:::${props.centralBucketName}/`] }],
        },
      ],
      dependsOn: [logs.policyAttached],
    });
    this.topicArn = topic.arn;
    this.auditBucketName = logs.bucketName;
  }

  /** The bus the members' watch rules forward to, open to their watch roles only, and its one rule into the topic. */
  private addMemberBus(props: CentralAlertsProps, topicArn: string): void {
    const { provider, central } = props;
    const bus = new CloudwatchEventBus(this, "MemberBus", { provider, name: DETECTION.memberBusName });
    new CloudwatchEventBusPolicy(this, "MemberBusPolicy", {
      provider,
      eventBusName: bus.name,
      policy: toTerraformJson(memberBusPolicy(central, props.organizationId, watchName(central.replicationRoleName))),
    });
    const rule = new CloudwatchEventRule(this, "Rule-member-changes", {
      provider,
      name: `${DETECTION.rulePrefix}member-changes`,
      eventBusName: bus.name,
      description: "A member account changed its source bucket or key in a way that stops its replication (or someone tried)",
      eventPattern: JSON.stringify(memberChangesPattern()),
    });
    new CloudwatchEventTarget(this, "Target-member-changes", { provider, rule: rule.name, eventBusName: bus.name, arn: topicArn });
  }
}
