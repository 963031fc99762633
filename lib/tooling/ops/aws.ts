import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { S3Client } from "@aws-sdk/client-s3";
import { S3ControlClient } from "@aws-sdk/client-s3-control";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { AWS_RETRY } from "../../core/aws-retry";
import { s3ControlEndpointProblem, s3ControlWithoutAccountHost } from "../../core/aws-endpoint";
import type { ResolvedConfig, ResolvedMember } from "../../core/config/resolved";
import { UserError } from "../../core/errors";
import { errorText, networkFailure, unreachableMessage } from "../../core/network-errors";

/** Builds SDK v3 clients that act in one account by assuming a role there. Injected in tests. */
export interface AwsClients {
  s3(region: string, roleArn: string): S3Client;
  s3Control(region: string, roleArn: string): S3ControlClient;
}

/**
 * AwsClients plus the read-only services of `coverage` and `org-sync`. A separate interface,
 * so that every existing AwsClients (the tests' injections) stays valid as it is.
 */
export interface FleetClients extends AwsClients {
  cloudwatch(region: string, roleArn: string): CloudWatchClient;
  /** Organizations is a global service; without a role ARN the client uses the caller's own credentials. */
  organizations(roleArn: string | undefined): OrganizationsClient;
}

/** Organizations' API lives in us-east-1 for the commercial partition. */
const ORGANIZATIONS_REGION = "us-east-1";

/** Real clients: the caller's credentials (env, profile, SSO, OIDC...) assume the given role through STS. */
export const assumeRoleClients: FleetClients = {
  s3: (region, roleArn) => new S3Client({ region, credentials: assumed(roleArn), ...AWS_RETRY }),
  s3Control: (region, roleArn) => s3ControlClient(region, roleArn),
  cloudwatch: (region, roleArn) => new CloudWatchClient({ region, credentials: assumed(roleArn), ...AWS_RETRY }),
  organizations: (roleArn) => new OrganizationsClient({ region: ORGANIZATIONS_REGION, ...(roleArn ? { credentials: assumed(roleArn) } : {}), ...AWS_RETRY }),
};

/**
 * S3 Control, which addresses `<accountId>.<endpoint host>`. With a custom endpoint
 * (AWS_ENDPOINT_URL) that cannot take that prefix, one clear line before any request; with
 * S3_BACKUP_S3_CONTROL_DISABLE_HOST_PREFIX=true, the endpoint itself (docs/terraform.md).
 */
function s3ControlClient(region: string, roleArn: string): S3ControlClient {
  const problem = s3ControlEndpointProblem(roleArn.split(":")[4] ?? "");
  if (problem) throw new OpsError(problem);
  const client = new S3ControlClient({ region, credentials: assumed(roleArn), ...AWS_RETRY });
  if (s3ControlWithoutAccountHost()) {
    // The endpoint rules add the account to the host only when an operation requires it.
    const resolve = client.config.endpointProvider;
    client.config.endpointProvider = (params, context) => resolve({ ...params, RequiresAccountId: false }, context);
  }
  return client;
}

function assumed(roleArn: string) {
  return fromTemporaryCredentials({ params: { RoleArn: roleArn, RoleSessionName: "s3-central-backup-ops" }, clientConfig: AWS_RETRY });
}

/** The members a command acts on, with a clear error for an account not in accounts.ts. */
export function selectMembers(config: ResolvedConfig, selection: { account?: string; all?: boolean }): ResolvedMember[] {
  if (selection.all) return [...config.members];
  if (!selection.account) throw new OpsError("Name the account: --account <12-digit id>, or --all.");
  const member = config.members.find((m) => m.accountId === selection.account);
  if (!member) {
    throw new OpsError(
      `Account ${selection.account} is not in accounts.ts (members: ${config.members.map((m) => m.accountId).join(", ")}). Add it to members and deploy its stack first.`,
    );
  }
  return [member];
}

/** An error whose message is the one line a user needs. */
export class OpsError extends UserError {
  constructor(message: string) {
    super(message);
  }
}

/**
 * Turns SDK failures into one line: an unreachable endpoint, missing credentials and access
 * denied name what to fix. The network comes first: a failed STS connection while assuming a
 * role is not a permission problem.
 */
export function describeAwsError(error: unknown, what: string): string {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const unreachable = networkFailure(errorText(error));
  if (unreachable) return `${unreachableMessage(unreachable.host)} (${what}: ${unreachable.evidence})`;
  if (e?.name === "CredentialsProviderError" || (/Could not load credentials|credential/i.test(e?.message ?? "") && e?.name !== "AccessDenied")) {
    return `no AWS credentials: ${what} needs credentials that may assume the deploy roles (set AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run in CI with OIDC)`;
  }
  if (e?.name === "AccessDenied" || e?.$metadata?.httpStatusCode === 403) {
    return `access denied: ${what}`;
  }
  // The SDK's own messages can span lines (a deserialization error adds a hint): the first says what happened.
  const status = e?.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : "";
  return `${what} failed: ${e?.name ?? "Error"}: ${(e?.message ?? String(error)).split("\n")[0].trim()}${status}`;
}
