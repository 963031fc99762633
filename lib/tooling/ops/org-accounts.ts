import {
  Account,
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
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
  let token: string | undefined;
  do {
    const page = await client.send(new ListAccountsCommand({ NextToken: token }));
    accounts.push(...(page.Accounts ?? []).map(toOrgAccount));
    token = page.NextToken;
  } while (token);
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
    for (const account of await pages(
      (NextToken) => client.send(new ListAccountsForParentCommand({ ParentId: parent, NextToken })),
      (p) => p.Accounts,
    )) {
      accounts.set(account.Id ?? "", toOrgAccount(account));
    }
    const children = await pages(
      (NextToken) => client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parent, NextToken })),
      (p) => p.OrganizationalUnits,
    );
    queue.push(...children.map((ou) => ou.Id ?? "").filter(Boolean));
  }
  return [...accounts.values()];
}

async function pages<P extends { NextToken?: string }, T>(call: (token: string | undefined) => Promise<P>, items: (page: P) => T[] | undefined): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  do {
    const page = await call(token);
    all.push(...(items(page) ?? []));
    token = page.NextToken;
  } while (token);
  return all;
}
