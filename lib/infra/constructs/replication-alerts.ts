import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { ALARM_NAME_PREFIX, alertsKeyPolicy, alertsTopicPolicy } from "../policies/monitoring-policies";
import { toTerraformJson } from "../policies/policy-document";
import type { ResolvedCentral, ResolvedMember, ResolvedRule } from "../../core/config/resolved";
import { BackupKey } from "./backup-key";

/**
 * Replication events S3 sends as bucket notifications. S3 does not send replication events
 * to EventBridge (only object events), so they go straight from S3 to SNS.
 */
export function replicationAlertEvents(member: ResolvedMember): string[] {
  return ["s3:Replication:OperationFailedReplication", ...(member.replicationTimeControl ? ["s3:Replication:OperationMissedThreshold"] : [])];
}

/** The stalled alarm of a rule: its failure alarm's name and this, under the same prefix (which the roles and the watch rule name). */
export const STALLED_SUFFIX = "-stalled";

export interface ReplicationAlertsProps {
  readonly provider: TerraformProvider;
  readonly member: ResolvedMember;
  readonly central: ResolvedCentral;
  /** Source bucket name (a reference, so notifications follow the bucket). */
  readonly sourceBucket: string;
}

/**
 * Failure alerts of one member: an encrypted SNS topic with the configured email
 * subscriptions, S3 replication failure notifications into it, and per enabled rule a
 * CloudWatch alarm on failed and one on stalled replication.
 */
export class ReplicationAlerts extends Construct {
  /** The alerts topic's ARN (a reference). */
  readonly topicArn: string;

  constructor(scope: Construct, id: string, props: ReplicationAlertsProps) {
    super(scope, id);
    const { provider, member, central } = props;
    const key = new BackupKey(this, "AlertsKey", {
      provider,
      logicalId: "alerts_key",
      alias: `alias/${member.alertsName}`,
      description: `Encrypts replication failure alerts of ${member.sourceBucketName}`,
      policy: alertsKeyPolicy(member),
      deletionWindowInDays: central.keyDeletionWindowDays,
      // Holds no data: switching monitoring off may delete it.
      preventDestroy: false,
    });
    const topic = new SnsTopic(this, "Topic", {
      provider,
      name: member.alertsName,
      kmsMasterKeyId: key.keyArn,
    });
    this.topicArn = topic.arn;
    const topicPolicy = new SnsTopicPolicy(this, "TopicPolicy", {
      provider,
      arn: this.topicArn,
      policy: toTerraformJson(alertsTopicPolicy(member, this.topicArn)),
    });
    member.monitoring.emails.forEach((email, index) => {
      new SnsTopicSubscription(this, `Email${index}`, {
        provider,
        topicArn: this.topicArn,
        protocol: "email",
        endpoint: email,
      });
    });
    new S3BucketNotification(this, "ReplicationEvents", {
      provider,
      bucket: props.sourceBucket,
      topic: [{ topicArn: this.topicArn, events: replicationAlertEvents(member) }],
      // S3 checks that it may publish when the notification is saved.
      dependsOn: [topicPolicy],
    });
    for (const rule of member.rules.filter((r) => r.enabled)) this.addAlarms(props, rule);
  }

  /**
   * Two alarms per rule on S3's replication metrics (always enabled by the rule): operations
   * that failed, and operations still pending after an hour, which is replication stopped
   * while data keeps arriving (Replication Time Control promises 15 minutes). No data means
   * nothing to replicate, not an alarm.
   */
  private addAlarms(props: ReplicationAlertsProps, rule: ResolvedRule): void {
    const { provider, member, central } = props;
    const common = {
      provider,
      namespace: "AWS/S3",
      dimensions: { SourceBucket: member.sourceBucketName, DestinationBucket: central.bucketName, RuleId: rule.id },
      period: 300,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      alarmActions: [this.topicArn],
    };
    const then = `Run npm run verify -- --account ${member.accountId}, then npm run backfill.`;
    new CloudwatchMetricAlarm(this, `FailedReplication-${rule.id}`, {
      ...common,
      alarmName: `${ALARM_NAME_PREFIX}${rule.id}`,
      alarmDescription: `Objects of ${member.sourceBucketName} under ${rule.prefix} failed to replicate to ${central.bucketName}. ${then}`,
      metricName: "OperationsFailedReplication",
      statistic: "Sum",
      evaluationPeriods: 1,
    });
    new CloudwatchMetricAlarm(this, `StalledReplication-${rule.id}`, {
      ...common,
      alarmName: `${ALARM_NAME_PREFIX}${rule.id}${STALLED_SUFFIX}`,
      alarmDescription: `Objects of ${member.sourceBucketName} under ${rule.prefix} have waited over an hour to replicate to ${central.bucketName}: replication has stopped. ${then}`,
      metricName: "OperationsPendingReplication",
      statistic: "Maximum",
      evaluationPeriods: 12,
    });
  }
}
