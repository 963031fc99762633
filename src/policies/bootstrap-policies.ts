import type { ResolvedCi, ResolvedConfig } from "../config/resolved";
import { Condition, PolicyDocument, PolicyStatement, Principal, denyInsecureTransport } from "./policy-document";

/**
 * Policies of the bootstrap (bootstrap.ts): who may plan and who may deploy, from GitHub
 * Actions down to every account, and who may touch Terraform's state.
 *
 *   GitHub OIDC ──pull_request / main──▶ plan CI role ──▶ plan role (read-only) in every account
 *   GitHub OIDC ──environment, on main─▶ deploy CI role ─▶ deploy role in every account
 */

/** A statement with what policy-document.ts does not model: a Federated (OIDC) principal and NotAction. */
export type BootstrapStatement =
  | (Omit<PolicyStatement, "Principal"> & { readonly Principal?: Principal | { readonly Federated: string } })
  | (Omit<PolicyStatement, "Action"> & { readonly NotAction: readonly string[] });

export interface BootstrapPolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly BootstrapStatement[];
}

/** The config the bootstrap runs on: accounts.ts with `ci` set. */
export type BootstrapConfig = ResolvedConfig & { readonly ci: ResolvedCi };

function document(...statements: BootstrapStatement[]): BootstrapPolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/**
 * The same JSON typed as policy-document.ts's PolicyDocument, for toTerraformJson and
 * assertPolicyFits, which only serialize it. (Its Principal type has no Federated form.)
 */
export function asPolicyDocument(doc: BootstrapPolicyDocument): PolicyDocument {
  return doc as unknown as PolicyDocument;
}

/** GitHub Actions' OIDC issuer and the audience aws-actions/configure-aws-credentials asks for. */
export const GITHUB_OIDC = {
  url: "https://token.actions.githubusercontent.com",
  host: "token.actions.githubusercontent.com",
  audience: "sts.amazonaws.com",
} as const;

/**
 * Everything a plan may call: the reads Terraform's refresh makes for the resources the
 * stacks manage (S3 bucket settings, KMS keys and aliases, IAM roles and inline policies,
 * SNS topics and subscriptions, CloudWatch alarms). Deliberately NOT the AWS managed
 * ReadOnlyAccess: its s3:Get* includes s3:GetObject, i.e. every backed-up object, and it
 * reads far more services than a plan needs. Nothing here returns object data or decrypts:
 * no s3:GetObject*, no kms:Decrypt. s3:ListBucket (HeadBucket) lists keys, not contents.
 */
export const PLAN_READ_ACTIONS = [
  "s3:GetBucket*",
  "s3:GetAccelerateConfiguration",
  "s3:GetAnalyticsConfiguration",
  "s3:GetEncryptionConfiguration",
  "s3:GetIntelligentTieringConfiguration",
  "s3:GetInventoryConfiguration",
  "s3:GetLifecycleConfiguration",
  "s3:GetMetricsConfiguration",
  "s3:GetReplicationConfiguration",
  "s3:ListAllMyBuckets",
  "s3:ListBucket",
  "kms:DescribeKey",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListAliases",
  "kms:ListKeys",
  "kms:ListKeyRotations",
  "kms:ListResourceTags",
  "iam:GetRole",
  "iam:GetRolePolicy",
  "iam:ListAttachedRolePolicies",
  "iam:ListInstanceProfilesForRole",
  "iam:ListRolePolicies",
  "iam:ListRoleTags",
  "sns:GetSubscriptionAttributes",
  "sns:GetTopicAttributes",
  "sns:ListSubscriptionsByTopic",
  "sns:ListTagsForResource",
  "cloudwatch:DescribeAlarms",
  "cloudwatch:ListTagsForResource",
] as const;

/**
 * Trust of a CI role: only GitHub's OIDC tokens for this audience and these subjects (plus
 * extra claims). `oidcProviderArn` is a reference when the stack creates the provider, so
 * Terraform creates the provider before the roles that trust it (IAM checks it exists).
 */
