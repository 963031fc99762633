import { CentralGuardrail } from "../../lib/infra/constructs/central-guardrail";
import { centralGuardrailPolicy } from "../../lib/infra/policies/guardrail-policy";
import { PolicySizeError } from "../../lib/infra/policies/size-limits";
import type { ResolvedConfig } from "../../lib/core/config/resolved";
import { resolvedAllOptions, resolvedWithRestore } from "../support/construct-fixtures";
import { exposed, synthConstruct } from "../support/construct-synth";
import { onlyResource, parsePolicy } from "../support/synth";

const synthGuardrail = (config: ResolvedConfig) =>
  synthConstruct((scope, provider) => {
    const guardrail = new CentralGuardrail(scope, "Guardrail", { provider, config });
    return { policyId: guardrail.policyId };
  });

describe("CentralGuardrail", () => {
  test("a service control policy with the guardrail's statements, attached to the central account only", () => {
    const stack = synthGuardrail(resolvedWithRestore);
    const policy = onlyResource(stack, "aws_organizations_policy");
    expect(policy.type).toBe("SERVICE_CONTROL_POLICY");
    expect(parsePolicy(policy.content)).toEqual(centralGuardrailPolicy(resolvedWithRestore));
    const attachment = onlyResource(stack, "aws_organizations_policy_attachment");
    expect(attachment.target_id).toBe(resolvedWithRestore.central.accountId);
    expect(attachment.policy_id).toMatch(/^\$\{aws_organizations_policy\.[^.]+\.id\}$/);
    expect(exposed(stack, "policyId")).toBe(attachment.policy_id);
  });

  test("a pinned central key is guarded by ARN too; the restore role only when restore is set", () => {
    const sids = (config: ResolvedConfig) => centralGuardrailPolicy(config).Statement.map((s) => s.Sid);
    expect(sids(resolvedAllOptions)).toContain("OnlyBreakGlassAdministersThePinnedKey");
    expect(sids(resolvedWithRestore)).not.toContain("OnlyBreakGlassAdministersThePinnedKey");
    const roles = (config: ResolvedConfig) =>
      centralGuardrailPolicy(config).Statement.find((s) => s.Sid === "OnlyBreakGlassRewritesTheRolesBackupsDependOn")!.Resource;
    expect(roles(resolvedWithRestore)).toEqual([resolvedWithRestore.central.breakGlassRoleArn, resolvedWithRestore.restore!.roleArn]);
    expect(roles({ ...resolvedWithRestore, restore: undefined })).toEqual([resolvedWithRestore.central.breakGlassRoleArn]);
  });

  test("a guardrail over the SCP size limit is refused at synth, naming the construct", () => {
    const long = { ...resolvedWithRestore, central: { ...resolvedWithRestore.central, keyAlias: `alias/${"k".repeat(5000)}` } };
    expect(() => synthGuardrail(long)).toThrow(PolicySizeError);
    expect(() => synthGuardrail(long)).toThrow(/stack\/Guardrail: central guardrail: the service control policy would be \d+ characters/);
  });
});
