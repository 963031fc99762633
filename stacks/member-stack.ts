import { TerraformOutput, TerraformProvider, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { BackupKey } from "../lib/infra/constructs/backup-key";
import { EncryptedBucket } from "../lib/infra/constructs/encrypted-bucket";
import { ReplicationAlerts } from "../lib/infra/constructs/replication-alerts";
import { ReplicationToCentral } from "../lib/infra/constructs/replication-to-central";
import { ReplicationWatch } from "../lib/infra/constructs/replication-watch";
import { ServiceRole } from "../lib/infra/constructs/service-role";
import {
  batchReplicationRolePolicy,
  batchReplicationTrustPolicy,
  replicationRolePolicy,
  replicationTrustPolicy,
  sourceBucketPolicy,
  sourceKeyPolicy,
} from "../lib/infra/policies/member-policies";
import { DeploymentOptions, configureDeploymentTarget } from "./deployment-target";
import type { MemberStackInput } from "./stack-inputs";

/**
 * One member account: its source bucket and key, the replication role and the rule that
 * copies `<accountId>/` into the central bucket, and the watch that reports to central what
 * would stop it. Everything it knows of the central account
 * comes from accounts.ts, never from the central stack's state.
 */
export class MemberStack extends TerraformStack {
  constructor(scope: Construct, input: MemberStackInput, options: DeploymentOptions) {
    const { central, member } = input;
    super(scope, member.stackName);
    const provider = configureDeploymentTarget(this, member, input, options);
    const restoreAccess = input.restore && { central, restore: input.restore, vault: input.vault };

    const key = new BackupKey(this, "SourceKey", {
      provider,
      logicalId: "source_key",
      alias: member.sourceKeyAlias,
      description: `Encrypts ${member.sourceBucketName}, replicated to the organization backup`,
      policy: sourceKeyPolicy(member, restoreAccess),
      deletionWindowInDays: central.keyDeletionWindowDays,
      // Import blocks make Terraform read the existing object from AWS, which offline mode cannot.
      existingKeyArn: options.offline ? undefined : member.existingKeyArn,
    });
    const source = new EncryptedBucket(this, "SourceBucket", {
      provider,
      logicalId: "source_bucket",
      bucketName: member.sourceBucketName,
      kmsKeyArn: key.keyArn,
      policy: sourceBucketPolicy(member, restoreAccess),
      adoptExisting: member.adoptBucket && !options.offline,
    });
    const replicationRole = new ServiceRole(this, "ReplicationRole", {
      provider,
      roleName: member.replicationRoleName,
      description: `S3 replicates ${member.sourceBucketName}/${member.accountId}/ into ${central.bucketName}`,
      trustPolicy: replicationTrustPolicy(member),
      permissions: replicationRolePolicy(member, central, key.keyArn, input.vault),
      permissionsBoundary: input.replicationBoundaryArn,
    });
    new ReplicationToCentral(this, "Replication", {
      provider,
      member,
      central,
      vault: input.vault,
      sourceBucket: source.bucketId,
      replicationRoleArn: replicationRole.roleArn,
      // Objects written before the role's policy or the bucket's default encryption exist
      // would fail replication, and S3 never retries a FAILED replication.
      dependsOn: [...source.writePrerequisites, replicationRole.permissionsAttached],
    });

    // Not switchable by monitoring.enabled: what stops the backups alerts the people who watch them.
    new ReplicationWatch(this, "Watch", { provider, member, central, sourceKey: key, permissionsBoundary: input.replicationBoundaryArn });
    if (member.monitoring.enabled) this.addAlerts(input, provider, source.bucketId);
    if (member.batchReplication) this.addBatchReplicationRole(input, provider, key.keyArn);
    new TerraformOutput(this, "source_bucket_name", { value: source.bucketName });
    new TerraformOutput(this, "source_key_arn", { value: key.keyArn });
    new TerraformOutput(this, "replication_role_arn", { value: replicationRole.roleArn });
  }

  /** Replication failure and lag alarms, on a topic of the member's own. */
  private addAlerts(input: MemberStackInput, provider: TerraformProvider, sourceBucket: string): void {
    const alerts = new ReplicationAlerts(this, "ReplicationAlerts", { provider, member: input.member, central: input.central, sourceBucket });
    new TerraformOutput(this, "alerts_topic_arn", { value: alerts.topicArn });
  }

  /** The role S3 Batch Replication runs as, for `npm run backfill` of objects older than the rule. */
  private addBatchReplicationRole(input: MemberStackInput, provider: TerraformProvider, sourceKeyArn: string): void {
    const { member } = input;
    const batchRole = new ServiceRole(this, "BatchReplicationRole", {
      provider,
      roleName: member.batchReplicationRoleName,
      description: `S3 Batch Replication backfills ${member.sourceBucketName}/${member.accountId}/`,
      trustPolicy: batchReplicationTrustPolicy(member),
      permissions: batchReplicationRolePolicy(member, sourceKeyArn),
      permissionsBoundary: input.replicationBoundaryArn,
    });
    new TerraformOutput(this, "batch_replication_role_arn", { value: batchRole.roleArn });
  }
}