function githubTrust(oidcProviderArn: string, sid: string, subjects: readonly string[], claims: Record<string, string> = {}): BootstrapPolicyDocument {
  const claim = (name: string) => `${GITHUB_OIDC.host}:${name}`;
  return document({
    Sid: sid,
    Effect: "Allow",
    Principal: { Federated: oidcProviderArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: {
      StringEquals: {
        [claim("aud")]: GITHUB_OIDC.audience,
        [claim("sub")]: subjects.length === 1 ? subjects[0] : [...subjects],
        ...Object.fromEntries(Object.entries(claims).map(([name, value]) => [claim(name), value])),
      },
    },
  });
}

/** Plan CI role: pull requests of this repository, and `main` (nightly drift plans, manual plans). */
export function planCiTrustPolicy(ci: ResolvedCi, oidcProviderArn: string = ci.oidcProviderArn): BootstrapPolicyDocument {
  return githubTrust(oidcProviderArn, "GitHubPlansOfThisRepository", ci.planSubjects);
}

/**
 * Deploy CI role: only jobs in the deploy environment, and only on `main`. The subject
 * alone (`environment:<name>`) is also what a pull request job gets if it names the
 * environment, so the `ref` claim (which AWS STS checks since 2026-01) pins the branch
 * even if the environment's branch rule is ever loosened.
 */
export function deployCiTrustPolicy(ci: ResolvedCi, oidcProviderArn: string = ci.oidcProviderArn): BootstrapPolicyDocument {
  return githubTrust(oidcProviderArn, "GitHubDeploysFromTheEnvironmentOnMain", [ci.deploySubject], { ref: "refs/heads/main" });
}

/** sts:AssumeRole on a role name in any account of the organization, and nowhere else. */
function assumeInOrganization(sid: string, config: BootstrapConfig, roleName: string): BootstrapStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: "sts:AssumeRole",
    Resource: `arn:aws:iam::*:role/${roleName}`,
    Condition: { StringEquals: { "aws:ResourceOrgID": config.organizationId } },
  };
}

/** The state bucket, the state objects under keyPrefix, and the role Terraform may assume to reach them. */
function stateResources(config: BootstrapConfig) {
  const backend = config.stateBackend;
  if (!backend) return undefined;
  const bucketArn = `arn:aws:s3:::${backend.bucket}`;
  return { bucketArn, objects: `${bucketArn}/${backend.keyPrefix}/*`, roleArn: backend.roleArn };
}
/** Reading state: list the keys, get the state files. Locking is for writers (plans run with -lock=false). */
const STATE_READ = ["s3:ListBucket", "s3:GetObject"];
/** Writing state and the `.tflock` lock files (created with PutObject, released with DeleteObject). */
const STATE_WRITE = ["s3:PutObject", "s3:DeleteObject"];

/** Plan CI role: assume the plan roles, read state. Nothing else. */
export function planCiRolePolicy(config: BootstrapConfig): BootstrapPolicyDocument {
  const state = stateResources(config);
  return document(
    assumeInOrganization("AssumePlanRolesInOrganization", config, config.central.planRoleName),
    ...(state ? [{ Sid: "ReadState", Effect: "Allow" as const, Action: STATE_READ, Resource: [state.bucketArn, state.objects] }] : []),
  );
}

/** Deploy CI role: assume the deploy roles, read and write state (or assume stateBackend.roleArn for it). */
export function deployCiRolePolicy(config: BootstrapConfig): BootstrapPolicyDocument {
  const state = stateResources(config);
  return document(
    assumeInOrganization("AssumeDeployRolesInOrganization", config, config.central.deployRoleName),
    ...(state
      ? [
          { Sid: "ReadAndWriteState", Effect: "Allow" as const, Action: [...STATE_READ, ...STATE_WRITE], Resource: [state.bucketArn, state.objects] },
          ...(state.roleArn ? [{ Sid: "AssumeStateRole", Effect: "Allow" as const, Action: "sts:AssumeRole", Resource: state.roleArn }] : []),
        ]
      : []),
  );
}

/**
 * Trust of a per-account role: one CI role, named by condition on the CI account (not as
 * a principal ARN), so the StackSet can create it before or after the CI role exists and
 * a re-created CI role keeps working; and, when `ci.operatorRoleArns` lists them, the
 * operators' roles, the same way (their accounts as principals, their ARNs as condition).
 */
