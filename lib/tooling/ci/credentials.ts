import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { UserError } from "../../core/errors";

/** Thrown when no AWS credentials can be found; its message is the one line a user needs. */
export class MissingCredentialsError extends UserError {
  constructor(command: string, where = "or run it in GitHub Actions with OIDC (docs/ci-and-state.md). npm run plan:offline needs none.") {
    super(`No AWS credentials: ${command} works against AWS. Set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), ${where}`);
  }
}

/**
 * Looks for credentials the way the AWS provider and SDK do (environment, profile, SSO, web
 * identity, container, instance metadata), before any synth or Terraform run, so that a
 * missing setup is one clear line instead of a provider error per stack. Nothing is sent to
 * AWS: the chain only reads local sources (instance metadata is the one network lookup, and
 * it is bounded by the SDK's own timeout).
 */
export async function requireAwsCredentials(command: string, where?: string): Promise<void> {
  try {
    const credentials = await fromNodeProviderChain({ timeout: 1000, maxRetries: 0 })();
    if (!credentials.accessKeyId) throw new Error("empty");
  } catch {
    throw new MissingCredentialsError(command, where);
  }
}

/** Restores run as a person: CI's OIDC roles are not in restore.assumableBy and may not assume the restore role. */
export const RESTORE_CREDENTIALS = "as a role listed in restore.assumableBy (docs/restore.md); CI's GitHub OIDC roles may not assume the restore role.";
