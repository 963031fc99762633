import { runSimulation, runUnsafeSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { TerraformStack, Testing } from "cdktf";
import { buildBootstrapApp, validateBootstrapConfig } from "../../stacks/apps/bootstrap-app";
import type { BackupConfig } from "../../lib/core/config/types";
import type { Decision } from "./iam";
import { StackJson, parsePolicy, resourcesOf } from "./synth";

/** The bootstrap's policies exactly as synthesized (real mode), with the OIDC provider reference resolved to its ARN. */
export function bootstrapPolicies(config: BackupConfig) {
  const app = buildBootstrapApp(config);
  const stacks = new Map(
    app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack).map((s) => [s.node.id, JSON.parse(Testing.synth(s)) as StackJson]),
  );
  const { ci } = validateBootstrapConfig(config);
  const ciStack = stacks.get("bootstrap-ci")!;
  const resolve = (json: string) => parsePolicy(json.split("${aws_iam_openid_connect_provider.github_oidc.arn}").join(ci.oidcProviderArn));
  const trust = (roleName: string) => resolve(resourcesOf(ciStack, "aws_iam_role").find((r) => r.name === roleName)!.assume_role_policy);
  const inline = (roleName: string) => resolve(resourcesOf(ciStack, "aws_iam_role_policy").find((p) => p.name === `${roleName}-permissions`)!.policy);
  const template = JSON.parse(stacks.get("bootstrap-account-roles")!.resource.aws_cloudformation_stack_set.account_roles.template_body);
  const accountRole = (id: string) => ({
    trust: template.Resources[id].Properties.AssumeRolePolicyDocument,
    policy: template.Resources[id].Properties.Policies[0].PolicyDocument,
  });
  const managedPolicy = (id: string): { name: string; document: StackJson } | undefined =>
    template.Resources[id] && { name: template.Resources[id].Properties.ManagedPolicyName, document: template.Resources[id].Properties.PolicyDocument };
  return {
    planCi: { trust: trust(ci.planRoleName), policy: inline(ci.planRoleName) },
    deployCi: { trust: trust(ci.deployRoleName), policy: inline(ci.deployRoleName) },
    stateBucketPolicy: parsePolicy(resourcesOf(ciStack, "aws_s3_bucket_policy")[0].policy),
    planRole: accountRole("PlanRole"),
    deployRole: accountRole("DeployRole"),
    replicationBoundary: managedPolicy("ReplicationBoundary")!,
    restoreBoundary: managedPolicy("RestoreBoundary"),
    template,
    centralGuardrail: parsePolicy(resourcesOf(stacks.get("bootstrap-account-roles")!, "aws_organizations_policy")[0].content),
  };
}

/** Claims AWS STS reads from a GitHub Actions OIDC token. */
export interface GitHubToken {
  readonly sub: string;
  readonly ref: string;
  /** `owner/repo/<workflow file>@<ref>`: the workflow file the job runs in. */
  readonly jobWorkflowRef: string;
  readonly aud?: string;
}

/**
 * AssumeRoleWithWebIdentity by a GitHub token: the principal is the federated OIDC provider,
 * the context holds the token's claims as AWS sets them. runSimulation validates the input
 * but drops `:sub` and `:aud` (iam-data lists only the provider-specific claims for this
 * action), so the decision comes from runUnsafeSimulation on the same, validated input.
 */
export async function assumeWithWebIdentity(providerArn: string, roleArn: string, trust: StackJson, token: GitHubToken): Promise<Decision> {
  const claim = (name: string) => `token.actions.githubusercontent.com:${name}`;
  const simulation: Simulation = {
    request: {
      principal: providerArn,
      action: "sts:AssumeRoleWithWebIdentity",
      resource: { resource: roleArn, accountId: roleArn.split(":")[4] },
      contextVariables: {
        [claim("sub")]: token.sub,
        [claim("aud")]: token.aud ?? "sts.amazonaws.com",
        [claim("ref")]: token.ref,
        [claim("job_workflow_ref")]: token.jobWorkflowRef,
      },
    },
    identityPolicies: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: trust,
  };
  const validated = await runSimulation(simulation, {});
  if (validated.resultType === "error") throw new Error(`invalid simulation: ${JSON.stringify(validated.errors)}`);
  return runUnsafeSimulation(simulation, {});
}
