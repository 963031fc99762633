import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { ITerraformDependable, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { RTC_MINUTES } from "../../core/config/defaults";
import type { ResolvedCentral, ResolvedMember, ResolvedRule } from "../../core/config/resolved";

export interface ReplicationToCentralProps {
  readonly provider: TerraformProvider;
  readonly member: ResolvedMember;
  readonly central: ResolvedCentral;
  /** Source bucket name (a reference, so the rule is created after the bucket). */
  readonly sourceBucket: string;
  readonly replicationRoleArn: string;
  /** What a replicated write needs first: versioning, the source's default encryption, the role's policy. */
  readonly dependsOn: ITerraformDependable[];
}

/**
 * The member's replication configuration: one rule per configured prefix, every one
 * writing into the central bucket under the member's account-ID prefix, re-encrypted with
 * the central key and owned by the central account.
 */
export class ReplicationToCentral extends Construct {
  constructor(scope: Construct, id: string, props: ReplicationToCentralProps) {
    super(scope, id);
    const { member, central } = props;
    new S3BucketReplicationConfigurationA(this, "Configuration", {
      provider: props.provider,
      bucket: props.sourceBucket,
      role: props.replicationRoleArn,
      rule: member.rules.map((rule) => this.ruleOf(rule, member, central)),
      dependsOn: props.dependsOn,
    });
  }

  private ruleOf(rule: ResolvedRule, member: ResolvedMember, central: ResolvedCentral) {
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
