import { CloudformationStackSet } from "@cdktf/provider-aws/lib/cloudformation-stack-set";
import { CloudformationStackSetInstance } from "@cdktf/provider-aws/lib/cloudformation-stack-set-instance";
import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { bucketArn } from "../../core/config/naming";
import type { BootstrapConfig } from "../../core/config/resolved";
import { accountRoleTrustPolicy, deployRolePolicy, planRolePolicy } from "../policies/bootstrap-policies";
import { replicationBoundaryName, replicationBoundaryPolicy } from "../policies/permissions-boundary";
import type { PolicyDocument } from "../policies/policy-document";
import { projectResources, sourceBucketArns } from "../policies/project-resources";
import { restoreBoundaryName, restoreBoundaryPolicy } from "../policies/restore-policies";
import { assertPolicyFits } from "../policies/size-limits";

/** The part of a CloudFormation template this StackSet uses: IAM roles with one inline policy each, and managed policies (the boundaries). */
export interface RolesTemplate {
  readonly AWSTemplateFormatVersion: "2010-09-09";
  readonly Description: string;
  readonly Resources: Record<string, CfnRole | CfnManagedPolicy>;
}

interface CfnManagedPolicy {
  readonly Type: "AWS::IAM::ManagedPolicy";
  readonly Properties: { readonly ManagedPolicyName: string; readonly Description: string; readonly PolicyDocument: PolicyDocument };
}

function managedPolicy(name: string, description: string, document: PolicyDocument, path: string): CfnManagedPolicy {
  assertPolicyFits("managedPolicy", `${path}: policy ${name}`, "Shorten the boundary.", document);
  return { Type: "AWS::IAM::ManagedPolicy", Properties: { ManagedPolicyName: name, Description: description, PolicyDocument: document } };
}

interface CfnRole {
  readonly Type: "AWS::IAM::Role";
  readonly Properties: {
    readonly RoleName: string;
    readonly Description: string;
    readonly AssumeRolePolicyDocument: PolicyDocument;
    readonly Policies: readonly { readonly PolicyName: string; readonly PolicyDocument: PolicyDocument }[];
  };
}

export const ACCOUNT_ROLES_STACK_SET_NAME = "org-s3-central-backup-pipeline-roles";

/** CloudFormation's limit on an inline template body, in bytes. */
export const TEMPLATE_BODY_LIMIT = 51_200;

function role(roleName: string, description: string, trust: PolicyDocument, permissions: PolicyDocument, path: string): CfnRole {
  assertPolicyFits("trustPolicy", `${path}: role ${roleName}`, "Shorten the trust policy's conditions.", trust);
  assertPolicyFits("roleInlinePolicies", `${path}: role ${roleName}`, "Shorten the role's permissions.", permissions);
  return {
    Type: "AWS::IAM::Role",
    Properties: {
      RoleName: roleName,
      Description: description,
      AssumeRolePolicyDocument: trust,
      Policies: [{ PolicyName: `${roleName}-permissions`, PolicyDocument: permissions }],
    },
  };
}

/**
 * The template every account gets: the read-only plan role and the deploy role, each trusted
 * by one CI role, and the permissions boundaries every role the deploy role creates must
 * carry (lib/infra/policies/permissions-boundary.ts). The boundaries live here, where the deploy
 * role cannot change them: only the StackSet (the organization's admins) can. `path`, the
 * construct's, starts every size refusal.
 */
