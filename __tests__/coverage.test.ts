import { CloudWatchClient, GetMetricDataCommand, GetMetricDataCommandInput } from "@aws-sdk/client-cloudwatch";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { GetBucketReplicationCommand, ListObjectsV2Command, ListObjectsV2CommandInput, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { S3ControlClient } from "@aws-sdk/client-s3-control";
import { mockClient } from "aws-sdk-client-mock";
import { spawnSync } from "child_process";
import * as path from "path";
import { validateConfig } from "../lib/core/config/validate";
import type { ResolvedMember } from "../lib/core/config/resolved";
import { FleetClients } from "../lib/tooling/ops/aws";
import { CoverageRow, coverMembers, describeUsage } from "../lib/tooling/ops/coverage";
import { coverageAnnotations, coverageJson, coverageMarkdown, coverageText } from "../lib/tooling/ops/coverage-report";
import { BucketMetrics, Bucket, deployedReplication, listObjects, metricData, objects } from "./support/fake-s3-fleet";
import { config, fleetConfig } from "./fixtures/coverage-config";
import { typescriptEntryArgs } from "../lib/tooling/ci/typescript-entry";

const NOW = new Date("2026-11-30T12:00:00Z");
const credentials = { accessKeyId: "test", secretAccessKey: "test" };
/** Every client coverage builds: service, region, role. */
const built: string[] = [];
const clients: FleetClients = {
  s3: (region, roleArn) => (built.push(`s3 ${region} ${roleArn}`), new S3Client({ region, credentials })),
  s3Control: (region) => new S3ControlClient({ region, credentials }),
  cloudwatch: (region, roleArn) => (built.push(`cloudwatch ${region} ${roleArn}`), new CloudWatchClient({ region, credentials })),
  organizations: () => new OrganizationsClient({ region: "us-east-1", credentials }),
};

const s3 = mockClient(S3Client);
const cloudwatch = mockClient(CloudWatchClient);
const resolved = validateConfig(config);
const [prod, staging, lake] = resolved.members;

/** The fake AWS: buckets by name, metrics by bucket; GetBucketReplication answers what the stack deploys unless overridden. */
let buckets: Map<string, Bucket>;
let metrics: Map<string, BucketMetrics>;
const healthy: BucketMetrics = { failed: 0, pendingOps: 0, pendingBytes: 0, latency: 42, objects: 10, standardBytes: 1000 };

function install(members: readonly ResolvedMember[], central = resolved.central) {
  const byBucket = new Map(members.map((m) => [m.sourceBucketName, m]));
  s3.on(GetBucketReplicationCommand).callsFake((input: { Bucket: string }) => ({
    ReplicationConfiguration: deployedReplication(byBucket.get(input.Bucket)!, central),
  }));
  s3.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => listObjects(buckets.get(input.Bucket!) ?? new Map(), input));
  cloudwatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => metricData(metrics, NOW, input));
}

function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({ name, $fault: "client", $metadata: { httpStatusCode: status }, message: name });
}

/** ListObjectsV2 calls on one bucket, as [Prefix, Delimiter, MaxKeys]. */
const listCalls = (bucket: string) =>
  s3
    .commandCalls(ListObjectsV2Command)
    .map((c) => c.args[0].input)
    .filter((i) => i.Bucket === bucket)
    .map((i) => [i.Prefix ?? "", i.Delimiter ?? "", i.MaxKeys]);

const run = (members: readonly ResolvedMember[], extra: object = {}) => coverMembers(resolved, members, { clients, now: () => NOW, ...extra });

beforeEach(() => {
  s3.reset();
  cloudwatch.reset();
  built.length = 0;
  buckets = new Map([
    [prod.sourceBucketName, new Map(objects("222222222222/", 30))],
    [staging.sourceBucketName, new Map(objects("333333333333/", 5))],
    [lake.sourceBucketName, new Map(objects("444444444444/raw/", 5))],
  ]);
  metrics = new Map(resolved.members.map((m) => [m.sourceBucketName, healthy]));
  install(resolved.members);
});

