import { BackupConfig, ExtraReplicationRule, MemberAccountConfig, REPLICA_STORAGE_CLASSES, ReplicaStorageClass } from "./types";
import { AWS_REGIONS } from "./regions";
import { ACCOUNT_ID, EMAIL, KEY_ALIAS, KEY_ARN, ORGANIZATION_ID, ROLE_ARN, ROLE_NAME, RULE_ID } from "./patterns";
import type { ResolvedCentral, ResolvedConfig, ResolvedMember, ResolvedRule } from "./resolved";
import { checkCi, checkRoleNamesDiffer, resolveCi } from "./validate-ci";
import { resolveRestore, restoreProblems } from "./validate-restore";
import { objectLockProblems } from "./validate-object-lock";

/** One problem in accounts.ts: where, what, and how to fix it. */
export interface ConfigProblem {
  readonly field: string;
  readonly problem: string;
  readonly fix: string;
}

/** Thrown before synthesis when accounts.ts is invalid; lists every problem found. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `accounts.ts is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p.field}: ${p.problem}. Fix: ${p.fix}.`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

export const DEFAULTS = {
  replicationRoleName: "s3-central-backup-replication",
  sourceBucketPrefix: "s3-backup-source",
  sourceKeyAlias: "alias/s3-backup-source",
  keyDeletionWindowDays: 30,
  storageClass: "STANDARD" as ReplicaStorageClass,
  replicationTimeControl: true,
  replicateDeleteMarkers: false,
  monitoring: true,
  batchReplication: true,
  stateKeyPrefix: "org-s3-central-backup",
  accessMode: "organization" as const,
  planRoleName: "s3-central-backup-plan",
};

/** Why a bucket name breaks S3's naming rules, or undefined when it is valid. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `"${name}" has ${name.length} characters, S3 allows 3 to 63`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name))
    return `"${name}" may hold only lowercase letters, digits, dots and hyphens, and must start and end with a letter or digit`;
  if (name.includes("..")) return `"${name}" has two adjacent dots`;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return `"${name}" is formatted like an IP address`;
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name)) return `"${name}" starts with a prefix S3 reserves`;
  if (/(-s3alias|--ol-s3|--x-s3|--table-s3)$/.test(name)) return `"${name}" ends with a suffix S3 reserves`;
  return undefined;
}

/** Checks accounts.ts and fills in every default. Throws ConfigError listing all problems. */
export function validateConfig(config: BackupConfig): ResolvedConfig {
  const problems: ConfigProblem[] = [];
  const report = (field: string, problem: string, fix: string) => problems.push({ field, problem, fix });

  const checkAccountId = (field: string, value: unknown) => {
    // A bare number passes TypeScript's loader (tsx does not type-check) and loses nothing
    // visible, so the message must say that the quotes are what is missing.
    if (typeof value === "number") report(field, `${value} is a number, not a string`, `put the account ID in quotes: "${String(value).padStart(12, "0")}"`);
    else if (typeof value !== "string" || !ACCOUNT_ID.test(value))
      report(field, `"${String(value)}" is not a 12-digit AWS account ID`, 'write the account ID as a string of exactly 12 digits, e.g. "123456789012"');
  };
  const checkRegion = (field: string, value: unknown) => {
    if (typeof value !== "string" || !AWS_REGIONS.has(value))
      report(field, `"${String(value)}" is not a known AWS region`, `use a region code such as "eu-central-1" (known: ${[...AWS_REGIONS].join(", ")})`);
  };
  const checkStorageClass = (field: string, value: unknown) => {
    if (value !== undefined && !REPLICA_STORAGE_CLASSES.includes(value as ReplicaStorageClass))
      report(field, `${JSON.stringify(value)} is not a storage class S3 replication accepts`, `use one of ${REPLICA_STORAGE_CLASSES.join(", ")}`);
  };
  const checkBucketName = (field: string, value: unknown, fix: string) => {
    const problem = typeof value === "string" ? bucketNameProblem(value) : "is missing";
    if (problem) report(field, problem, fix);
  };
  const checkKeyAlias = (field: string, value: string) => {
    if (!KEY_ALIAS.test(value) || value.startsWith("alias/aws/"))
      report(
        field,
        `"${value}" is not a valid customer KMS alias`,
        "write it as \"alias/<name>\" with letters, digits, '/', '_' or '-', not starting with alias/aws/",
      );
  };
  const checkEmails = (field: string, emails: readonly string[] | undefined) => {
    (emails ?? []).forEach((email, i) => {
      if (!EMAIL.test(email)) report(`${field}[${i}]`, `"${email}" is not an email address`, 'write an address such as "platform-team@example.com"');
    });
  };

  if (typeof config.organizationId !== "string" || !ORGANIZATION_ID.test(config.organizationId))
    report(
      "organizationId",
      `"${String(config.organizationId)}" is not an AWS Organization ID`,
      'copy it from AWS Organizations > Settings: "o-" followed by 10 to 32 lowercase letters or digits',
    );

  const c = config.central ?? ({} as BackupConfig["central"]);
  checkAccountId("central.accountId", c.accountId);
  checkRegion("central.region", c.region);
  checkBucketName("central.bucketName", c.bucketName, "choose a globally unique name of 3-63 lowercase letters, digits, dots or hyphens");
  checkKeyAlias("central.keyAlias", String(c.keyAlias));
  if (c.keyArn !== undefined) {
    if (!KEY_ARN.test(c.keyArn))
      report(
        "central.keyArn",
        `"${c.keyArn}" is not a KMS key ARN`,
        "copy the central stack's central_key_arn output (arn:aws:kms:<region>:<account>:key/<id>), or remove the field",
      );
    else if (!c.keyArn.startsWith(`arn:aws:kms:${c.region}:${c.accountId}:key/`))
      report(
        "central.keyArn",
        `"${c.keyArn}" is not in the central account and region`,
        `use the key in ${c.accountId} / ${c.region} that the central stack created`,
      );
  }
  if (typeof c.deployRoleName !== "string" || !ROLE_NAME.test(c.deployRoleName))
    report(
      "central.deployRoleName",
      `"${String(c.deployRoleName)}" is not an IAM role name`,
      'name the role Terraform assumes in every account, e.g. "OrganizationAccountAccessRole"',
    );
  const planRoleName = c.planRoleName ?? DEFAULTS.planRoleName;
  if (!ROLE_NAME.test(planRoleName))
    report(
      "central.planRoleName",
      `"${planRoleName}" is not an IAM role name`,
      'use up to 64 letters, digits or +=,.@_-, or remove the field for "s3-central-backup-plan"',
    );
  const replicationRoleName = c.replicationRoleName ?? DEFAULTS.replicationRoleName;
  if (!ROLE_NAME.test(replicationRoleName) || replicationRoleName.length > 55)
    report(
      "central.replicationRoleName",
      `"${replicationRoleName}" is not a usable IAM role name`,
      'use up to 55 letters, digits or +=,.@_- (the batch role adds a "-batch" suffix)',
    );
  const sourceBucketPrefix = c.sourceBucketPrefix ?? DEFAULTS.sourceBucketPrefix;
  const sourceKeyAlias = c.sourceKeyAlias ?? DEFAULTS.sourceKeyAlias;
  checkKeyAlias("central.sourceKeyAlias", sourceKeyAlias);
  const keyDeletionWindowDays = c.keyDeletionWindowDays ?? DEFAULTS.keyDeletionWindowDays;
  if (!Number.isInteger(keyDeletionWindowDays) || keyDeletionWindowDays < 7 || keyDeletionWindowDays > 30)
    report("central.keyDeletionWindowDays", `${keyDeletionWindowDays} is outside KMS's 7-30 days`, "use a whole number of days from 7 to 30 (30 recommended)");
  checkStorageClass("central.storageClass", c.storageClass);
  checkEmails("central.monitoring.emails", c.monitoring?.emails);
  const accessMode = c.accessMode ?? DEFAULTS.accessMode;
  if (accessMode !== "organization" && accessMode !== "listed-accounts")
    report("central.accessMode", `"${String(accessMode)}" is not an access mode`, 'use "organization" or "listed-accounts"');
  if (c.objectLock) {
    if (c.objectLock.mode !== "GOVERNANCE" && c.objectLock.mode !== "COMPLIANCE")
      report("central.objectLock.mode", `"${String(c.objectLock.mode)}" is not an Object Lock mode`, 'use "GOVERNANCE" or "COMPLIANCE"');
    if (!Number.isInteger(c.objectLock.days) || c.objectLock.days < 1 || c.objectLock.days > 36500)
      report("central.objectLock.days", `${c.objectLock.days} is not a retention in days`, "use a whole number of days from 1 to 36500");
  }
  (c.lifecycle?.transitions ?? []).forEach((t, i) => {
    checkStorageClass(`central.lifecycle.transitions[${i}].storageClass`, t.storageClass);
    if (!Number.isInteger(t.days) || t.days < 0)
      report(`central.lifecycle.transitions[${i}].days`, `${t.days} is not a number of days`, "use a whole number of days, 0 or more");
  });
  const noncurrentDays = c.lifecycle?.noncurrentVersionExpirationDays;
  if (noncurrentDays !== undefined && (!Number.isInteger(noncurrentDays) || noncurrentDays < 1))
    report("central.lifecycle.noncurrentVersionExpirationDays", `${noncurrentDays} is not a number of days`, "use a whole number of days, 1 or more");

  if (config.stateBackend) {
    const s = config.stateBackend;
    checkBucketName("stateBackend.bucket", s.bucket, "name the existing S3 bucket that holds Terraform state");
    checkRegion("stateBackend.region", s.region);
    if (s.keyPrefix !== undefined && !/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/.test(s.keyPrefix))
      report(
        "stateBackend.keyPrefix",
        `"${s.keyPrefix}" is not a usable key prefix`,
        "use path segments of letters, digits and -_.!*'() separated by '/', with no leading or trailing '/'",
      );
    if (s.roleArn !== undefined && !ROLE_ARN.test(s.roleArn))
      report("stateBackend.roleArn", `"${s.roleArn}" is not an IAM role ARN`, "write arn:aws:iam::<account>:role/<name>, or remove the field");
  }
  if (config.ciRoleArn !== undefined)
    report(
      "ciRoleArn",
      "one role for plans and deploys lets any pull request deploy, so it is no longer supported",
      "remove it and set ci (a plan CI role and a deploy CI role, created by npm run bootstrap:deploy); the workflow then uses CI_PLAN_ROLE_ARN and CI_DEPLOY_ROLE_ARN",
    );
  if (config.ci !== undefined) checkCi(config, config.ci, report, checkAccountId);
  checkRoleNamesDiffer(config, planRoleName, replicationRoleName, report);

  const members: readonly MemberAccountConfig[] = Array.isArray(config.members) ? config.members : [];
  if (members.length === 0)
    report(
      "members",
      "the list is empty, so there is nothing to back up",
      'add at least one member account: { accountId: "123456789012", name: "workloads-prod" }',
    );

  const seen = new Map<string, number>();
  members.forEach((m, i) => {
    const field = `members[${i}]`;
    checkAccountId(`${field}.accountId`, m.accountId);
    if (typeof m.name !== "string" || m.name.trim() === "") report(`${field}.name`, "is empty", 'give the account a readable name, e.g. "workloads-prod"');
    if (m.accountId === c.accountId)
      report(
        `${field}.accountId`,
        `${m.accountId} is the central account`,
        "remove it from members: the central account owns the central bucket and does not replicate into it",
      );
    const first = seen.get(m.accountId);
    if (first !== undefined) report(`${field}.accountId`, `${m.accountId} is listed twice (also members[${first}])`, "keep one entry per account");
    else seen.set(m.accountId, i);
    if (m.region !== undefined) checkRegion(`${field}.region`, m.region);
    checkStorageClass(`${field}.storageClass`, m.storageClass);
    checkEmails(`${field}.monitoring.emails`, m.monitoring?.emails);
    const region = m.region ?? c.region;
    if (m.existingBucket) {
      checkBucketName(`${field}.existingBucket.bucketName`, m.existingBucket.bucketName, "write the exact name of the bucket to adopt");
      const keyArn = m.existingBucket.kmsKeyArn;
      if (keyArn !== undefined && (!KEY_ARN.test(keyArn) || !keyArn.startsWith(`arn:aws:kms:${region}:${m.accountId}:key/`)))
        report(
          `${field}.existingBucket.kmsKeyArn`,
          `"${keyArn}" is not a KMS key ARN of account ${m.accountId} in ${region}`,
          "copy the key ARN from the KMS console of that account and region, or remove the field",
        );
    } else {
      checkBucketName(
        `${field} source bucket`,
        `${sourceBucketPrefix}-${m.accountId}-${region}`,
        "shorten central.sourceBucketPrefix, or name the bucket with existingBucket",
      );
    }
    validateExtraRules(field, m, report, checkStorageClass);
  });

  problems.push(...restoreProblems(config));
  problems.push(...objectLockProblems(config));
  if (problems.length > 0) throw new ConfigError(problems);

  const central: ResolvedCentral = {
    accountId: c.accountId,
    region: c.region,
    bucketName: c.bucketName,
    bucketArn: `arn:aws:s3:::${c.bucketName}`,
    keyAlias: c.keyAlias,
    replicaKmsKeyId: c.keyArn ?? `arn:aws:kms:${c.region}:${c.accountId}:${c.keyAlias}`,
    keyResourceForMembers: c.keyArn ?? `arn:aws:kms:${c.region}:${c.accountId}:key/*`,
    deployRoleName: c.deployRoleName,
    deployRoleArn: `arn:aws:iam::${c.accountId}:role/${c.deployRoleName}`,
    planRoleName,
    planRoleArn: `arn:aws:iam::${c.accountId}:role/${planRoleName}`,
    replicationRoleName,
    keyDeletionWindowDays,
    accessMode,
    bucketKey: c.bucketKey ?? false,
    objectLock: c.objectLock,
    lifecycle: c.lifecycle,
  };

  return {
    organizationId: config.organizationId,
    central,
    members: members.map((m) => resolveMember(m, config, central, sourceBucketPrefix, sourceKeyAlias)),
    stateBackend: config.stateBackend && {
      bucket: config.stateBackend.bucket,
      region: config.stateBackend.region,
      keyPrefix: config.stateBackend.keyPrefix ?? DEFAULTS.stateKeyPrefix,
      roleArn: config.stateBackend.roleArn,
    },
    ci: config.ci && resolveCi(config.ci, central),
    restore: resolveRestore(config),
    tags: { ManagedBy: "org-s3-central-backup", ...(config.tags ?? {}) },
  };
}

