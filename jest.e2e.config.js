/**
 * `npm run test:e2e`: the end-to-end suite (__tests__/e2e), every stack deployed to a local
 * AWS emulator and operated with the day-2 commands. Not part of `npm test` (whose
 * jest.config.js matches only *.test.ts): it needs the emulator's Debian packages, which
 * `.ci/run` installs, and takes minutes.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__/e2e"],
  testMatch: ["**/*.e2e.ts"],
  // One test file at a time: each runs its own emulator and Terraform on both cores.
  maxWorkers: 1,
  // A deploy of four stacks takes about two minutes on 2 cores; a hung test still ends.
  testTimeout: 900000,
  setupFiles: ["<rootDir>/__tests__/support/quiet-sdk-notice.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
};
