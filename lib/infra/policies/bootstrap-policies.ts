import type { BootstrapConfig, ResolvedCi } from "../../core/config/resolved";
import { Condition, PolicyDocument, PolicyStatement, denyInsecureTransport, policyDocument } from "./policy-document";

/**
 * Policies of the bootstrap (bootstrap.ts): who may plan and who may deploy, from GitHub
 * Actions down to every account, and who may touch Terraform's state.
 *
 *   GitHub OIDC ──pull_request / main──▶ plan CI role ──▶ plan role (read-only) in every account
 *   GitHub OIDC ──environment, on main─▶ deploy CI role ─▶ deploy role in every account
 */

/** GitHub Actions' OIDC issuer and the audience aws-actions/configure-aws-credentials asks for. */
export const GITHUB_OIDC = {
  url: "https://token.actions.githubusercontent.com",
  host: "token.actions.githubusercontent.com",
  audience: "sts.amazonaws.com",
} as const;

/** The workflow files whose jobs may assume the CI roles (job_workflow_ref pins them, below). */
export const WORKFLOWS = { deploy: ".github/workflows/backup.yml", drift: ".github/workflows/drift.yml" } as const;

/** `job_workflow_ref` of a job of this repository's workflow file at a ref (GitHub's OIDC claim). */
export function jobWorkflowRef(ci: ResolvedCi, workflow: string, ref: string): string {
  return `${ci.githubRepository}/${workflow}@${ref}`;
}

/**
 * Trust of a CI role: only GitHub's OIDC tokens for this audience and these subjects (plus
 * extra claims, exact or with wildcards). `oidcProviderArn` is a reference when the stack
 * creates the provider, so Terraform creates the provider before the roles that trust it.
 * Claims besides `sub` and `aud` (`ref`, `job_workflow_ref`) are condition keys of
 * sts:AssumeRoleWithWebIdentity in the Service Authorization Reference (iam-data lists them);
 * checked against the documentation, not against AWS.
 */
function githubTrust(
  oidcProviderArn: string,
  sid: string,
  subjects: readonly string[],
  equals: Record<string, string> = {},
  like: Record<string, readonly string[]> = {},
): PolicyDocument {
  const claim = (name: string) => `${GITHUB_OIDC.host}:${name}`;
  const claims = <T>(entries: Record<string, T>) => Object.fromEntries(Object.entries(entries).map(([name, value]) => [claim(name), value]));
  return policyDocument({
    Sid: sid,
    Effect: "Allow",
    Principal: { Federated: oidcProviderArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: {
      StringEquals: {
        [claim("aud")]: GITHUB_OIDC.audience,
        [claim("sub")]: subjects.length === 1 ? subjects[0] : [...subjects],
        ...claims(equals),
      },
      ...(Object.keys(like).length > 0 ? { StringLike: claims(like) } : {}),
    },
  });
}

/**
 * Plan CI role: pull requests of this repository, and `main` (nightly drift plans, manual
 * plans), and only from jobs of the plan workflow (any ref: a pull request's is
 * `refs/pull/<n>/merge`) or of the drift workflow on main.
 */
export function planCiTrustPolicy(ci: ResolvedCi, oidcProviderArn: string = ci.oidcProviderArn): PolicyDocument {
  return githubTrust(
    oidcProviderArn,
    "GitHubPlansOfThisRepository",
    ci.planSubjects,
    {},
    {
      job_workflow_ref: [jobWorkflowRef(ci, WORKFLOWS.deploy, "*"), jobWorkflowRef(ci, WORKFLOWS.drift, "refs/heads/main")],
    },
  );
}

/**
 * Deploy CI role: only jobs in the deploy environment, only on `main`, and only jobs of the
 * deploy workflow file on main. The subject alone (`environment:<name>`) is also what a pull
 * request job gets if it names the environment, so the `ref` claim pins the branch even if the
 * environment's branch rule is ever loosened; `job_workflow_ref` keeps another workflow file
 * on main that names the environment away from deploy credentials.
 */
export function deployCiTrustPolicy(ci: ResolvedCi, oidcProviderArn: string = ci.oidcProviderArn): PolicyDocument {
  return githubTrust(oidcProviderArn, "GitHubDeploysFromTheEnvironmentOnMain", [ci.deploySubject], {
    ref: "refs/heads/main",
    job_workflow_ref: jobWorkflowRef(ci, WORKFLOWS.deploy, "refs/heads/main"),
  });
}

/** sts:AssumeRole on a role name in any account of the organization, and nowhere else. */
function assumeInOrganization(sid: string, config: BootstrapConfig, roleName: string): PolicyStatement {
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
export function planCiRolePolicy(config: BootstrapConfig): PolicyDocument {
  const state = stateResources(config);
  return policyDocument(
    assumeInOrganization("AssumePlanRolesInOrganization", config, config.central.planRoleName),
    ...(state ? [{ Sid: "ReadState", Effect: "Allow" as const, Action: STATE_READ, Resource: [state.bucketArn, state.objects] }] : []),
  );
}

/** Deploy CI role: assume the deploy roles, read and write state (or assume stateBackend.roleArn for it). */
export function deployCiRolePolicy(config: BootstrapConfig): PolicyDocument {
  const state = stateResources(config);
  return policyDocument(
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
export function accountRoleTrustPolicy(ci: ResolvedCi, ciRoleArn: string): PolicyDocument {
  const operatorAccounts = [...new Set(ci.operatorRoleArns.map((arn) => arn.split(":")[4]))].sort();
  return policyDocument(
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

export { PLAN_READ_ACTIONS, planRolePolicy } from "./plan-role-policy";
export { deployRolePolicy } from "./deploy-role-policy";

/**
 * State bucket policy. TLS only. The plan CI role may only read (list, get); the deploy CI
 * role (and stateBackend.roleArn) reads and writes state and lock files. Everyone else in
 * the account is denied every object operation, except the account root and the admin
 * roles of ci.stateAdminRoleArns (so nobody is locked out for good). Bucket settings,
 * this policy included, stay with IAM: an administrator can always repair them.
 */
export function stateBucketPolicy(config: BootstrapConfig): PolicyDocument {
  const state = stateResources(config);
  if (!state) throw new Error("stateBucketPolicy needs stateBackend");
  const { ci } = config;
  const writers = [ci.deployRoleArn, ...(state.roleArn ? [state.roleArn] : [])];
  const principalIs = (arns: readonly string[]): Condition => ({ ArnEquals: { "aws:PrincipalArn": [...arns] } });
  const keepAccess = [...new Set([ci.planRoleArn, ...writers, `arn:aws:iam::${ci.accountId}:root`, ...ci.stateAdminRoleArns])];
  return policyDocument(
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
