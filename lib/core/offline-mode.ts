/**
 * Offline mode: plan against the real AWS provider with no AWS account and no network.
 * Set by `npm run plan:offline` through this environment variable; never by `deploy`.
 */
export const OFFLINE_MODE_ENV = "S3_BACKUP_OFFLINE_MODE";

export function isOfflineMode(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[OFFLINE_MODE_ENV] === "1";
}

/** Obviously fake credentials: with the skip flags below they are never sent anywhere. */
export const OFFLINE_FAKE_CREDENTIALS = {
  accessKey: "AKIAOFFLINEMODEFAKE0",
  secretKey: "offline-mode-fake-secret-key-never-sent-to-aws",
} as const;

/**
 * What an offline provider block carries instead of credentials and an assumed role: fake
 * keys, and every check that would call STS or the metadata service switched off.
 */
export const OFFLINE_PROVIDER_SETTINGS = {
  ...OFFLINE_FAKE_CREDENTIALS,
  skipCredentialsValidation: true,
  skipRequestingAccountId: true,
  skipMetadataApiCheck: "true",
  skipRegionValidation: true,
} as const;
