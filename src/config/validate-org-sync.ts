import { ACCOUNT_ID, ROLE_ARN } from "./patterns";
import type { BackupConfig } from "./types";
import type { ConfigProblem } from "./validate";

/**
 * Problems of `organizationSync` (src/config/types.ts OrganizationSyncConfig), in the shape
 * validateConfig reports. Separate from validate.ts so it can be called from there.
 */
export function orgSyncProblems(config: BackupConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const sync = config.organizationSync;
  if (sync === undefined) return problems;
  const report = (field: string, problem: string, fix: string) => problems.push({ field, problem, fix });
  if (typeof sync !== "object" || sync === null) {
    report("organizationSync", "is not an object", "write organizationSync: { exclude: [{ accountId, reason }] }, or remove it");
    return problems;
  }
  if (sync.roleArn !== undefined && !(typeof sync.roleArn === "string" && ROLE_ARN.test(sync.roleArn)))
    report("organizationSync.roleArn", `"${String(sync.roleArn)}" is not an IAM role ARN`, "write arn:aws:iam::<account>:role/<name>, or remove the field");
  if (sync.exclude === undefined) return problems;
  if (!Array.isArray(sync.exclude)) {
    report("organizationSync.exclude", "is not a list", 'write exclude: [{ accountId: "123456789012", reason: "sandbox, no data" }]');
    return problems;
  }
  const members = new Set((config.members ?? []).map((m) => m?.accountId));
  const seen = new Set<string>();
  (sync.exclude as readonly ({ accountId?: unknown; reason?: unknown } | undefined)[]).forEach((entry, i) => {
    const field = `organizationSync.exclude[${i}]`;
    const id = entry?.accountId;
    if (typeof id !== "string" || !ACCOUNT_ID.test(id)) {
      report(`${field}.accountId`, `"${String(id)}" is not a 12-digit account ID`, "write the account ID as a string of 12 digits, in quotes");
      return;
    }
    if (typeof entry?.reason !== "string" || entry.reason.trim() === "")
      report(`${field}.reason`, "is empty", 'say why the account is not backed up, e.g. "sandbox, no data"');
    if (seen.has(id)) report(`${field}.accountId`, `${id} is excluded twice`, "keep one entry per account");
    if (members.has(id)) report(`${field}.accountId`, `${id} is also in members`, "remove it from members or from organizationSync.exclude");
    seen.add(id);
  });
  return problems;
}