export function accountRolesTemplate(config: BootstrapConfig, path: string): RolesTemplate {
  const { central, ci, restore } = config;
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: `Plan and deploy roles of ${ci.githubRepository} (org-s3-central-backup bootstrap)`,
    Resources: {
      PlanRole: role(
        central.planRoleName,
        `Read-only: Terraform plans of ${ci.githubRepository}, assumed by ${ci.planRoleArn}`,
        accountRoleTrustPolicy(ci, ci.planRoleArn),
        planRolePolicy(config),
        path,
      ),
      DeployRole: role(
        central.deployRoleName,
        `Terraform deploys of ${ci.githubRepository}, assumed by ${ci.deployRoleArn}`,
        accountRoleTrustPolicy(ci, ci.deployRoleArn),
        deployRolePolicy(config),
        path,
      ),
      ReplicationBoundary: managedPolicy(
        replicationBoundaryName(central),
        "Permissions boundary of the replication and batch replication roles: replication only",
        replicationBoundaryPolicy(central, sourceBucketArns(config), config.vault),
        path,
      ),
      ...(restore
        ? {
            RestoreBoundary: managedPolicy(
              restoreBoundaryName(restore),
              "Permissions boundary of the restore role: object reads, writes and listings, keys only through S3",
              restoreBoundaryPolicy([...projectResources(config).buckets, ...restore.extraTargetBuckets.map(bucketArn)]),
              path,
            ),
          }
        : {}),
    },
  };
}

/**
 * The template as Terraform gets it. Terraform would read `${` as its own interpolation,
 * and none of these policies uses an IAM policy variable, so one appearing is a bug.
 */
export function templateBody(template: RolesTemplate, path: string): string {
  const body = JSON.stringify(template);
  if (body.includes("${")) throw new Error(`${path}: the StackSet template holds "\${", which Terraform would interpolate`);
  if (Buffer.byteLength(body) > TEMPLATE_BODY_LIMIT)
    throw new Error(`${path}: the StackSet template has ${Buffer.byteLength(body)} bytes, over CloudFormation's ${TEMPLATE_BODY_LIMIT}`);
  return body;
}

export interface AccountRolesStackSetProps {
  /** Provider of the management account, or of a delegated administrator (`ci.organization`). */
  readonly provider: TerraformProvider;
  readonly config: BootstrapConfig;
  /** The one region the stack instances are created in: IAM is global, so one is enough. */
  readonly region: string;
}

/**
 * The plan and deploy roles in every account of the targeted OUs, through a StackSet with
 * service-managed permissions: AWS Organizations deploys it, automatically into accounts
 * that join those OUs later, and removes it from accounts that leave. StackSets never
 * deploy into the management account (validateConfig refuses it as central or member).
 */
export class AccountRolesStackSet extends Construct {
  /** The StackSet's ARN (a reference). */
  readonly stackSetArn: string;
  /** The StackSet's name. */
  readonly stackSetName = ACCOUNT_ROLES_STACK_SET_NAME;

  constructor(scope: Construct, id: string, props: AccountRolesStackSetProps) {
    super(scope, id);
    const { provider, config } = props;
    const callAs = config.ci.organization.delegatedAdmin ? "DELEGATED_ADMIN" : "SELF";
    // A quarter of the accounts at a time, stopping at the first failure: a role name
    // that clashes in one account is reported before the rollout repeats it everywhere.
    const operationPreferences = { maxConcurrentPercentage: 25, failureToleranceCount: 0 };
    const stackSet = new CloudformationStackSet(this, "StackSet", {
      provider,
      name: ACCOUNT_ROLES_STACK_SET_NAME,
      description: `Plan role ${config.central.planRoleName} and deploy role ${config.central.deployRoleName} in every account`,
      permissionModel: "SERVICE_MANAGED",
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ["CAPABILITY_NAMED_IAM"],
      callAs,
      managedExecution: { active: true },
      operationPreferences,
      templateBody: templateBody(accountRolesTemplate(config, this.node.path), this.node.path),
      // hashicorp/aws 5.x reads back the service-linked administration role of a
      // SERVICE_MANAGED StackSet and plans to remove it on every run (a provider bug,
      // fixed only in 6.x): ignore it.
      lifecycle: { ignoreChanges: ["administration_role_arn"] },
    });
    // Fixed logical IDs, so that moving this construct never plans a new StackSet.
    stackSet.overrideLogicalId("account_roles");
    this.stackSetArn = stackSet.arn;
    const instances = new CloudformationStackSetInstance(this, "Instances", {
      provider,
      stackSetName: stackSet.name,
      callAs,
      region: props.region,
      deploymentTargets: { organizationalUnitIds: [...config.ci.organization.organizationalUnitIds] },
      operationPreferences,
    });
    instances.overrideLogicalId("account_roles_instances");
  }
}
