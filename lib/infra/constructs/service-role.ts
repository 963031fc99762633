import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { TerraformProvider } from "cdktf";
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
  readonly where: string;
}

/** An IAM role assumed by an AWS service, with one inline least-privilege policy, size-checked at synth. */
export class ServiceRole extends Construct {
  readonly role: IamRole;
  readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const where = `${props.where}: role ${props.roleName}`;
    assertPolicyFits("trustPolicy", where, "Shorten the trust policy's conditions.", props.trustPolicy);
    assertPolicyFits("roleInlinePolicies", where, "Split the permissions into a managed policy.", props.permissions);
    this.role = new IamRole(this, "Role", {
      provider: props.provider,
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: toTerraformJson(props.trustPolicy),
      permissionsBoundary: props.permissionsBoundary,
    });
    this.policy = new IamRolePolicy(this, "Permissions", {
      provider: props.provider,
      name: `${props.roleName}-permissions`,
      role: this.role.id,
      policy: toTerraformJson(props.permissions),
    });
  }
}
