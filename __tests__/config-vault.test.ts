import { config as example } from "./fixtures/example";
import { allOptions, withRestore, withVault } from "./fixtures/configs";
import type { BackupConfig } from "../lib/core/config/types";
import { ConfigError } from "../lib/core/config/problems";
import { validateConfig } from "../lib/core/config/validate";
import { compare } from "../lib/tooling/ops/org-sync";

/** The line of the ConfigError that names the field (undefined when the config passes or another field fails). */
function problemLine(config: BackupConfig, field: string): string | undefined {
  try {
    validateConfig(config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.message.split("\n").find((l) => l.includes(`- ${field}:`));
  }
  return undefined;
}

/** The example with a vault, one field of it changed (typed loosely: bad input is the point). */
const vaultWith = (change: Record<string, unknown>): BackupConfig => withVault(example, change);

describe("vault in accounts.ts", () => {
  test("unset, nothing is resolved; set, every name and ARN is derived, the replica key by alias until keyArn pins it", () => {
    expect(validateConfig(example).vault).toBeUndefined();
    expect("vault" in validateConfig(example)).toBe(false);
    const vault = validateConfig(withVault(example)).vault!;
    expect(vault).toEqual({
      stackName: "vault",
      accountId: "101010101010",
      region: "eu-west-2",
      bucketName: "acme-org-backup-vault",
      bucketArn: "arn:aws:s3:::acme-org-backup-vault",
      keyAlias: "alias/backup-vault",
      replicaKmsKeyId: "arn:aws:kms:eu-west-2:101010101010:alias/backup-vault",
      keyResourceForMembers: "arn:aws:kms:eu-west-2:101010101010:key/*",
      objectLockDays: 35,
      deployRoleArn: `arn:aws:iam::101010101010:role/${example.central.deployRoleName}`,
      planRoleArn: "arn:aws:iam::101010101010:role/s3-central-backup-plan",
      keyDeletionWindowDays: 30,
      drillBucketName: "acme-org-backup-vault-drills",
    });
    // With `restore`, the vault has a restore role of its own, under the restore role's name.
    const withRestoreToo = validateConfig(withRestore(withVault(example), { assumableBy: ["arn:aws:iam::111111111111:role/Ops"], roleName: "ops-restore" }));
    expect(withRestoreToo.vault!.restoreRoleArn).toBe("arn:aws:iam::101010101010:role/ops-restore");
    const pinned = validateConfig(allOptions).vault!;
    expect(pinned.replicaKmsKeyId).toBe(allOptions.vault!.keyArn);
    expect(pinned.keyResourceForMembers).toBe(allOptions.vault!.keyArn);
  });

  test.each<[string, Record<string, unknown>, string, RegExp, RegExp]>([
    ["the central account", { accountId: "111111111111" }, "vault.accountId", /is the central account/, /an account of its own/],
    ["a member's account", { accountId: "333333333333" }, "vault.accountId", /is a member \(workloads-staging\)/, /neither central nor a member/],
    ["an account ID that is a number", { accountId: 101010101010 }, "vault.accountId", /is a number/, /in quotes/],
    ["an unknown region", { region: "eu-west-9" }, "vault.region", /not a known AWS region/, /did you mean/],
    ["the central bucket's name", { bucketName: "acme-org-central-backup" }, "vault.bucketName", /is the central bucket/, /another globally unique name/],
    ["an invalid bucket name", { bucketName: "Vault_Bucket" }, "vault.bucketName", /lowercase/, /globally unique name/],
    ["an AWS managed alias", { keyAlias: "alias/aws/s3" }, "vault.keyAlias", /not a valid customer KMS alias/, /alias\/<name>/],
    [
      "a key ARN of another account",
      { keyArn: "arn:aws:kms:eu-west-2:111111111111:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" },
      "vault.keyArn",
      /not in the vault account and region/,
      /101010101010 \/ eu-west-2/,
    ],
    ["a key ARN that is not one", { keyArn: "alias/backup-vault" }, "vault.keyArn", /not a KMS key ARN/, /vault_key_arn output/],
    ["no retention", { objectLockDays: undefined }, "vault.objectLockDays", /is missing: a vault without a COMPLIANCE lock/, /whole days/],
    ["a retention of 0 days", { objectLockDays: 0 }, "vault.objectLockDays", /not a COMPLIANCE retention/, /from 1 to 3650/],
    ["a fractional retention", { objectLockDays: 7.5 }, "vault.objectLockDays", /not a COMPLIANCE retention/, /whole number/],
    ["a century of retention", { objectLockDays: 36500 }, "vault.objectLockDays", /not a COMPLIANCE retention/, /nobody can shorten it/],
    ["a misspelt field", { objectLockDay: 35 }, "vault.objectLockDay", /is not an option/, /did you mean objectLockDays\?/],
  ])("rejects %s, naming the field and the fix", (_name, change, field, problem, fix) => {
    const line = problemLine(vaultWith(change), field);
    expect(line).toBeDefined();
    expect(line).toMatch(problem);
    expect(line).toMatch(new RegExp(`Fix: .*${fix.source}`));
  });

  test("the retention's bounds are accepted: 1 and 3650 days", () => {
    expect(validateConfig(vaultWith({ objectLockDays: 1 })).vault!.objectLockDays).toBe(1);
    expect(validateConfig(vaultWith({ objectLockDays: 3650 })).vault!.objectLockDays).toBe(3650);
  });
});

test("org-sync never reports the vault account as a missing member, and says why", () => {
  const config = withVault(example);
  const accounts = ["101010101010", "121212121299"].map((accountId) => ({ accountId, name: accountId, state: "ACTIVE" }));
  const result = compare(config, validateConfig(config), accounts, { scope: "organization" });
  expect(result.missing.map((a) => a.accountId)).toEqual(["121212121299"]);
  expect(result.skipped).toContainEqual({ accountId: "101010101010", why: "the vault account" });
  expect(compare(example, validateConfig(example), accounts, { scope: "organization" }).missing).toHaveLength(2);
});