function validateExtraRules(
  field: string,
  m: MemberAccountConfig,
  report: (field: string, problem: string, fix: string) => void,
  checkStorageClass: (field: string, value: unknown) => void,
): void {
  const ids = new Set([defaultRuleId(m.accountId)]);
  const priorities = new Set([0]);
  (m.extraRules ?? []).forEach((rule: ExtraReplicationRule, j) => {
    const rf = `${field}.extraRules[${j}]`;
    if (!RULE_ID.test(rule.id) || ids.has(rule.id))
      report(`${rf}.id`, `"${rule.id}" is not a unique rule ID`, "use letters, digits, '-' or '_', different from every other rule of this member");
    ids.add(rule.id);
    if (typeof rule.prefix !== "string" || !rule.prefix.startsWith(`${m.accountId}/`))
      report(
        `${rf}.prefix`,
        `"${String(rule.prefix)}" is outside the account's prefix`,
        `start it with "${m.accountId}/": the central bucket accepts this account only there`,
      );
    if (!Number.isInteger(rule.priority) || rule.priority < 1 || priorities.has(rule.priority))
      report(
        `${rf}.priority`,
        `${rule.priority} is not a unique positive priority`,
        "use a whole number of 1 or more that no other rule of this member uses (the default rule has 0)",
      );
    priorities.add(rule.priority);
    checkStorageClass(`${rf}.storageClass`, rule.storageClass);
    if (rule.tag && (m.replicateDeleteMarkers ?? false))
      report(
        `${rf}.tag`,
        "S3 cannot replicate delete markers for tag-filtered rules",
        "remove the tag filter or set replicateDeleteMarkers to false for this member",
      );
  });
}

