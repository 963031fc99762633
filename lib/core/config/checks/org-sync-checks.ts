import { ACCOUNT_ID, ROLE_ARN } from "../patterns";
import type { OrganizationSyncConfig } from "../types";

import { ConfigChecks } from "./config-checks";

/** The rules of `organizationSync` (which accounts `npm run org-sync` leaves out, and the role it reads Organizations with). */
export class OrgSyncChecks extends ConfigChecks {
  run(): void {
    const sync = this.config.organizationSync;
    if (sync === undefined) return;
    if (typeof sync !== "object" || sync === null) {
      this.problems.report("organizationSync", "is not an object", "write organizationSync: { exclude: [{ accountId, reason }] }, or remove it");
      return;
    }
    this.roleArn(sync);
    this.exclusions(sync);
  }

  roleArn(sync: OrganizationSyncConfig): void {
    if (sync.roleArn !== undefined && !(typeof sync.roleArn === "string" && ROLE_ARN.test(sync.roleArn)))
      this.problems.report(
        "organizationSync.roleArn",
        `"${String(sync.roleArn)}" is not an IAM role ARN`,
        "write arn:aws:iam::<account>:role/<name>, or remove the field",
      );
  }

  exclusions(sync: OrganizationSyncConfig): void {
    if (sync.exclude === undefined) return;
    if (!Array.isArray(sync.exclude)) {
      this.problems.report("organizationSync.exclude", "is not a list", 'write exclude: [{ accountId: "123456789012", reason: "sandbox, no data" }]');
      return;
    }
    const members = new Set((this.config.members ?? []).map((m) => m?.accountId));
    const seen = new Set<string>();
    (sync.exclude as readonly ({ accountId?: unknown; reason?: unknown } | undefined)[]).forEach((entry, i) => {
      const field = `organizationSync.exclude[${i}]`;
      const id = entry?.accountId;
      if (typeof id !== "string" || !ACCOUNT_ID.test(id)) {
        this.problems.report(`${field}.accountId`, `"${String(id)}" is not a 12-digit account ID`, "write the account ID as a string of 12 digits, in quotes");
        return;
      }
      if (typeof entry?.reason !== "string" || entry.reason.trim() === "")
        this.problems.report(`${field}.reason`, "is empty", 'say why the account is not backed up, e.g. "sandbox, no data"');
      if (seen.has(id)) this.problems.report(`${field}.accountId`, `${id} is excluded twice`, "keep one entry per account");
      if (members.has(id)) this.problems.report(`${field}.accountId`, `${id} is also in members`, "remove it from members or from organizationSync.exclude");
      seen.add(id);
    });
  }
}
