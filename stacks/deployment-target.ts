import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { LocalBackend, S3Backend, TerraformStack } from "cdktf";
import { endpointBackendSettings, endpointProviderSettings } from "../lib/core/aws-endpoint";
import { OFFLINE_PROVIDER_SETTINGS } from "../lib/core/offline-mode";
import type { SharedStackInput } from "./stack-inputs";

/** The account and region a stack deploys into. */
export interface DeploymentTarget {
  readonly stackName: string;
  readonly accountId: string;
  readonly region: string;
  /** Role Terraform assumes in the target account to deploy (real mode only). */
  readonly deployRoleArn: string;
  /** Read-only role Terraform assumes in the target account to plan (real mode only). */
  readonly planRoleArn: string;
  /** The role that alone may apply the central stack's locks (central only). */
  readonly breakGlassRoleArn?: string;
  /** A member's readable name from accounts.ts, tagged on each of its resources. */
  readonly name?: string;
}

/**
 * Which role a real-mode synth assumes: plans (pull requests, drift) never hold deploy power;
 * central's locks are applied by the break-glass role alone (docs/ci-and-state.md#break-glass).
 */
export type AssumedRole = "plan" | "deploy" | "break-glass";

export interface DeploymentOptions {
  /** Offline mode: fake credentials, no STS call, local state. See lib/core/offline-mode.ts. */
  readonly offline: boolean;
  /** Default `deploy`. */
  readonly role?: AssumedRole;
}

function assumedRole(target: DeploymentTarget, role: AssumedRole): { roleArn: string; sessionName: string } {
  if (role === "plan") return { roleArn: target.planRoleArn, sessionName: `s3-backup-plan-${target.stackName}` };
  if (role === "deploy") return { roleArn: target.deployRoleArn, sessionName: `s3-backup-${target.stackName}` };
  // buildApp refuses break-glass for any stack but central, whose target names the role.
  return { roleArn: target.breakGlassRoleArn!, sessionName: `s3-backup-break-glass-${target.stackName}` };
}

/** Local state lives beside the project, outside cdktf.out (which cdktf prunes). Relative to cdktf.out/stacks/<stack>. */
export function localStatePath(stackName: string): string {
  return `../../../terraform-state/${stackName}.tfstate`;
}

/**
 * The stack's own AWS provider (aliased by stack, so no resource ever falls back to an
 * ambient default provider) and its state backend. Offline mode changes only the
 * credentials, the assume-role and, when a remote backend is configured, the backend.
 */
export function configureDeploymentTarget(stack: TerraformStack, target: DeploymentTarget, config: SharedStackInput, options: DeploymentOptions): AwsProvider {
  const provider = new AwsProvider(stack, "aws", {
    alias: target.stackName.replace(/-/g, "_"),
    region: target.region,
    defaultTags: [{ tags: { ...config.tags, BackupStack: target.stackName, ...(target.name ? { BackupMember: target.name } : {}) } }],
    ...(options.offline
      ? OFFLINE_PROVIDER_SETTINGS
      : {
          assumeRole: [assumedRole(target, options.role ?? "deploy")],
          // Refuses to touch any other account, whatever credentials the caller has. Offline
          // mode cannot keep it: the provider learns the account ID only from STS.
          allowedAccountIds: [target.accountId],
          // AWS_ENDPOINT_URL (an emulator, docs/terraform.md): every service at that endpoint.
          ...endpointProviderSettings(),
        }),
  });

  const backend = config.stateBackend;
  if (backend && !options.offline) {
    const s3Backend = new S3Backend(stack, {
      bucket: backend.bucket,
      region: backend.region,
      key: `${backend.keyPrefix}/${target.stackName}.tfstate`,
      encrypt: true,
      // Plans read state with the plan CI role's own credentials (the state bucket policy lets
      // it read, never write): stateBackend.roleArn writes state, so only deploys assume it,
      // and the plan CI role may not.
      ...(backend.roleArn && options.role !== "plan" ? { assumeRole: { roleArn: backend.roleArn } } : {}),
    });
    // Terraform's native S3 lock file (no DynamoDB table); cdktf 0.21 has no typed prop for it.
    s3Backend.addOverride("use_lockfile", true);
    for (const [key, value] of Object.entries(endpointBackendSettings())) s3Backend.addOverride(key, value);
  } else {
    new LocalBackend(stack, { path: localStatePath(target.stackName) });
  }
  return provider;
}