describe("npm run coverage (library, mocked SDK)", () => {
  test("healthy members are ok, read through each member's plan role in its region; the replicated prefix is never listed", async () => {
    const rows = await run(resolved.members);
    expect(rows.map((r) => [r.accountId, r.verdict, r.replication?.state, r.metrics])).toEqual([
      ["222222222222", "ok", "ok", "ok"],
      ["333333333333", "ok", "ok", "ok"],
      ["444444444444", "ok", "ok", "ok"],
    ]);
    expect(rows[0].health).toEqual({ hasData: true, failedOperations: 0, pendingOperations: 0, pendingBytes: 0, maxLatencySeconds: 42 });
    expect(built).toContain("s3 eu-west-1 arn:aws:iam::333333333333:role/s3-central-backup-plan");
    expect(built).toContain("cloudwatch eu-west-1 arn:aws:iam::333333333333:role/s3-central-backup-plan");
    expect(built.some((b) => b.includes("deploy"))).toBe(false);
    // Only the top-level listing: <accountId>/ is replicated, so it is never counted.
    expect(listCalls(prod.sourceBucketName)).toEqual([["", "/", 1000]]);
  });

  test("data outside <accountId>/: each top-level prefix and the top-level keys counted over many ListObjectsV2 pages, a warning", async () => {
    buckets.set(
      prod.sourceBucketName,
      new Map([...objects("222222222222/", 10), ...objects("logs/", 2500, 1024), ...objects("exports/2026/", 1200, 10), ["readme.txt", 7], ["a.csv", 3]]),
    );
    const [row] = await run([prod]);
    expect(row.verdict).toBe("warn");
    expect(row.unreplicated).toEqual([
      { prefix: "", objects: 2, bytes: 10, complete: true },
      { prefix: "exports/", objects: 1200, bytes: 12000, complete: true },
      { prefix: "logs/", objects: 2500, bytes: 2500 * 1024, complete: true },
    ]);
    expect(row.reasons).toContain("2,500 objects, 2.4 MiB under logs/ are not backed up");
    expect(row.reasons).toContain("2 objects, 10 B at the top level (keys without a prefix) are not backed up");
    // 2,500 objects under logs/ took three pages; the replicated prefix none.
    expect(listCalls(prod.sourceBucketName).filter(([p]) => p === "logs/")).toHaveLength(3);
    expect(listCalls(prod.sourceBucketName).filter(([p]) => p === "222222222222/")).toEqual([]);
    // Complete listings: no CloudWatch bucket total in the reasons.
    expect(row.reasons.some((r) => r.startsWith("bucket total"))).toBe(false);
  });

  test("a large prefix stops at --max-list: 'at least', and the bucket total from the CloudWatch daily storage metrics", async () => {
    buckets.set(prod.sourceBucketName, new Map([...objects("222222222222/", 10), ...objects("logs/", 5000, 1)]));
    metrics.set(prod.sourceBucketName, { ...healthy, objects: 123_456_789, standardBytes: 5 * 2 ** 40 });
    const [row] = await run([prod], { maxList: 1500 });
    expect(row.unreplicated).toEqual([{ prefix: "logs/", objects: 1500, bytes: 1500, complete: false }]);
    expect(listCalls(prod.sourceBucketName).filter(([p]) => p === "logs/")).toEqual([
      ["logs/", "", 1000],
      ["logs/", "", 500],
    ]);
    expect(describeUsage(row.unreplicated[0])).toBe("at least 1,500 objects, at least 1.5 KiB under logs/ are not backed up");
    expect(row.reasons).toContain("bucket total (CloudWatch daily storage metrics, 2026-11-29, all prefixes and versions): 123,456,789 objects, 5.0 TiB");
    expect(row.verdict).toBe("warn");
  });

  test("a top-level listing past the bound says more prefixes may exist", async () => {
    buckets.set(prod.sourceBucketName, new Map(Array.from({ length: 30 }, (_, i) => [`p${String(i).padStart(2, "0")}/x`, 1] as [string, number])));
    const [row] = await run([prod], { maxList: 10 });
    expect(row.topLevelComplete).toBe(false);
    expect(row.unreplicated).toHaveLength(10);
    expect(row.reasons).toContain("top-level listing stopped at the bound: more prefixes may exist");
  });

  test("replication missing, disabled or different fails the account, with each difference", async () => {
    s3.on(GetBucketReplicationCommand, { Bucket: prod.sourceBucketName }).rejects(s3Error("ReplicationConfigurationNotFoundError", 404));
    const changed = deployedReplication(lake, resolved.central);
    changed.Rules![0].Status = "Disabled";
    changed.Rules![1].Destination!.EncryptionConfiguration = { ReplicaKmsKeyID: "arn:aws:kms:eu-central-1:999999999999:key/other" };
    changed.Rules!.push({ ID: "by-hand", Status: "Enabled", Filter: { Prefix: "tmp/" }, Destination: { Bucket: "arn:aws:s3:::elsewhere" } });
    s3.on(GetBucketReplicationCommand, { Bucket: lake.sourceBucketName }).resolves({ ReplicationConfiguration: changed });
    const rows = await run(resolved.members);
    expect(rows.map((r) => [r.accountId, r.verdict, r.replication?.state])).toEqual([
      ["222222222222", "fail", "missing"],
      ["333333333333", "ok", "ok"],
      ["444444444444", "fail", "different"],
    ]);
    expect(rows[2].reasons).toEqual([
      "rule central-backup-444444444444: status is Disabled, the stack defines Enabled",
      `rule raw: replica KMS key is arn:aws:kms:eu-central-1:999999999999:key/other, the stack defines ${resolved.central.replicaKmsKeyId}`,
      "rule by-hand is not in accounts.ts",
    ]);
  });

  test("failed replication operations in the last 24 h fail the account; pending ones warn", async () => {
    metrics.set(prod.sourceBucketName, { ...healthy, failed: 3 });
    metrics.set(staging.sourceBucketName, { ...healthy, pendingOps: 12, pendingBytes: 3 * 2 ** 20 });
    const rows = await run([prod, staging]);
    expect(rows.map((r) => [r.verdict, r.reasons])).toEqual([
      ["fail", ["3 replication operations failed in the last 24 h"]],
      ["warn", ["12 operations (3.0 MiB) pending replication"]],
    ]);
  });

  test("a new member without replication metrics is 'no data', a warning, not a failure", async () => {
    metrics.delete(staging.sourceBucketName);
    const [row] = await run([staging]);
    expect([row.verdict, row.metrics, row.health?.hasData]).toEqual(["warn", "no data", false]);
    expect(row.reasons).toEqual(["no replication metrics in the last 24 h (a new member, or nothing written)"]);
  });

  test("metrics denied (the plan role without cloudwatch:GetMetricData) warn and name the call", async () => {
    cloudwatch.on(GetMetricDataCommand).rejects(s3Error("AccessDenied", 403));
    const [row] = await run([prod]);
    expect([row.verdict, row.metrics]).toEqual(["warn", "unreadable"]);
    expect(row.reasons[0]).toMatch(
      /^replication metrics unreadable: access denied: GetMetricData in eu-central-1 as arn:aws:iam::222222222222:role\/s3-central-backup-plan$/,
    );
  });

  test("one account denied and one unreachable are failed rows; the run goes on for the others", async () => {
    s3.on(GetBucketReplicationCommand, { Bucket: prod.sourceBucketName }).rejects(s3Error("AccessDenied", 403));
    const offline = Object.assign(new Error("getaddrinfo ENOTFOUND s3.eu-west-1.amazonaws.com"), { code: "ENOTFOUND" });
    s3.on(ListObjectsV2Command, { Bucket: staging.sourceBucketName }).rejects(offline);
    const rows = await run(resolved.members);
    expect(rows.map((r) => r.verdict)).toEqual(["fail", "fail", "ok"]);
    expect(rows[0].error).toBe(`access denied: GetBucketReplication on ${prod.sourceBucketName} as arn:aws:iam::222222222222:role/s3-central-backup-plan`);
    expect(rows[1].error).toBe(
      `unreachable: ListObjectsV2 on ${staging.sourceBucketName} as arn:aws:iam::333333333333:role/s3-central-backup-plan (ENOTFOUND)`,
    );
  });

  test("hundreds of accounts: at most --concurrency at once, one progress call per account, rows in the members' order", async () => {
    const fleet = validateConfig(fleetConfig(300));
    buckets = new Map(fleet.members.map((m) => [m.sourceBucketName, new Map(objects(`${m.accountId}/`, 3))]));
    metrics = new Map(fleet.members.map((m) => [m.sourceBucketName, healthy]));
    install(fleet.members, fleet.central);
    let inFlight = 0;
    let most = 0;
    s3.on(GetBucketReplicationCommand).callsFake(async (input: { Bucket: string }) => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight--;
      return {
        ReplicationConfiguration: deployedReplication(
          fleet.members.find((m) => m.sourceBucketName === input.Bucket)!,
          fleet.central,
        ),
      };
    });
    const progress: number[] = [];
    const rows = await coverMembers(fleet, fleet.members, { clients, now: () => NOW, concurrency: 5, onProgress: (done) => progress.push(done) });
    expect(rows.map((r) => r.accountId)).toEqual(fleet.members.map((m) => m.accountId));
    expect(rows.every((r) => r.verdict === "ok")).toBe(true);
    expect(most).toBe(5);
    expect(progress).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
  });
});

