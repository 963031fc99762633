import type { ResolvedMember } from "../../lib/core/config/resolved";
import { ReplicationAlerts, STALLED_SUFFIX } from "../../lib/infra/constructs/replication-alerts";
import { ALARM_NAME_PREFIX, alertsKeyPolicy } from "../../lib/infra/policies/monitoring-policies";
import { allOptionsMember, resolvedAllOptions } from "../support/construct-fixtures";
import { exposed, resource, synthConstruct } from "../support/construct-synth";
import { StackJson, onlyResource, parsePolicy, resourcesOf } from "../support/synth";

const { central } = resolvedAllOptions;
const SOURCE_BUCKET = "${aws_s3_bucket.source_bucket.id}";

function alertsOf(member: ResolvedMember): StackJson {
  return synthConstruct((scope, provider) => {
    const alerts = new ReplicationAlerts(scope, "Alerts", { provider, member, central, sourceBucket: SOURCE_BUCKET });
    return { topicArn: alerts.topicArn };
  });
}

const payments = allOptionsMember("666666666666");
const analytics = allOptionsMember("777777777777");

describe("ReplicationAlerts", () => {
  test("the topic is encrypted with a key of its own, which holds no data and so may be deleted", () => {
    const stack = alertsOf(payments);
    const key = resource(stack, "aws_kms_key", "alerts_key");
    expect(key.lifecycle).toEqual({ prevent_destroy: false });
    expect(parsePolicy(key.policy)).toEqual(alertsKeyPolicy(payments));
    expect(onlyResource(stack, "aws_kms_alias").name).toBe(`alias/${payments.alertsName}`);
    expect(onlyResource(stack, "aws_sns_topic")).toMatchObject({ name: payments.alertsName, kms_master_key_id: "${aws_kms_key.alerts_key.arn}" });
  });

  test("exposes the topic's ARN; the topic policy, the subscriptions and the alarms all use that topic", () => {
    const stack = alertsOf(payments);
    const topicArn = exposed(stack, "topicArn");
    expect(topicArn).toMatch(/^\$\{aws_sns_topic\.[\w]+\.arn\}$/);
    expect(onlyResource(stack, "aws_sns_topic_policy").arn).toBe(topicArn);
    expect(resourcesOf(stack, "aws_sns_topic_subscription").map((s) => [s.topic_arn, s.protocol, s.endpoint])).toEqual(
      payments.monitoring.emails.map((email) => [topicArn, "email", email]),
    );
    for (const alarm of resourcesOf(stack, "aws_cloudwatch_metric_alarm")) expect(alarm.alarm_actions).toEqual([topicArn]);
  });

  test("the source bucket notifies failed replications, and missed thresholds only with Replication Time Control", () => {
    const stack = alertsOf(payments);
    const notification = onlyResource(stack, "aws_s3_bucket_notification");
    expect(notification.bucket).toBe(SOURCE_BUCKET);
    expect(notification.topic[0].events).toEqual(["s3:Replication:OperationFailedReplication", "s3:Replication:OperationMissedThreshold"]);
    const [topicPolicy] = Object.keys(stack.resource.aws_sns_topic_policy);
    expect(notification.depends_on).toEqual([`aws_sns_topic_policy.${topicPolicy}`]);
    expect(onlyResource(alertsOf(analytics), "aws_s3_bucket_notification").topic[0].events).toEqual(["s3:Replication:OperationFailedReplication"]);
  });

  test("per enabled rule, an alarm on failed and one on stalled replication (pending over an hour), none for a paused rule", () => {
    const alarms = resourcesOf(alertsOf(analytics), "aws_cloudwatch_metric_alarm");
    const enabled = analytics.rules.filter((r) => r.enabled);
    expect(enabled.length).toBeLessThan(analytics.rules.length);
    expect(alarms.map((a) => a.alarm_name).sort()).toEqual(
      enabled.flatMap((r) => [`${ALARM_NAME_PREFIX}${r.id}`, `${ALARM_NAME_PREFIX}${r.id}${STALLED_SUFFIX}`]).sort(),
    );
    for (const rule of enabled) {
      const failed = alarms.find((a) => a.alarm_name === `${ALARM_NAME_PREFIX}${rule.id}`)!;
      const stalled = alarms.find((a) => a.alarm_name === `${ALARM_NAME_PREFIX}${rule.id}${STALLED_SUFFIX}`)!;
      const threshold = { namespace: "AWS/S3", comparison_operator: "GreaterThanThreshold", threshold: 0, treat_missing_data: "notBreaching", period: 300 };
      expect(failed).toMatchObject({ ...threshold, metric_name: "OperationsFailedReplication", statistic: "Sum", evaluation_periods: 1 });
      expect(stalled).toMatchObject({ ...threshold, metric_name: "OperationsPendingReplication", statistic: "Maximum", evaluation_periods: 12 });
      for (const alarm of [failed, stalled])
        expect(alarm.dimensions).toEqual({ SourceBucket: analytics.sourceBucketName, DestinationBucket: central.bucketName, RuleId: rule.id });
    }
  });
});
