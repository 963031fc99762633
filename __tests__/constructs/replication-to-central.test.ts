import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import type { ResolvedMember } from "../../lib/core/config/resolved";
import { ReplicationToCentral } from "../../lib/infra/constructs/replication-to-central";
import { allOptionsMember, resolvedAllOptions } from "../support/construct-fixtures";
import { synthConstruct } from "../support/construct-synth";
import { StackJson, onlyResource } from "../support/synth";

const { central } = resolvedAllOptions;
const ROLE_ARN = "arn:aws:iam::777777777777:role/org-backup-replication";

/** The replication configuration of a member (an all-options one by account ID), after a stand-in prerequisite. */
function replicationOf(accountIdOrMember: string | ResolvedMember): StackJson {
  const member = typeof accountIdOrMember === "string" ? allOptionsMember(accountIdOrMember) : accountIdOrMember;
  const stack = synthConstruct((scope, provider) => {
    const prerequisite = new SnsTopic(scope, "Prerequisite", { provider, name: "first" });
    prerequisite.overrideLogicalId("prerequisite");
    const sourceBucket = member.sourceBucketName;
    new ReplicationToCentral(scope, "Replication", { provider, member, central, sourceBucket, replicationRoleArn: ROLE_ARN, dependsOn: [prerequisite] });
  });
  return onlyResource(stack, "aws_s3_bucket_replication_configuration");
}

const ruleById = (configuration: StackJson, id: string): StackJson => configuration.rule.find((r: StackJson) => r.id === id);

describe("ReplicationToCentral", () => {
  test("replicates the source bucket as the replication role, one rule per configured rule, in their priorities", () => {
    const configuration = replicationOf("777777777777");
    expect(configuration.bucket).toBe(allOptionsMember("777777777777").sourceBucketName);
    expect(configuration.role).toBe(ROLE_ARN);
    expect(configuration.rule.map((r: StackJson) => [r.id, r.priority, r.status, r.filter.prefix])).toEqual(
      allOptionsMember("777777777777").rules.map((r) => [r.id, r.priority, r.enabled ? "Enabled" : "Disabled", r.prefix]),
    );
    expect(ruleById(configuration, "paused-scratch").status).toBe("Disabled");
    expect(configuration.depends_on).toEqual(["aws_sns_topic.prerequisite"]);
  });

  test("every rule writes into the central bucket, owned by the central account, re-encrypted with the central key", () => {
    for (const rule of replicationOf("777777777777").rule) {
      expect(rule.destination).toMatchObject({
        bucket: central.bucketArn,
        account: central.accountId,
        access_control_translation: { owner: "Destination" },
        encryption_configuration: { replica_kms_key_id: central.replicaKmsKeyId },
      });
      expect(rule.source_selection_criteria).toEqual({ sse_kms_encrypted_objects: { status: "Enabled" } });
    }
    expect(ruleById(replicationOf("777777777777"), "reports-to-deep-archive").destination.storage_class).toBe("DEEP_ARCHIVE");
  });

  test("Replication Time Control: threshold metrics and a 15-minute replication time with it, plain metrics without", () => {
    const withRtc = replicationOf("666666666666").rule[0].destination;
    expect(withRtc.metrics).toEqual({ status: "Enabled", event_threshold: { minutes: 15 } });
    expect(withRtc.replication_time).toEqual({ status: "Enabled", time: { minutes: 15 } });
    const withoutRtc = replicationOf("777777777777").rule[0].destination;
    expect(withoutRtc.metrics).toEqual({ status: "Enabled" });
    expect(withoutRtc.replication_time).toBeUndefined();
  });

  test("delete markers replicate only where asked and never under a tag filter, which S3 refuses with them", () => {
    expect(replicationOf("777777777777").rule[0].delete_marker_replication).toEqual({ status: "Enabled" });
    expect(replicationOf("666666666666").rule[0].delete_marker_replication).toEqual({ status: "Disabled" });
    const asked = replicationOf({ ...allOptionsMember("888888888888"), replicateDeleteMarkers: true });
    expect(asked.rule[0].delete_marker_replication).toEqual({ status: "Enabled" });
    const tagged = ruleById(asked, "tagged-critical");
    expect(tagged.filter).toEqual({ and: { prefix: "888888888888/", tags: { backup: "critical" } } });
    expect(tagged.delete_marker_replication).toEqual({ status: "Disabled" });
  });
});
