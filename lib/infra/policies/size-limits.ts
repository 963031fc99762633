import { PolicyDocument } from "./policy-document";
import { UserError } from "../../core/errors";

/** AWS's hard limits on policy size, in the unit AWS counts (see the README). */
export const POLICY_LIMITS = {
  bucketPolicy: { limit: 20 * 1024, unit: "bytes", what: "S3 bucket policy" },
  keyPolicy: { limit: 32 * 1024, unit: "bytes", what: "KMS key policy" },
  roleInlinePolicies: { limit: 10_240, unit: "characters", what: "IAM role inline policies (all of one role together)" },
  trustPolicy: { limit: 2_048, unit: "characters", what: "IAM role trust policy" },
  managedPolicy: { limit: 6_144, unit: "characters", what: "IAM managed policy" },
  serviceControlPolicy: { limit: 5_120, unit: "characters", what: "service control policy" },
} as const;
export type PolicyKind = keyof typeof POLICY_LIMITS;

/** What to do when a policy that names every listed account outgrows its limit. */
export const GROWING_POLICY_ADVICE = 'Use accessMode "organization", whose policy does not grow with the number of accounts.';

/** Stand-in length of an unresolved Terraform reference (e.g. a key ARN): longer than any ARN it can be. */
export const UNRESOLVED_REFERENCE_LENGTH = 128;

/**
 * Size of a policy as AWS counts it: the compact JSON (IAM ignores white space), with
 * every unresolved cdktf token counted at its worst-case length.
 */
export function policySize(...docs: PolicyDocument[]): number {
  return docs
    .map((doc) => JSON.stringify(doc).replace(/\$\{TfToken\[[^\]]*\]\}/g, "x".repeat(UNRESOLVED_REFERENCE_LENGTH)))
    .reduce((sum, json) => sum + Buffer.byteLength(json, "utf8"), 0);
}

export class PolicySizeError extends UserError {
  constructor(
    readonly kind: PolicyKind,
    readonly where: string,
    readonly size: number,
    advice: string,
  ) {
    const { limit, unit, what } = POLICY_LIMITS[kind];
    super(`${where}: the ${what} would be ${size} ${unit}, over AWS's limit of ${limit}. ${advice}`);
  }
}

/** Stops synthesis before AWS would reject a policy for its size. Returns the size. */
export function assertPolicyFits(kind: PolicyKind, where: string, advice: string, ...docs: PolicyDocument[]): number {
  const size = policySize(...docs);
  if (size > POLICY_LIMITS[kind].limit) throw new PolicySizeError(kind, where, size, advice);
  return size;
}