describe("coverage reports", () => {
  let rows: CoverageRow[];
  beforeEach(async () => {
    buckets.set(prod.sourceBucketName, new Map([...objects("222222222222/", 1), ...objects("logs/", 3, 1000)]));
    s3.on(GetBucketReplicationCommand, { Bucket: lake.sourceBucketName }).rejects(s3Error("ReplicationConfigurationNotFoundError", 404));
    rows = await run(resolved.members);
  });

  test("the table: failures first, one line each, the reasons below, the counts last", () => {
    const text = coverageText(rows);
    const lines = text.split("\n");
    expect(lines[0]).toMatch(/^account\s+name\s+verdict\s+replication\s+failed 24h\s+pending\s+max latency\s+not backed up$/);
    expect(lines[1]).toMatch(/^444444444444\s+data-lake\s+FAIL\s+missing\s+0\s+0\s+42 s\s+-$/);
    expect(lines[2]).toMatch(/^222222222222\s+workloads-prod\s+WARN\s+ok \(1 rule\)\s+0\s+0\s+42 s\s+logs\/ 3 obj 2\.9 KiB$/);
    expect(lines[3]).toMatch(/^333333333333\s+workloads-staging\s+OK\s/);
    expect(text).toContain("  444444444444 FAIL: no replication configuration on the source bucket\n");
    expect(text).toContain("  222222222222 WARN: 3 objects, 2.9 KiB under logs/ are not backed up\n");
    expect(text.trimEnd().split("\n").at(-1)).toBe("3 accounts: 1 ok, 1 warn, 1 fail");
  });

  test("JSON for CI, Markdown for the job summary, annotations for GitHub", () => {
    const json = JSON.parse(coverageJson(rows));
    expect(json.counts).toEqual({ ok: 1, warn: 1, fail: 1 });
    expect(json.accounts.map((a: CoverageRow) => a.verdict)).toEqual(["warn", "ok", "fail"]);
    const md = coverageMarkdown(rows);
    expect(md).toContain("### Backup coverage");
    expect(md).toContain("| 444444444444 | data-lake | FAIL | missing |");
    expect(md.split("\n").filter((l) => l.startsWith("| "))).toHaveLength(4);
    expect(coverageAnnotations(rows)).toEqual([
      "::error title=coverage 444444444444 data-lake::no replication configuration on the source bucket",
      "::warning title=coverage 222222222222 workloads-prod::3 objects, 2.9 KiB under logs/ are not backed up",
    ]);
    // Capped: every error, at most N warnings, then one line for the rest.
    const many = Array.from({ length: 30 }, () => rows[0]);
    expect(coverageAnnotations(many, 20)).toHaveLength(21);
    expect(coverageAnnotations(many, 20).at(-1)).toBe("::warning title=coverage::10 more accounts with warnings: see the job summary");
  });
});

