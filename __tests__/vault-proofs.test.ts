/**
 * The vault (docs/vault.md), exhaustively like the central bucket (isolation-proofs.test.ts):
 * EVERY S3 and KMS action of iam-data, for principals that hold full-admin identity policies
 * (the members' roles, central's admin and deploy roles, and the vault account's own admin,
 * root and deploy role), against the vault bucket, objects under two members' prefixes and
 * the vault key. Only the vault's synthesized policies stand in the way, and the allowed
 * requests must be exactly the allowlist: the replication role under its own prefix, and the
 * vault account, which owns bucket and key, minus every locked action.
 */

import type { BackupConfig } from "../lib/core/config/types";
import { validateConfig } from "../lib/core/config/validate";
import { CENTRAL_KEY_DATA_ACTIONS, REPLICATION_WRITE_ACTIONS } from "../lib/infra/policies/central-policies";
import { VAULT_BUCKET_LOCKED_ACTIONS, VAULT_KEY_LOCKED_ACTIONS } from "../lib/infra/policies/vault-policies";
import { allOptions, defaultsWithCi, withVault } from "./fixtures/configs";
import {
  ActionInfo,
  Caller,
  Grant,
  Outcome,
  Target,
  adminCaller,
  allowedKeys,
  expectedKeys,
  kmsDirect,
  kmsThroughS3,
  serviceActions,
  simulateAll,
} from "./support/exhaustive-iam";
import { synthStacks } from "./support/synth";
import { synthesizedPolicies } from "./support/synthesized-policies";

const OTHER_ORG = "o-0therorg000";
const A_REPLICATION = "member A's replication role";
const A_ADMIN = "member A's Admin role";
const OUTSIDER = "replication role's name in another organization";
const CENTRAL_ADMIN = "central account's Admin role";
const CENTRAL_DEPLOY = "central account's deploy role";
const VAULT_ADMIN = "vault account's Admin role";
const VAULT_ROOT = "vault account's root";
const VAULT_DEPLOY = "vault account's deploy role";

const VAULT_BUCKET = "vault bucket";
const vaultObject = (owner: string) => `vault object under ${owner}'s prefix`;
const VAULT_KEY_DIRECT = "vault key, called directly";
const vaultKeyViaS3 = (owner: string) => `vault key through S3, for ${owner}'s prefix`;

/** Actions of iam-data a policy's pattern (`kms:GenerateDataKey*`) names. */
function expand(patterns: readonly string[], actions: readonly ActionInfo[]): string[] {
  const res = patterns.map((p) => new RegExp(`^${p.replace(/\*/g, ".*")}$`));
  return actions.map((a) => a.action).filter((a) => res.some((re) => re.test(a)));
}

function vaultAllowlist(actions: readonly ActionInfo[]): Grant[] {
  const locked = { actions: [...VAULT_BUCKET_LOCKED_ACTIONS, ...VAULT_KEY_LOCKED_ACTIONS], reason: "nobody changes or destroys the vault, its root included" };
  const owner = "by design: the vault account owns bucket and key; its identity policy suffices in its own account, and the key policy delegates kms:* to it";
  return [
    ...REPLICATION_WRITE_ACTIONS.map((action) => ({
      caller: A_REPLICATION,
      action,
      target: vaultObject("member A"),
      reason: "replication writes under the member's own prefix",
    })),
    { caller: A_REPLICATION, action: "s3:GetBucketVersioning", target: VAULT_BUCKET, reason: "replication needs a versioned destination" },
    ...["kms:Encrypt", "kms:GenerateDataKey"].map((action) => ({
      caller: A_REPLICATION,
      action,
      target: vaultKeyViaS3("member A"),
      reason: "S3 encrypts the member's replicas with the vault key, only for its own prefix",
    })),
    { caller: VAULT_ADMIN, action: "*", target: "*", reason: owner, except: locked },
    { caller: VAULT_ROOT, action: "*", target: "*", reason: owner, except: locked },
    {
      caller: VAULT_DEPLOY,
      action: "*",
      target: "*",
      reason: "it deploys the vault stack; what remains is reads and settings the policies do not lock",
      except: { actions: [...locked.actions, ...expand(CENTRAL_KEY_DATA_ACTIONS, actions)], reason: "locked, and the pipeline never decrypts backups" },
    },
  ];
}

let actions: ActionInfo[];
beforeAll(async () => {
  actions = (await Promise.all(["s3", "kms"].map(serviceActions))).flat();
});

