import { OrganizationsPolicy } from "@cdktf/provider-aws/lib/organizations-policy";
import { OrganizationsPolicyAttachment } from "@cdktf/provider-aws/lib/organizations-policy-attachment";
import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import type { ResolvedConfig } from "../../core/config/resolved";
import { centralGuardrailPolicy } from "../policies/guardrail-policy";
import { toTerraformJson } from "../policies/policy-document";
import { assertPolicyFits } from "../policies/size-limits";

export interface CentralGuardrailProps {
  /** A provider in the management account, or in a delegated administrator for Organizations policies. */
  readonly provider: TerraformProvider;
  readonly config: ResolvedConfig;
}

/**
 * The service control policy that binds the central account's root and administrators to
 * central's locks (lib/infra/policies/guardrail-policy.ts), attached to the central account
 * only. Its size is checked at synth; a refusal names this construct's path.
 */
export class CentralGuardrail extends Construct {
  /** The policy's ID (a reference). */
  readonly policyId: string;

  constructor(scope: Construct, id: string, props: CentralGuardrailProps) {
    super(scope, id);
    const { provider, config } = props;
    const document = centralGuardrailPolicy(config);
    assertPolicyFits("serviceControlPolicy", `${this.node.path}: central guardrail`, "Shorten central.bucketName or central.keyAlias.", document);
    const policy = new OrganizationsPolicy(this, "Policy", {
      provider,
      name: "s3-central-backup-central-guardrail",
      description: `Only ${config.central.breakGlassRoleName} changes or destroys the backups in ${config.central.bucketName} and their key`,
      type: "SERVICE_CONTROL_POLICY",
      content: toTerraformJson(document),
    });
    new OrganizationsPolicyAttachment(this, "Attachment", { provider, policyId: policy.id, targetId: config.central.accountId });
    this.policyId = policy.id;
  }
}
