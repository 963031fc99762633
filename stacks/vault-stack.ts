import { TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { VAULT_STACK_NAME } from "../lib/core/config/naming";
import { BackupKey } from "../lib/infra/constructs/backup-key";
import { EncryptedBucket } from "../lib/infra/constructs/encrypted-bucket";
import { RestoreAccess } from "../lib/infra/constructs/restore-access";
import { vaultRestoreSource } from "../lib/infra/policies/restore-policies";
import { vaultBucketPolicy, vaultKeyPolicy } from "../lib/infra/policies/vault-policies";
import { DeploymentOptions, configureDeploymentTarget } from "./deployment-target";
import type { VaultStackInput } from "./stack-inputs";

/**
 * The vault account (docs/vault.md): a second, locked copy of every member's backups. Its
 * bucket is versioned, SSE-KMS with its own key, Object Lock COMPLIANCE by default, and its
 * bucket and key policies deny every change to everyone. Built from `vault`, the organization
 * and the project's role names only: members come and go without changing it.
 */
export class VaultStack extends TerraformStack {
  constructor(scope: Construct, input: VaultStackInput, options: DeploymentOptions) {
    super(scope, VAULT_STACK_NAME);
    const { vault } = input;
    // The vault account's own deploy and plan roles, like any account's; no break glass here.
    const provider = configureDeploymentTarget(this, vault, input, options);
    const policyInput = { organizationId: input.organizationId, vault, roles: input.roles };

    const key = new BackupKey(this, "VaultKey", {
      provider,
      logicalId: "vault_key",
      alias: vault.keyAlias,
      description: `Encrypts the organization's locked backup copies in ${vault.bucketName}`,
      policy: vaultKeyPolicy(policyInput),
      deletionWindowInDays: vault.keyDeletionWindowDays,
      // The policy denies kms:PutKeyPolicy to everyone, the deploying role included, which is
      // its point; KMS refuses such a policy unless the lockout safety check is bypassed.
      bypassPolicyLockoutSafetyCheck: true,
    });
    const bucket = new EncryptedBucket(this, "VaultBucket", {
      provider,
      logicalId: "vault_bucket",
      bucketName: vault.bucketName,
      kmsKeyArn: key.keyArn,
      policy: vaultBucketPolicy(policyInput),
      objectLock: { mode: "COMPLIANCE", days: vault.objectLockDays },
      // The policy denies changing versioning, encryption, ownership, public access and
      // Object Lock to everyone: it must be attached after all of them.
      policyLast: true,
    });

    if (input.restore) {
      // Central's restore role and drill bucket may be gone with central: the vault has its own.
      new RestoreAccess(this, "Restore", {
        provider,
        source: vaultRestoreSource(vault, key.keyArn),
        restore: input.restore.restore,
        targets: input.restore.targets,
        drillBucketName: vault.drillBucketName,
        boundaryArn: input.restore.boundaryArn,
      });
    }

    new TerraformOutput(this, "vault_bucket_arn", { value: bucket.bucketArn });
    new TerraformOutput(this, "vault_key_arn", {
      value: key.keyArn,
      description: "Set vault.keyArn in accounts.ts to this value to pin the members' vault rules to this exact key.",
    });
    new TerraformOutput(this, "vault_key_alias_arn", { value: key.aliasArn });
  }
}
