import { batchRoleName, watchName } from "../../core/config/naming";
import type { ResolvedConfig } from "../../core/config/resolved";
import type { PolicyDocument, PolicyStatement } from "./policy-document";
import { CENTRAL_BUCKET_BREAK_GLASS_ACTIONS, CENTRAL_KEY_BREAK_GLASS_ACTIONS, CENTRAL_KEY_DATA_ACTIONS, verifyMarkerObjects } from "./central-policies";
import { detectionReads } from "./plan-role-policy";
import { projectResources } from "./project-resources";
import { replicationBoundaryName } from "./permissions-boundary";
import { restoreBoundaryName } from "./restore-policies";
import type { Condition } from "./policy-document";

/** What the deploy role creates or edits in IAM: only roles that carry their family's boundary. */
const BOUNDED_ROLE_ACTIONS = [
  "iam:CreateRole",
  "iam:DeleteRole",
  "iam:UpdateRole",
  "iam:UpdateAssumeRolePolicy",
  "iam:PutRolePolicy",
  "iam:DeleteRolePolicy",
  "iam:PutRolePermissionsBoundary",
];
/** IAM actions with the iam:PermissionsBoundary key that could give a role powers: never without a project boundary. */
const POWER_GRANTING_ROLE_ACTIONS = [
  "iam:CreateRole",
  "iam:PutRolePolicy",
  "iam:UpdateAssumeRolePolicy",
  "iam:AttachRolePolicy",
  "iam:PutRolePermissionsBoundary",
];
const ROLE_READS_AND_TAGS = [
  "iam:GetRole",
  "iam:GetRolePolicy",
  "iam:ListRolePolicies",
  "iam:ListAttachedRolePolicies",
  "iam:ListInstanceProfilesForRole",
  "iam:ListRoleTags",
  "iam:TagRole",
  "iam:UntagRole",
  "iam:UpdateRoleDescription",
];

/** What Terraform calls to keep a member's watch rule and its target (the guardrail keeps them off central's rules). */
const WATCH_RULE_ACTIONS = [
  "events:PutRule",
  "events:DeleteRule",
  "events:DescribeRule",
  "events:PutTargets",
  "events:RemoveTargets",
  "events:ListTargetsByRule",
  "events:TagResource",
  "events:UntagResource",
  "events:ListTagsForResource",
];

/** Role families the deploy role manages, each with the boundary its roles must carry. */
function roleFamilies(config: ResolvedConfig): { sid: string; roles: string[]; boundary: string }[] {
  const replication = config.central.replicationRoleName;
  const boundary = (name: string) => `arn:aws:iam::*:policy/${name}`;
  return [
    {
      sid: "ReplicationRoles",
      roles: [replication, batchRoleName(replication), watchName(replication)].map((n) => `arn:aws:iam::*:role/${n}`),
      boundary: boundary(replicationBoundaryName(config.central)),
    },
    ...(config.restore
      ? // Pinned to the central account: a role named like it elsewhere would be a backdoor with the restore boundary.
        [{ sid: "RestoreRole", roles: [config.restore.roleArn], boundary: boundary(restoreBoundaryName(config.restore)) }]
      : []),
  ];
}

/** IAM: project roles only, each created and edited only with its boundary, which nobody here may remove or rewrite. */
function iamStatements(config: ResolvedConfig): PolicyStatement[] {
  const families = roleFamilies(config);
  const project = projectResources(config);
  // Each role's trust names the one service that may assume it; this only bounds where it is passed.
  const passedTo: Condition = { StringEquals: { "iam:PassedToService": ["batchoperations.s3.amazonaws.com", "s3.amazonaws.com", "events.amazonaws.com"] } };
  const serviceRoles = families[0].roles;
  const ownRoles = [config.central.deployRoleName, config.central.planRoleName].map((n) => `arn:aws:iam::*:role/${n}`);
  return [
    ...families.map((f): PolicyStatement => ({
      Sid: `Manage${f.sid}OnlyWithTheirBoundary`,
      Effect: "Allow",
      Action: BOUNDED_ROLE_ACTIONS,
      Resource: f.roles,
      Condition: { ArnLike: { "iam:PermissionsBoundary": f.boundary } },
    })),
    { Sid: "ReadAndTagProjectRoles", Effect: "Allow", Action: ROLE_READS_AND_TAGS, Resource: [...project.roles] },
    { Sid: "PassServiceRolesToTheirServices", Effect: "Allow", Action: "iam:PassRole", Resource: serviceRoles, Condition: passedTo },
    {
      Sid: "NoRolePowerWithoutAProjectBoundary",
      Effect: "Deny",
      Action: POWER_GRANTING_ROLE_ACTIONS,
      Resource: "*",
      Condition: { ArnNotLike: { "iam:PermissionsBoundary": families.map((f) => f.boundary) } },
    },
    {
      Sid: "NeverRemoveOrRewriteABoundary",
      Effect: "Deny",
      Action: ["iam:DeleteRolePermissionsBoundary", "iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"],
      Resource: ["arn:aws:iam::*:role/*", ...families.map((f) => f.boundary)],
    },
    { Sid: "NeverItselfOrThePlanRole", Effect: "Deny", Action: "iam:*", Resource: ownRoles },
  ];
}

