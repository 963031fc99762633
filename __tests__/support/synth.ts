import { App, TerraformStack, Testing } from "cdktf";
import { buildApp } from "../../stacks/apps/backup-app";
import type { BackupConfig } from "../../lib/core/config/types";

/** A synthesized stack's Terraform JSON, as cdktf writes it to cdk.tf.json. */

export type StackJson = Record<string, any>;

/** Synthesizes every stack of a config in memory: stack name -> Terraform JSON. */
export function synthStacks(config: BackupConfig, options: { offline?: boolean; only?: readonly string[] } = {}): Map<string, StackJson> {
  // Only the named stacks are built: the whole config is validated either way.
  const app: App = buildApp(config, { offline: options.offline ?? false, stacks: options.only });
  const stacks = new Map<string, StackJson>();
  for (const child of app.node.children) {
    if (child instanceof TerraformStack) stacks.set(child.node.id, JSON.parse(Testing.synth(child)));
  }
  return stacks;
}

/** The one resource of a type in a stack (fails the test if there is not exactly one). */
export function onlyResource(stack: StackJson, type: string): StackJson {
  const resources = Object.values<StackJson>(stack.resource?.[type] ?? {});
  if (resources.length !== 1) throw new Error(`expected exactly one ${type}, found ${resources.length}`);
  return resources[0];
}

export function resourcesOf(stack: StackJson, type: string): StackJson[] {
  return Object.values<StackJson>(stack.resource?.[type] ?? {});
}

/** A policy attribute of synthesized JSON parsed back, with Terraform's `$${` escape undone. */
export function parsePolicy(policyJson: string): StackJson {
  return JSON.parse(policyJson.replace(/\$\$\{/g, "${"));
}

/** Provider settings that only decide how Terraform authenticates (or, offline, that it cannot). */
const CREDENTIAL_KEYS = [
  "access_key",
  "secret_key",
  "assume_role",
  "allowed_account_ids",
  "skip_credentials_validation",
  "skip_requesting_account_id",
  "skip_metadata_api_check",
  "skip_region_validation",
];

/** A synthesized stack without its providers' authentication settings: what offline and real mode must share. */
export function stripCredentials(stack: StackJson): StackJson {
  return {
    ...stack,
    provider: { aws: stack.provider.aws.map((p: StackJson) => Object.fromEntries(Object.entries(p).filter(([k]) => !CREDENTIAL_KEYS.includes(k)))) },
  };
}

/** The one resource of a type that configures the central bucket (the central stack holds other buckets: drills, audit logs). */
export function centralBucketResource(stack: StackJson, type: string): StackJson {
  const resources = Object.values<StackJson>(stack.resource?.[type] ?? {}).filter((r) => r.bucket === "${aws_s3_bucket.central_bucket.id}");
  if (resources.length !== 1) throw new Error(`expected exactly one ${type} of the central bucket, found ${resources.length}`);
  return resources[0];
}
