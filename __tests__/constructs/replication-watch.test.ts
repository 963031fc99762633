import { ReplicationWatch } from "../../lib/infra/constructs/replication-watch";
import { REPLICATION_STOPPING_EVENTS, memberBusArn, watchRolePolicy, watchTrustPolicy } from "../../lib/infra/policies/detection-policies";
import { ALARM_NAME_PREFIX } from "../../lib/infra/policies/monitoring-policies";
import { allOptionsMember, resolvedAllOptions } from "../support/construct-fixtures";
import { exposed, synthConstruct } from "../support/construct-synth";
import { onlyResource, parsePolicy, resourcesOf } from "../support/synth";

const { central } = resolvedAllOptions;
const member = allOptionsMember("666666666666");
const KEY = { keyId: "${aws_kms_key.source_key.key_id}", keyArn: "${aws_kms_key.source_key.arn}" };

const stack = synthConstruct((scope, provider) => {
  const watch = new ReplicationWatch(scope, "Watch", { provider, member, central, sourceKey: KEY, permissionsBoundary: "arn:aws:iam::666666666666:policy/b" });
  return { ruleArn: watch.ruleArn };
});
const rule = onlyResource(stack, "aws_cloudwatch_event_rule");
const [onBucket, onKey, onAlarm] = JSON.parse(rule.event_pattern).$or;

describe("ReplicationWatch", () => {
  test("fires on the changes of the member's source bucket that stop replication: replication, versioning, policy, encryption, deletion", () => {
    expect(onBucket).toEqual({
      source: ["aws.s3"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: {
        eventName: expect.arrayContaining(["PutBucketReplication", "DeleteBucketReplication", "PutBucketVersioning", "PutBucketPolicy", "DeleteBucket"]),
        requestParameters: { bucketName: [member.sourceBucketName] },
      },
    });
  });

  test("fires on the source key's disabling, scheduled deletion or policy change, named by ID or by ARN", () => {
    expect(onKey).toEqual({
      source: ["aws.kms"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: { eventName: [...REPLICATION_STOPPING_EVENTS.key], requestParameters: { keyId: [KEY.keyId, KEY.keyArn] } },
    });
    expect(REPLICATION_STOPPING_EVENTS.key).toEqual(["DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy"]);
  });

  test("fires when one of the member's replication failure alarms goes off, so those alerts reach central too", () => {
    expect(onAlarm).toEqual({
      source: ["aws.cloudwatch"],
      "detail-type": ["CloudWatch Alarm State Change"],
      detail: { alarmName: [{ prefix: ALARM_NAME_PREFIX }], state: { value: ["ALARM"] } },
    });
  });

  test("forwards to central's member bus as its own role, which may do nothing else and carries the boundary", () => {
    const role = onlyResource(stack, "aws_iam_role");
    const target = onlyResource(stack, "aws_cloudwatch_event_target");
    expect(rule.name).toBe(member.watchName);
    expect(exposed(stack, "ruleArn")).toMatch(/^\$\{aws_cloudwatch_event_rule\.[\w]+\.arn\}$/);
    expect(target.arn).toBe(memberBusArn(central));
    expect(target.role_arn).toMatch(/^\$\{aws_iam_role\.[\w]+\.arn\}$/);
    expect(target.depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy\./)]);
    expect(role).toMatchObject({ name: member.watchName, permissions_boundary: "arn:aws:iam::666666666666:policy/b" });
    expect(parsePolicy(role.assume_role_policy)).toEqual(watchTrustPolicy(member));
    expect(resourcesOf(stack, "aws_iam_role_policy").map((p) => parsePolicy(p.policy))).toEqual([watchRolePolicy(central)]);
  });
});