export function accountRoleTrustPolicy(ci: ResolvedCi, ciRoleArn: string): BootstrapPolicyDocument {
  const operatorAccounts = [...new Set(ci.operatorRoleArns.map((arn) => arn.split(":")[4]))].sort();
  return document(
    {
      Sid: "OnlyThisCiRole",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ci.accountId}:root` },
      Action: "sts:AssumeRole",
      Condition: { ArnEquals: { "aws:PrincipalArn": ciRoleArn } },
    },
    ...(operatorAccounts.length > 0
      ? [
          {
            Sid: "OperatorRoles",
            Effect: "Allow" as const,
            Principal: { AWS: operatorAccounts.map((account) => `arn:aws:iam::${account}:root`) },
            Action: "sts:AssumeRole",
            Condition: { ArnLike: { "aws:PrincipalArn": [...ci.operatorRoleArns] } },
          },
        ]
      : []),
  );
}

/**
 * Plan role in every account: the reads above, and an explicit deny of every other action.
 * The deny keeps the role read-only (and away from backup data and kms:Decrypt) even if a
 * broader policy is attached to it later or a resource policy names it: an explicit deny
 * beats any allow. (sts:GetCallerIdentity needs no permission and survives any deny.)
 */
export function planRolePolicy(): BootstrapPolicyDocument {
  return document(
    { Sid: "ReadConfigurationForRefresh", Effect: "Allow", Action: [...PLAN_READ_ACTIONS], Resource: "*" },
    { Sid: "DenyEverythingElse", Effect: "Deny", NotAction: [...PLAN_READ_ACTIONS], Resource: "*" },
  );
}

/**
 * Deploy role in every account: what the stacks create, and what `npm run verify` and
 * `npm run backfill` do. S3 and KMS are account-wide (bucket names are configurable or
 * adopted, key IDs are random); IAM only on the project's replication roles, so the deploy
 * role can never edit itself, the plan role or any other role. It never touches the state
 * bucket (in the CI account): state is the deploy CI role's, its settings the admins'.
 */
export function deployRolePolicy(config: BootstrapConfig): BootstrapPolicyDocument {
  const state = stateResources(config);
  const replicationRoles = [config.central.replicationRoleName, `${config.central.replicationRoleName}-batch`].map((name) => `arn:aws:iam::*:role/${name}`);
  // The alerts topic's name, as src/constructs/replication-alerts.ts derives it.
  const alertsTopic = `arn:aws:sns:*:*:${config.central.replicationRoleName}-alerts`;
  const passedTo: Condition = { StringEquals: { "iam:PassedToService": ["batchoperations.s3.amazonaws.com", "s3.amazonaws.com"] } };
  return document(
    { Sid: "ManageBucketsAndObjects", Effect: "Allow", Action: "s3:*", Resource: "*" },
    { Sid: "ManageKeys", Effect: "Allow", Action: "kms:*", Resource: "*" },
    {
      Sid: "ManageReplicationRoles",
      Effect: "Allow",
      Action: [
        "iam:CreateRole",
        "iam:DeleteRole",
        "iam:GetRole",
        "iam:UpdateRole",
        "iam:UpdateRoleDescription",
        "iam:UpdateAssumeRolePolicy",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:ListRoleTags",
        "iam:PutRolePolicy",
        "iam:GetRolePolicy",
        "iam:DeleteRolePolicy",
        "iam:ListRolePolicies",
        "iam:ListAttachedRolePolicies",
        "iam:ListInstanceProfilesForRole",
      ],
      Resource: replicationRoles,
    },
    { Sid: "PassReplicationRolesToS3", Effect: "Allow", Action: "iam:PassRole", Resource: replicationRoles, Condition: passedTo },
    { Sid: "ManageAlertsTopic", Effect: "Allow", Action: "sns:*", Resource: [alertsTopic, `${alertsTopic}:*`] },
    {
      Sid: "ManageAlarms",
      Effect: "Allow",
      Action: [
        "cloudwatch:PutMetricAlarm",
        "cloudwatch:DeleteAlarms",
        "cloudwatch:DescribeAlarms",
        "cloudwatch:ListTagsForResource",
        "cloudwatch:TagResource",
        "cloudwatch:UntagResource",
      ],
      Resource: "*",
    },
    ...(state ? [{ Sid: "NeverTheStateBucket", Effect: "Deny" as const, Action: "s3:*", Resource: [state.bucketArn, `${state.bucketArn}/*`] }] : []),
  );
}

/**
 * State bucket policy. TLS only. The plan CI role may only read (list, get); the deploy CI
 * role (and stateBackend.roleArn) reads and writes state and lock files. Everyone else in
 * the account is denied every object operation, except the account root and the admin
 * roles of ci.stateAdminRoleArns (so nobody is locked out for good). Bucket settings,
 * this policy included, stay with IAM: an administrator can always repair them.
 */
export function stateBucketPolicy(config: BootstrapConfig): BootstrapPolicyDocument {
  const state = stateResources(config);
  if (!state) throw new Error("stateBucketPolicy needs stateBackend");
  const { ci } = config;
  const writers = [ci.deployRoleArn, ...(state.roleArn ? [state.roleArn] : [])];
  const principalIs = (arns: readonly string[]): Condition => ({ ArnEquals: { "aws:PrincipalArn": [...arns] } });
  const keepAccess = [...new Set([ci.planRoleArn, ...writers, `arn:aws:iam::${ci.accountId}:root`, ...ci.stateAdminRoleArns])];
  return document(
    denyInsecureTransport(state.bucketArn),
    {
      Sid: "CiRolesReadState",
      Effect: "Allow",
      Principal: "*",
      Action: STATE_READ,
      Resource: [state.bucketArn, state.objects],
      Condition: principalIs([ci.planRoleArn, ...writers]),
    },
    { Sid: "DeployRolesWriteStateAndLocks", Effect: "Allow", Principal: "*", Action: STATE_WRITE, Resource: state.objects, Condition: principalIs(writers) },
    {
      Sid: "PlanCiRoleOnlyReads",
      Effect: "Deny",
      Principal: "*",
      NotAction: STATE_READ,
      Resource: [state.bucketArn, `${state.bucketArn}/*`],
      Condition: principalIs([ci.planRoleArn]),
    },
    {
      Sid: "NoObjectAccessForAnyoneElse",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: `${state.bucketArn}/*`,
      Condition: { ArnNotLike: { "aws:PrincipalArn": keepAccess } },
    },
  );
}
