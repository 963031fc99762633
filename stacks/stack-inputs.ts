import { CENTRAL_STACK_NAME, VAULT_STACK_NAME, byDeployOrder } from "../lib/core/config/naming";
import type { ResolvedCentral, ResolvedConfig, ResolvedMember, ResolvedRestore, ResolvedVault } from "../lib/core/config/resolved";
import { replicationBoundaryArn } from "../lib/infra/policies/permissions-boundary";
import { sourceBucketPrefixOf } from "../lib/infra/policies/project-resources";
import { type RestoreTargets, restoreBoundaryName } from "../lib/infra/policies/restore-policies";

/** Settings of accounts.ts that every stack reads, outside `central` and `members`. */
export interface SharedStackInput {
  readonly organizationId: string;
  readonly tags: ResolvedConfig["tags"];
  readonly stateBackend?: ResolvedConfig["stateBackend"];
}

/** Everything the central stack is built from. */
export interface CentralStackInput extends SharedStackInput {
  readonly kind: "central";
  readonly central: ResolvedCentral;
  /**
   * Member account IDs, sorted. Empty in `organization` mode: only `listed-accounts` mode
   * names the members in central's policies, so only there does a new member change central.
   */
  readonly memberAccountIds: readonly string[];
  /** Set with `restore`: the restore role, where it may write, and its boundary (with `ci`). */
  readonly restore?: RestoreStackInput;
}

/** Everything one member stack is built from. */
export interface MemberStackInput extends SharedStackInput {
  readonly kind: "member";
  readonly central: ResolvedCentral;
  readonly member: ResolvedMember;
  /**
   * The boundary the member's replication roles carry: set when accounts.ts has `ci`, whose
   * bootstrap creates it in every account (and whose deploy role creates no role without it).
   */
  readonly replicationBoundaryArn?: string;
  /** Set with `restore`: the member's bucket and key let the central restore role write under `<accountId>/`. */
  readonly restore?: ResolvedRestore;
  /** Set with `vault`: the member also replicates `<accountId>/` into the vault bucket (docs/vault.md). */
  readonly vault?: ResolvedVault;
}

/**
 * Everything the vault stack is built from (docs/vault.md): `vault`, and of central only the
 * project's role names its policies name, so that no edit of central or of the members
 * changes it (nobody could apply the change: its policies deny it to everyone).
 */
export interface VaultStackInput extends SharedStackInput {
  readonly kind: "vault";
  readonly vault: ResolvedVault;
  readonly roles: Pick<ResolvedCentral, "replicationRoleName" | "deployRoleName" | "planRoleName">;
  /**
   * Set with `restore`: the vault's own restore role, for the day central is lost, and where
   * it may write (as central's: adding an adopted bucket or an extra target changes it).
   */
  readonly restore?: RestoreStackInput;
}

/** What a stack with a restore role (central, the vault) is built from: the role, where it may write, its boundary (with `ci`). */
export interface RestoreStackInput {
  readonly restore: ResolvedRestore;
  readonly targets: RestoreTargets;
  readonly boundaryArn?: string;
}

export type StackInput = CentralStackInput | VaultStackInput | MemberStackInput;

/**
 * The input of every stack, by stack name, in deploy order. Stacks are built from these
 * objects and from nothing else, which is what makes a stack's synthesized Terraform a
 * function of its input (for given code and dependencies): lib/tooling/ci/stack-fingerprints.ts
 * relies on it to find changed stacks without synthesizing them all.
 */
export function stackInputs(config: ResolvedConfig): Map<string, StackInput> {
  const shared: SharedStackInput = { organizationId: config.organizationId, tags: config.tags, stateBackend: config.stateBackend };
  const { central } = config;
  const inputs = new Map<string, StackInput>();
  inputs.set(CENTRAL_STACK_NAME, {
    ...shared,
    kind: "central",
    central,
    memberAccountIds: central.accessMode === "listed-accounts" ? config.members.map((m) => m.accountId).sort() : [],
    ...(config.restore ? { restore: restoreStackInput(config, config.restore, central.accountId) } : {}),
  });
  if (config.vault) {
    const roles = { replicationRoleName: central.replicationRoleName, deployRoleName: central.deployRoleName, planRoleName: central.planRoleName };
    const restore = config.restore ? { restore: restoreStackInput(config, config.restore, config.vault.accountId) } : {};
    inputs.set(VAULT_STACK_NAME, { ...shared, kind: "vault", vault: config.vault, roles, ...restore });
  }
  for (const member of [...config.members].sort((a, b) => byDeployOrder(a.stackName, b.stackName))) {
    const boundary = config.ci ? { replicationBoundaryArn: replicationBoundaryArn(central, member.accountId) } : {};
    const restore = config.restore ? { restore: config.restore } : {};
    const vault = config.vault ? { vault: config.vault } : {};
    inputs.set(member.stackName, { ...shared, kind: "member", central, member, ...boundary, ...restore, ...vault });
  }
  return inputs;
}

/**
 * Where a restore role may write, without the member list itself: the generated source
 * bucket pattern and the adopted buckets, so that in organization mode central (and the
 * vault) change only when an adopted bucket is added. The boundary is the bootstrap's, in
 * the role's own account.
 */
function restoreStackInput(config: ResolvedConfig, restore: ResolvedRestore, accountId: string): RestoreStackInput {
  const prefix = sourceBucketPrefixOf(config);
  const targets: RestoreTargets = {
    sourceBucketPattern: prefix && `arn:aws:s3:::${prefix}-*`,
    adoptedBuckets: config.members.filter((m) => m.adoptBucket).map((m) => m.sourceBucketArn),
  };
  const boundaryArn = config.ci ? `arn:aws:iam::${accountId}:policy/${restoreBoundaryName(restore)}` : undefined;
  return { restore, targets, ...(boundaryArn ? { boundaryArn } : {}) };
}
