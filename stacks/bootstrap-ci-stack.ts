import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { EncryptedBucket } from "../lib/infra/constructs/encrypted-bucket";
import { ServiceRole } from "../lib/infra/constructs/service-role";
import type { BootstrapConfig } from "../lib/core/config/resolved";
import {
  GITHUB_OIDC,
  deployCiRolePolicy,
  deployCiTrustPolicy,
  planCiRolePolicy,
  planCiTrustPolicy,
  stateBucketPolicy,
} from "../lib/infra/policies/bootstrap-policies";
import type { DeploymentOptions } from "./deployment-target";
import { configureBootstrapTarget } from "./bootstrap-target";

export const BOOTSTRAP_CI_STACK_NAME = "bootstrap-ci";

/**
 * The CI account (the central account): GitHub's OIDC provider, the plan and deploy CI
 * roles, and, when accounts.ts has `stateBackend`, the state bucket. Its provider's region
 * is the state bucket's; the IAM resources are global.
 */
export class BootstrapCiStack extends TerraformStack {
  constructor(scope: Construct, config: BootstrapConfig, options: DeploymentOptions) {
    super(scope, BOOTSTRAP_CI_STACK_NAME);
    const { ci } = config;
    const region = config.stateBackend?.region ?? config.central.region;
    const provider = configureBootstrapTarget(
      this,
      { stackName: BOOTSTRAP_CI_STACK_NAME, accountId: ci.accountId, region, assumeRoleArn: ci.bootstrapRoleArn },
      config.tags,
      options,
    );

    // One provider per issuer and account: with ci.useExistingOidcProvider the roles trust
    // the one already there (same ARN), and this stack never owns what others rely on.
    const oidc = ci.createOidcProvider
      ? new IamOpenidConnectProvider(this, "GitHubOidc", { provider, url: GITHUB_OIDC.url, clientIdList: [GITHUB_OIDC.audience] })
      : undefined;
    // A fixed logical ID: a refactor must never plan to replace what CI stands on.
    oidc?.overrideLogicalId("github_oidc");
    const oidcProviderArn = oidc?.arn ?? ci.oidcProviderArn;
    const roles = [
      new ServiceRole(this, "PlanCiRole", {
        provider,
        roleName: ci.planRoleName,
        description: `Plans of ${ci.githubRepository}: pull requests and main. Read-only everywhere.`,
        trustPolicy: planCiTrustPolicy(ci, oidcProviderArn),
        permissions: planCiRolePolicy(config),
      }),
      new ServiceRole(this, "DeployCiRole", {
        provider,
        roleName: ci.deployRoleName,
        description: `Deploys of ${ci.githubRepository}: environment ${ci.deployEnvironment}, on main.`,
        trustPolicy: deployCiTrustPolicy(ci, oidcProviderArn),
        permissions: deployCiRolePolicy(config),
      }),
    ];

    if (config.stateBackend) {
      const state = new EncryptedBucket(this, "StateBucket", {
        provider,
        logicalId: "state_bucket",
        bucketName: config.stateBackend.bucket,
        // Default encryption with the AWS managed key aws/s3: no key to administer and no
        // KMS grants for the CI roles. Terraform's backend (encrypt = true) writes each
        // state with SSE-S3 anyway; the default covers objects copied by hand (retirement).
        kmsKeyArn: `arn:aws:kms:${region}:${ci.accountId}:alias/aws/s3`,
        policy: stateBucketPolicy(config),
        lifecycle: { noncurrentVersionExpirationDays: ci.stateNoncurrentVersionDays },
      });
      new TerraformOutput(this, "state_bucket_arn", { value: state.bucketArn });
    }

    new TerraformOutput(this, "ci_plan_role_arn", { value: roles[0].roleArn, description: "Repository variable CI_PLAN_ROLE_ARN." });
    new TerraformOutput(this, "ci_deploy_role_arn", { value: roles[1].roleArn, description: "Repository variable CI_DEPLOY_ROLE_ARN." });
  }
}
