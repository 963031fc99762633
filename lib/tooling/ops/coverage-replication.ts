import { GetBucketReplicationCommand, ReplicationConfiguration, ReplicationRule, S3Client } from "@aws-sdk/client-s3";
import type { ResolvedCentral, ResolvedMember, ResolvedRule } from "../../core/config/resolved";

/** The live replication configuration against what the member stack defines. */
export interface ReplicationCheck {
  /** "ok": as defined; "missing": no configuration; "different": present but not as defined. */
  readonly state: "ok" | "missing" | "different";
  /** One short line per difference, e.g. `rule central-backup-2222… is Disabled, the stack defines Enabled`. */
  readonly differences: readonly string[];
  readonly rules: number;
}

/**
 * S3 answers GetBucketReplication on a bucket without replication with this error code
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html, "List of error
 * codes"). Checked against the documentation, not against AWS.
 */
export const NO_REPLICATION = "ReplicationConfigurationNotFoundError";

export async function checkReplication(s3: S3Client, member: ResolvedMember, central: ResolvedCentral): Promise<ReplicationCheck> {
  let live: ReplicationConfiguration | undefined;
  try {
    live = (await s3.send(new GetBucketReplicationCommand({ Bucket: member.sourceBucketName }))).ReplicationConfiguration;
  } catch (error) {
    if ((error as { name?: string }).name === NO_REPLICATION)
      return { state: "missing", differences: ["no replication configuration on the source bucket"], rules: 0 };
    throw error;
  }
  if (!live) return { state: "missing", differences: ["no replication configuration on the source bucket"], rules: 0 };
  const differences = replicationDifferences(live, member, central);
  return { state: differences.length === 0 ? "ok" : "different", differences, rules: live.Rules?.length ?? 0 };
}

/** Every way the live configuration differs from the stack's (lib/infra/constructs/replication-to-central.ts). */
export function replicationDifferences(live: ReplicationConfiguration, member: ResolvedMember, central: ResolvedCentral): string[] {
  const differences: string[] = [];
  if (live.Role !== member.replicationRoleArn) differences.push(`role is ${live.Role ?? "unset"}, the stack defines ${member.replicationRoleArn}`);
  const liveRules = new Map((live.Rules ?? []).map((rule) => [rule.ID ?? "", rule]));
  for (const rule of member.rules) {
    const found = liveRules.get(rule.id);
    if (!found) differences.push(`rule ${rule.id} (${rule.prefix}) is missing`);
    else differences.push(...ruleDifferences(found, rule, central));
    liveRules.delete(rule.id);
  }
  for (const id of liveRules.keys()) differences.push(`rule ${id || "(no ID)"} is not in accounts.ts`);
  return differences;
}

function ruleDifferences(live: ReplicationRule, rule: ResolvedRule, central: ResolvedCentral): string[] {
  const differences: string[] = [];
  const expect = (what: string, actual: string | undefined, defined: string) => {
    if (actual !== defined) differences.push(`rule ${rule.id}: ${what} is ${actual ?? "unset"}, the stack defines ${defined}`);
  };
  expect("status", live.Status, rule.enabled ? "Enabled" : "Disabled");
  // The filter's prefix, in a plain or an And filter; `Prefix` on the rule is the legacy (V1) form.
  expect("prefix", live.Filter?.Prefix ?? live.Filter?.And?.Prefix ?? live.Prefix, rule.prefix);
  expect("destination bucket", live.Destination?.Bucket, central.bucketArn);
  expect("destination account", live.Destination?.Account, central.accountId);
  expect("replica KMS key", live.Destination?.EncryptionConfiguration?.ReplicaKmsKeyID, central.replicaKmsKeyId);
  return differences;
}
