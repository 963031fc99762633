import type { ResolvedConfig } from "../../core/config/resolved";
import type { BackupConfig } from "../../core/config/types";
import { FleetClients, OpsError, describeAwsError } from "./aws";
import { OrgAccount, describeOrganization, listAccountsUnder, listAllAccounts } from "./org-accounts";

export interface OrgSyncResult {
  readonly organizationId: string;
  /** "organization", or the OU and root IDs of `ci.organization.organizationalUnitIds`. */
  readonly scope: "organization" | readonly string[];
  readonly listed: number;
  /** ACTIVE accounts not in members (nor central, management or excluded): not backed up. */
  readonly missing: readonly OrgAccount[];
  /** Members that are not ACTIVE there: suspended, closing, closed, or not found in the scope. */
  readonly notActive: readonly { readonly accountId: string; readonly name: string; readonly state: string }[];
  /** Excluded accounts present in the scope, with their reason. */
  readonly excluded: readonly { readonly accountId: string; readonly name: string; readonly reason: string }[];
  /** Accounts never reported missing, and why. */
  readonly skipped: readonly { readonly accountId: string; readonly why: string }[];
}

/** The role org-sync assumes (see OrganizationSyncConfig.roleArn), or undefined for the caller's own credentials. */
export function orgReadRoleArn(raw: BackupConfig, resolved: ResolvedConfig): string | undefined {
  if (raw.organizationSync?.roleArn) return raw.organizationSync.roleArn;
  const org = resolved.ci?.organization;
  return org?.delegatedAdmin ? `arn:aws:iam::${org.stackSetAccountId}:role/${resolved.central.planRoleName}` : undefined;
}

/** Reads the organization (or the configured OUs) and compares it with accounts.ts. One Organizations failure fails the command. */
export async function organizationSync(raw: BackupConfig, resolved: ResolvedConfig, clients: FleetClients): Promise<OrgSyncResult> {
  const roleArn = orgReadRoleArn(raw, resolved);
  const client = clients.organizations(roleArn);
  const as = roleArn ? `as ${roleArn}` : "with your own credentials";
  const scope = resolved.ci?.organization.organizationalUnitIds.length ? resolved.ci.organization.organizationalUnitIds : ("organization" as const);
  let step = `DescribeOrganization ${as}`;
  try {
    const org = await describeOrganization(client);
    if (org.id && org.id !== resolved.organizationId)
      throw new OpsError(`${step} read organization ${org.id}, but accounts.ts names ${resolved.organizationId}: use credentials of the right organization.`);
    step = scope === "organization" ? `ListAccounts ${as}` : `ListAccountsForParent / ListOrganizationalUnitsForParent on ${scope.join(", ")} ${as}`;
    const accounts = scope === "organization" ? await listAllAccounts(client) : await listAccountsUnder(client, scope);
    return compare(raw, resolved, accounts, { scope, managementAccountId: org.managementAccountId ?? resolved.ci?.organization.managementAccountId });
  } catch (error) {
    if (error instanceof OpsError) throw error;
    throw new OpsError(
      `org-sync: ${describeAwsError(error, step)}. Organizations answers only the management account or a delegated administrator: set organizationSync.roleArn (docs/day-2.md, "Organization sync").`,
    );
  }
}

/** The comparison alone, without AWS: what is missing, what is not active, what is excluded. */
export function compare(
  raw: BackupConfig,
  resolved: ResolvedConfig,
  accounts: readonly OrgAccount[],
  context: { scope: OrgSyncResult["scope"]; managementAccountId?: string },
): OrgSyncResult {
  const members = new Set(resolved.members.map((m) => m.accountId));
  const excluded = new Map((raw.organizationSync?.exclude ?? []).map((e) => [e.accountId, e.reason]));
  const skipped = new Map<string, string>([[resolved.central.accountId, "the central account"]]);
  // The vault holds copies of the others' backups; backing it up into central would defeat its purpose.
  if (resolved.vault) skipped.set(resolved.vault.accountId, "the vault account");
  if (context.managementAccountId) skipped.set(context.managementAccountId, "the management account");
  const byId = new Map(accounts.map((a) => [a.accountId, a]));
  return {
    organizationId: resolved.organizationId,
    scope: context.scope,
    listed: accounts.length,
    missing: accounts.filter((a) => a.state === "ACTIVE" && !members.has(a.accountId) && !excluded.has(a.accountId) && !skipped.has(a.accountId)),
    notActive: resolved.members
      .map((m) => ({ accountId: m.accountId, name: m.name, state: byId.get(m.accountId)?.state ?? "NOT FOUND" }))
      .filter((m) => m.state !== "ACTIVE"),
    excluded: [...excluded].filter(([id]) => byId.has(id)).map(([accountId, reason]) => ({ accountId, name: byId.get(accountId)!.name, reason })),
    skipped: [...skipped].map(([accountId, why]) => ({ accountId, why })),
  };
}
