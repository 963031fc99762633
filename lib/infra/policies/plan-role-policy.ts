import type { ResolvedCentral, ResolvedConfig } from "../../core/config/resolved";
import { DETECTION, auditBucketName, centralTopicArn, memberBusArn, trailArn } from "./detection-policies";
import type { PolicyDocument, PolicyStatement } from "./policy-document";
import { projectResources } from "./project-resources";

/**
 * The reads Terraform's refresh makes for the resources the stacks manage, by resource kind.
 * Deliberately NOT the AWS managed ReadOnlyAccess: its s3:Get* includes s3:GetObject, i.e.
 * every backed-up object. Nothing here returns object data or decrypts: no s3:GetObject*, no
 * kms:Decrypt. s3:ListBucket is kept because HeadBucket, which Terraform's bucket read
 * calls, needs it (Amazon S3 API Reference, HeadBucket); on the central bucket it shows key
 * names, which is why it is granted on the project's buckets only.
 */
const PLAN_READS = {
  buckets: [
    "s3:GetBucket*",
    "s3:GetAccelerateConfiguration",
    "s3:GetAnalyticsConfiguration",
    "s3:GetEncryptionConfiguration",
    "s3:GetIntelligentTieringConfiguration",
    "s3:GetInventoryConfiguration",
    "s3:GetLifecycleConfiguration",
    "s3:GetMetricsConfiguration",
    "s3:GetReplicationConfiguration",
    "s3:ListBucket",
  ],
  keys: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListKeyRotations", "kms:ListResourceTags"],
  anyKey: ["kms:ListAliases", "kms:ListKeys"],
  roles: ["iam:GetRole", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole", "iam:ListRolePolicies", "iam:ListRoleTags"],
  topics: ["sns:GetSubscriptionAttributes", "sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic", "sns:ListTagsForResource"],
  alarms: ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"],
  // npm run coverage: replication and storage metrics. GetMetricData takes no resource
  // (CloudWatch's Service Authorization Reference lists none), and returns numbers, never data.
  metrics: ["cloudwatch:GetMetricData"],
  // npm run org-sync, nightly with the plan role of the delegated administrator (or of any
  // account where Organizations answers): account names and OUs, never a change.
  organization: [
    "organizations:DescribeOrganization",
    "organizations:ListAccounts",
    "organizations:ListAccountsForParent",
    "organizations:ListOrganizationalUnitsForParent",
  ],
  // Rules: the members' watch rules and central's detection rules.
  rules: ["events:DescribeRule", "events:ListTargetsByRule", "events:ListTagsForResource"],
  // The central account's detection (lib/infra/constructs/central-alerts.ts): rules, trail, topic.
  detection: [
    "events:DescribeEventBus",
    "cloudtrail:DescribeTrails",
    "cloudtrail:GetTrail",
    "cloudtrail:GetTrailStatus",
    "cloudtrail:GetEventSelectors",
    "cloudtrail:ListTags",
  ],
} as const;

/** The detection resources of the central account, for reads only: the pipeline never changes them (break glass does). */
export function detectionResources(central: ResolvedCentral): string[] {
  return [
    `arn:aws:events:${central.region}:${central.accountId}:rule/${DETECTION.rulePrefix}*`,
    memberBusArn(central),
    trailArn(central),
    centralTopicArn(central),
    `arn:aws:s3:::${auditBucketName(central)}`,
  ];
}

/** The reads a refresh of the detection resources makes: the plan role's, and the deploy role's before it applies. */
export function detectionReads(central: ResolvedCentral): PolicyStatement {
  return {
    Sid: "ReadCentralDetection",
    Effect: "Allow",
    Action: [...PLAN_READS.detection, ...PLAN_READS.rules, ...PLAN_READS.topics, ...PLAN_READS.buckets],
    Resource: detectionResources(central),
  };
}

/** Every action a plan may call, on any resource. */
export const PLAN_READ_ACTIONS: readonly string[] = Object.values(PLAN_READS).flat();

/**
 * Plan role in every account: the reads above on the project's resources only (buckets by
 * name, keys by the ManagedBy tag or adopted ARN, roles, topic and alarms by name), and an
 * explicit deny of every other action. The deny keeps the role read-only (and away from
 * backup data and kms:Decrypt) even if a broader policy is attached to it later or a resource
 * policy names it. (sts:GetCallerIdentity needs no permission and survives any deny.)
 */
export function planRolePolicy(config: ResolvedConfig): PolicyDocument {
  const project = projectResources(config);
  const allow = (Sid: string, Action: readonly string[], Resource: string | readonly string[], Condition?: PolicyStatement["Condition"]): PolicyStatement => ({
    Sid,
    Effect: "Allow",
    Action: [...Action],
    Resource,
    ...(Condition ? { Condition } : {}),
  });
  return {
    Version: "2012-10-17",
    Statement: [
      allow("ReadProjectBuckets", PLAN_READS.buckets, [...project.buckets]),
      allow("ReadProjectKeys", PLAN_READS.keys, "*", { StringEquals: { [`aws:ResourceTag/${project.tag.key}`]: project.tag.value } }),
      ...(project.adoptedKeys.length > 0 ? [allow("ReadAdoptedKeys", PLAN_READS.keys, [...project.adoptedKeys])] : []),
      allow("ListKeysAndAliases", PLAN_READS.anyKey, "*"),
      allow("ReadProjectRoles", PLAN_READS.roles, [...project.roles]),
      allow("ReadAlertsTopics", PLAN_READS.topics, [...project.topics]),
      allow("ReadProjectAlarms", PLAN_READS.alarms, [...project.alarms]),
      allow("ReadMetricsForCoverage", PLAN_READS.metrics, "*"),
      allow("ReadWatchRules", PLAN_READS.rules, [...project.rules]),
      allow("ReadTheOrganizationForOrgSync", PLAN_READS.organization, "*"),
      detectionReads(config.central),
      { Sid: "DenyEverythingElse", Effect: "Deny", NotAction: [...PLAN_READ_ACTIONS], Resource: "*" },
    ],
  };
}
