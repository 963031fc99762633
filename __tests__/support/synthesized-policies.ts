import type { BackupConfig } from "../../lib/core/config/types";
import { StackJson, onlyResource, parsePolicy, resourcesOf, synthStacks } from "./synth";

/**
 * The policies exactly as the stacks synthesize them, for the IAM proofs. Two things are
 * done that Terraform would do at apply: `$${` becomes `${` (parsePolicy), and references to
 * keys created in the same stack (`${aws_kms_key.<id>.arn}`) become that key's ARN, made up
 * here because AWS picks key IDs at creation.
 */
export interface MemberPolicies {
  readonly accountId: string;
  readonly region: string;
  readonly sourceBucketArn: string;
  readonly sourceKeyArn: string;
  readonly replicationRoleArn: string;
  readonly batchRoleArn?: string;
  readonly sourceBucketPolicy: StackJson;
  readonly sourceKeyPolicy: StackJson;
  readonly replicationTrustPolicy: StackJson;
  readonly replicationRolePolicy: StackJson;
  readonly batchTrustPolicy?: StackJson;
  readonly batchRolePolicy?: StackJson;
  /** The role the watch rule forwards to central with, and the rule's ARN. */
  readonly watchRoleArn: string;
  readonly watchRuleArn: string;
  readonly watchTrustPolicy: StackJson;
  readonly watchRolePolicy: StackJson;
}

export interface SynthesizedPolicies {
  readonly centralBucketPolicy: StackJson;
  readonly centralKeyPolicy: StackJson;
  readonly centralKeyArn: string;
  /** Who may forward member changes to central's member bus, and who may publish to the alerts topic. */
  readonly memberBusPolicy: StackJson;
  readonly centralTopicPolicy: StackJson;
  readonly members: ReadonlyMap<string, MemberPolicies>;
  /** With `restore`: the central restore role's trust and permissions, the central key reference resolved. */
  readonly restoreRole?: { readonly arn: string; readonly trust: StackJson; readonly policy: StackJson };
  /** With `vault` (and its stack built): the vault bucket and key policies, and the key's ARN (`vault.keyArn`, else made up). */
  readonly vault?: {
    readonly bucketPolicy: StackJson;
    readonly keyPolicy: StackJson;
    readonly keyArn: string;
    /** With `restore` too: the vault's own restore role, the vault key reference resolved. */
    readonly restoreRole?: { readonly arn: string; readonly trust: StackJson; readonly policy: StackJson };
  };
}

export function madeUpKeyArn(region: string, accountId: string): string {
  return `arn:aws:kms:${region}:${accountId}:key/${accountId.slice(0, 8)}-0000-4000-8000-000000000000`;
}

export function synthesizedPolicies(config: BackupConfig, stacks: Map<string, StackJson> = synthStacks(config)): SynthesizedPolicies {
  const central = stacks.get("central")!;
  const members = new Map<string, MemberPolicies>();
  for (const [name, stack] of stacks) {
    if (name === "central" || name === "vault") continue;
    const accountId = name.replace("member-", "");
    const region = stack.provider.aws[0].region as string;
    const sourceKeyArn = madeUpKeyArn(region, accountId);
    const resolve = (json: string) => parsePolicy(json.split("${aws_kms_key.source_key.arn}").join(sourceKeyArn));
    const roles = resourcesOf(stack, "aws_iam_role");
    const inline = resourcesOf(stack, "aws_iam_role_policy");
    const replicationRole = roles.find((r) => !/-(batch|watch)$/.test(r.name))!;
    const batchRole = roles.find((r) => r.name.endsWith("-batch"));
    const watchRole = roles.find((r) => r.name.endsWith("-watch"))!;
    members.set(accountId, {
      accountId,
      region,
      sourceBucketArn: `arn:aws:s3:::${stack.resource.aws_s3_bucket.source_bucket.bucket}`,
      sourceKeyArn,
      replicationRoleArn: `arn:aws:iam::${accountId}:role/${replicationRole.name}`,
      batchRoleArn: batchRole && `arn:aws:iam::${accountId}:role/${batchRole.name}`,
      sourceBucketPolicy: parsePolicy(onlyResource(stack, "aws_s3_bucket_policy").policy),
      sourceKeyPolicy: resolve(stack.resource.aws_kms_key.source_key.policy),
      replicationTrustPolicy: parsePolicy(replicationRole.assume_role_policy),
      replicationRolePolicy: resolve(inline.find((p) => p.name === `${replicationRole.name}-permissions`)!.policy),
      batchTrustPolicy: batchRole && parsePolicy(batchRole.assume_role_policy),
      batchRolePolicy: batchRole && resolve(inline.find((p) => p.name === `${batchRole.name}-permissions`)!.policy),
      watchRoleArn: `arn:aws:iam::${accountId}:role/${watchRole.name}`,
      watchRuleArn: `arn:aws:events:${region}:${accountId}:rule/${onlyResource(stack, "aws_cloudwatch_event_rule").name}`,
      watchTrustPolicy: parsePolicy(watchRole.assume_role_policy),
      watchRolePolicy: parsePolicy(inline.find((p) => p.name === `${watchRole.name}-permissions`)!.policy),
    });
  }
  const centralRegion = central.provider.aws[0].region as string;
  const centralAccount = central.provider.aws[0].allowed_account_ids[0] as string;
  const centralKeyArn = config.central.keyArn ?? madeUpKeyArn(centralRegion, centralAccount);
  const centralBucketPolicy = resourcesOf(central, "aws_s3_bucket_policy").find((p) => p.bucket === "${aws_s3_bucket.central_bucket.id}")!;
  const [restoreRole] = resourcesOf(central, "aws_iam_role");
  const resolveCentral = (json: string) => parsePolicy(json.split("${aws_kms_key.central_key.arn}").join(centralKeyArn));
  return {
    vault: vaultPolicies(config, stacks.get("vault")),
    restoreRole: restoreRole && {
      arn: `arn:aws:iam::${centralAccount}:role/${restoreRole.name}`,
      trust: parsePolicy(restoreRole.assume_role_policy),
      policy: resolveCentral(onlyResource(central, "aws_iam_role_policy").policy),
    },
    centralBucketPolicy: parsePolicy(centralBucketPolicy.policy),
    centralKeyPolicy: parsePolicy(central.resource.aws_kms_key.central_key.policy),
    centralKeyArn,
    memberBusPolicy: parsePolicy(onlyResource(central, "aws_cloudwatch_event_bus_policy").policy),
    centralTopicPolicy: parsePolicy(onlyResource(central, "aws_sns_topic_policy").policy),
    members,
  };
}

function vaultPolicies(config: BackupConfig, stack: StackJson | undefined): SynthesizedPolicies["vault"] {
  if (!stack || !config.vault) return undefined;
  const keyArn = config.vault.keyArn ?? madeUpKeyArn(config.vault.region, config.vault.accountId);
  const [role] = resourcesOf(stack, "aws_iam_role");
  return {
    restoreRole: role && {
      arn: `arn:aws:iam::${config.vault.accountId}:role/${role.name}`,
      trust: parsePolicy(role.assume_role_policy),
      policy: parsePolicy(onlyResource(stack, "aws_iam_role_policy").policy.split("${aws_kms_key.vault_key.arn}").join(keyArn)),
    },
    bucketPolicy: parsePolicy(resourcesOf(stack, "aws_s3_bucket_policy").find((p) => p.bucket === "${aws_s3_bucket.vault_bucket.id}")!.policy),
    keyPolicy: parsePolicy(stack.resource.aws_kms_key.vault_key.policy),
    keyArn,
  };
}