describe("npm run coverage (spawned CLI)", () => {
  const ROOT = path.resolve(__dirname, "..");
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, typescriptEntryArgs("lib/cli/coverage.ts", args), {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, S3_BACKUP_CONFIG: path.join(__dirname, "fixtures/coverage-config.ts"), AWS_ACCESS_KEY_ID: "", AWS_PROFILE: "" },
    });

  test("--help: usage, options and an example, exit 0", () => {
    const r = cli("--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: npm run coverage -- --account <id> \| --all/);
    for (const flag of ["--json", "--summary FILE", "--concurrency N", "--max-list N"]) expect(r.stdout).toContain(flag);
    expect(r.stdout).toContain("Example:\n  npm run coverage -- --all");
  });

  test("usage errors: one line naming the flag, exit 2, no stack trace, before any AWS call", () => {
    const cases: [string[], string][] = [
      [["--all", "--bogus"], "--bogus is not an option of coverage. Options: --account, --all, --json, --summary, --concurrency, --max-list, --help"],
      [["--all", "--concurrency", "0"], '--concurrency must be a whole number from 1 to 64, not "0".'],
      [["--all", "--max-list", "ten"], '--max-list must be a whole number from 1 to 10000000, not "ten".'],
      [["--account", "12"], '--account must be a 12-digit account ID, not "12".'],
      [["--account", "999999999999"], "--account: Account 999999999999 is not in accounts.ts (members: 222222222222, 333333333333, 444444444444)."],
      [[], "coverage: name the accounts: --account <12-digit id>, or --all."],
    ];
    for (const [args, message] of cases) {
      const r = cli(...args);
      expect([args, r.status, r.stderr.trim().split("\n")[0]]).toEqual([args, 2, expect.stringContaining(message)]);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
