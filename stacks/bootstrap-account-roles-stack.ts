import { TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AccountRolesStackSet } from "../lib/infra/constructs/account-roles-stack-set";
import { CentralGuardrail } from "../lib/infra/constructs/central-guardrail";
import type { BootstrapConfig } from "../lib/core/config/resolved";
import type { DeploymentOptions } from "./deployment-target";
import { configureBootstrapTarget } from "./bootstrap-target";

export const BOOTSTRAP_ACCOUNT_ROLES_STACK_NAME = "bootstrap-account-roles";

/**
 * The central account's guardrail (a service control policy) and the plan and deploy roles
 * in every account of the organization, through a StackSet run
 * from the management account (the admin's own credentials) or from a delegated
 * administrator (assuming ci.bootstrapRoleName there). The StackSet and its instances live
 * in the central region; the roles they create are global.
 */
export class BootstrapAccountRolesStack extends TerraformStack {
  constructor(scope: Construct, config: BootstrapConfig, options: DeploymentOptions) {
    super(scope, BOOTSTRAP_ACCOUNT_ROLES_STACK_NAME);
    const { organization } = config.ci;
    const region = config.central.region;
    const provider = configureBootstrapTarget(
      this,
      {
        stackName: BOOTSTRAP_ACCOUNT_ROLES_STACK_NAME,
        accountId: organization.stackSetAccountId,
        region,
        assumeRoleArn: organization.stackSetBootstrapRoleArn,
      },
      config.tags,
      options,
    );
    const roles = new AccountRolesStackSet(this, "AccountRoles", {
      provider,
      config,
      region,
    });
    new TerraformOutput(this, "stack_set_arn", { value: roles.stackSetArn });
    // Organizations policies are managed from the same account as the StackSet: the
    // management account, or a delegated administrator registered for both.
    const guardrail = new CentralGuardrail(this, "CentralGuardrail", { provider, config });
    new TerraformOutput(this, "central_guardrail_policy_id", { value: guardrail.policyId });
  }
}
