import type { BootstrapConfig } from "../../lib/core/config/resolved";
import { ACCOUNT_ROLES_STACK_SET_NAME, AccountRolesStackSet, accountRolesTemplate, templateBody } from "../../lib/infra/constructs/account-roles-stack-set";
import { resolvedAllOptions, resolvedWithRestore } from "../support/construct-fixtures";
import { exposed, resource, synthConstruct } from "../support/construct-synth";
import { StackJson } from "../support/synth";

const asBootstrap = (config: typeof resolvedAllOptions): BootstrapConfig => ({ ...config, ci: config.ci! });
const allOptions = asBootstrap(resolvedAllOptions);
const withRestore = asBootstrap(resolvedWithRestore);

function synthStackSet(config: BootstrapConfig): StackJson {
  return synthConstruct((scope, provider) => {
    const roles = new AccountRolesStackSet(scope, "AccountRoles", { provider, config, region: "us-east-1" });
    return { stackSetArn: roles.stackSetArn, stackSetName: roles.stackSetName };
  });
}

describe("AccountRolesStackSet", () => {
  test("a service-managed StackSet, auto-deployed to the OUs' accounts, a quarter at a time, stopping at the first failure", () => {
    const stack = synthStackSet(allOptions);
    const stackSet = resource(stack, "aws_cloudformation_stack_set", "account_roles");
    expect(stackSet).toMatchObject({
      name: ACCOUNT_ROLES_STACK_SET_NAME,
      permission_model: "SERVICE_MANAGED",
      auto_deployment: { enabled: true, retain_stacks_on_account_removal: false },
      capabilities: ["CAPABILITY_NAMED_IAM"],
      operation_preferences: { max_concurrent_percentage: 25, failure_tolerance_count: 0 },
    });
    const instances = resource(stack, "aws_cloudformation_stack_set_instance", "account_roles_instances");
    expect(instances).toMatchObject({
      stack_set_name: "${aws_cloudformation_stack_set.account_roles.name}",
      region: "us-east-1",
      deployment_targets: { organizational_unit_ids: allOptions.ci.organization.organizationalUnitIds },
    });
  });

  test("called as the delegated administrator when there is one, else as the management account itself", () => {
    expect(allOptions.ci.organization.delegatedAdmin).toBe(true);
    expect(resource(synthStackSet(allOptions), "aws_cloudformation_stack_set", "account_roles").call_as).toBe("DELEGATED_ADMIN");
    expect(withRestore.ci.organization.delegatedAdmin).toBe(false);
    expect(resource(synthStackSet(withRestore), "aws_cloudformation_stack_set", "account_roles").call_as).toBe("SELF");
  });

  test("the template creates the plan and deploy roles and the replication boundary; the restore boundary only with restore", () => {
    const template = (config: BootstrapConfig) => JSON.parse(resource(synthStackSet(config), "aws_cloudformation_stack_set", "account_roles").template_body);
    const roles = template(allOptions).Resources;
    expect(Object.keys(roles)).toEqual(["PlanRole", "DeployRole", "ReplicationBoundary"]);
    expect(roles.PlanRole.Properties.RoleName).toBe(allOptions.central.planRoleName);
    expect(roles.DeployRole.Properties.RoleName).toBe(allOptions.central.deployRoleName);
    expect(Object.keys(template(withRestore).Resources)).toEqual(["PlanRole", "DeployRole", "ReplicationBoundary", "RestoreBoundary"]);
  });

  test("exposes the StackSet's ARN and name", () => {
    const stack = synthStackSet(allOptions);
    expect(exposed(stack, "stackSetArn")).toBe("${aws_cloudformation_stack_set.account_roles.arn}");
    expect(exposed(stack, "stackSetName")).toBe(ACCOUNT_ROLES_STACK_SET_NAME);
  });

  test("a template Terraform would interpolate, or one over CloudFormation's limit, is refused with the path given", () => {
    const template = accountRolesTemplate(allOptions, "stack/AccountRoles");
    const interpolated = { ...template, Description: "${var.x}" };
    expect(() => templateBody(interpolated, "stack/AccountRoles")).toThrow(/^stack\/AccountRoles: the StackSet template holds "\$\{"/);
    const huge = { ...template, Description: "x".repeat(60_000) };
    expect(() => templateBody(huge, "stack/AccountRoles")).toThrow(/^stack\/AccountRoles: the StackSet template has \d+ bytes, over CloudFormation's 51200/);
  });
});
