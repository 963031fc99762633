import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, TerraformProvider, Testing } from "cdktf";
import { Construct } from "constructs";
import { OFFLINE_PROVIDER_SETTINGS } from "../../lib/core/offline-mode";
import type { StackJson } from "./synth";

/** A construct test's stack: cdktf's Testing.synthScope names it "stack", so construct paths start with "stack/". */
export const SCOPE_PATH = "stack";

/**
 * Synthesizes one construct alone, as cdktf's examples test theirs: `build` gets a bare stack
 * and an AWS provider (offline settings; the provider is not what these tests check) and
 * returns the values to expose, each written as an output so the test sees what the
 * reference resolves to. Returns the stack's Terraform JSON.
 */
export function synthConstruct(build: (scope: Construct, provider: TerraformProvider) => Record<string, string> | void): StackJson {
  return JSON.parse(
    Testing.synthScope((scope) => {
      const provider = new AwsProvider(scope, "aws", { region: "eu-central-1", ...OFFLINE_PROVIDER_SETTINGS });
      const exposed = build(scope, provider) ?? {};
      for (const [name, value] of Object.entries(exposed)) new TerraformOutput(scope, `exposed_${name}`, { value });
    }),
  );
}

/** What an exposed property (see synthConstruct) resolved to. */
export function exposed(stack: StackJson, name: string): unknown {
  return stack.output?.[`exposed_${name}`]?.value;
}

/** The resource of a type under a logical ID (fails the test if it is absent). */
export function resource(stack: StackJson, type: string, logicalId: string): StackJson {
  const found = stack.resource?.[type]?.[logicalId];
  if (!found) throw new Error(`no ${type}.${logicalId}; have ${Object.keys(stack.resource?.[type] ?? {}).join(", ") || "none"}`);
  return found;
}
