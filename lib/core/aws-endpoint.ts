/**
 * One AWS endpoint for every service: an emulator (the e2e suite's moto), a proxy, a private
 * test region. The AWS SDK v3 (the day-2 commands) reads AWS_ENDPOINT_URL by itself; Terraform
 * learns it from the provider and backend blocks below. Unset, nothing here changes anything.
 */
export const ENDPOINT_ENV = "AWS_ENDPOINT_URL";

/**
 * S3 Control addresses `<accountId>.<endpoint host>` (a host prefix); an endpoint given as an
 * IP address or `localhost` has no such names. Set to "true" to send S3 Control requests to
 * the endpoint itself, as the e2e suite does for the emulator.
 */
export const S3_CONTROL_NO_HOST_PREFIX_ENV = "S3_BACKUP_S3_CONTROL_DISABLE_HOST_PREFIX";

/** The custom endpoint, or undefined for AWS itself. */
export function customEndpoint(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = env[ENDPOINT_ENV]?.trim();
  return url ? url : undefined;
}

/** Every service the stacks and the bootstrap create resources in, plus STS for assume_role. */
const PROVIDER_SERVICES = ["cloudformation", "cloudtrail", "cloudwatch", "events", "iam", "kms", "organizations", "s3", "s3Control", "sns", "sts"] as const;

/**
 * What an AwsProvider gets when a custom endpoint is set: that endpoint for each service
 * (the provider has no single-URL setting), path-style S3 (an endpoint host has no bucket
 * subdomains). Credentials, assume_role and allowed_account_ids are left as they are: STS
 * answers at the same endpoint, so the provider still checks which account it acts in.
 */
export function endpointProviderSettings(env: NodeJS.ProcessEnv = process.env) {
  const url = customEndpoint(env);
  if (!url) return {};
  return {
    endpoints: [Object.fromEntries(PROVIDER_SERVICES.map((service) => [service, url])) as Record<(typeof PROVIDER_SERVICES)[number], string>],
    s3UsePathStyle: true,
  };
}

/** The S3 state backend's settings for a custom endpoint (Terraform's own names), or none. */
export function endpointBackendSettings(env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const url = customEndpoint(env);
  return url ? { endpoints: { s3: url, sts: url }, use_path_style: true } : {};
}

/** Whether S3 Control requests go to the custom endpoint itself, without the `<accountId>.` host (see above). */
export function s3ControlWithoutAccountHost(env: NodeJS.ProcessEnv = process.env): boolean {
  return customEndpoint(env) !== undefined && env[S3_CONTROL_NO_HOST_PREFIX_ENV] === "true";
}

/**
 * Why S3 Control cannot be called at the custom endpoint, or undefined. The SDK builds
 * `<scheme>://<accountId>.<host>`; for an IP address that is no URL, and the SDK then prints
 * a raw stack trace of its own (console.error) before failing. Checked before any client is
 * built, so the user gets this one line instead.
 */
export function s3ControlEndpointProblem(accountId: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = customEndpoint(env);
  if (!url || s3ControlWithoutAccountHost(env)) return undefined;
  try {
    const endpoint = new URL(url);
    new URL(`${endpoint.protocol}//${accountId}.${endpoint.host}${endpoint.pathname}`);
    return undefined;
  } catch {
    return `S3 Control cannot be reached at ${ENDPOINT_ENV}=${url}: it calls <accountId>.<host> (here ${accountId}.${hostOf(url)}), which is no valid address. Fix: set ${S3_CONTROL_NO_HOST_PREFIX_ENV}=true to call the endpoint itself, or give ${ENDPOINT_ENV} a host name.`;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
