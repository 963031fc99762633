/**
 * @cloud-copilot/iam-policy as the policy proofs load it (jest.config.js maps the package
 * here, for every test file and for iam-simulate itself): iam-simulate 0.1.173's
 * runUnsafeSimulation loads a resource policy without a name and then reads
 * policy.metadata().name, which throws. This only gives unnamed policies a name; parsing and
 * evaluation are the library's own. (support/iam.ts says why the unsafe entry point is needed.)
 */
import * as path from "path";

// The package's CommonJS entry by its path (its exports map): the bare name would map back to this file.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const actual = require(path.resolve(__dirname, "../../node_modules/@cloud-copilot/iam-policy/dist/cjs/index.js")) as {
  loadPolicy: (policy: unknown, metadata?: object) => unknown;
};

module.exports = { ...actual, loadPolicy: (policy: unknown, metadata?: object) => actual.loadPolicy(policy, metadata ?? { name: "resource-policy" }) };
