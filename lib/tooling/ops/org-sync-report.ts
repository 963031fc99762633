import { annotation, capWarnings } from "./annotations";
import { NewMember, memberSlug } from "./accounts-file";
import type { OrgSyncResult } from "./org-sync";
import { markdownTable, textTable } from "../../core/text-table";

/** One row per finding: missing accounts, members not active, excluded accounts. */
function findingRows(result: OrgSyncResult): string[][] {
  return [
    ...result.missing.map((a) => ["MISSING", a.accountId, a.name, a.state, "ACTIVE in the organization, not in accounts.ts: not backed up"]),
    ...result.notActive.map((m) => ["NOT ACTIVE", m.accountId, m.name, m.state, notActiveWhy(m.state)]),
    ...result.excluded.map((e) => ["excluded", e.accountId, e.name, "ACTIVE", e.reason]),
  ];
}

function notActiveWhy(state: string): string {
  if (state === "NOT FOUND") return "in accounts.ts, not found in the organization (or in the listed OUs)";
  return `in accounts.ts, ${state} in the organization: retire it (docs/ci-and-state.md, "Retire an account")`;
}

const HEADER = ["finding", "account", "name", "state", "what it means"];

function scopeLine(result: OrgSyncResult): string {
  const where = result.scope === "organization" ? `organization ${result.organizationId}` : `OUs ${result.scope.join(", ")} of ${result.organizationId}`;
  return `${result.listed} accounts in ${where}: ${result.missing.length} missing from accounts.ts, ${result.notActive.length} members not active, ${result.excluded.length} excluded`;
}

export function orgSyncText(result: OrgSyncResult): string {
  const rows = findingRows(result);
  return (rows.length ? textTable(HEADER, rows) + "\n" : "") + scopeLine(result) + "\n";
}

export function orgSyncMarkdown(result: OrgSyncResult): string {
  const rows = findingRows(result);
  return `### Organization sync\n\n${scopeLine(result)}.\n\n${rows.length ? markdownTable(HEADER, rows) : "Every ACTIVE account is a member or excluded.\n"}\n`;
}

export function orgSyncJson(result: OrgSyncResult): string {
  return JSON.stringify(result, null, 2) + "\n";
}

/** Every finding is a warning: an unlisted account is not a broken backup, it is a missing one. */
export function orgSyncAnnotations(result: OrgSyncResult, maxWarnings = 20): string[] {
  const warnings = [
    ...result.missing.map((a) =>
      annotation("warning", `org-sync ${a.accountId}`, `${a.name} is ACTIVE in the organization and not in accounts.ts: not backed up`),
    ),
    ...result.notActive.map((m) => annotation("warning", `org-sync ${m.accountId}`, `${m.name}: ${notActiveWhy(m.state)}`)),
  ];
  return capWarnings([], warnings, maxWarnings, (n) => annotation("warning", "org-sync", `${n} more findings: see the job summary`));
}

/** The lines `--append` writes: one per missing account, named after it, never reusing a member's name. */
export function newMembers(result: OrgSyncResult, existingNames: readonly string[]): NewMember[] {
  const taken = new Set(existingNames);
  return result.missing.map((a) => {
    let name = memberSlug(a.name, a.accountId);
    if (taken.has(name)) name = `${name}-${a.accountId}`;
    taken.add(name);
    return { accountId: a.accountId, name };
  });
}
