import type { VaultConfig } from "../types";

import { ConfigChecks } from "./config-checks";

/**
 * COMPLIANCE retention cannot be shortened by anyone once a version is written, so a typo
 * (36500 for 365) would bind every replica, and its storage bill, for a century. Ten years
 * covers the usual regulatory retentions; longer is a decision to take outside this file.
 */
export const VAULT_LOCK_DAYS_MAX = 3650;

/** The rules of `vault`: one method per rule. */
export class VaultChecks extends ConfigChecks {
  run(): void {
    const vault = this.config.vault;
    if (vault === undefined) return;
    this.identity(vault);
    this.ownAccount(vault);
    this.ownBucket(vault);
    this.keyArn(vault);
    this.objectLockDays(vault);
  }

  identity(vault: VaultConfig): void {
    this.fields.accountId("vault.accountId", vault.accountId);
    this.fields.region("vault.region", vault.region);
    this.fields.bucketName("vault.bucketName", vault.bucketName, "choose a globally unique name of 3-63 lowercase letters, digits, dots or hyphens");
    this.fields.keyAlias("vault.keyAlias", vault.keyAlias);
  }

  /** The vault must survive the central account and every member: it cannot be one of them. */
  ownAccount(vault: VaultConfig): void {
    if (vault.accountId === this.config.central?.accountId)
      this.problems.report(
        "vault.accountId",
        `${vault.accountId} is the central account`,
        "use an account of its own: the vault must survive the loss of the central account",
      );
    const members: readonly { accountId?: unknown; name?: unknown }[] = Array.isArray(this.config.members) ? this.config.members : [];
    const member = members.find((m) => m?.accountId === vault.accountId);
    if (member)
      this.problems.report(
        "vault.accountId",
        `${vault.accountId} is a member (${String(member.name)})`,
        "use an account that is neither central nor a member: a member's admins would hold its own vault copy",
      );
  }

  ownBucket(vault: VaultConfig): void {
    if (vault.bucketName !== undefined && vault.bucketName === this.config.central?.bucketName)
      this.problems.report("vault.bucketName", `"${vault.bucketName}" is the central bucket`, "choose another globally unique name for the vault bucket");
  }

  keyArn(vault: VaultConfig): void {
    this.fields.pinnedKeyArn("vault.keyArn", vault.keyArn, "vault", this.problems.isValid("vault.accountId", "vault.region") ? vault : undefined);
  }

  objectLockDays(vault: VaultConfig): void {
    const days: unknown = vault.objectLockDays;
    if (days === undefined)
      this.problems.report(
        "vault.objectLockDays",
        "is missing: a vault without a COMPLIANCE lock is not a vault",
        "set the retention in whole days, e.g. 35 (longer than the time it takes to notice a loss)",
      );
    else if (!Number.isInteger(days) || (days as number) < 1 || (days as number) > VAULT_LOCK_DAYS_MAX)
      this.problems.report(
        "vault.objectLockDays",
        `${JSON.stringify(days)} is not a COMPLIANCE retention this project accepts`,
        `use a whole number of days from 1 to ${VAULT_LOCK_DAYS_MAX}: nobody can shorten it once a version is written`,
      );
  }
}
