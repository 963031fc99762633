import { config as example } from "../accounts";
import type { BackupConfig, MemberAccountConfig } from "../lib/config";
import { ConfigError, validateConfig } from "../lib/validate";

/** The example config with one change applied (to a deep copy, typed loosely on purpose: bad input is the point). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
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
    ["a duplicate member", (c: any) => c.members.push(member("222222222222")), "members[3].accountId", /listed twice \(also members\[0\]\)/, /one entry per account/],
    ["the central account listed as a member", (c: any) => c.members.push(member("111111111111")), "members[3].accountId", /is the central account/, /remove it from members/],
    ["an organization ID of the wrong shape", (c: any) => (c.organizationId = "o-SHORT"), "organizationId", /not an AWS Organization ID/, /"o-" followed by 10 to 32 lowercase/],
    ["an unknown central region", (c: any) => (c.central.region = "eu-middle-9"), "central.region", /not a known AWS region/, /eu-central-1/],
    ["an unknown member region", (c: any) => (c.members[1].region = "mars-1"), "members[1].region", /not a known AWS region/, /region code/],
    ["an unknown storage class", (c: any) => (c.central.storageClass = "COLD"), "central.storageClass", /not a storage class/, /STANDARD_IA/],
    ["an unknown member storage class", (c: any) => (c.members[2].storageClass = "GLACIER_DEEP"), "members[2].storageClass", /not a storage class/, /DEEP_ARCHIVE/],
    ["an invalid central bucket name", (c: any) => (c.central.bucketName = "Central_Backup"), "central.bucketName", /lowercase letters, digits, dots and hyphens/, /globally unique name/],
    ["a bucket name formatted as an IP address", (c: any) => (c.central.bucketName = "192.168.1.10"), "central.bucketName", /IP address/, /globally unique/],
    ["an empty member list", (c: any) => (c.members = []), "members", /empty/, /add at least one member/],
    ["a key alias without alias/", (c: any) => (c.central.keyAlias = "central-backup"), "central.keyAlias", /not a valid customer KMS alias/, /alias\/<name>/],
    ["a deletion window outside 7-30 days", (c: any) => (c.central.keyDeletionWindowDays = 3), "central.keyDeletionWindowDays", /outside KMS's 7-30 days/, /7 to 30/],
    ["a source bucket prefix too long for S3", (c: any) => (c.central.sourceBucketPrefix = "x".repeat(40)), "members[0] source bucket", /S3 allows 3 to 63/, /shorten central.sourceBucketPrefix/],
    ["an empty deploy role name", (c: any) => (c.central.deployRoleName = ""), "central.deployRoleName", /not an IAM role name/, /OrganizationAccountAccessRole/],
    ["an extra rule outside the account prefix", (c: any) => (c.members[0].extraRules = [{ id: "x", prefix: "logs/", priority: 1 }]), "members[0].extraRules[0].prefix", /outside the account's prefix/, /start it with "222222222222\/"/],
    ["two rules with one priority", (c: any) => (c.members[0].extraRules = [{ id: "a", prefix: "222222222222/a/", priority: 1 }, { id: "b", prefix: "222222222222/b/", priority: 1 }]), "members[0].extraRules[1].priority", /not a unique positive priority/, /no other rule/],
    ["a tag rule with delete-marker replication", (c: any) => Object.assign(c.members[0], { replicateDeleteMarkers: true, extraRules: [{ id: "t", prefix: "222222222222/", tag: { key: "k", value: "v" }, priority: 1 }] }), "members[0].extraRules[0].tag", /delete markers for tag-filtered rules/, /remove the tag filter/],
    ["a central key ARN of another account", (c: any) => (c.central.keyArn = "arn:aws:kms:eu-central-1:999999999999:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"), "central.keyArn", /not in the central account and region/, /central stack created/],
    ["a state backend with a bad bucket", (c: any) => (c.stateBackend = { bucket: "x", region: "eu-central-1" }), "stateBackend.bucket", /S3 allows 3 to 63/, /existing S3 bucket/],
    ["a state backend key prefix with a trailing slash", (c: any) => (c.stateBackend = { bucket: "acme-tf-state", region: "eu-central-1", keyPrefix: "backup/" }), "stateBackend.keyPrefix", /not a usable key prefix/, /no leading or trailing/],
    ["a monitoring email that is not an address", (c: any) => (c.central.monitoring = { emails: ["platform team"] }), "central.monitoring.emails[0]", /not an email address/, /platform-team@example.com/],
    ["an unknown access mode", (c: any) => (c.central.accessMode = "everyone"), "central.accessMode", /not an access mode/, /"organization" or "listed-accounts"/],
    ["an Object Lock mode that does not exist", (c: any) => (c.central.objectLock = { mode: "STRICT", days: 10 }), "central.objectLock.mode", /not an Object Lock mode/, /GOVERNANCE/],
  ])("rejects %s, naming the field and the fix", (_name, change, field, problem, fix) => {
    const error = problemsOf(withChange(change));
    const line = error.message.split("\n").find((l) => l.includes(`- ${field}:`));
    expect(line).toBeDefined();
    expect(line).toMatch(problem);
    expect(line).toMatch(new RegExp(`Fix: .*${fix.source}`));
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
    expect(first.rules).toEqual([
      { id: "central-backup-222222222222", prefix: "222222222222/", priority: 0, enabled: true, storageClass: "STANDARD_IA" },
    ]);
    expect(resolved.central).toMatchObject({
      bucketArn: "arn:aws:s3:::acme-org-central-backup",
      replicaKmsKeyId: "arn:aws:kms:eu-central-1:111111111111:alias/central-backup",
      keyDeletionWindowDays: 30,
      accessMode: "organization",
    });
  });
});
