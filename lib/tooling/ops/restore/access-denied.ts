import { OpsError } from "../aws";

export function isAccessDenied(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === "AccessDenied" || e?.name === "AllAccessDisabled" || (e?.$metadata?.httpStatusCode === 403 && e?.name !== "InvalidObjectState");
}

/** The error a restore stops on: access denied, one line naming what was tried, on which bucket, as which role. */
export class AccessDeniedError extends OpsError {
  constructor(what: string, roleArn: string) {
    super(`access denied: ${what} as ${roleArn}. Check that role's policy, the bucket policy and the KMS key policy for this action.`);
    this.name = "AccessDeniedError";
  }
}
