import { CentralAlerts } from "../../lib/infra/constructs/central-alerts";
import { DETECTION } from "../../lib/infra/policies/detection-policies";
import type { ResolvedCentral } from "../../lib/core/config/resolved";
import { resolvedWithRestore } from "../support/construct-fixtures";
import { exposed, synthConstruct } from "../support/construct-synth";
import { StackJson, onlyResource, parsePolicy, resourcesOf } from "../support/synth";

const central: ResolvedCentral = { ...resolvedWithRestore.central, alertEmails: ["security@example.com", "backup-oncall@example.com"] };
const restoreRoleArn = resolvedWithRestore.restore!.roleArn;

function synthAlerts(): StackJson {
  return synthConstruct((scope, provider) => {
    const alerts = new CentralAlerts(scope, "Alerts", {
      provider,
      central,
      restoreRoleArn,
      centralBucketName: central.bucketName,
      organizationId: resolvedWithRestore.organizationId,
    });
    return { topicArn: alerts.topicArn, auditBucketName: alerts.auditBucketName };
  });
}

/** The event pattern of the rule named s3-central-backup-<id>, and the target it publishes to. */
function rule(stack: StackJson, id: string): { pattern: StackJson; targetArn: string } {
  const [logicalId, eventRule] = Object.entries<StackJson>(stack.resource.aws_cloudwatch_event_rule).find(
    ([, r]) => r.name === `${DETECTION.rulePrefix}${id}`,
  )!;
  const target = resourcesOf(stack, "aws_cloudwatch_event_target").find((t) => t.rule === `\${aws_cloudwatch_event_rule.${logicalId}.name}`)!;
  return { pattern: JSON.parse(eventRule.event_pattern), targetArn: target.arn };
}

describe("CentralAlerts", () => {
  const stack = synthAlerts();
  const topicRef = exposed(stack, "topicArn");

  test("the key's disabling, scheduled deletion, policy change, grants and re-aliasing alert", () => {
    const { pattern, targetArn } = rule(stack, "key-changes");
    expect(pattern.source).toEqual(["aws.kms"]);
    expect(pattern["detail-type"]).toEqual(["AWS API Call via CloudTrail"]);
    expect(pattern.detail.eventName).toEqual(expect.arrayContaining(["DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy", "CreateGrant", "UpdateAlias"]));
    expect(targetArn).toBe(topicRef);
  });

  test("central's policy, lifecycle, versioning, ownership, public access block and replication changes alert, for the central bucket only", () => {
    const { pattern, targetArn } = rule(stack, "bucket-changes");
    expect(pattern.detail.eventName).toEqual(
      expect.arrayContaining([
        "PutBucketPolicy",
        "PutBucketLifecycle",
        "PutBucketVersioning",
        "PutBucketOwnershipControls",
        "PutBucketPublicAccessBlock",
        "PutBucketReplication",
      ]),
    );
    expect(pattern.detail.requestParameters).toEqual({ bucketName: [central.bucketName] });
    expect(targetArn).toBe(topicRef);
  });

  test("every delete, overwrite or retention change of a version in central alerts (nobody but break glass may make one)", () => {
    const { pattern } = rule(stack, "version-deletes");
    expect(pattern.detail.eventName).toEqual(expect.arrayContaining(["DeleteObject", "DeleteObjects", "PutObject", "PutObjectRetention"]));
    expect(pattern.detail.requestParameters).toEqual({ bucketName: [central.bucketName] });
  });

  test("every assumption of the break-glass and the restore role alerts, and so does tampering with the trail", () => {
    expect(rule(stack, "role-assumed").pattern).toMatchObject({
      source: ["aws.sts"],
      detail: { eventName: ["AssumeRole"], requestParameters: { roleArn: [central.breakGlassRoleArn, restoreRoleArn] } },
    });
    expect(rule(stack, "trail-changes").pattern.detail.eventName).toEqual(["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors"]);
  });

  test("members' replication-stopping changes arrive on a bus of central's own, open to the organization's watch roles, and alert the topic", () => {
    const bus = onlyResource(stack, "aws_cloudwatch_event_bus");
    expect(bus.name).toBe(DETECTION.memberBusName);
    const busPolicy = onlyResource(stack, "aws_cloudwatch_event_bus_policy");
    expect(busPolicy.event_bus_name).toBe(`\${aws_cloudwatch_event_bus.${Object.keys(stack.resource.aws_cloudwatch_event_bus)[0]}.name}`);
    expect(parsePolicy(busPolicy.policy).Statement[0].Condition).toEqual({
      StringEquals: { "aws:PrincipalOrgID": resolvedWithRestore.organizationId },
      ArnLike: { "aws:PrincipalArn": `arn:aws:iam::*:role/${central.replicationRoleName}-watch` },
    });
    const { pattern, targetArn } = rule(stack, "member-changes");
    expect(pattern).toEqual({
      source: ["aws.s3", "aws.kms", "aws.cloudwatch"],
      "detail-type": ["AWS API Call via CloudTrail", "CloudWatch Alarm State Change"],
    });
    expect(targetArn).toBe(topicRef);
    const onBus = resourcesOf(stack, "aws_cloudwatch_event_rule").filter((r) => r.event_bus_name);
    expect(onBus.map((r) => r.name)).toEqual([`${DETECTION.rulePrefix}member-changes`]);
  });

  test("a trail with management events and the central bucket's object data events feeds the rules, into its own bucket", () => {
    const trail = onlyResource(stack, "aws_cloudtrail");
    expect(trail).toMatchObject({ name: DETECTION.trailName, enable_log_file_validation: true });
    expect(trail.event_selector).toEqual([
      {
        include_management_events: true,
        read_write_type: "All",
        data_resource: [{ type: "AWS::S3::Object", values: [`arn:aws:s3:::${central.bucketName}/`] }],
      },
    ]);
    const bucket = onlyResource(stack, "aws_s3_bucket");
    expect(bucket).toMatchObject({ bucket: `${central.bucketName}-audit`, lifecycle: { prevent_destroy: true } });
    expect(onlyResource(stack, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
    // CloudTrail checks the bucket policy when the trail is created.
    const [policyId] = Object.keys(stack.resource.aws_s3_bucket_policy);
    expect(trail.depends_on).toEqual([`aws_s3_bucket_policy.${policyId}`]);
    const policy = parsePolicy(onlyResource(stack, "aws_s3_bucket_policy").policy);
    const writes = policy.Statement.find((s: StackJson) => s.Sid === "CloudTrailWritesThisAccountsLogs");
    expect(writes.Condition.StringEquals["aws:SourceArn"]).toBe(`arn:aws:cloudtrail:${central.region}:${central.accountId}:trail/${DETECTION.trailName}`);
    expect(policy.Statement.find((s: StackJson) => s.Sid === "OnlyBreakGlassDeletesOrRepoliciesLogs").Condition).toEqual({
      ArnNotEquals: { "aws:PrincipalArn": [central.breakGlassRoleArn] },
    });
  });

  test("the topic admits only this account's detection rules, and reaches central.monitoring.emails", () => {
    const policy = parsePolicy(onlyResource(stack, "aws_sns_topic_policy").policy);
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: "events.amazonaws.com" },
        Action: "sns:Publish",
        Condition: expect.objectContaining({ StringEquals: { "aws:SourceAccount": central.accountId } }),
      }),
    ]);
    expect(resourcesOf(stack, "aws_sns_topic_subscription").map((s) => [s.protocol, s.endpoint, s.topic_arn])).toEqual(
      central.alertEmails.map((email) => ["email", email, topicRef]),
    );
  });
});
