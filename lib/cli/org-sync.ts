/**
 * npm run org-sync -- [--append] [--json] [--summary FILE]
 * Compares the organization's ACTIVE accounts (or those of ci.organization.organizationalUnitIds)
 * with accounts.ts; --append adds the missing ones, one line each. Findings are warnings:
 * exit 0 with findings, 1 when Organizations cannot be read, 2 for a usage error.
 */
import * as fs from "fs";
import * as path from "path";
import { requireAwsCredentials } from "../tooling/ci/credentials";
import { ACCOUNTS_FILE, CONFIG_FILE_ENV, loadConfigFile } from "../core/config/load";
import { validateConfig } from "../core/config/validate";
import { appendMembers } from "../tooling/ops/accounts-file";
import { assumeRoleClients } from "../tooling/ops/aws";
import { organizationSync } from "../tooling/ops/org-sync";
import { newMembers, orgSyncAnnotations, orgSyncJson, orgSyncMarkdown, orgSyncText } from "../tooling/ops/org-sync-report";
import { sayIfSlow } from "./cli-options";
import { defineCommand, fileName, runCli } from "./command";

const ORG_SYNC = defineCommand({
  name: "org-sync",
  usage: "npm run org-sync -- [options]",
  summary: [
    "Lists the ACTIVE accounts of the organization (or of ci.organization.organizationalUnitIds) that are not in",
    "accounts.ts (the central account, the management account and organizationSync.exclude are never reported),",
    "and the members of accounts.ts that are not ACTIVE there (suspended, closing, closed, not found).",
    "Reads AWS Organizations as organizationSync.roleArn, else the plan role of ci.organization.delegatedAdminAccountId,",
    "else your own credentials (the management account or a delegated administrator).",
    "Findings are warnings: exit 0 with findings, 1 when the organization cannot be read.",
  ].join("\n"),
  options: {
    append: {
      type: "boolean",
      description: `add each missing account to members in accounts.ts (or $${CONFIG_FILE_ENV}), one line each, named after the account; every other byte of the file stays as it is`,
    },
    json: { type: "boolean", description: "JSON on stdout instead of the table" },
    summary: { type: "string", valueName: "FILE", description: 'append a Markdown table to FILE (e.g. "$GITHUB_STEP_SUMMARY")', parse: fileName },
  },
  example: "npm run org-sync -- --append && git diff accounts.ts",
});

runCli(ORG_SYNC, async ({ values: flags }) => {
  const file = path.resolve(process.env[CONFIG_FILE_ENV] ?? ACCOUNTS_FILE);
  const raw = loadConfigFile(file);
  const resolved = validateConfig(raw);
  await sayIfSlow("AWS credentials (instance metadata?)", requireAwsCredentials("npm run org-sync"));
  const result = await sayIfSlow("AWS Organizations (ListAccounts)", organizationSync(raw, resolved, assumeRoleClients));
  process.stdout.write(flags.json ? orgSyncJson(result) : orgSyncText(result));
  if (!flags.json && process.env.GITHUB_ACTIONS === "true") for (const line of orgSyncAnnotations(result)) console.log(line);
  if (flags.summary) fs.appendFileSync(flags.summary, orgSyncMarkdown(result));
  if (flags.append) {
    const additions = newMembers(
      result,
      resolved.members.map((m) => m.name),
    );
    fs.writeFileSync(file, appendMembers(fs.readFileSync(file, "utf8"), additions, path.basename(file)));
    console.error(`${additions.length} account${additions.length === 1 ? "" : "s"} appended to ${path.relative(process.cwd(), file) || file}.`);
  }
  return 0;
});