/** ID of a member's default rule; stable, because S3 metrics and alarms name it. */
export function defaultRuleId(accountId: string): string {
  return `central-backup-${accountId}`;
}

function resolveMember(
  m: MemberAccountConfig,
  config: BackupConfig,
  central: ResolvedCentral,
  sourceBucketPrefix: string,
  sourceKeyAlias: string,
): ResolvedMember {
  const c = config.central;
  const region = m.region ?? c.region;
  const storageClass = m.storageClass ?? c.storageClass ?? DEFAULTS.storageClass;
  const sourceBucketName = m.existingBucket?.bucketName ?? `${sourceBucketPrefix}-${m.accountId}-${region}`;
  const defaultRule: ResolvedRule = {
    id: defaultRuleId(m.accountId),
    prefix: `${m.accountId}/`,
    priority: 0,
    enabled: true,
    storageClass,
  };
  const extraRules: ResolvedRule[] = (m.extraRules ?? []).map((r) => ({
    id: r.id,
    prefix: r.prefix,
    tag: r.tag,
    priority: r.priority,
    enabled: r.enabled ?? true,
    storageClass: r.storageClass ?? storageClass,
  }));
  return {
    accountId: m.accountId,
    name: m.name,
    region,
    stackName: `member-${m.accountId}`,
    deployRoleArn: `arn:aws:iam::${m.accountId}:role/${c.deployRoleName}`,
    planRoleArn: `arn:aws:iam::${m.accountId}:role/${central.planRoleName}`,
    sourceBucketName,
    sourceBucketArn: `arn:aws:s3:::${sourceBucketName}`,
    adoptBucket: m.existingBucket !== undefined,
    existingKeyArn: m.existingBucket?.kmsKeyArn,
    sourceKeyAlias,
    replicationRoleName: central.replicationRoleName,
    replicationRoleArn: `arn:aws:iam::${m.accountId}:role/${central.replicationRoleName}`,
    replicationTimeControl: m.replicationTimeControl ?? c.replicationTimeControl ?? DEFAULTS.replicationTimeControl,
    replicateDeleteMarkers: m.replicateDeleteMarkers ?? c.replicateDeleteMarkers ?? DEFAULTS.replicateDeleteMarkers,
    rules: [defaultRule, ...extraRules],
    monitoring: {
      enabled: m.monitoring?.enabled ?? c.monitoring?.enabled ?? DEFAULTS.monitoring,
      emails: m.monitoring?.emails ?? c.monitoring?.emails ?? [],
    },
    batchReplication: m.batchReplication ?? c.batchReplication ?? DEFAULTS.batchReplication,
    batchReplicationRoleName: `${central.replicationRoleName}-batch`,
  };
}