/** S3, KMS, SNS, CloudWatch: the project's resources only (buckets by name, keys by their ManagedBy tag, topics and alarms by name). */
function resourceStatements(config: ResolvedConfig): PolicyStatement[] {
  const project = projectResources(config);
  const { central } = config;
  const tagged = (operator: "aws:RequestTag" | "aws:ResourceTag"): Condition => ({ StringEquals: { [`${operator}/${project.tag.key}`]: project.tag.value } });
  // A bucket named like the project's in an account outside the organization is never a target.
  const inOrganization: Condition = { StringEquals: { "aws:ResourceOrgID": config.organizationId } };
  // No object power in central or the vault: backups are neither read nor written by the deploy role.
  const backups = [`${central.bucketArn}/*`, ...(config.vault ? [`${config.vault.bucketArn}/*`] : [])];
  const objectsOutsideCentral = project.objects.filter((o) => !backups.includes(o));
  return [
    { Sid: "ManageProjectBuckets", Effect: "Allow", Action: "s3:*", Resource: [...project.buckets, ...objectsOutsideCentral], Condition: inOrganization },
    {
      Sid: "HeadVerifyMarkersInCentral",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:GetObjectAcl"],
      Resource: verifyMarkerObjects(central.bucketArn),
      Condition: inOrganization,
    },
    { Sid: "BackfillJobs", Effect: "Allow", Action: ["s3:CreateJob", "s3:DescribeJob", "s3:ListJobs"], Resource: "*" },
    { Sid: "CreateProjectKeys", Effect: "Allow", Action: "kms:CreateKey", Resource: "*", Condition: tagged("aws:RequestTag") },
    { Sid: "ListKeysAndAliases", Effect: "Allow", Action: ["kms:ListAliases", "kms:ListKeys"], Resource: "*" },
    { Sid: "ManageProjectKeys", Effect: "Allow", Action: "kms:*", Resource: "*", Condition: tagged("aws:ResourceTag") },
    ...(project.adoptedKeys.length > 0 ? [{ Sid: "ManageAdoptedKeys", Effect: "Allow" as const, Action: "kms:*", Resource: [...project.adoptedKeys] }] : []),
    { Sid: "ManageProjectAliases", Effect: "Allow", Action: ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"], Resource: [...project.aliases] },
    {
      Sid: "KeepTheProjectTag",
      Effect: "Deny",
      Action: "kms:UntagResource",
      Resource: "*",
      Condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": project.tag.key } },
    },
    { Sid: "ManageAlertsTopic", Effect: "Allow", Action: "sns:*", Resource: [...project.topics] },
    { Sid: "ManageWatchRules", Effect: "Allow", Action: [...WATCH_RULE_ACTIONS], Resource: [...project.rules] },
    { Sid: "ReadAlarms", Effect: "Allow", Action: ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"], Resource: "*" },
    {
      Sid: "ManageProjectAlarms",
      Effect: "Allow",
      Action: ["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:TagResource", "cloudwatch:UntagResource"],
      Resource: [...project.alarms],
    },
  ];
}

/**
 * The explicit denies that keep the backups out of the deploy role's reach, whatever else is
 * attached to it (docs/ci-and-state.md, "Break glass"); central's bucket and key policies deny
 * the same to every principal but the break-glass role.
 */
function centralProtection(config: ResolvedConfig): PolicyStatement[] {
  const { central } = config;
  const aliasArn = `arn:aws:kms:${central.region}:${central.accountId}:${central.keyAlias}`;
  const keyActions = [...CENTRAL_KEY_BREAK_GLASS_ACTIONS, ...CENTRAL_KEY_DATA_ACTIONS];
  return [
    {
      Sid: "NeverChangeOrDestroyCentralBackups",
      Effect: "Deny",
      Action: [...CENTRAL_BUCKET_BREAK_GLASS_ACTIONS],
      Resource: [central.bucketArn, `${central.bucketArn}/*`],
    },
    {
      Sid: "NeverTheCentralKeysPowers",
      Effect: "Deny",
      Action: keyActions,
      Resource: "*",
      Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": central.keyAlias } },
    },
    {
      Sid: "NeverTheCentralKeysPowersByName",
      Effect: "Deny",
      Action: keyActions,
      Resource: [aliasArn, ...(central.replicaKmsKeyId.includes(":key/") ? [central.replicaKmsKeyId] : [])],
    },
    {
      // A key it created in central could be named for replicas and then deleted: the
      // central key is created once, by break glass.
      Sid: "NoNewKeysInTheCentralAccount",
      Effect: "Deny",
      Action: "kms:CreateKey",
      Resource: "*",
      Condition: { StringEquals: { "aws:PrincipalAccount": central.accountId } },
    },
  ];
}

/**
 * Deploy role in every account (lib/infra/constructs/account-roles-stack-set.ts): what the stacks
 * create, and what `npm run verify` and `npm run backfill` do, on the project's resources
 * only; the roles it creates carry a permissions boundary it cannot remove; and explicit
 * denies keep the central backups (versions, retention, lifecycle, bucket policy, key) out of
 * its reach, whatever else is attached to it. It never touches the state bucket.
 */
export function deployRolePolicy(config: ResolvedConfig): PolicyDocument {
  const backend = config.stateBackend;
  const stateBucket = backend && `arn:aws:s3:::${backend.bucket}`;
  return {
    Version: "2012-10-17",
    Statement: [
      ...resourceStatements(config),
      detectionReads(config.central),
      ...iamStatements(config),
      ...centralProtection(config),
      ...(stateBucket ? [{ Sid: "NeverTheStateBucket", Effect: "Deny" as const, Action: "s3:*", Resource: [stateBucket, `${stateBucket}/*`] }] : []),
    ],
  };
}
