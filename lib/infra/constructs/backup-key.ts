import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { PolicyDocument, toTerraformJson } from "../policies/policy-document";
import { GROWING_POLICY_ADVICE, assertPolicyFits } from "../policies/size-limits";

export interface BackupKeyProps {
  readonly provider: TerraformProvider;
  /** Fixed Terraform logical ID of the key, so a refactor never plans a key replacement. */
  readonly logicalId: string;
  readonly alias: string;
  readonly description: string;
  readonly policy: PolicyDocument;
  readonly deletionWindowInDays: number;
  /** Adopt an existing key (Terraform `import`) instead of creating one. */
  readonly existingKeyArn?: string;
  /** Default true: Terraform refuses any plan that would delete the key. */
  readonly preventDestroy?: boolean;
  /**
   * Lets KMS accept a policy that denies `kms:PutKeyPolicy` to the creating principal too (the
   * vault key's, on purpose: nobody may ever re-policy it). Default false: KMS's lockout check.
   */
  readonly bypassPolicyLockoutSafetyCheck?: boolean;
}

/**
 * A customer-managed KMS key with yearly rotation, a deletion window, an alias, and (by
 * default) `prevent_destroy`. Its policy is size-checked at synth; a refusal names this
 * construct's path.
 */
export class BackupKey extends Construct {
  /** The key's ARN (a reference): what policies, default encryption and outputs name. */
  readonly keyArn: string;
  /** The key's ID (a reference): how CloudTrail events often name it. */
  readonly keyId: string;
  /** The alias's ARN (a reference). */
  readonly aliasArn: string;
  /** The alias, as given (`alias/...`). */
  readonly aliasName: string;

  constructor(scope: Construct, id: string, props: BackupKeyProps) {
    super(scope, id);
    assertPolicyFits("keyPolicy", `${this.node.path}: key ${props.alias}`, GROWING_POLICY_ADVICE, props.policy);
    const key = new KmsKey(this, "Key", {
      provider: props.provider,
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowInDays,
      policy: toTerraformJson(props.policy),
      ...(props.bypassPolicyLockoutSafetyCheck ? { bypassPolicyLockoutSafetyCheck: true } : {}),
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    key.overrideLogicalId(props.logicalId);
    if (props.existingKeyArn) {
      key.importFrom(props.existingKeyArn.split("/").pop() as string, props.provider);
    }
    const alias = new KmsAlias(this, "Alias", {
      provider: props.provider,
      name: props.alias,
      targetKeyId: key.keyId,
    });
    this.keyArn = key.arn;
    this.keyId = key.keyId;
    this.aliasArn = alias.arn;
    this.aliasName = props.alias;
  }
}
