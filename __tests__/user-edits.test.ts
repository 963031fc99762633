/**
 * The user's accounts.ts is theirs: no test reads it (a static check of the test sources), and
 * in a copy of the project whose accounts.ts has 250 members, then one removed and the rest
 * reordered, `npm run check` passes.
 */
import * as fs from "fs";
import * as path from "path";
import { syntheticMembers } from "../lib/bench/synthetic-config";
import { ROOT, exampleAccountsTs, exampleProjectCopy } from "./support/example-project";
import { userShell } from "./support/spawn-collect";
import { defaultReaders, userFileReads } from "./support/user-file-readers";

/** The example's accounts.ts with these members, one line each, as a user writes them. */
function accountsWith(members: readonly { accountId: string; name: string }[]): string {
  const lines = members.map((m) => `    { accountId: "${m.accountId}", name: "${m.name}" },`).join("\n");
  return exampleAccountsTs().replace(/ {2}members: \[\n[\s\S]*?\n {2}\],/, `  members: [\n${lines}\n  ],`);
}

/** Every TypeScript file under a folder, by absolute path. */
const typescriptUnder = (dir: string): string[] =>
  fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => path.join(dir, f));

describe("no test reads the user's accounts.ts (a static check of every test source)", () => {
  const readers = defaultReaders(typescriptUnder(path.join(ROOT, "lib")));
  const testSources = typescriptUnder(path.join(ROOT, "__tests__"));

  test("the library's functions that read accounts.ts by default are found (loadConfigFile and the bench's syntheticConfig among them)", () => {
    expect(readers).toEqual(
      expect.arrayContaining([
        { name: "loadConfigFile", index: 0 },
        { name: "syntheticConfig", index: 2 },
      ]),
    );
  });

  test("no test source imports the root accounts.ts, names ACCOUNTS_FILE, or calls a default reader without its replacement", () => {
    expect(testSources.length).toBeGreaterThan(20);
    const reads = testSources.flatMap((file) => userFileReads(ROOT, file, readers).map((read) => `${path.relative(ROOT, file)}:${read}`));
    expect(reads).toEqual([]);
  });

  test("the check finds each kind of read it looks for", () => {
    const file = path.join(ROOT, "__tests__", "example.test.ts");
    const source = [
      `import { config } from "../${"accounts"}";`,
      `const c = require("../${"accounts"}.ts");`,
      "const f = ACCOUNTS_FILE;",
      "loadConfigFile();",
      "syntheticConfig(3, {});",
      'loadConfigFile("fixtures/example.ts");',
      "syntheticConfig(3, {}, example);",
    ].join("\n");
    expect(userFileReads(ROOT, file, readers, source).map((r) => r.split(":")[0])).toEqual(["1", "2", "3", "4", "5"]);
  });
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
    expect(refused.stdout).toContain(
      "BREAK GLASS: this edit changes the central stack, which only the break-glass role (central.breakGlassRoleName) may apply",
    );
    const acknowledged = userShell(
      example.dir,
      "npm run --silent check -- --base HEAD --allow-replace central/aws_s3_bucket.central_bucket --allow-replace central/aws_s3_bucket.audit_bucket",
    );
    expect(acknowledged.status).toBe(0);
    const changed = userShell(example.dir, "npm run --silent changed-stacks -- --base HEAD");
    expect(changed.stderr).toContain("central: central.bucketName: aws_s3_bucket.central_bucket would be REPLACED");
  });
});

describe("an edit that needs the bootstrap applied again, on the all-options example (which has ci)", () => {
  const allOptionsTs = fs.readFileSync(path.join(ROOT, "examples/all-options.ts"), "utf8").replace(/from "\.\.\/lib\//g, 'from "./lib/');
  const project = exampleProjectCopy("s3-backup-keyarn-", allOptionsTs);
  afterAll(() => fs.rmSync(project.dir, { recursive: true, force: true }));
  const accounts = path.join(project.dir, "accounts.ts");
  const KEY = "arn:aws:kms:us-east-1:555555555555:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

  test("a new central.keyArn is named as break glass (central's policies) and as a bootstrap re-run (the deploy role's denies name the key)", () => {
    expect(allOptionsTs).toContain(KEY);
    fs.writeFileSync(accounts, allOptionsTs.replace(KEY, KEY.replace("0a1b2c3d-4e5f", "99999999-4e5f")));
    const check = userShell(project.dir, "npm run --silent check -- --base HEAD");
    expect([check.status, check.stderr]).toEqual([0, ""]);
    expect(check.stdout).toContain("BREAK GLASS: this edit changes the central stack");
    expect(check.stdout).toContain(
      "BOOTSTRAP: this edit changes the bootstrap (bootstrap-account-roles): run npm run bootstrap:plan, then npm run bootstrap:deploy",
    );
  });

  test("an edit that leaves the bootstrap as it is (the replicas' storage class) says nothing of it", () => {
    fs.writeFileSync(accounts, allOptionsTs.replace(/storageClass: "([A-Z_]+)"/, 'storageClass: "GLACIER_IR"'));
    const check = userShell(project.dir, "npm run --silent check -- --base HEAD");
    expect([check.status, check.stderr]).toEqual([0, ""]);
    expect(check.stdout).toMatch(/Compared with HEAD \(by fingerprints\): 0 added, [1-9]\d* changed/);
    expect(check.stdout).not.toContain("BOOTSTRAP");
  });
});
