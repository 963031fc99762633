import { TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { BackupKey } from "../lib/infra/constructs/backup-key";
import { CentralAlerts } from "../lib/infra/constructs/central-alerts";
import { EncryptedBucket } from "../lib/infra/constructs/encrypted-bucket";
import { RestoreAccess } from "../lib/infra/constructs/restore-access";
import { CentralPolicyInput, centralBucketPolicy, centralKeyPolicy } from "../lib/infra/policies/central-policies";
import { centralRestoreSource } from "../lib/infra/policies/restore-policies";
import { GROWING_POLICY_ADVICE, assertPolicyFits } from "../lib/infra/policies/size-limits";
import { DeploymentOptions, configureDeploymentTarget } from "./deployment-target";
import { CENTRAL_STACK_NAME } from "../lib/core/config/naming";
import type { CentralStackInput } from "./stack-inputs";

// The member list is empty in organization mode (stack-inputs.ts), so that central's stack
// stays byte-identical when members are added or removed.
const centralPolicyInput = (input: CentralStackInput): CentralPolicyInput => ({
  organizationId: input.organizationId,
  central: input.central,
  memberAccountIds: input.memberAccountIds,
  restoreRoleArn: input.restore?.restore.roleArn,
});

/** Construct IDs of the central key and bucket: their paths start the constructs' size refusals. */
const CENTRAL_KEY_ID = "CentralKey";
const CENTRAL_BUCKET_ID = "CentralBucket";

/**
 * The central policies grow with the listed accounts (listed-accounts mode): a synth of
 * some member stacks checks them too, so a config that central would refuse is refused
 * whatever is built. The same check as the constructs', with the same message (their construct paths).
 */
export function assertCentralPoliciesFit(input: CentralStackInput): void {
  const policies = centralPolicyInput(input);
  const bucketPath = `${CENTRAL_STACK_NAME}/${CENTRAL_BUCKET_ID}`;
  const keyPath = `${CENTRAL_STACK_NAME}/${CENTRAL_KEY_ID}`;
  assertPolicyFits("bucketPolicy", `${bucketPath}: bucket ${input.central.bucketName}`, GROWING_POLICY_ADVICE, centralBucketPolicy(policies));
  assertPolicyFits("keyPolicy", `${keyPath}: key ${input.central.keyAlias}`, GROWING_POLICY_ADVICE, centralKeyPolicy(policies));
}

/** The central account: the one backup bucket and its KMS key. */
export class CentralStack extends TerraformStack {
  constructor(scope: Construct, input: CentralStackInput, options: DeploymentOptions) {
    super(scope, CENTRAL_STACK_NAME);
    const { central } = input;
    // The central account's roles, break glass included (its locks are applied by it alone).
    const provider = configureDeploymentTarget(this, { ...central, stackName: CENTRAL_STACK_NAME }, input, options);
    const policyInput = centralPolicyInput(input);

    const key = new BackupKey(this, CENTRAL_KEY_ID, {
      provider,
      logicalId: "central_key",
      alias: central.keyAlias,
      description: `Encrypts the organization's S3 backups in ${central.bucketName}`,
      policy: centralKeyPolicy(policyInput),
      deletionWindowInDays: central.keyDeletionWindowDays,
    });
    const bucket = new EncryptedBucket(this, CENTRAL_BUCKET_ID, {
      provider,
      logicalId: "central_bucket",
      bucketName: central.bucketName,
      kmsKeyArn: key.keyArn,
      policy: centralBucketPolicy(policyInput),
      bucketKeyEnabled: central.bucketKey,
      objectLock: central.objectLock,
      lifecycle: central.lifecycle,
    });

    const alerts = new CentralAlerts(this, "Alerts", {
      provider,
      central,
      restoreRoleArn: input.restore?.restore.roleArn,
      centralBucketName: bucket.bucketName,
      organizationId: input.organizationId,
    });

    if (input.restore) {
      new RestoreAccess(this, "Restore", {
        provider,
        source: centralRestoreSource(central, key.keyArn),
        restore: input.restore.restore,
        targets: input.restore.targets,
        drillBucketName: input.restore.restore.drillBucketName,
        boundaryArn: input.restore.boundaryArn,
      });
    }

    new TerraformOutput(this, "central_bucket_arn", { value: bucket.bucketArn });
    new TerraformOutput(this, "central_key_arn", {
      value: key.keyArn,
      description: "Set central.keyArn in accounts.ts to this value to pin replication to this exact key.",
    });
    new TerraformOutput(this, "central_key_alias_arn", { value: key.aliasArn });
    new TerraformOutput(this, "central_alerts_topic_arn", { value: alerts.topicArn });
    new TerraformOutput(this, "audit_bucket_name", { value: alerts.auditBucketName });
  }
}
