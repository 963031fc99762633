/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // Both cores: jest's default leaves one idle on a 2-core machine.
  maxWorkers: 2,
  // A guard against a hung test, not a speed check (speed is `npm run bench`'s): long enough
  // for the tests that spawn several commands on a machine whose cores are all busy.
  testTimeout: 600000,
  // Plans the example configs once, offline, with the real terraform and provider.
  globalSetup: "<rootDir>/__tests__/global-setup.ts",
  setupFiles: ["<rootDir>/__tests__/support/quiet-sdk-notice.ts"],
  // Type checking is `tsc --noEmit` in `npm test`; jest only transpiles, which keeps it fast.
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  // One shim of the IAM policy library for every policy proof (see the file).
  moduleNameMapper: { "^@cloud-copilot/iam-policy$": "<rootDir>/__tests__/support/iam-policy-shim.ts" },
};
