import { CI_DEFAULTS, DEFAULTS, MANAGED_BY_TAG } from "./defaults";
import * as naming from "./naming";
import type {
  ResolvedCentral,
  ResolvedCi,
  ResolvedConfig,
  ResolvedDestination,
  ResolvedMember,
  ResolvedRestore,
  ResolvedRule,
  ResolvedVault,
} from "./resolved";
import type { BackupConfig, CiConfig, MemberAccountConfig, RestoreConfig, VaultConfig } from "./types";

/** Fills in every default and derives every name of a config that passed the checks. */
export function resolveConfig(config: BackupConfig): ResolvedConfig {
  const central = resolveCentral(config);
  return {
    organizationId: config.organizationId,
    central,
    members: config.members.map((m) => resolveMember(m, config, central)),
    stateBackend: config.stateBackend && {
      bucket: config.stateBackend.bucket,
      region: config.stateBackend.region,
      keyPrefix: config.stateBackend.keyPrefix ?? DEFAULTS.stateKeyPrefix,
      roleArn: config.stateBackend.roleArn,
    },
    ci: config.ci && resolveCi(config.ci, central),
    tags: { ...MANAGED_BY_TAG, ...(config.tags ?? {}) },
    restore: config.restore && resolveRestore(config.restore, central),
    ...(config.vault ? { vault: resolveVault(config.vault, central, config.restore) } : {}),
  };
}

/** A destination's names; until `keyArn` pins its key, the rules name it by alias ARN and roles may use any key of its account there. */
function resolveDestination(d: { accountId: string; region: string; bucketName: string; keyAlias: string; keyArn?: string }): ResolvedDestination {
  return {
    accountId: d.accountId,
    region: d.region,
    bucketName: d.bucketName,
    bucketArn: naming.bucketArn(d.bucketName),
    keyAlias: d.keyAlias,
    replicaKmsKeyId: d.keyArn ?? naming.aliasArn(d.region, d.accountId, d.keyAlias),
    keyResourceForMembers: d.keyArn ?? naming.anyKeyArn(d.region, d.accountId),
  };
}

function resolveVault(vault: VaultConfig, central: ResolvedCentral, restore: RestoreConfig | undefined): ResolvedVault {
  return {
    stackName: naming.VAULT_STACK_NAME,
    ...resolveDestination(vault),
    objectLockDays: vault.objectLockDays,
    deployRoleArn: naming.roleArn(vault.accountId, central.deployRoleName),
    planRoleArn: naming.roleArn(vault.accountId, central.planRoleName),
    keyDeletionWindowDays: central.keyDeletionWindowDays,
    drillBucketName: naming.drillBucketName(vault.bucketName),
    ...(restore ? { restoreRoleArn: naming.roleArn(vault.accountId, restore.roleName ?? DEFAULTS.restoreRoleName) } : {}),
  };
}

function resolveRestore(restore: RestoreConfig, central: ResolvedCentral): ResolvedRestore {
  const roleName = restore.roleName ?? DEFAULTS.restoreRoleName;
  return {
    roleName,
    roleArn: naming.roleArn(central.accountId, roleName),
    assumableBy: [...restore.assumableBy],
    drillBucketName: naming.drillBucketName(central.bucketName),
    extraTargetBuckets: [...(restore.extraTargetBuckets ?? [])],
  };
}

function resolveCentral(config: BackupConfig): ResolvedCentral {
  const c = config.central;
  const planRoleName = c.planRoleName ?? DEFAULTS.planRoleName;
  const breakGlassRoleName = c.breakGlassRoleName ?? DEFAULTS.breakGlassRoleName;
  return {
    ...resolveDestination(c),
    deployRoleName: c.deployRoleName,
    deployRoleArn: naming.roleArn(c.accountId, c.deployRoleName),
    planRoleName,
    planRoleArn: naming.roleArn(c.accountId, planRoleName),
    breakGlassRoleName,
    breakGlassRoleArn: naming.roleArn(c.accountId, breakGlassRoleName),
    alertEmails: [...(c.monitoring?.emails ?? [])],
    replicationRoleName: c.replicationRoleName ?? DEFAULTS.replicationRoleName,
    sourceBucketPrefix: c.sourceBucketPrefix ?? DEFAULTS.sourceBucketPrefix,
    sourceKeyAlias: c.sourceKeyAlias ?? DEFAULTS.sourceKeyAlias,
    keyDeletionWindowDays: c.keyDeletionWindowDays ?? DEFAULTS.keyDeletionWindowDays,
    accessMode: c.accessMode ?? DEFAULTS.accessMode,
    bucketKey: c.bucketKey ?? false,
    objectLock: c.objectLock,
    lifecycle: c.lifecycle && { ...c.lifecycle, keepNoncurrentVersions: c.lifecycle.keepNoncurrentVersions ?? DEFAULTS.keepNoncurrentVersions },
  };
}

