import { OpsError } from "../aws";

export interface RetryPolicy {
  /** Attempts in all, the first included. Default 8. */
  readonly attempts?: number;
  /** First backoff ceiling; doubles each attempt. Default 200 ms. */
  readonly baseMs?: number;
  /** Largest backoff. Default 20 s. */
  readonly maxMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Told of each retry (the progress line counts them). */
  readonly onRetry?: (what: string, error: unknown, waitMs: number) => void;
}

const THROTTLING = new Set([
  "SlowDown",
  "Throttling",
  "ThrottlingException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "ServiceUnavailable",
  "InternalError",
  "RequestTimeout",
]);

/** S3 asks callers to back off with 503 SlowDown; 500 InternalError and request timeouts are worth another try too. */
export function isRetryable(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  const status = e?.$metadata?.httpStatusCode;
  return THROTTLING.has(e?.name ?? "") || status === 503 || status === 500 || status === 429 || Boolean(e?.$retryable);
}

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

/**
 * Runs `call`, retrying throttling and 5xx with exponential backoff and full jitter
 * (the wait is uniform in [0, min(maxMs, baseMs * 2^attempt)]), as the AWS SDKs' own
 * retry strategy does; see "Retry behavior" in the AWS SDKs and Tools Reference Guide.
 * The SDK client retries too (3 attempts by default): this outer loop rides out longer
 * SlowDown spells on a prefix that S3 is still scaling for.
 */
export async function withRetry<T>(what: string, call: () => Promise<T>, policy: RetryPolicy = {}): Promise<T> {
  const attempts = policy.attempts ?? 8;
  const baseMs = policy.baseMs ?? 200;
  const maxMs = policy.maxMs ?? 20_000;
  const sleep = policy.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = policy.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isRetryable(error) || attempt + 1 >= attempts) throw error;
      const waitMs = Math.floor(random() * Math.min(maxMs, baseMs * 2 ** attempt));
      policy.onRetry?.(what, error, waitMs);
      await sleep(waitMs);
    }
  }
}
