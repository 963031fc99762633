import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { ServiceRole, ServiceRoleProps } from "../../lib/infra/constructs/service-role";
import { policyDocument } from "../../lib/infra/policies/policy-document";
import { PolicySizeError } from "../../lib/infra/policies/size-limits";
import { policyOfSize } from "../support/construct-fixtures";
import { exposed, synthConstruct } from "../support/construct-synth";
import { StackJson, onlyResource, parsePolicy } from "../support/synth";

const trustPolicy = policyDocument({ Sid: "S3Only", Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole" });
const permissions = policyDocument({ Sid: "Read", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::acme-backup/*" });
const props = { roleName: "acme-replication", description: "S3 replicates", trustPolicy, permissions };

function synthRole(extra: Partial<ServiceRoleProps> = {}): StackJson {
  return synthConstruct((scope, provider) => {
    const role = new ServiceRole(scope, "Role", { provider, ...props, ...extra });
    new SnsTopic(scope, "ActsAsTheRole", { provider, name: "after-the-policy", dependsOn: [role.permissionsAttached] });
    return { roleArn: role.roleArn, roleName: role.roleName };
  });
}

describe("ServiceRole", () => {
  test("the role has its name, description and trust policy, and a boundary only when given one", () => {
    const role = onlyResource(synthRole(), "aws_iam_role");
    expect(role).toMatchObject({ name: "acme-replication", description: "S3 replicates" });
    expect(parsePolicy(role.assume_role_policy)).toEqual(trustPolicy);
    expect(role.permissions_boundary).toBeUndefined();
    const boundary = "arn:aws:iam::222222222222:policy/replication-boundary";
    expect(onlyResource(synthRole({ permissionsBoundary: boundary }), "aws_iam_role").permissions_boundary).toBe(boundary);
  });

  test("one inline policy, named after the role, on that role", () => {
    const stack = synthRole();
    const [roleId] = Object.keys(stack.resource.aws_iam_role);
    const inline = onlyResource(stack, "aws_iam_role_policy");
    expect(inline).toMatchObject({ name: "acme-replication-permissions", role: `\${aws_iam_role.${roleId}.id}` });
    expect(parsePolicy(inline.policy)).toEqual(permissions);
  });

  test("exposes its ARN as a reference, and its inline policy as what acting as the role depends on", () => {
    const stack = synthRole();
    const [roleId] = Object.keys(stack.resource.aws_iam_role);
    const [inlineId] = Object.keys(stack.resource.aws_iam_role_policy);
    expect(exposed(stack, "roleArn")).toBe(`\${aws_iam_role.${roleId}.arn}`);
    expect(exposed(stack, "roleName")).toBe("acme-replication");
    expect(onlyResource(stack, "aws_sns_topic").depends_on).toEqual([`aws_iam_role_policy.${inlineId}`]);
  });

  test("an oversized trust or inline policy stops synthesis, naming the construct's path and the role", () => {
    expect(() => synthRole({ trustPolicy: policyOfSize(30) })).toThrow(PolicySizeError);
    expect(() => synthRole({ trustPolicy: policyOfSize(30) })).toThrow(/^stack\/Role: role acme-replication: the IAM role trust policy would be/);
    expect(() => synthRole({ permissions: policyOfSize(150) })).toThrow(/^stack\/Role: role acme-replication: the IAM role inline policies .* would be/);
  });
});
