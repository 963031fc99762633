/** The restore commands as a user runs them (spawned, with a fixture config), and their argument rules. */
import * as path from "path";
import { parseRestoreArgs, underAccount } from "../lib/cli/restore-args";
import { checkRestoreTarget, drillOrigins, restoreAccessOf, restoreOriginOf, restoreSubject } from "../lib/cli/restore-access";
import { validateConfig } from "../lib/core/config/validate";
import { withVault } from "./fixtures/configs";
import { config } from "./fixtures/restore-config";
import { CommandRun, runEntry } from "./support/spawn-collect";

const ROOT = path.resolve(__dirname, "..");

function run(script: string, args: string[]): Promise<CommandRun> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_")));
  const env = {
    ...base,
    S3_BACKUP_CONFIG: path.join(ROOT, "__tests__/fixtures/restore-config.ts"),
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONFIG_FILE: "/nonexistent/aws-config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
  };
  return runEntry(script, args, { cwd: ROOT, env });
}

const RESTORE = "lib/cli/restore.ts";
const DRILL = "lib/cli/restore-drill.ts";

describe("npm run restore / restore:drill, spawned", () => {
  test("--help: usage, every option, one example; exit 0", async () => {
    const [restore, drill] = await Promise.all([run(RESTORE, ["--help"]), run(DRILL, ["--help"])]);
    expect(restore.status).toBe(0);
    expect(restore.stdout).toMatch(
      /^Usage: npm run restore -- --account <id> \[--prefix <p> \| --key <k>\] \[--as-of <ISO time>\] \[--to <bucket>\[\/<prefix>\]\] \[--from central\|vault\] \[--dry-run\]/,
    );
    for (const flag of ["--thaw", "--allow-unversioned-target", "--concurrency", "--report", "--state-dir"]) expect(restore.stdout).toContain(flag);
    expect(restore.stdout).toMatch(/Example:\n {2}npm run restore -- --account 222222222222 /);
    expect(drill.status).toBe(0);
    expect(drill.stdout).toMatch(/Example:\n {2}npm run restore:drill -- --sample 5/);
  });

  test.each([
    [RESTORE, ["--account", "222222222222", "--bogus"], /^--bogus is not an option of restore\. Options: --account, --prefix, (--[a-z-]+, )*--help$/],
    [RESTORE, ["--account", "222222222222", "--prefix", "a", "--key", "b"], /^--prefix and --key exclude each other: give one\.$/],
    [
      RESTORE,
      ["--account", "222222222222", "--as-of", "2026-03-01 12:00"],
      /^--as-of must be an ISO 8601 time with a zone, e.g\. 2026-03-01T12:00:00Z, not "2026-03-01 12:00"\. Usage: npm run restore -- --account <id> /,
    ],
    [RESTORE, ["--account", "222222222222", "--as-of", "2999-01-01T00:00:00Z"], /^--as-of 2999-01-01T00:00:00Z is in the future/],
    [RESTORE, ["--account", "999999999999"], /^--account: Account 999999999999 is not in accounts\.ts \(members: 222222222222, 333333333333\)/],
    [
      RESTORE,
      ["--account", "222222222222", "--to", "Not_A_Bucket"],
      /^--to must be <bucket>\[\/<prefix>\] with a valid bucket name, not "Not_A_Bucket"\. Usage: npm run restore -- /,
    ],
    [RESTORE, ["--account", "222222222222", "--concurrency", "0"], /^--concurrency must be a whole number from 1 to 256, not "0"\. Usage: npm run restore -- /],
    [DRILL, ["--all", "--sample", "2"], /^--account, --all and --sample exclude each other: give one\.$/],
    [DRILL, ["--frobnicate"], /^--frobnicate is not an option of restore:drill\. Options: --account, --all, --sample, --objects, --from, --summary, --help$/],
    [RESTORE, ["--account", "222222222222", "--from", "backup"], /^--from must be central or vault, not "backup"\. Usage: npm run restore -- /],
    [
      RESTORE,
      ["--account", "222222222222", "--from", "vault"],
      /^--from vault: accounts\.ts has no vault, so there is no second copy to read; restore from central/,
    ],
    [DRILL, ["--all", "--from", "vault"], /^--from vault: accounts\.ts has no vault/],
    [DRILL, ["--all", "--from", "both"], /^--from must be central, vault or all, not "both"\. Usage: npm run restore:drill -- /],
  ])("usage error %s %j: one line, exit 2, nothing on stdout", async (script, args, message) => {
    const result = await run(script, args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(message);
  });

  test("--to another member's bucket (or any bucket the restore role may not write) is refused before credentials or AWS", async () => {
    const result = await run(RESTORE, ["--account", "222222222222", "--to", "s3-backup-source-333333333333-eu-central-1"]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(
      /^--to s3-backup-source-333333333333-eu-central-1: not a bucket a restore of 222222222222 may write into\. Use one of /,
    );
    expect(result.stderr).not.toMatch(/No AWS credentials/);
  });

  test("valid arguments but no AWS credentials: one line saying what to set, exit 1, before any AWS call", async () => {
    const result = await run(RESTORE, ["--account", "222222222222", "--dry-run"]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(/^No AWS credentials: npm run restore works against AWS\. Set AWS_PROFILE/);
    // A restore runs as a person in restore.assumableBy: CI's OIDC roles may not assume the restore role.
    expect(result.stderr).toContain("as a role listed in restore.assumableBy");
    expect(result.stderr).not.toContain("run it in GitHub Actions with OIDC");
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});

describe("restore arguments", () => {
  const now = Date.parse("2026-06-01T00:00:00Z");
  test("--prefix and --key are relative to <id>/, and may also be given with it", () => {
    expect(underAccount("--prefix", "222222222222", "reports/")).toBe("222222222222/reports/");
    expect(underAccount("--prefix", "222222222222", "222222222222/reports/")).toBe("222222222222/reports/");
    expect(underAccount("--prefix", "222222222222", "/reports/")).toBe("222222222222/reports/");
    expect(parseRestoreArgs(["--account", "222222222222", "--key", "a/b.txt"], now)).toMatchObject({
      sourcePrefix: "222222222222/a/b.txt",
      exactKey: "222222222222/a/b.txt",
    });
    expect(parseRestoreArgs(["--account", "222222222222"], now)).toMatchObject({
      sourcePrefix: "222222222222/",
      concurrency: 16,
      asOf: undefined,
      dryRun: false,
    });
  });

  test("--list goes with --dry-run only: alone it is a usage error naming both flags", () => {
    expect(() => parseRestoreArgs(["--account", "222222222222", "--list"], now)).toThrow(/^--list goes with --dry-run/);
    expect(parseRestoreArgs(["--account", "222222222222", "--dry-run", "--list"], now)).toMatchObject({ dryRun: true, list: true });
  });

  test("--to bucket[/prefix], with or without s3://; --as-of with an offset", () => {
    const args = parseRestoreArgs(["--account", "222222222222", "--to", "s3://dr-bucket/restored/march/", "--as-of", "2026-03-01T12:00:00+02:00"], now);
    expect(args.to).toEqual({ bucket: "dr-bucket", prefix: "restored/march/" });
    expect(args.asOf?.toISOString()).toBe("2026-03-01T10:00:00.000Z");
    expect(parseRestoreArgs(["--account", "222222222222", "--to", "dr-bucket"], now).to).toEqual({ bucket: "dr-bucket", prefix: "" });
  });

  test("the journal key: the same arguments give the same run, a different as-of or target another", () => {
    const key = (...extra: string[]) => JSON.stringify(parseRestoreArgs(["--account", "222222222222", ...extra], now).runKey);
    expect(key("--concurrency", "4")).toBe(key());
    expect(key("--as-of", "2026-03-01T00:00:00Z")).not.toBe(key());
    expect(key("--to", "dr-bucket")).not.toBe(key());
  });

  test("--to may name the account's own bucket, the drill bucket or an extra target, nothing else", () => {
    const resolved = validateConfig({ ...config, restore: { ...config.restore!, extraTargetBuckets: ["dr-sandbox"] } });
    const [a, b] = resolved.members;
    const subject = restoreSubject(resolved, a.accountId, false);
    for (const ok of [a.sourceBucketName, resolved.restore!.drillBucketName, "dr-sandbox"])
      expect(() => checkRestoreTarget(resolved, subject, ok)).not.toThrow();
    for (const bad of [b.sourceBucketName, resolved.central.bucketName, "attacker-bucket"]) {
      expect(() => checkRestoreTarget(resolved, subject, bad)).toThrow(new RegExp(`^--to ${bad}: not a bucket a restore of ${a.accountId} may write into`));
    }
  });

  test("a retired account (removed from accounts.ts, backups still in central) is restored with --retired, only --to the drill bucket or an extra target", () => {
    const resolved = validateConfig({ ...config, restore: { ...config.restore!, extraTargetBuckets: ["dr-sandbox"] } });
    const retired = restoreSubject(resolved, "888888888888", true);
    expect(retired).toEqual({ accountId: "888888888888" });
    for (const ok of [resolved.restore!.drillBucketName, "dr-sandbox"]) expect(() => checkRestoreTarget(resolved, retired, ok)).not.toThrow();
    for (const bad of resolved.members.map((m) => m.sourceBucketName)) expect(() => checkRestoreTarget(resolved, retired, bad)).toThrow(/^--to /);
    expect(() => restoreSubject(resolved, "888888888888", false)).toThrow(
      /^--account: Account 888888888888 is not in accounts\.ts .* If it was removed and its backups remain in central: add --retired and --to\.$/,
    );
    expect(() => restoreSubject(resolved, resolved.members[0].accountId, true)).toThrow(/^--retired: \d{12} is in accounts\.ts/);
    expect(() => parseRestoreArgs(["--account", "888888888888", "--retired"], now)).toThrow(/^--retired needs --to/);
    expect(parseRestoreArgs(["--account", "888888888888", "--retired", "--to", "dr-sandbox/old"], now)).toMatchObject({
      retired: true,
      sourcePrefix: "888888888888/",
      to: { bucket: "dr-sandbox", prefix: "old/" },
    });
  });

  test("without a restore block the restore says how to get one: the field, break glass for central, then the members", () => {
    const { restore: _none, ...withoutRestore } = config;
    expect(() => restoreAccessOf(validateConfig(withoutRestore))).toThrow(
      /^accounts\.ts has no restore access: add restore: \{ assumableBy: .*npm run deploy -- central --role break-glass --auto-approve\) and then the members/,
    );
  });

  test("--from vault: the vault's bucket, Region, restore role and drill bucket; --to takes the vault's drill bucket, not central's", () => {
    const vaulted = validateConfig(withVault(config));
    const vault = vaulted.vault!;
    expect(restoreOriginOf(vaulted, "vault")).toEqual({
      origin: "vault",
      bucket: vault.bucketName,
      region: vault.region,
      access: {
        roleArn: `arn:aws:iam::${vault.accountId}:role/s3-central-backup-restore`,
        drillBucketName: `${vault.bucketName}-drills`,
        drillRegion: vault.region,
      },
    });
    expect(restoreOriginOf(vaulted)).toMatchObject({ origin: "central", bucket: vaulted.central.bucketName, access: restoreAccessOf(vaulted) });
    const subject = restoreSubject(vaulted, vaulted.members[0].accountId, false);
    expect(() => checkRestoreTarget(vaulted, subject, vault.drillBucketName, "vault")).not.toThrow();
    expect(() => checkRestoreTarget(vaulted, subject, vaulted.restore!.drillBucketName, "vault")).toThrow(/from the vault may write into/);
    expect(parseRestoreArgs(["--account", "222222222222", "--from", "vault"], Date.now()).runKey).toMatchObject({ from: "vault" });
    expect(parseRestoreArgs(["--account", "222222222222"], Date.now()).runKey).not.toHaveProperty("from");
  });

  test("restore:drill --from all: central, then the vault when accounts.ts has one; central alone otherwise", () => {
    const vaulted = validateConfig(withVault(config));
    expect(drillOrigins(vaulted, "all").map((o) => [o.origin, o.bucket])).toEqual([
      ["central", vaulted.central.bucketName],
      ["vault", vaulted.vault!.bucketName],
    ]);
    expect(drillOrigins(validateConfig(config), "all").map((o) => o.origin)).toEqual(["central"]);
    expect(drillOrigins(vaulted, "vault").map((o) => o.origin)).toEqual(["vault"]);
  });

  test("restore access comes from one adapter over the config", () => {
    expect(restoreAccessOf(validateConfig(config))).toEqual({
      roleArn: "arn:aws:iam::111111111111:role/s3-central-backup-restore",
      drillBucketName: "restore-test-central-drills",
      drillRegion: "eu-central-1",
    });
  });
});
