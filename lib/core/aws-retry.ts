/**
 * How every AWS client of every command retries: the SDKs' standard retry mode, which
 * retries throttling (S3's 503 SlowDown, Throttling, TooManyRequestsException...) and
 * transient failures (HTTP 500, 502, 503, 504, timeouts) with exponential backoff and full
 * jitter, capped at 20 s, under a per-client retry quota that stops retry storms during an
 * outage ("Retry behavior", AWS SDKs and Tools Reference Guide,
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html). Eight
 * attempts instead of the default three ride out a SlowDown spell on a prefix S3 is still
 * scaling for. Spread into every client's options; AWS_MAX_ATTEMPTS and AWS_RETRY_MODE do not
 * override it.
 */
export const AWS_RETRY = { maxAttempts: 8, retryMode: "standard" } as const;
