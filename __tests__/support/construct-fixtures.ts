import { validateConfig } from "../../lib/core/config/validate";
import type { ResolvedConfig, ResolvedMember } from "../../lib/core/config/resolved";
import { PolicyDocument, policyDocument } from "../../lib/infra/policies/policy-document";
import { allOptions, defaultsWithCi, withRestore } from "../fixtures/configs";

/** The fixture configs, resolved as the stacks get them. */
export const resolvedAllOptions: ResolvedConfig = validateConfig(allOptions);
export const resolvedWithRestore: ResolvedConfig = validateConfig(withRestore(defaultsWithCi));

/** A member of all-options by account ID. */
export function allOptionsMember(accountId: string): ResolvedMember {
  const member = resolvedAllOptions.members.find((m) => m.accountId === accountId);
  if (!member) throw new Error(`all-options has no member ${accountId}`);
  return member;
}

/** A policy of `statements` grants to distinct accounts: about 120 bytes each, to outgrow any limit. */
export function policyOfSize(statements: number): PolicyDocument {
  return policyDocument(
    ...Array.from({ length: statements }, (_, i) => ({
      Sid: `Grant${i}`,
      Effect: "Allow" as const,
      Principal: { AWS: `arn:aws:iam::${String(100000000000 + i)}:root` },
      Action: "kms:Decrypt",
      Resource: "*",
    })),
  );
}
