/**
 * The user's accounts.ts is theirs: in a copy of the project whose accounts.ts has 250
 * members, then one removed and the rest reordered, `npm run check` passes and the tests
 * that read configs still pass there, because no test reads the root accounts.ts.
 */
import * as fs from "fs";
import * as path from "path";
import { syntheticMembers } from "../lib/bench/synthetic-config";
import { ROOT, exampleAccountsTs, exampleProjectCopy } from "./support/example-project";
import { userShell } from "./support/spawn-collect";

/** The example's accounts.ts with these members, one line each, as a user writes them. */
function accountsWith(members: readonly { accountId: string; name: string }[]): string {
  const lines = members.map((m) => `    { accountId: "${m.accountId}", name: "${m.name}" },`).join("\n");
  return exampleAccountsTs().replace(/ {2}members: \[\n[\s\S]*?\n {2}\],/, `  members: [\n${lines}\n  ],`);
}

test("nothing in __tests__ imports the root accounts.ts", () => {
  const files = fs.readdirSync(path.join(ROOT, "__tests__"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
  const importers = files.filter((f) =>
    /from ["'](\.\.\/)+accounts["']|require\(["'](\.\.\/)+accounts["']\)/.test(fs.readFileSync(path.join(ROOT, "__tests__", f), "utf8")),
  );
  expect(files.length).toBeGreaterThan(20);
  expect(importers).toEqual([]);
});

describe("a user's accounts.ts of 250 members, edited", () => {
  const members = syntheticMembers(250);
  const copy = exampleProjectCopy("s3-backup-user-", accountsWith(members));
  afterAll(() => fs.rmSync(copy.dir, { recursive: true, force: true }));
  const accounts = path.join(copy.dir, "accounts.ts");

  test("npm run check passes on it, then on one member removed and the rest reordered", () => {
    const first = userShell(copy.dir, "npm run --silent check");
    expect([first.status, first.stderr]).toEqual([0, ""]);
    expect(first.stdout).toContain("accounts.ts is valid: 250 member(s), 251 stack(s)");
    fs.writeFileSync(accounts, accountsWith(members.slice(1).reverse()));
    const edited = userShell(copy.dir, "npm run --silent check -- --base HEAD");
    expect([edited.status, edited.stderr]).toEqual([0, ""]);
    expect(edited.stdout).toContain("Compared with HEAD (by fingerprints): 0 added, 0 changed, 1 removed.");
  });

  test("the tests that read configs pass in that copy (they read their fixtures, never its accounts.ts)", () => {
    fs.writeFileSync(accounts, accountsWith(members.slice(1).reverse()));
    const tests = ["config-validation", "synth-stacks", "options", "stack-selection", "data-replacements", "policy-limits"].map(
      (t) => `__tests__/${t}.test.ts`,
    );
    const run = userShell(copy.dir, `node node_modules/jest/bin/jest.js --globalSetup ./__tests__/support/no-plans-setup.ts --maxWorkers 1 ${tests.join(" ")}`);
    expect([run.status, run.stderr]).toEqual([0, expect.stringMatching(new RegExp(`Test Suites: ${tests.length} passed, ${tests.length} total`))]);
  }, 180_000);
});

describe("an edit that would replace data, on the example", () => {
  const example = exampleProjectCopy("s3-backup-rename-");
  afterAll(() => fs.rmSync(example.dir, { recursive: true, force: true }));
  const exampleAccounts = path.join(example.dir, "accounts.ts");

  test("renaming the central bucket fails the check, naming the field and resource, until it is acknowledged", () => {
    fs.writeFileSync(exampleAccounts, exampleAccountsTs().replace('bucketName: "acme-org-central-backup"', 'bucketName: "acme-org-central-backup-2"'));
    const refused = userShell(example.dir, "npm run --silent check -- --base HEAD");
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain(
      "NOT ACKNOWLEDGED: central: central.bucketName: aws_s3_bucket.central_bucket would be REPLACED (bucket acme-org-central-backup -> bucket acme-org-central-backup-2)",
    );
    expect(refused.stderr).toContain("--allow-replace central/aws_s3_bucket.central_bucket");
    const acknowledged = userShell(example.dir, "npm run --silent check -- --base HEAD --allow-replace central/aws_s3_bucket.central_bucket");
    expect(acknowledged.status).toBe(0);
    const changed = userShell(example.dir, "npm run --silent changed-stacks -- --base HEAD");
    expect(changed.stderr).toContain("central: central.bucketName: aws_s3_bucket.central_bucket would be REPLACED");
  });
});
