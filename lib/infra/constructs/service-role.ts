import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { ITerraformDependable, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { PolicyDocument, toTerraformJson } from "../policies/policy-document";
import { assertPolicyFits } from "../policies/size-limits";

export interface ServiceRoleProps {
  readonly provider: TerraformProvider;
  readonly roleName: string;
  readonly description: string;
  readonly trustPolicy: PolicyDocument;
  /** The role's only inline policy. */
  readonly permissions: PolicyDocument;
  /** Managed policy ARN that caps the role (the bootstrap creates it; see lib/infra/policies/permissions-boundary.ts). */
  readonly permissionsBoundary?: string;
}

/**
 * An IAM role assumed by an AWS service, with one inline least-privilege policy,
 * size-checked at synth; a refusal names this construct's path.
 */
export class ServiceRole extends Construct {
  /** The role's ARN (a reference). */
  readonly roleArn: string;
  /** The role's name, as given. */
  readonly roleName: string;
  /**
   * The role's inline policy: anything that makes AWS act as the role (a replication rule)
   * depends on it, so the role never acts before it has its permissions.
   */
  readonly permissionsAttached: ITerraformDependable;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const where = `${this.node.path}: role ${props.roleName}`;
    assertPolicyFits("trustPolicy", where, "Shorten the trust policy's conditions.", props.trustPolicy);
    assertPolicyFits("roleInlinePolicies", where, "Split the permissions into a managed policy.", props.permissions);
    const role = new IamRole(this, "Role", {
      provider: props.provider,
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: toTerraformJson(props.trustPolicy),
      permissionsBoundary: props.permissionsBoundary,
    });
    this.permissionsAttached = new IamRolePolicy(this, "Permissions", {
      provider: props.provider,
      name: `${props.roleName}-permissions`,
      role: role.id,
      policy: toTerraformJson(props.permissions),
    });
    this.roleArn = role.arn;
    this.roleName = props.roleName;
  }
}
