import { aliasArn } from "../../core/config/naming";
import type { ResolvedCentral, ResolvedVault } from "../../core/config/resolved";
import {
  CENTRAL_BUCKET_BREAK_GLASS_ACTIONS,
  CENTRAL_KEY_BREAK_GLASS_ACTIONS,
  PRINCIPAL_ACCOUNT_VARIABLE,
  organizationReplicationPrincipals,
  pipelineNeverDecrypts,
  replicaEncryptionDenies,
  replicaKeyActions,
  replicationRoleWrites,
  replicationRolesEncryptThroughS3,
} from "./central-policies";
import { PolicyDocument, denyInsecureTransport, keyAdministrationByAccount, policyDocument } from "./policy-document";

/** What the vault's policies are built from: no member list, so adding a member never changes them (nobody could). */
export interface VaultPolicyInput {
  readonly organizationId: string;
  readonly vault: ResolvedVault;
  /** The project's role names: the members' replication role, and the deploy and plan roles that never decrypt. */
  readonly roles: Pick<ResolvedCentral, "replicationRoleName" | "deployRoleName" | "planRoleName">;
}

/**
 * What nobody may do to the vault bucket or its objects, the vault account's root, its admins
 * and the deploy role included: central's break-glass list (deletes, overwrites, retention,
 * lifecycle, policy, versioning, ownership, ACLs, public access block, encryption,
 * replication, Object Lock), with no break glass. Object Lock COMPLIANCE already keeps every
 * version for its retention; these keep the bucket from being emptied or re-opened after it.
 */
export const VAULT_BUCKET_LOCKED_ACTIONS = CENTRAL_BUCKET_BREAK_GLASS_ACTIONS;

/**
 * What nobody may do to the vault key: disable, delete, re-policy, grant, re-alias, change its
 * rotation or material. Without the key every replica is unreadable, COMPLIANCE or not.
 * `kms:CreateGrant` as in central: S3 encrypts replicas without grants, and a grant would hand
 * the key's use to any principal outside the policy.
 */
export const VAULT_KEY_LOCKED_ACTIONS = CENTRAL_KEY_BREAK_GLASS_ACTIONS;

/**
 * The vault's replication principals: central's organization-mode condition, whatever
 * `central.accessMode` says. In listed-accounts mode the policy would name every member and
 * change with each new one, but nobody may change the vault's bucket policy (it denies
 * `s3:PutBucketPolicy` to everyone), so it must not depend on the member list.
 */
function vaultReplicationPrincipals(input: VaultPolicyInput) {
  return organizationReplicationPrincipals(input.organizationId, input.roles.replicationRoleName);
}

/**
 * Vault bucket policy: TLS only; replicas only under the vault key; nobody changes or destroys
 * anything (no exception: the vault has no break glass); each organization account's
 * replication role writes replicas only under `<its account ID>/`, with central's own
 * statements. Reads stay with the vault account's IAM (restore from the vault is its own).
 */
export function vaultBucketPolicy(input: VaultPolicyInput): PolicyDocument {
  const { bucketArn } = input.vault;
  return policyDocument(
    denyInsecureTransport(bucketArn),
    // Any key of the vault account in its Region, `vault.keyArn` set or not: the policy is
    // written before the key exists and nobody may rewrite it, so it must not change when the
    // key is pinned; the vault account's keys are its own.
    ...replicaEncryptionDenies(
      { ...input.vault, replicaKmsKeyId: aliasArn(input.vault.region, input.vault.accountId, input.vault.keyAlias) },
      "ReplicasOnlyWithTheVaultKey",
    ),
    {
      Sid: "NobodyChangesOrDestroysTheVault",
      Effect: "Deny",
      Principal: "*",
      Action: [...VAULT_BUCKET_LOCKED_ACTIONS],
      Resource: [bucketArn, `${bucketArn}/*`],
    },
    ...replicationRoleWrites(bucketArn, vaultReplicationPrincipals(input)),
  );
}

/**
 * Vault key policy: the vault account administers the key, except that nobody, its root
 * included (a key policy's deny binds the root), may disable, delete, re-policy, grant or
 * re-alias it; the deploy and plan roles never use it on data; replication roles of the
 * organization may only encrypt with it through S3 in the vault's Region, for objects under
 * their own `<accountId>/` of the vault bucket (stricter than central's key, which the bucket
 * policy alone confines). KMS refuses a policy that denies `kms:PutKeyPolicy` to the creating
 * principal unless the lockout safety check is bypassed: the vault stack sets
 * `bypass_policy_lockout_safety_check`, on purpose (docs/vault.md).
 */
export function vaultKeyPolicy(input: VaultPolicyInput): PolicyDocument {
  const { vault } = input;
  return policyDocument(
    keyAdministrationByAccount(vault.accountId),
    { Sid: "NobodyDisablesDeletesOrRepoliciesTheKey", Effect: "Deny", Principal: "*", Action: [...VAULT_KEY_LOCKED_ACTIONS], Resource: "*" },
    pipelineNeverDecrypts(input.roles),
    replicationRolesEncryptThroughS3(
      vaultReplicationPrincipals(input),
      vault.region,
      `${vault.bucketArn}/${PRINCIPAL_ACCOUNT_VARIABLE}/*`,
      replicaKeyActions({ bucketKey: false }),
    ),
  );
}
