import { alertsName, batchRoleName, bucketArn, drillBucketName, watchName } from "../../core/config/naming";
import type { ResolvedConfig } from "../../core/config/resolved";
import { ALARM_NAME_PREFIX } from "./monitoring-policies";

/**
 * What the project owns in an account, as IAM resources and conditions: what the deploy role
 * may change and the plan role may read. One list for every account (the StackSet template
 * is the same everywhere), with wildcards only where a name is derived per account (source
 * buckets `<sourceBucketPrefix>-<accountId>-<region>`) or picked by AWS (key IDs: named by
 * the `ManagedBy` tag every stack puts on its resources).
 */
export interface ProjectResources {
  /** Bucket ARNs: central, drills, the source bucket pattern, adopted buckets, the vault's and its drills (with `vault`). */
  readonly buckets: readonly string[];
  /** Objects of those buckets. */
  readonly objects: readonly string[];
  /** Role ARNs (any account) the stacks create: replication, batch, watch, restore. */
  readonly roles: readonly string[];
  /** Key aliases the stacks create, any account and region. */
  readonly aliases: readonly string[];
  /** Keys adopted from existing buckets: they carry no ManagedBy tag before the first apply. */
  readonly adoptedKeys: readonly string[];
  /** The alerts topic in any account and region, and its subscriptions. */
  readonly topics: readonly string[];
  readonly alarms: readonly string[];
  /** The members' watch rules, any account and region. */
  readonly rules: readonly string[];
  /** The tag the provider's default tags put on every resource, and its value. */
  readonly tag: { readonly key: string; readonly value: string };
}

/** The central bucket's drill scratch bucket (created with `restore`). */
export function drillBucketArn(config: ResolvedConfig): string {
  return bucketArn(config.restore?.drillBucketName ?? drillBucketName(config.central.bucketName));
}

/** `central.sourceBucketPrefix` when some member's bucket is created under it (none when every member adopts one). */
export function sourceBucketPrefixOf(config: ResolvedConfig): string | undefined {
  return config.members.some((m) => !m.adoptBucket) ? config.central.sourceBucketPrefix : undefined;
}

/** The members' source buckets: the generated name pattern (if any member has one) and the adopted buckets. */
export function sourceBucketArns(config: ResolvedConfig): string[] {
  const prefix = sourceBucketPrefixOf(config);
  return [...(prefix ? [`arn:aws:s3:::${prefix}-*`] : []), ...config.members.filter((m) => m.adoptBucket).map((m) => m.sourceBucketArn)];
}

export function projectResources(config: ResolvedConfig): ProjectResources {
  const { central } = config;
  const vaultDrills = config.vault && config.restore ? [bucketArn(config.vault.drillBucketName)] : [];
  const buckets = [central.bucketArn, drillBucketArn(config), ...sourceBucketArns(config), ...(config.vault ? [config.vault.bucketArn] : []), ...vaultDrills];
  const replication = central.replicationRoleName;
  const roleNames = [replication, batchRoleName(replication), watchName(replication), ...(config.restore ? [config.restore.roleName] : [])];
  const sourceKeyAlias = central.sourceKeyAlias;
  const alerts = `arn:aws:sns:*:*:${alertsName(replication)}`;
  return {
    buckets,
    objects: buckets.map((b) => `${b}/*`),
    roles: roleNames.map((name) => `arn:aws:iam::*:role/${name}`),
    aliases: [central.keyAlias, sourceKeyAlias, `alias/${alertsName(replication)}`, ...(config.vault ? [config.vault.keyAlias] : [])].map(
      (alias) => `arn:aws:kms:*:*:${alias}`,
    ),
    adoptedKeys: config.members.flatMap((m) => (m.existingKeyArn ? [m.existingKeyArn] : [])),
    topics: [alerts, `${alerts}:*`],
    alarms: [`arn:aws:cloudwatch:*:*:alarm:${ALARM_NAME_PREFIX}*`],
    rules: [`arn:aws:events:*:*:rule/${watchName(replication)}`],
    tag: { key: "ManagedBy", value: config.tags.ManagedBy },
  };
}
