/**
 * The heavy modules of the commands (cdktf and the provider bindings, about 0.2 s to load),
 * required only once a command reaches its work: --help and a mistake in the flags (or, for
 * synth and the plans, in accounts.ts) answer without them, in about a third of the time.
 * `require`, because the npm scripts run under tsx's CommonJS hook (`node --require
 * tsx/cjs`), which has no dynamic import() of TypeScript files.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
export const backupApp = () => require("../../stacks/apps/backup-app") as typeof import("../../stacks/apps/backup-app");
export const stackFingerprints = () => require("../tooling/ci/stack-fingerprints") as typeof import("../tooling/ci/stack-fingerprints");
export const configCheck = () => require("../tooling/ci/config-check") as typeof import("../tooling/ci/config-check");
export const stateReading = () => require("../tooling/ci/state") as typeof import("../tooling/ci/state");
export const bootstrapApp = () => require("../../stacks/apps/bootstrap-app") as typeof import("../../stacks/apps/bootstrap-app");
export const bootstrapTarget = () => require("../../stacks/bootstrap-target") as typeof import("../../stacks/bootstrap-target");
