/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // Both cores: jest's default leaves one idle on a 2-core machine.
  maxWorkers: 2,
  testTimeout: 120000,
  // Plans the example configs once, offline, with the real terraform and provider.
  globalSetup: "<rootDir>/__tests__/global-setup.ts",
  setupFiles: ["<rootDir>/__tests__/support/quiet-sdk-notice.ts"],
  // Type checking is `tsc --noEmit` in `npm test`; jest only transpiles, which keeps it fast.
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  // One shim of the IAM policy library for every policy proof (see the file).
  moduleNameMapper: { "^@cloud-copilot/iam-policy$": "<rootDir>/__tests__/support/iam-policy-shim.ts" },
};
