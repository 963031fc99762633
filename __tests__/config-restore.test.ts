import { ConfigError } from "../lib/core/config/problems";
import { validateConfig } from "../lib/core/config/validate";
import type { BackupConfig } from "../lib/core/config/types";
import { defaultsWithCi, withRestore, withVault } from "./fixtures/configs";

const problemsOf = (config: BackupConfig): string[] => {
  try {
    validateConfig(config);
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.problems.map((p) => `${p.field}: ${p.problem}`);
  }
};

describe("restore: the config contract", () => {
  test("defaults: role name, role ARN in the central account, drill bucket beside the central bucket, no extra targets", () => {
    expect(validateConfig(withRestore(defaultsWithCi)).restore).toEqual({
      roleName: "s3-central-backup-restore",
      roleArn: "arn:aws:iam::111111111111:role/s3-central-backup-restore",
      assumableBy: ["arn:aws:iam::111111111111:role/BackupOperator"],
      drillBucketName: "acme-org-central-backup-drills",
      extraTargetBuckets: [],
    });
    expect(validateConfig(defaultsWithCi).restore).toBeUndefined();
  });

  test("every mistake is one problem naming the field", () => {
    const bad = withRestore(
      { ...defaultsWithCi, central: { ...defaultsWithCi.central, bucketName: "a".repeat(60) } },
      { assumableBy: ["arn:aws:iam::1:role/x", "not-an-arn"], roleName: "s3-central-backup-deploy", extraTargetBuckets: ["Bad_Bucket", "a".repeat(60)] },
    );
    expect(problemsOf(bad)).toEqual([
      // A central name too long for its "-drills" and "-audit" buckets is one problem, on central.bucketName.
      `central.bucketName: "${"a".repeat(60)}" has 60 characters: the audit bucket "<name>-audit" would pass S3's 63`,
      // Role names are compared across the whole config in one place (with the CI roles).
      'restore.roleName: "s3-central-backup-deploy" is also the name of central.deployRoleName',
      'restore.assumableBy[0]: "arn:aws:iam::1:role/x" is not an IAM role ARN',
      'restore.assumableBy[1]: "not-an-arn" is not an IAM role ARN',
      'restore.extraTargetBuckets[0]: "Bad_Bucket" may hold only lowercase letters, digits, dots and hyphens, and must start and end with a letter or digit',
      `restore.extraTargetBuckets[1]: "${"a".repeat(60)}" is the central bucket`,
    ]);
    expect(problemsOf(withRestore(defaultsWithCi, { assumableBy: [] }))).toEqual(["restore.assumableBy: the list is empty, so nobody could restore"]);
  });

  test("with a vault: its drill bucket must fit S3's 63 characters, and it is never a restore target", () => {
    const vaultBucket = "v".repeat(60);
    const bad = withRestore(withVault(defaultsWithCi, { bucketName: vaultBucket }), {
      assumableBy: ["arn:aws:iam::111111111111:role/Ops"],
      extraTargetBuckets: [vaultBucket],
    });
    expect(problemsOf(bad)).toEqual([
      expect.stringMatching(/^vault\.bucketName: the vault's drill bucket name .*63/),
      `restore.extraTargetBuckets[0]: "${vaultBucket}" is the vault bucket`,
    ]);
    expect(problemsOf(withRestore(withVault(defaultsWithCi), { assumableBy: ["arn:aws:iam::111111111111:role/Ops"] }))).toEqual([]);
  });
});

describe("central.objectLock", () => {
  const locked = (accessMode: "organization" | "listed-accounts" | undefined): BackupConfig => ({
    ...defaultsWithCi,
    central: { ...defaultsWithCi.central, accessMode, objectLock: { mode: "COMPLIANCE", days: 30 } },
  });

  test("only with listed-accounts: in organization mode any account of the organization could send replicas with its own retention", () => {
    expect(problemsOf(locked("organization"))).toEqual([
      'central.objectLock: with accessMode "organization" every account of the organization could replicate objects with its own Object Lock retention (even decades of COMPLIANCE) into the central bucket',
    ]);
    expect(problemsOf(locked(undefined))).toHaveLength(1);
    expect(problemsOf(locked("listed-accounts"))).toEqual([]);
  });
});
