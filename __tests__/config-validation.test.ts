import { config as example } from "./fixtures/example";
import type { BackupConfig, MemberAccountConfig } from "../lib/core/config/types";
import { ConfigError } from "../lib/core/config/problems";
import { validateConfig } from "../lib/core/config/validate";
import { configWarnings } from "../lib/core/config/warnings";
import { validateBootstrapConfig } from "../stacks/apps/bootstrap-app";

/** The example config with one change applied (to a deep copy, typed loosely on purpose: bad input is the point). */

function withChange(change: (c: any) => void): BackupConfig {
  const copy = JSON.parse(JSON.stringify(example));
  change(copy);
  return copy;
}

/** Validates and returns the ConfigError, failing the test when the config passes. */
function problemsOf(config: BackupConfig): ConfigError {
  try {
    validateConfig(config);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected validateConfig to reject the config");
}

/** The example with a valid `ci` (and the dedicated deploy role it needs), then one change. */

function withCi(change: (c: any) => void = () => {}): BackupConfig {
  return withChange((c) => {
    c.central.deployRoleName = "s3-central-backup-deploy";
    c.ci = { githubRepository: "acme/org-s3-central-backup", organization: { managementAccountId: "999900000000", organizationalUnitIds: ["r-ab12"] } };
    c.stateBackend = { bucket: "acme-terraform-state", region: "eu-central-1" };
    change(c);
  });
}

/** The one line of the error that names the field: it must state the problem and the fix. */
function expectProblem(config: BackupConfig, field: string, problem: RegExp, fix: RegExp, validate: (c: BackupConfig) => unknown = validateConfig): void {
  let error: unknown;
  try {
    validate(config);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const line = (error as ConfigError).message.split("\n").find((l) => l.includes(`- ${field}:`));
  expect(line).toBeDefined();
  expect(line).toMatch(problem);
  expect(line).toMatch(new RegExp(`Fix: .*${fix.source}`));
}

function member(accountId: string, extra: Partial<MemberAccountConfig> = {}): MemberAccountConfig {
  return { accountId, name: `account-${accountId}`, ...extra };
}

describe("accounts.ts validation", () => {
  test("the shipped example is valid", () => {
    expect(validateConfig(example).members).toHaveLength(3);
  });

  test.each([
    ["an account ID that is not 12 digits", (c: any) => (c.members[0].accountId = "12345"), "members[0].accountId", /12-digit/, /exactly 12 digits/],
    ["a central account ID with letters", (c: any) => (c.central.accountId = "11111111111a"), "central.accountId", /12-digit/, /12 digits/],
    [
      "a duplicate member",
      (c: any) => c.members.push(member("222222222222")),
      "members[3].accountId",
      /listed twice \(also members\[0\]\)/,
      /one entry per account/,
    ],
    [
      "the central account listed as a member",
      (c: any) => c.members.push(member("111111111111")),
      "members[3].accountId",
      /is the central account/,
      /remove it from members/,
    ],
    [
      "an organization ID of the wrong shape",
      (c: any) => (c.organizationId = "o-SHORT"),
      "organizationId",
      /not an AWS Organization ID/,
      /"o-" followed by 10 to 32 lowercase/,
    ],
    ["an unknown central region", (c: any) => (c.central.region = "eu-middle-9"), "central.region", /not a known AWS region/, /eu-central-1/],
    ["an unknown member region", (c: any) => (c.members[1].region = "mars-1"), "members[1].region", /not a known AWS region/, /region code/],
    ["an unknown storage class", (c: any) => (c.central.storageClass = "COLD"), "central.storageClass", /not a storage class/, /STANDARD_IA/],
    [
      "an unknown member storage class",
      (c: any) => (c.members[2].storageClass = "GLACIER_DEEP"),
      "members[2].storageClass",
      /not a storage class/,
      /DEEP_ARCHIVE/,
    ],
    [
      "an invalid central bucket name",
      (c: any) => (c.central.bucketName = "Central_Backup"),
      "central.bucketName",
      /lowercase letters, digits, dots and hyphens/,
      /globally unique name/,
    ],
    ["a bucket name formatted as an IP address", (c: any) => (c.central.bucketName = "192.168.1.10"), "central.bucketName", /IP address/, /globally unique/],
    ["an empty member list", (c: any) => (c.members = []), "members", /empty/, /add at least one member/],
    ["a key alias without alias/", (c: any) => (c.central.keyAlias = "central-backup"), "central.keyAlias", /not a valid customer KMS alias/, /alias\/<name>/],
    [
      "a deletion window outside 7-30 days",
      (c: any) => (c.central.keyDeletionWindowDays = 3),
      "central.keyDeletionWindowDays",
      /outside KMS's 7-30 days/,
      /7 to 30/,
    ],
    [
      "a source bucket prefix too long for S3",
      (c: any) => (c.central.sourceBucketPrefix = "x".repeat(40)),
      "members[0] source bucket",
      /S3 allows 3 to 63/,
      /shorten central.sourceBucketPrefix/,
    ],
    [
      "an empty deploy role name",
      (c: any) => (c.central.deployRoleName = ""),
      "central.deployRoleName",
      /not an IAM role name/,
      /OrganizationAccountAccessRole/,
    ],
    [
      "an extra rule outside the account prefix",
      (c: any) => (c.members[0].extraRules = [{ id: "x", prefix: "logs/", priority: 1 }]),
      "members[0].extraRules[0].prefix",
      /outside the account's prefix/,
      /start it with "222222222222\/"/,
    ],
    [
      "two rules with one priority",
      (c: any) =>
        (c.members[0].extraRules = [
          { id: "a", prefix: "222222222222/a/", priority: 1 },
          { id: "b", prefix: "222222222222/b/", priority: 1 },
        ]),
      "members[0].extraRules[1].priority",
      /not a unique positive priority/,
      /no other rule/,
    ],
    [
      "a tag rule with delete-marker replication",
      (c: any) =>
        Object.assign(c.members[0], {
          replicateDeleteMarkers: true,
          extraRules: [{ id: "t", prefix: "222222222222/", tag: { key: "k", value: "v" }, priority: 1 }],
        }),
      "members[0].extraRules[0].tag",
      /delete markers for tag-filtered rules/,
      /remove the tag filter/,
    ],
    [
      "a central key ARN of another account",
      (c: any) => (c.central.keyArn = "arn:aws:kms:eu-central-1:999999999999:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"),
      "central.keyArn",
      /not in the central account and region/,
      /central stack created/,
    ],
    [
      "a state backend with a bad bucket",
      (c: any) => (c.stateBackend = { bucket: "x", region: "eu-central-1" }),
      "stateBackend.bucket",
      /S3 allows 3 to 63/,
      /existing S3 bucket/,
    ],
    [
      "a state backend key prefix with a trailing slash",
      (c: any) => (c.stateBackend = { bucket: "acme-tf-state", region: "eu-central-1", keyPrefix: "backup/" }),
      "stateBackend.keyPrefix",
      /not a usable key prefix/,
      /no leading or trailing/,
    ],
    [
      "a monitoring email that is not an address",
      (c: any) => (c.central.monitoring = { emails: ["platform team"] }),
      "central.monitoring.emails[0]",
      /not an email address/,
      /platform-team@example.com/,
    ],
    [
      "an unknown access mode",
      (c: any) => (c.central.accessMode = "everyone"),
      "central.accessMode",
      /not an access mode/,
      /"organization" or "listed-accounts"/,
    ],
    [
      "an Object Lock mode that does not exist",
      (c: any) => (c.central.objectLock = { mode: "STRICT", days: 10 }),
      "central.objectLock.mode",
      /not an Object Lock mode/,
      /GOVERNANCE/,
    ],
  ])("rejects %s, naming the field and the fix", (_name, change, field, problem, fix) => {
    expectProblem(withChange(change), field, problem, fix);
  });

  test.each([
    [
      "a plan role name IAM refuses",
      (c: any) => (c.central.planRoleName = "plan role"),
      "central.planRoleName",
      /not an IAM role name/,
      /s3-central-backup-plan/,
    ],
    [
      "a plan role named like the deploy role",
      (c: any) => (c.central.planRoleName = c.central.deployRoleName),
      "central.planRoleName",
      /also the name of central.deployRoleName/,
      /its own name/,
    ],
    [
      "the retired single CI role",
      (c: any) => (c.ciRoleArn = "arn:aws:iam::111111111111:role/github"),
      "ciRoleArn",
      /lets any pull request deploy/,
      /set ci .*CI_PLAN_ROLE_ARN and CI_DEPLOY_ROLE_ARN/,
    ],
  ])("rejects %s, naming the field and the fix", (_name, change, field, problem, fix) => {
    expectProblem(withChange(change), field, problem, fix);
  });

  test("the bootstrap refuses a config without ci, saying what to add", () => {
    expectProblem(example, "ci", /nothing to bootstrap/, /add ci with githubRepository and organization/, validateBootstrapConfig);
  });

  test.each([
    [
      "a repository without owner",
      (c: any) => (c.ci.githubRepository = "org-s3-central-backup"),
      "ci.githubRepository",
      /not a GitHub repository "owner\/repo"/,
      /exactly as GitHub shows it/,
    ],
    [
      "an environment name with ':'",
      (c: any) => (c.ci.deployEnvironment = "prod:eu"),
      "ci.deployEnvironment",
      /not a usable GitHub environment name/,
      /part of the OIDC subject/,
    ],
    ["a plan CI role name IAM refuses", (c: any) => (c.ci.planRoleName = "ci plan"), "ci.planRoleName", /not an IAM role name/, /default/],
    ["a deploy CI role name IAM refuses", (c: any) => (c.ci.deployRoleName = "x".repeat(65)), "ci.deployRoleName", /not an IAM role name/, /default/],
    ["a bootstrap role name IAM refuses", (c: any) => (c.ci.bootstrapRoleName = "admin/role"), "ci.bootstrapRoleName", /not an IAM role name/, /default/],
    [
      "a CI role named like the account plan role",
      (c: any) => (c.ci.planRoleName = "s3-central-backup-plan"),
      "ci.planRoleName",
      /also the name of central.planRoleName/,
      /its own name/,
    ],
    [
      "the Organizations role as deploy role",
      (c: any) => (c.central.deployRoleName = "OrganizationAccountAccessRole"),
      "central.deployRoleName",
      /already exists .* trusts only the management account/,
      /dedicated role/,
    ],
    [
      "a state admin that is not a role ARN",
      (c: any) => (c.ci.stateAdminRoleArns = ["arn:aws:iam::111111111111:user/alice"]),
      "ci.stateAdminRoleArns[0]",
      /not an IAM role ARN/,
      /role\/<path\/name>/,
    ],
    [
      "an operator that is not a role ARN",
      (c: any) => (c.ci.operatorRoleArns = ["alice"]),
      "ci.operatorRoleArns[0]",
      /not an IAM role ARN/,
      /role\/<path\/name>/,
    ],
    [
      "a noncurrent state retention of 0 days",
      (c: any) => (c.ci.stateNoncurrentVersionDays = 0),
      "ci.stateNoncurrentVersionDays",
      /not a number of days/,
      /1 or more/,
    ],
    [
      "a management account ID of 11 digits",
      (c: any) => (c.ci.organization.managementAccountId = "99990000000"),
      "ci.organization.managementAccountId",
      /12-digit/,
      /12 digits/,
    ],
    [
      "the management account as delegated administrator",
      (c: any) => (c.ci.organization.delegatedAdminAccountId = "999900000000"),
      "ci.organization.delegatedAdminAccountId",
      /is the management account/,
      /remove the field/,
    ],
    [
      "no OU to roll the roles out to",
      (c: any) => (c.ci.organization.organizationalUnitIds = []),
      "ci.organization.organizationalUnitIds",
      /empty, so no account would get/,
      /root .* or the OUs/,
    ],
    [
      "an account ID where an OU ID belongs",
      (c: any) => (c.ci.organization.organizationalUnitIds = ["222222222222"]),
      "ci.organization.organizationalUnitIds[0]",
      /neither a root ID nor an OU ID/,
      /"ou-<root>-/,
    ],
    [
      "the management account as central account",
      (c: any) => (c.ci.organization.managementAccountId = "111111111111"),
      "central.accountId",
      /management account, where StackSets never deploy/,
      /keep workloads and the central bucket out/,
    ],
    [
      "the management account as a member",
      (c: any) => (c.ci.organization.managementAccountId = "333333333333"),
      "members[1].accountId",
      /management account, where StackSets never deploy/,
      /plain CloudFormation stack/,
    ],
  ])("with ci: rejects %s, naming the field and the fix", (_name, change, field, problem, fix) => {
    expectProblem(withCi(change), field, problem, fix);
  });

  test("ci without stateBackend is one problem naming stateBackend: CI runners would lose the state", () => {
    expectProblem(
      withCi((c) => delete c.stateBackend),
      "stateBackend",
      /is not set, but ci is: CI would keep Terraform state on its runners/,
      /add stateBackend: \{ bucket: .*npm run bootstrap:deploy creates that bucket/,
    );
  });

  test("with ci: fills the defaults and derives the CI roles, subjects and per-account plan roles", () => {
    const resolved = validateConfig(withCi());
    expect(resolved.central.planRoleArn).toBe("arn:aws:iam::111111111111:role/s3-central-backup-plan");
    expect(resolved.members.map((m) => m.planRoleArn)).toEqual(
      ["222222222222", "333333333333", "444444444444"].map((id) => `arn:aws:iam::${id}:role/s3-central-backup-plan`),
    );
    expect(resolved.ci).toEqual({
      githubRepository: "acme/org-s3-central-backup",
      deployEnvironment: "production",
      accountId: "111111111111",
      oidcProviderArn: "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com",
      createOidcProvider: true,
      planRoleName: "s3-central-backup-ci-plan",
      planRoleArn: "arn:aws:iam::111111111111:role/s3-central-backup-ci-plan",
      deployRoleName: "s3-central-backup-ci-deploy",
      deployRoleArn: "arn:aws:iam::111111111111:role/s3-central-backup-ci-deploy",
      planSubjects: ["repo:acme/org-s3-central-backup:pull_request", "repo:acme/org-s3-central-backup:ref:refs/heads/main"],
      deploySubject: "repo:acme/org-s3-central-backup:environment:production",
      bootstrapRoleArn: "arn:aws:iam::111111111111:role/OrganizationAccountAccessRole",
      stateAdminRoleArns: ["arn:aws:iam::111111111111:role/OrganizationAccountAccessRole"],
      operatorRoleArns: [],
      stateNoncurrentVersionDays: 90,
      organization: {
        managementAccountId: "999900000000",
        stackSetAccountId: "999900000000",
        delegatedAdmin: false,
        stackSetBootstrapRoleArn: undefined,
        organizationalUnitIds: ["r-ab12"],
      },
    });
  });

  test("reports every problem at once, not only the first", () => {
    const error = problemsOf(
      withChange((c) => {
        c.organizationId = "org";
        c.central.region = "nowhere-1";
        c.members = [member("1"), member("1")];
      }),
    );
    expect(error.problems.map((p) => p.field)).toEqual(
      expect.arrayContaining(["organizationId", "central.region", "members[0].accountId", "members[1].accountId"]),
    );
  });

  test("fills every default and derives every name", () => {
    const resolved = validateConfig(example);
    const first = resolved.members[0];
    expect(first).toMatchObject({
      accountId: "222222222222",
      region: "eu-central-1",
      stackName: "member-222222222222",
      sourceBucketName: "s3-backup-source-222222222222-eu-central-1",
      deployRoleArn: "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole",
      replicationRoleArn: "arn:aws:iam::222222222222:role/s3-central-backup-replication",
      replicationTimeControl: true,
      replicateDeleteMarkers: false,
      monitoring: { enabled: true, emails: [] },
      batchReplication: true,
    });
    expect(first.rules).toEqual([{ id: "central-backup-222222222222", prefix: "222222222222/", priority: 0, enabled: true, storageClass: "STANDARD_IA" }]);
    expect(resolved.central).toMatchObject({
      bucketArn: "arn:aws:s3:::acme-org-central-backup",
      replicaKmsKeyId: "arn:aws:kms:eu-central-1:111111111111:alias/central-backup",
      keyDeletionWindowDays: 30,
      accessMode: "organization",
    });
  });

  test.each([
    [
      "a misspelt central option",
      (c: any) => (c.central.replicateDeleteMarker = true),
      "central.replicateDeleteMarker",
      /is not an option of central/,
      /did you mean replicateDeleteMarkers\?/,
    ],
    [
      "a member option in the wrong case",
      (c: any) => (c.members[1].storageclass = "GLACIER"),
      "members[1].storageclass",
      /is not an option of members\[1\]/,
      /did you mean storageClass\?/,
    ],
    [
      "a misspelt nested option",
      (c: any) => (c.central.objectLock = { mode: "GOVERNANCE", dayz: 30 }),
      "central.objectLock.dayz",
      /not an option/,
      /did you mean days\?/,
    ],
    [
      "a misspelt top-level option",
      (c: any) => (c.stateBackends = {}),
      "stateBackends",
      /stateBackends: is not an option\. Fix/,
      /did you mean stateBackend\?/,
    ],
    [
      "an option nothing resembles",
      (c: any) => (c.members[0].colour = "blue"),
      "members[0].colour",
      /not an option/,
      /remove it; the options are .*accountId, name/,
    ],
  ])("unknown keys are errors, with the closest valid name: %s", (_what, change, field, problem, fix) => {
    expectProblem(withChange(change), field, problem, fix);
  });

  test("a misspelt key is reported even beside a valid config (it would otherwise plan the default silently)", () => {
    const error = problemsOf(withChange((c) => (c.central.replicateDeleteMarker = true)));
    expect(error.message).toBe(
      "accounts.ts is invalid (1 problem):\n  - central.replicateDeleteMarker: is not an option of central. Fix: did you mean replicateDeleteMarkers?",
    );
  });

  test("two members with one name are refused: the name tags their resources and labels them in reports", () => {
    expectProblem(
      withChange((c) => c.members.push(member("555555555555", { name: "workloads-prod" }))),
      "members[3].name",
      /"workloads-prod" is also the name of members\[0\]/,
      /give every member its own name/,
    );
  });

  test("a name AWS cannot take as a tag value is refused", () => {
    expectProblem(
      withChange((c) => (c.members[0].name = "team's bucket")),
      "members[0].name",
      /cannot be an AWS tag value/,
      /letters, digits, spaces/,
    );
  });

  test.each([
    ["a malformed central region", (c: any) => (c.central.region = "EU-CENTRAL-1"), ["central.region"]],
    ["a misspelt member region", (c: any) => (c.members[0].region = "eu-cental-1"), ["members[0].region"]],
    ["a malformed member account ID", (c: any) => (c.members[0].accountId = "2222"), ["members[0].accountId"]],
    [
      "a malformed account ID of a member with extra rules",
      (c: any) => {
        c.members[0].accountId = "2222";
        c.members[0].extraRules = [{ id: "logs", prefix: "222222222222/logs/", priority: 1 }];
      },
      ["members[0].accountId"],
    ],
  ])("one root cause, one message: %s reports no error in the fields derived from it", (_what, change, fields) => {
    expect(problemsOf(withChange(change)).problems.map((p) => p.field)).toEqual(fields);
  });

  test("a region in the wrong case or with a typo gets the region it most likely meant", () => {
    expectProblem(
      withChange((c) => (c.central.region = "EU-CENTRAL-1")),
      "central.region",
      /not a known AWS region/,
      /did you mean "eu-central-1"\?/,
    );
    expectProblem(
      withChange((c) => (c.members[0].region = "eu-cental-1")),
      "members[0].region",
      /not a known AWS region/,
      /did you mean "eu-central-1"\?/,
    );
  });
});

describe("warnings of a valid config", () => {
  test("no alert address anywhere is one warning naming central.monitoring.emails; an address on central or on any member silences it", () => {
    const warnings = (change: (c: any) => void) => configWarnings(validateConfig(withChange(change)));
    expect(warnings(() => {})).toEqual([expect.stringMatching(/^central\.monitoring\.emails: no alert reaches a person .*Fix: add a team address/)]);
    expect(warnings((c) => (c.central.monitoring = { emails: ["backup-oncall@example.com"] }))).toEqual([]);
    expect(warnings((c) => (c.members[1].monitoring = { emails: ["data-team@example.com"] }))).toEqual([]);
  });
});
