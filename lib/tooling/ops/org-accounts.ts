import {
  Account,
  DescribeOrganizationCommand,
  OrganizationsClient,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
} from "@aws-sdk/client-organizations";

/** One account as AWS Organizations lists it. */
export interface OrgAccount {
  readonly accountId: string;
  readonly name: string;
  /** ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED, PENDING_ACTIVATION (`State`), or the legacy `Status` when `State` is absent. */
  readonly state: string;
}

/**
 * `State` replaces `Status`, which AWS retires on 2026-09-09
 * (https://docs.aws.amazon.com/organizations/latest/APIReference/API_Account.html); read
 * `State` and fall back to `Status` for older responses.
 */
export function accountState(account: Account): string {
  return account.State ?? account.Status ?? "UNKNOWN";
}

function toOrgAccount(account: Account): OrgAccount {
  return { accountId: account.Id ?? "", name: account.Name ?? "", state: accountState(account) };
}

export async function describeOrganization(client: OrganizationsClient): Promise<{ id?: string; managementAccountId?: string }> {
  const { Organization } = await client.send(new DescribeOrganizationCommand({}));
  return { id: Organization?.Id, managementAccountId: Organization?.MasterAccountId };
}

/** Every account of the organization, all pages of ListAccounts (at most 20 per page, https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html). */
export async function listAllAccounts(client: OrganizationsClient): Promise<OrgAccount[]> {
  const accounts: OrgAccount[] = [];
  for await (const page of paginateListAccounts({ client }, {})) accounts.push(...(page.Accounts ?? []).map(toOrgAccount));
  return accounts;
}

/**
 * Accounts under the given roots or OUs and every OU below them: ListAccountsForParent on
 * each parent, ListOrganizationalUnitsForParent to walk down, every page of both. An
 * account is listed once even if two named OUs nest.
 */
export async function listAccountsUnder(client: OrganizationsClient, parentIds: readonly string[]): Promise<OrgAccount[]> {
  const accounts = new Map<string, OrgAccount>();
  const queue = [...parentIds];
  const visited = new Set<string>();
  while (queue.length > 0) {
    const parent = queue.shift()!;
    if (visited.has(parent)) continue;
    visited.add(parent);
    for await (const page of paginateListAccountsForParent({ client }, { ParentId: parent })) {
      for (const account of page.Accounts ?? []) accounts.set(account.Id ?? "", toOrgAccount(account));
    }
    for await (const page of paginateListOrganizationalUnitsForParent({ client }, { ParentId: parent })) {
      queue.push(...(page.OrganizationalUnits ?? []).map((ou) => ou.Id ?? "").filter(Boolean));
    }
  }
  return [...accounts.values()];
}
