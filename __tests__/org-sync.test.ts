import {
  Account,
  AccessDeniedException,
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { S3Client } from "@aws-sdk/client-s3";
import { S3ControlClient } from "@aws-sdk/client-s3-control";
import { mockClient } from "aws-sdk-client-mock";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadConfigFile } from "../lib/core/config/load";
import type { BackupConfig } from "../lib/core/config/types";
import { validateConfig } from "../lib/core/config/validate";
import { ConfigError } from "../lib/core/config/problems";

/** The problems validateConfig reports, or none. */
function orgSyncProblems(c: BackupConfig): ConfigError["problems"] {
  try {
    validateConfig(c);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}
import { appendMembers, memberSlug } from "../lib/tooling/ops/accounts-file";
import { FleetClients, OpsError } from "../lib/tooling/ops/aws";
import { orgReadRoleArn, organizationSync } from "../lib/tooling/ops/org-sync";
import { newMembers, orgSyncAnnotations, orgSyncMarkdown, orgSyncText } from "../lib/tooling/ops/org-sync-report";
import { config, fleetConfig } from "./fixtures/coverage-config";
import { typescriptEntryArgs } from "../lib/tooling/ci/typescript-entry";

const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const roles: (string | undefined)[] = [];
const clients: FleetClients = {
  s3: (region) => new S3Client({ region, credentials }),
  s3Control: (region) => new S3ControlClient({ region, credentials }),
  cloudwatch: (region) => new CloudWatchClient({ region, credentials }),
  organizations: (roleArn) => (roles.push(roleArn), new OrganizationsClient({ region: "us-east-1", credentials })),
};
const org = mockClient(OrganizationsClient);
const MANAGEMENT = "999999999999";

/** Pages of `size` accounts, as ListAccounts returns them (NextToken = index of the next page). */
function pagesOf(accounts: Account[], size = 20) {
  return (input: { NextToken?: string }) => {
    const start = Number(input.NextToken ?? 0);
    const next = start + size;
    return { Accounts: accounts.slice(start, next), NextToken: next < accounts.length ? String(next) : undefined };
  };
}
const active = (id: string, name = `acct ${id}`): Account => ({ Id: id, Name: name, State: "ACTIVE" });

beforeEach(() => {
  org.reset();
  roles.length = 0;
  org.on(DescribeOrganizationCommand).resolves({ Organization: { Id: "o-a1b2c3d4e5", MasterAccountId: MANAGEMENT } });
});

describe("npm run org-sync (library, mocked Organizations)", () => {
  test("1,000 members and 1,062 accounts over 54 pages of 20: missing, suspended, closing, closed, not found, legacy Status", async () => {
    const raw: BackupConfig = { ...fleetConfig(1000), organizationSync: { exclude: [{ accountId: "500000000003", reason: "sandbox" }] } };
    const resolved = validateConfig(raw);
    const members = resolved.members.map((m) => m.accountId);
    const accounts: Account[] = [
      active("111111111111", "central"),
      active(MANAGEMENT, "management"),
      ...members.slice(0, 996).map((id) => active(id)),
      { Id: members[996], Name: "old", State: "SUSPENDED" },
      { Id: members[997], Name: "closing", State: "PENDING_CLOSURE" },
      { Id: members[998], Name: "legacy", Status: "SUSPENDED" }, // an older response: Status only
      // members[999] is not in the organization at all
      ...Array.from({ length: 60 }, (_, i) =>
        i === 7 ? { Id: "500000000007", Name: "gone", State: "CLOSED" as const } : active(String(500000000000 + i), `New Team ${i}!`),
      ),
      { Id: "500000000100", Name: "legacy-active", Status: "ACTIVE" },
    ];
    expect(accounts.length).toBe(1062);
    org.on(ListAccountsCommand).callsFake(pagesOf(accounts));
    const result = await organizationSync(raw, resolved, clients);
    expect(org.commandCalls(ListAccountsCommand)).toHaveLength(54);
    expect(result.listed).toBe(1062);
    expect(result.missing.map((a) => a.accountId)).toEqual([
      ...Array.from({ length: 60 }, (_, i) => String(500000000000 + i)).filter((id) => id !== "500000000003" && id !== "500000000007"),
      "500000000100",
    ]);
    expect(result.notActive).toEqual([
      { accountId: members[996], name: "member-996", state: "SUSPENDED" },
      { accountId: members[997], name: "member-997", state: "PENDING_CLOSURE" },
      { accountId: members[998], name: "member-998", state: "SUSPENDED" },
      { accountId: members[999], name: "member-999", state: "NOT FOUND" },
    ]);
    expect(result.excluded).toEqual([{ accountId: "500000000003", name: "New Team 3!", reason: "sandbox" }]);
    expect(result.skipped).toEqual([
      { accountId: "111111111111", why: "the central account" },
      { accountId: MANAGEMENT, why: "the management account" },
    ]);
    expect(roles).toEqual([undefined]); // no ci, no organizationSync.roleArn: the caller's own credentials
  });

  test("OUs named in ci.organization: ListAccountsForParent on each and every OU below, all pages, each account once", async () => {
    const raw: BackupConfig = {
      ...config,
      ci: {
        githubRepository: "acme/backup",
        organization: {
          managementAccountId: MANAGEMENT,
          delegatedAdminAccountId: "777777777777",
          organizationalUnitIds: ["ou-ab12-aaaaaaaa", "ou-ab12-cccccccc"],
        },
      },
      stateBackend: { bucket: "acme-terraform-state", region: "eu-central-1" },
    };
    const resolved = validateConfig(raw);
    const tree: Record<string, { accounts: Account[]; ous: string[] }> = {
      "ou-ab12-aaaaaaaa": { accounts: [active("222222222222"), active("333333333333")], ous: ["ou-ab12-bbbbbbbb", "ou-ab12-cccccccc"] },
      "ou-ab12-bbbbbbbb": { accounts: [...Array.from({ length: 45 }, (_, i) => active(String(600000000000 + i))), active("444444444444")], ous: [] },
      "ou-ab12-cccccccc": { accounts: [active("610000000000")], ous: [] },
    };
    org.on(ListAccountsForParentCommand).callsFake((input: { ParentId: string; NextToken?: string }) => pagesOf(tree[input.ParentId].accounts)(input));
    org
      .on(ListOrganizationalUnitsForParentCommand)
      .callsFake((input: { ParentId: string }) => ({ OrganizationalUnits: tree[input.ParentId].ous.map((Id) => ({ Id })) }));
    const result = await organizationSync(raw, resolved, clients);
    expect(result.scope).toEqual(["ou-ab12-aaaaaaaa", "ou-ab12-cccccccc"]);
    expect(result.listed).toBe(49);
    expect(result.missing).toHaveLength(46);
    expect(result.notActive).toEqual([]);
    expect(org.commandCalls(ListAccountsCommand)).toHaveLength(0);
    // ou-b: 46 accounts in 3 pages; ou-c listed once although it is named and nested.
    expect(org.commandCalls(ListAccountsForParentCommand).map((c) => c.args[0].input.ParentId)).toEqual([
      "ou-ab12-aaaaaaaa",
      "ou-ab12-cccccccc",
      "ou-ab12-bbbbbbbb",
      "ou-ab12-bbbbbbbb",
      "ou-ab12-bbbbbbbb",
    ]);
    // With a delegated administrator and no organizationSync.roleArn: its plan role.
    expect(roles).toEqual(["arn:aws:iam::777777777777:role/s3-central-backup-plan"]);
    expect(orgReadRoleArn({ ...raw, organizationSync: { roleArn: "arn:aws:iam::999999999999:role/org-reader" } }, resolved)).toBe(
      "arn:aws:iam::999999999999:role/org-reader",
    );
  });

  test("denied, or another organization: one line that says what to set, never a partial result", async () => {
    const resolved = validateConfig(config);
    org
      .on(ListAccountsCommand)
      .rejects(new AccessDeniedException({ message: "You don't have permissions to access this resource.", $metadata: { httpStatusCode: 400 } }));
    await expect(organizationSync(config, resolved, clients)).rejects.toThrow(OpsError);
    await expect(organizationSync(config, resolved, clients)).rejects.toThrow(
      /^org-sync: ListAccounts with your own credentials failed: AccessDeniedException: .*set organizationSync\.roleArn/,
    );
    org.on(DescribeOrganizationCommand).resolves({ Organization: { Id: "o-zzzzzzzzzz" } });
    await expect(organizationSync(config, resolved, clients)).rejects.toThrow("read organization o-zzzzzzzzzz, but accounts.ts names o-a1b2c3d4e5");
  });

  test("reports: a table of findings, Markdown, one warning annotation per finding", async () => {
    const resolved = validateConfig(config);
    org
      .on(ListAccountsCommand)
      .resolves({ Accounts: [active("222222222222"), active("333333333333"), active("555555555555", "sandbox"), active("666666666666", "Payments | EU")] });
    const result = await organizationSync(config, resolved, clients);
    const text = orgSyncText(result);
    expect(text).toMatch(/^finding\s+account\s+name\s+state\s+what it means\n/);
    expect(text).toMatch(/MISSING\s+666666666666\s+Payments \| EU\s+ACTIVE\s+ACTIVE in the organization, not in accounts.ts: not backed up/);
    expect(text).toMatch(/NOT ACTIVE\s+444444444444\s+data-lake\s+NOT FOUND/);
    expect(text).toMatch(/excluded\s+555555555555\s+sandbox\s+ACTIVE\s+sandbox, no data/);
    expect(text.trimEnd().split("\n").at(-1)).toBe("4 accounts in organization o-a1b2c3d4e5: 1 missing from accounts.ts, 1 members not active, 1 excluded");
    expect(orgSyncMarkdown(result)).toContain("| MISSING | 666666666666 | Payments \\| EU | ACTIVE |");
    expect(orgSyncAnnotations(result)).toEqual([
      "::warning title=org-sync 666666666666::Payments | EU is ACTIVE in the organization and not in accounts.ts: not backed up",
      "::warning title=org-sync 444444444444::data-lake: in accounts.ts, not found in the organization (or in the listed OUs)",
    ]);
    expect(newMembers(result, ["workloads-prod"])).toEqual([{ accountId: "666666666666", name: "payments-eu" }]);
    expect(newMembers(result, ["payments-eu"])).toEqual([{ accountId: "666666666666", name: "payments-eu-666666666666" }]);
  });
});

describe("--append: one line per account, every other byte as it was", () => {
  const ADDED = [
    { accountId: "666666666666", name: "payments-eu" },
    { accountId: "777777777777", name: "ml-platform" },
  ];
  const FILE = `import type { BackupConfig } from "./lib/core/config/types";

// Not the members: members: [ { accountId: "000000000000" } ]
const note = "members: [ in a string ]";

export const config: BackupConfig = {
  organizationId: "o-a1b2c3d4e5",
  central: {
    accountId: "111111111111", // the backup account
    region: "eu-central-1",
    bucketName: "acme-org-central-backup",
    keyAlias: "alias/central-backup",
    deployRoleName: "s3-central-backup-deploy",
  },
  /* Adding an account is adding one line. */
  members: [
      { accountId: "222222222222", name: "workloads-prod" }, // tabs and odd indentation stay
      {
        accountId: "444444444444",
        name: "data-lake",
        extraRules: [{ id: "raw", prefix: "444444444444/raw/", priority: 5 }],
      },
      // { accountId: "333333333333", name: "retired" },
  ],
  tags: { team: "platform" },
};
`;

  /** The appended text with the inserted lines removed, and the one comma the append may add. */
  const withoutInserted = (text: string, lines: string[]) =>
    text
      .split("\n")
      .filter((l) => !lines.includes(l))
      .join("\n");

  test("comments, strings and indentation survive; the new lines sit before the closing bracket", () => {
    const out = appendMembers(FILE, ADDED);
    const inserted = ['      { accountId: "666666666666", name: "payments-eu" },', '      { accountId: "777777777777", name: "ml-platform" },'];
    expect(out.split("\n").filter((l) => inserted.includes(l))).toEqual(inserted);
    expect(withoutInserted(out, inserted)).toBe(FILE);
    expect(out).toContain(`      // { accountId: "333333333333", name: "retired" },\n${inserted[0]}\n${inserted[1]}\n  ],\n`);
    expect(out.length - FILE.length).toBe(inserted.join("\n").length + 1);
  });

  test("no trailing comma: exactly one comma added after the last entry", () => {
    const text = FILE.replace("      },\n      // {", "      }\n      // {");
    const out = appendMembers(text, ADDED.slice(0, 1));
    const inserted = ['      { accountId: "666666666666", name: "payments-eu" },'];
    expect(withoutInserted(out, inserted)).toBe(text.replace("      }\n      // {", "      },\n      // {"));
  });

  test("an array on one line, and an empty one", () => {
    const oneLine = 'export const config = { organizationId: "o-a1b2c3d4e5", members: [{ accountId: "222222222222", name: "a" }] };\n';
    expect(appendMembers(oneLine, ADDED.slice(0, 1))).toBe(
      'export const config = { organizationId: "o-a1b2c3d4e5", members: [{ accountId: "222222222222", name: "a" },\n{ accountId: "666666666666", name: "payments-eu" },\n] };\n',
    );
    const empty = "export const config = {\n  members: [],\n};\n";
    expect(appendMembers(empty, ADDED.slice(0, 1))).toBe(
      'export const config = {\n  members: [\n    { accountId: "666666666666", name: "payments-eu" },\n  ],\n};\n',
    );
    expect(appendMembers(FILE, [])).toBe(FILE);
    expect(() => appendMembers("export const config = { members: list };\n", ADDED)).toThrow("has no `members: [ ... ]` array in `export const config`");
  });

  test("the appended file still loads and validates, with the new members last", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "org-sync-"));
    try {
      const file = path.join(dir, "accounts.ts");
      fs.writeFileSync(file, appendMembers(FILE, ADDED).replace("./lib/core/config/types", path.resolve(__dirname, "../lib/core/config/types")));
      const loaded = validateConfig(loadConfigFile(file));
      expect(loaded.members.map((m) => [m.accountId, m.name])).toEqual([
        ["222222222222", "workloads-prod"],
        ["444444444444", "data-lake"],
        ["666666666666", "payments-eu"],
        ["777777777777", "ml-platform"],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("member names from account names", () => {
    expect(memberSlug("Payments | EU (prod)", "1")).toBe("payments-eu-prod");
    expect(memberSlug("Équipe Données", "1")).toBe("equipe-donnees");
    expect(memberSlug("!!!", "123456789012")).toBe("account-123456789012");
    expect(memberSlug("x".repeat(60), "1")).toHaveLength(40);
  });
});

describe("organizationSync in accounts.ts", () => {
  test("the fixture is valid; bad entries each get a field, a problem and a fix, from validateConfig", () => {
    expect(orgSyncProblems(config)).toEqual([]);
    expect(orgSyncProblems({ ...config, organizationSync: undefined })).toEqual([]);
    const bad: BackupConfig = {
      ...config,
      organizationSync: {
        roleArn: "org-reader",
        exclude: [
          { accountId: "12345", reason: "x" },
          { accountId: "555555555555", reason: " " },
          { accountId: "555555555555", reason: "twice" },
          { accountId: "222222222222", reason: "also a member" },
        ],
      },
    };
    expect(orgSyncProblems(bad).map((p) => `${p.field}: ${p.problem}`)).toEqual([
      'organizationSync.roleArn: "org-reader" is not an IAM role ARN',
      'organizationSync.exclude[0].accountId: "12345" is not a 12-digit account ID',
      "organizationSync.exclude[1].reason: is empty",
      "organizationSync.exclude[2].accountId: 555555555555 is excluded twice",
      "organizationSync.exclude[3].accountId: 222222222222 is also in members",
    ]);
    expect(orgSyncProblems(bad).every((p) => p.fix.length > 10)).toBe(true);
  });
});

describe("npm run org-sync (spawned CLI)", () => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, typescriptEntryArgs("lib/cli/org-sync.ts", args), {
      cwd: path.resolve(__dirname, ".."),
      encoding: "utf8",
      env: { ...process.env, S3_BACKUP_CONFIG: path.join(__dirname, "fixtures/coverage-config.ts"), ...env },
    });

  test("--help, an unknown flag, a stray argument", () => {
    const help = cli(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run org-sync -- \[options\]/);
    expect(help.stdout).toContain("--append");
    expect(help.stdout).toContain("Example:\n  npm run org-sync -- --append");
    const unknown = cli(["--apend"]);
    expect([unknown.status, unknown.stderr.trim()]).toEqual([
      2,
      "--apend is not an option of org-sync. Did you mean --append? Options: --append, --json, --summary, --help",
    ]);
    const stray = cli(["accounts.ts"]);
    expect([stray.status, stray.stderr.trim()]).toEqual([2, 'org-sync takes no arguments, not "accounts.ts". Options: --append, --json, --summary, --help']);
  });

  test("a bad organizationSync is a config error before any AWS call", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "org-sync-cli-"));
    try {
      const file = path.join(dir, "accounts.ts");
      const fixture = path.join(__dirname, "fixtures/coverage-config");
      fs.writeFileSync(
        file,
        `import { config as base } from ${JSON.stringify(fixture)};\nexport const config = { ...base, organizationSync: { exclude: [{ accountId: "222222222222", reason: "x" }] } };\n`,
      );
      const r = cli([], { S3_BACKUP_CONFIG: file });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(
        "organizationSync.exclude[0].accountId: 222222222222 is also in members. Fix: remove it from members or from organizationSync.exclude.",
      );
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