describe.each([
  ["defaults with ci and a vault", withVault(defaultsWithCi)],
  ["all-options (listed-accounts central, pinned vault key)", allOptions],
] as [string, BackupConfig][])("%s", (_name, config) => {
  const resolved = validateConfig(config);
  const vault = resolved.vault!;
  const org = resolved.organizationId;
  const policies = synthesizedPolicies(config, synthStacks(config));
  const [a, b] = [...policies.members.values()];
  const deployRole = (account: string) => `arn:aws:iam::${account}:role/${resolved.central.deployRoleName}`;
  const callers: Caller[] = [
    adminCaller(A_REPLICATION, a.replicationRoleArn, org),
    adminCaller(A_ADMIN, `arn:aws:iam::${a.accountId}:role/Admin`, org),
    adminCaller(OUTSIDER, `arn:aws:iam::999999999999:role/${resolved.central.replicationRoleName}`, OTHER_ORG),
    adminCaller(CENTRAL_ADMIN, `arn:aws:iam::${resolved.central.accountId}:role/Admin`, org),
    adminCaller(CENTRAL_DEPLOY, deployRole(resolved.central.accountId), org),
    adminCaller(VAULT_ADMIN, `arn:aws:iam::${vault.accountId}:role/Admin`, org),
    adminCaller(VAULT_ROOT, `arn:aws:iam::${vault.accountId}:root`, org),
    adminCaller(VAULT_DEPLOY, deployRole(vault.accountId), org),
  ];
  const bucket = { service: "s3", account: vault.accountId, resourcePolicy: policies.vault!.bucketPolicy };
  const key = { service: "kms", resourceType: "key", arn: policies.vault!.keyArn, account: vault.accountId, resourcePolicy: policies.vault!.keyPolicy };
  const owners: [string, string][] = [
    ["member A", a.accountId],
    ["member B", b.accountId],
  ];
  const targets: Target[] = [
    { ...bucket, label: VAULT_BUCKET, resourceType: "bucket", arn: vault.bucketArn },
    ...owners.map(([owner, account]) => ({ ...bucket, label: vaultObject(owner), resourceType: "object", arn: `${vault.bucketArn}/${account}/x` })),
    { ...key, label: VAULT_KEY_DIRECT, context: kmsDirect() },
    ...owners.map(([owner, account]) => ({ ...key, label: vaultKeyViaS3(owner), context: kmsThroughS3(vault.region, `${vault.bucketArn}/${account}/x`) })),
  ];
  let outcomes: Outcome[];
  beforeAll(async () => {
    outcomes = await simulateAll(callers, targets, actions);
  });
  const decision = (caller: string, action: string, target: string) =>
    outcomes.find((o) => o.caller === caller && o.action === action && o.target === target)?.decision;

  test("the allowed requests are exactly the allowlist", () => {
    expect(allowedKeys(outcomes)).toEqual(expectedKeys(vaultAllowlist(actions), outcomes));
  });

  test("a member's replication role writes only under its own prefix: another member's prefix is refused", () => {
    expect(decision(A_REPLICATION, "s3:ReplicateObject", vaultObject("member A"))).toBe("Allowed");
    for (const action of REPLICATION_WRITE_ACTIONS) expect([action, decision(A_REPLICATION, action, vaultObject("member B"))]).not.toEqual([action, "Allowed"]);
    expect(decision(A_REPLICATION, "kms:GenerateDataKey", vaultKeyViaS3("member B"))).not.toBe("Allowed");
    expect(decision(OUTSIDER, "s3:ReplicateObject", vaultObject("member A"))).not.toBe("Allowed");
  });

  test("nobody deletes, overwrites or reconfigures the vault bucket: the vault's root, admin and deploy role are explicitly denied", () => {
    for (const caller of [VAULT_ROOT, VAULT_ADMIN, VAULT_DEPLOY])
      for (const action of VAULT_BUCKET_LOCKED_ACTIONS) {
        const target = /^s3:(PutBucket|DeleteBucket|PutLifecycle|PutEncryption|PutReplication)/.test(action) ? VAULT_BUCKET : vaultObject("member A");
        expect([caller, action, decision(caller, action, target)]).toEqual([caller, action, "ExplicitlyDenied"]);
      }
  });

  test("the vault key cannot be disabled, deleted, re-policied or granted by the vault's root, admin or deploy role", () => {
    for (const caller of [VAULT_ROOT, VAULT_ADMIN, VAULT_DEPLOY])
      for (const action of VAULT_KEY_LOCKED_ACTIONS)
        expect([caller, action, decision(caller, action, VAULT_KEY_DIRECT)]).toEqual([caller, action, "ExplicitlyDenied"]);
  });

  test("central's admin and deploy role, and a member's admin, have no power at all over the vault bucket and key", () => {
    const theirs = outcomes.filter((o) => [CENTRAL_ADMIN, CENTRAL_DEPLOY, A_ADMIN].includes(o.caller));
    expect(theirs.length).toBeGreaterThan(500);
    expect(theirs.filter((o) => o.decision === "Allowed")).toEqual([]);
  });
});
