import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { ITerraformDependable, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { RTC_MINUTES } from "../../core/config/defaults";
import { accountPrefix, vaultRuleId } from "../../core/config/naming";
import type { ResolvedCentral, ResolvedMember, ResolvedRule, ResolvedVault } from "../../core/config/resolved";

export interface ReplicationToCentralProps {
  readonly provider: TerraformProvider;
  readonly member: ResolvedMember;
  readonly central: ResolvedCentral;
  /** With `vault`: one more rule, the vault's (docs/vault.md). */
  readonly vault?: ResolvedVault;
  /** Source bucket name (a reference, so the rule is created after the bucket). */
  readonly sourceBucket: string;
  readonly replicationRoleArn: string;
  /** What a replicated write needs first: versioning, the source's default encryption, the role's policy. */
  readonly dependsOn: ITerraformDependable[];
}

/**
 * The member's replication configuration: one rule per configured prefix, every one
 * writing into the central bucket under the member's account-ID prefix, re-encrypted with
 * the central key and owned by the central account; with `vault`, one more rule for the
 * whole `<accountId>/` into the vault bucket, re-encrypted with the vault key and owned by the
 * vault account. A rule has one destination, and a configuration may hold rules for several
 * (S3 User Guide, "Replicating objects within and across Regions"), so the vault gets a rule
 * of its own, with its own ID, priority, metrics and Replication Time Control.
 */
export class ReplicationToCentral extends Construct {
  constructor(scope: Construct, id: string, props: ReplicationToCentralProps) {
    super(scope, id);
    const { member, central } = props;
    new S3BucketReplicationConfigurationA(this, "Configuration", {
      provider: props.provider,
      bucket: props.sourceBucket,
      role: props.replicationRoleArn,
      rule: [...member.rules.map((rule) => this.ruleOf(rule, member, central)), ...(props.vault ? [this.ruleOf(vaultRule(member), member, props.vault)] : [])],
      dependsOn: props.dependsOn,
    });
  }

  /** One rule into a destination: central, or the vault (both name their bucket, account and replica key alike). */
  private ruleOf(rule: ResolvedRule, member: ResolvedMember, central: Pick<ResolvedCentral, "bucketArn" | "accountId" | "replicaKmsKeyId">) {
    const rtc = member.replicationTimeControl;
    return {
      id: rule.id,
      priority: rule.priority,
      status: rule.enabled ? "Enabled" : "Disabled",
      filter: rule.tag ? { and: { prefix: rule.prefix, tags: { [rule.tag.key]: rule.tag.value } } } : { prefix: rule.prefix },
      deleteMarkerReplication: {
        status: member.replicateDeleteMarkers && !rule.tag ? "Enabled" : "Disabled",
      },
      sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
      destination: {
        bucket: central.bucketArn,
        account: central.accountId,
        storageClass: rule.storageClass,
        accessControlTranslation: { owner: "Destination" },
        encryptionConfiguration: { replicaKmsKeyId: central.replicaKmsKeyId },
        // Metrics are always on: the failure alarm reads them; their threshold comes with RTC.
        metrics: rtc ? { status: "Enabled", eventThreshold: { minutes: RTC_MINUTES } } : { status: "Enabled" },
        ...(rtc ? { replicationTime: { status: "Enabled", time: { minutes: RTC_MINUTES } } } : {}),
      },
    };
  }
}

/**
 * The vault's rule: the member's whole `<accountId>/` (the default rule's prefix, no tag), at
 * the default rule's storage class, with a priority above every other rule's so that it never
 * ties with one (priorities only decide between rules into the same bucket).
 */
function vaultRule(member: ResolvedMember): ResolvedRule {
  const [defaultRule] = member.rules;
  return {
    id: vaultRuleId(member.accountId),
    prefix: accountPrefix(member.accountId),
    priority: Math.max(...member.rules.map((r) => r.priority)) + 1,
    enabled: true,
    storageClass: defaultRule.storageClass,
  };
}