function resolveRules(m: MemberAccountConfig, storageClass: ResolvedRule["storageClass"]): ResolvedRule[] {
  const defaultRule: ResolvedRule = {
    id: naming.defaultRuleId(m.accountId),
    prefix: naming.accountPrefix(m.accountId),
    priority: 0,
    enabled: true,
    storageClass,
  };
  const extraRules = (m.extraRules ?? []).map((r) => ({
    id: r.id,
    prefix: r.prefix,
    tag: r.tag,
    priority: r.priority,
    enabled: r.enabled ?? true,
    storageClass: r.storageClass ?? storageClass,
  }));
  return [defaultRule, ...extraRules];
}

function resolveMember(m: MemberAccountConfig, config: BackupConfig, central: ResolvedCentral): ResolvedMember {
  const c = config.central;
  const region = m.region ?? c.region;
  const sourceBucketName = m.existingBucket?.bucketName ?? naming.sourceBucketName(central.sourceBucketPrefix, m.accountId, region);
  return {
    accountId: m.accountId,
    name: m.name,
    region,
    stackName: naming.memberStackName(m.accountId),
    deployRoleArn: naming.roleArn(m.accountId, c.deployRoleName),
    planRoleArn: naming.roleArn(m.accountId, central.planRoleName),
    sourceBucketName,
    sourceBucketArn: naming.bucketArn(sourceBucketName),
    adoptBucket: m.existingBucket !== undefined,
    existingKeyArn: m.existingBucket?.kmsKeyArn,
    sourceKeyAlias: central.sourceKeyAlias,
    replicationRoleName: central.replicationRoleName,
    replicationRoleArn: naming.roleArn(m.accountId, central.replicationRoleName),
    replicationTimeControl: m.replicationTimeControl ?? c.replicationTimeControl ?? DEFAULTS.replicationTimeControl,
    replicateDeleteMarkers: m.replicateDeleteMarkers ?? c.replicateDeleteMarkers ?? DEFAULTS.replicateDeleteMarkers,
    rules: resolveRules(m, m.storageClass ?? c.storageClass ?? DEFAULTS.storageClass),
    monitoring: {
      enabled: m.monitoring?.enabled ?? c.monitoring?.enabled ?? DEFAULTS.monitoring,
      emails: m.monitoring?.emails ?? c.monitoring?.emails ?? [],
    },
    alertsName: naming.alertsName(central.replicationRoleName),
    batchReplication: m.batchReplication ?? c.batchReplication ?? DEFAULTS.batchReplication,
    batchReplicationRoleName: naming.batchRoleName(central.replicationRoleName),
    batchReplicationRoleArn: naming.roleArn(m.accountId, naming.batchRoleName(central.replicationRoleName)),
    watchName: naming.watchName(central.replicationRoleName),
    watchRoleArn: naming.roleArn(m.accountId, naming.watchName(central.replicationRoleName)),
  };
}

function resolveCi(ci: CiConfig, central: ResolvedCentral): ResolvedCi {
  const planRoleName = ci.planRoleName ?? CI_DEFAULTS.planRoleName;
  const deployRoleName = ci.deployRoleName ?? CI_DEFAULTS.deployRoleName;
  const deployEnvironment = ci.deployEnvironment ?? CI_DEFAULTS.deployEnvironment;
  const bootstrapRoleName = ci.bootstrapRoleName ?? CI_DEFAULTS.bootstrapRoleName;
  const bootstrapRoleArn = naming.roleArn(central.accountId, bootstrapRoleName);
  const delegatedAdmin = ci.organization.delegatedAdminAccountId;
  const repo = `repo:${ci.githubRepository}`;
  return {
    githubRepository: ci.githubRepository,
    deployEnvironment,
    accountId: central.accountId,
    oidcProviderArn: naming.githubOidcProviderArn(central.accountId),
    createOidcProvider: !(ci.useExistingOidcProvider ?? false),
    planRoleName,
    planRoleArn: naming.roleArn(central.accountId, planRoleName),
    deployRoleName,
    deployRoleArn: naming.roleArn(central.accountId, deployRoleName),
    planSubjects: [`${repo}:pull_request`, `${repo}:ref:refs/heads/main`],
    deploySubject: `${repo}:environment:${deployEnvironment}`,
    bootstrapRoleArn,
    stateAdminRoleArns: ci.stateAdminRoleArns ?? [bootstrapRoleArn],
    operatorRoleArns: ci.operatorRoleArns ?? [],
    stateNoncurrentVersionDays: ci.stateNoncurrentVersionDays ?? CI_DEFAULTS.stateNoncurrentVersionDays,
    organization: {
      managementAccountId: ci.organization.managementAccountId,
      stackSetAccountId: delegatedAdmin ?? ci.organization.managementAccountId,
      delegatedAdmin: delegatedAdmin !== undefined,
      stackSetBootstrapRoleArn: delegatedAdmin && naming.roleArn(delegatedAdmin, bootstrapRoleName),
      organizationalUnitIds: ci.organization.organizationalUnitIds,
    },
  };
}
