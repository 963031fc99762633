import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { LocalBackend, TerraformStack } from "cdktf";
import * as path from "path";
import { endpointProviderSettings } from "../lib/core/aws-endpoint";
import { OFFLINE_PROVIDER_SETTINGS } from "../lib/core/offline-mode";
import type { DeploymentOptions } from "./deployment-target";

/** Where the bootstrap synthesizes, apart from the main app's stacks (cdktf.out/stacks). */
export const BOOTSTRAP_OUTDIR = "cdktf.out/bootstrap";

/** The account and region a bootstrap stack changes, and how the admin gets there. */
export interface BootstrapTarget {
  readonly stackName: string;
  readonly accountId: string;
  readonly region: string;
  /** Role to assume there. Omitted: the caller's own credentials, which must be of accountId. */
  readonly assumeRoleArn?: string;
}

/**
 * The bootstrap's state is local: an admin applies it once, by hand, and it creates the
 * state bucket the other stacks use, so it cannot live there. It sits in
 * `terraform-state/bootstrap/` (git-ignored, beside the main stacks' local states but not
 * among them, so `npm run state` never lists it), relative to the stack directory.
 */
export function bootstrapStatePath(stackName: string): string {
  return path.posix.relative(`${BOOTSTRAP_OUTDIR}/stacks/${stackName}`, `terraform-state/bootstrap/${stackName}.tfstate`);
}

/**
 * A bootstrap stack's own AWS provider (aliased, like the main stacks', so nothing falls
 * back to an ambient default) and its local backend. Real mode refuses every account but
 * the target (`allowed_account_ids`); offline mode has fake credentials and no STS call.
 * The main stacks' configureDeploymentTarget does not fit: it always assumes a role (the
 * management account has no role to assume) and would put this state in the S3 backend.
 */
export function configureBootstrapTarget(
  stack: TerraformStack,
  target: BootstrapTarget,
  tags: Readonly<Record<string, string>>,
  options: DeploymentOptions,
): AwsProvider {
  const provider = new AwsProvider(stack, "aws", {
    alias: target.stackName.replace(/-/g, "_"),
    region: target.region,
    defaultTags: [{ tags: { ...tags, BackupStack: target.stackName } }],
    ...(options.offline
      ? OFFLINE_PROVIDER_SETTINGS
      : {
          ...(target.assumeRoleArn ? { assumeRole: [{ roleArn: target.assumeRoleArn, sessionName: `s3-backup-${target.stackName}` }] } : {}),
          allowedAccountIds: [target.accountId],
          // AWS_ENDPOINT_URL (an emulator, docs/terraform.md): every service at that endpoint.
          ...endpointProviderSettings(),
        }),
  });
  new LocalBackend(stack, { path: bootstrapStatePath(target.stackName) });
  return provider;
}
