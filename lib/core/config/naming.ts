/**
 * Every name and ARN derived from accounts.ts, computed here and nowhere else: stacks,
 * policies, CI and the day-2 commands read them from the resolved config or call these.
 */

/** The central stack's name (and its directory under cdktf.out/stacks). */
export const CENTRAL_STACK_NAME = "central";

/** The vault stack's name (docs/vault.md), built only when accounts.ts sets `vault`. */
export const VAULT_STACK_NAME = "vault";

/** Where cdktf writes the synthesized stacks unless CDKTF_OUTDIR says otherwise. */
export const DEFAULT_OUTDIR = "cdktf.out";

/** The stack of one member account. */
export function memberStackName(accountId: string): string {
  return `member-${accountId}`;
}

/** Deploy order of stack names: central, then the vault (members replicate into both: a rule's destination bucket must exist), then members by name. */
export function byDeployOrder(a: string, b: string): number {
  const rank = (name: string) => (name === CENTRAL_STACK_NAME ? 0 : name === VAULT_STACK_NAME ? 1 : 2);
  return rank(a) - rank(b) || a.localeCompare(b);
}

/** A created source bucket: `<sourceBucketPrefix>-<accountId>-<region>`. */
export function sourceBucketName(sourceBucketPrefix: string, accountId: string, region: string): string {
  return `${sourceBucketPrefix}-${accountId}-${region}`;
}

export function bucketArn(bucketName: string): string {
  return `arn:aws:s3:::${bucketName}`;
}

export function roleArn(accountId: string, roleName: string): string {
  return `arn:aws:iam::${accountId}:role/${roleName}`;
}

/** The S3 Batch Replication role of a member, beside its replication role. */
export function batchRoleName(replicationRoleName: string): string {
  return `${replicationRoleName}-batch`;
}

/**
 * A member's replication watch: the EventBridge rule that forwards changes which stop
 * replication to the central account, and the role it forwards with (one name for both).
 */
export function watchName(replicationRoleName: string): string {
  return `${replicationRoleName}-watch`;
}

/** The SNS topic (and the alias of its key) of a member's replication failure alerts. */
export function alertsName(replicationRoleName: string): string {
  return `${replicationRoleName}-alerts`;
}

/** ID of a member's default rule; stable, because S3 metrics and alarms name it. */
export function defaultRuleId(accountId: string): string {
  return `central-backup-${accountId}`;
}

/** ID of a member's rule into the vault: its own, beside the default rule's, because S3 metrics and alarms name rules. */
export function vaultRuleId(accountId: string): string {
  return `vault-backup-${accountId}`;
}

/** The replicated prefix of an account, in both buckets. */
export function accountPrefix(accountId: string): string {
  return `${accountId}/`;
}

/** The central key by its alias ARN, used as the replica key until `central.keyArn` pins the key itself. */
export function aliasArn(region: string, accountId: string, keyAlias: string): string {
  return `arn:aws:kms:${region}:${accountId}:${keyAlias}`;
}

/** Any key of an account in a region. */
export function anyKeyArn(region: string, accountId: string): string {
  return `arn:aws:kms:${region}:${accountId}:key/*`;
}

/** The GitHub OIDC provider of an account. */
export function githubOidcProviderArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:oidc-provider/token.actions.githubusercontent.com`;
}

/** The scratch bucket restore drills write into, beside the bucket they restore from (central's, the vault's). */
export function drillBucketName(backupBucketName: string): string {
  return `${backupBucketName}-drills`;
}
