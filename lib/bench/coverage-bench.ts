/**
 * npx tsx lib/bench/coverage-bench.ts
 * `coverage` and `org-sync` through the library over a mocked organization of 1,000 member
 * accounts (aws-sdk-client-mock, no AWS): the first rows of each table and the wall time,
 * without latency and with a simulated per-call latency, so the concurrency shows.
 */
import { CloudWatchClient, GetMetricDataCommand, GetMetricDataCommandInput } from "@aws-sdk/client-cloudwatch";
import { Account, DescribeOrganizationCommand, ListAccountsCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { GetBucketReplicationCommand, ListObjectsV2Command, ListObjectsV2CommandInput, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { S3ControlClient } from "@aws-sdk/client-s3-control";
import { mockClient } from "aws-sdk-client-mock";
import type { BackupConfig } from "../core/config/types";
import { validateConfig } from "../core/config/validate";
import type { ResolvedMember } from "../core/config/resolved";
import type { FleetClients } from "../tooling/ops/aws";
import { coverMembers, verdictCounts } from "../tooling/ops/coverage";
import { coverageText } from "../tooling/ops/coverage-report";
import { organizationSync } from "../tooling/ops/org-sync";
import { orgSyncText } from "../tooling/ops/org-sync-report";
import { fmt, table } from "./format";
import { syntheticConfig } from "./synthetic-config";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const MEMBERS = 1000;
const raw: BackupConfig = {
  ...syntheticConfig(MEMBERS, { deployRoleName: "s3-central-backup-deploy" }),
  organizationSync: { exclude: [{ accountId: "900000000001", reason: "sandbox" }] },
};
const config = validateConfig(raw);
const credentials = { accessKeyId: "bench", secretAccessKey: "bench" };
const clients: FleetClients = {
  s3: (region) => new S3Client({ region, credentials }),
  s3Control: (region) => new S3ControlClient({ region, credentials }),
  cloudwatch: (region) => new CloudWatchClient({ region, credentials }),
  organizations: () => new OrganizationsClient({ region: "us-east-1", credentials }),
};

/** The fleet: every 50th bucket has 2,500 objects under logs/, every 200th 20,000 under exports/, a few broken accounts. */
function keysOf(m: ResolvedMember, i: number): string[] {
  const keys = [`${m.accountId}/data/a.bin`, `${m.accountId}/data/b.bin`];
  if (i % 50 === 7) keys.push(...Array.from({ length: 2500 }, (_, k) => `logs/${String(k).padStart(6, "0")}.gz`));
  if (i % 200 === 3) keys.push(...Array.from({ length: 20_000 }, (_, k) => `exports/${String(k).padStart(6, "0")}.csv`));
  return keys.sort();
}
const buckets = new Map(config.members.map((m, i) => [m.sourceBucketName, { i, member: m, keys: keysOf(m, i) }]));

function listObjects(input: ListObjectsV2CommandInput) {
  const bucket = buckets.get(input.Bucket!)!;
  const prefix = input.Prefix ?? "";
  let i = input.ContinuationToken ? Number(input.ContinuationToken) : bucket.keys.findIndex((k) => k.startsWith(prefix));
  if (i < 0) i = bucket.keys.length;
  const contents: { Key: string; Size: number }[] = [];
  const common: { Prefix: string }[] = [];
  while (i < bucket.keys.length && bucket.keys[i].startsWith(prefix) && contents.length + common.length < (input.MaxKeys ?? 1000)) {
    const rest = bucket.keys[i].slice(prefix.length);
    const cut = input.Delimiter ? rest.indexOf("/") : -1;
    if (cut < 0) {
      contents.push({ Key: bucket.keys[i++], Size: 4096 });
      continue;
    }
    const cp = prefix + rest.slice(0, cut + 1);
    common.push({ Prefix: cp });
    while (i < bucket.keys.length && bucket.keys[i].startsWith(cp)) i++;
  }
  const more = i < bucket.keys.length && bucket.keys[i].startsWith(prefix);
  return { Contents: contents, CommonPrefixes: common, IsTruncated: more, NextContinuationToken: more ? String(i) : undefined };
}

function replication(bucketName: string) {
  const { i, member } = buckets.get(bucketName)!;
  if (i === 11) throw new S3ServiceException({ name: "AccessDenied", $fault: "client", $metadata: { httpStatusCode: 403 }, message: "Access Denied" });
  if (i === 12) throw Object.assign(new Error(`getaddrinfo ENOTFOUND s3.${member.region}.amazonaws.com`), { code: "ENOTFOUND" });
  const c = config.central;
  return {
    ReplicationConfiguration: {
      Role: member.replicationRoleArn,
      Rules: member.rules.map((r) => ({
        ID: r.id,
        Status: i === 13 ? "Disabled" : "Enabled",
        Filter: { Prefix: r.prefix },
        Destination: { Bucket: c.bucketArn, Account: c.accountId, EncryptionConfiguration: { ReplicaKmsKeyID: c.replicaKmsKeyId } },
      })),
    },
  };
}

function metricData(input: GetMetricDataCommandInput, now: Date) {
  return {
    MetricDataResults: (input.MetricDataQueries ?? []).map((q) => {
      const dims: Record<string, string | undefined> = Object.fromEntries(
        (q.MetricStat!.Metric!.Dimensions ?? []).map((d): [string, string | undefined] => [d.Name ?? "", d.Value]),
      );
      const { i } = buckets.get(dims.SourceBucket ?? dims.BucketName ?? "")!;
      const name = q.MetricStat!.Metric!.MetricName!;
      const newMember = i % 100 === 99;
      const value = { OperationsFailedReplication: i === 14 ? 4 : 0, ReplicationLatency: 30 + (i % 60), NumberOfObjects: 25_000 }[name] ?? 0;
      const has = !newMember && (name !== "BucketSizeBytes" || dims.StorageType === "StandardStorage");
      return {
        Id: q.Id,
        Timestamps: has ? [new Date(now.getTime() - 3600_000)] : [],
        Values: has ? [value || (name === "BucketSizeBytes" ? 2 ** 30 : 0)] : [],
      };
    }),
  };
}

/** The organization: the members, the central and management accounts, 25 new ACTIVE accounts, a suspended member. */
function organization(): Account[] {
  const accounts: Account[] = [{ Id: "111111111111", Name: "central", State: "ACTIVE" }];
  accounts.push({ Id: "999999999999", Name: "management", State: "ACTIVE" });
  config.members.forEach((m, i) => accounts.push({ Id: m.accountId, Name: m.name, State: i === 500 ? "SUSPENDED" : "ACTIVE" }));
  for (let k = 0; k < 25; k++) accounts.push({ Id: String(900000000000 + k), Name: `New Team ${k}`, State: "ACTIVE" });
  return accounts;
}

function install(latencyMs: number, now: Date) {
  const wait = () => (latencyMs ? new Promise((resolve) => setTimeout(resolve, latencyMs)) : Promise.resolve());
  const s3 = mockClient(S3Client);
  const cloudwatch = mockClient(CloudWatchClient);
  const org = mockClient(OrganizationsClient);
  s3.on(GetBucketReplicationCommand).callsFake(async (input: { Bucket: string }) => (await wait(), replication(input.Bucket)));
  s3.on(ListObjectsV2Command).callsFake(async (input: ListObjectsV2CommandInput) => (await wait(), listObjects(input)));
  cloudwatch.on(GetMetricDataCommand).callsFake(async (input: GetMetricDataCommandInput) => (await wait(), metricData(input, now)));
  const accounts = organization();
  org.on(DescribeOrganizationCommand).resolves({ Organization: { Id: raw.organizationId, MasterAccountId: "999999999999" } });
  org.on(ListAccountsCommand).callsFake(async (input: { NextToken?: string }) => {
    await wait();
    const start = Number(input.NextToken ?? 0);
    return { Accounts: accounts.slice(start, start + 20), NextToken: start + 20 < accounts.length ? String(start + 20) : undefined };
  });
  return () => [s3, cloudwatch, org].forEach((m) => m.restore());
}

async function measure(latencyMs: number, concurrency: number, print: boolean) {
  const now = new Date();
  const restore = install(latencyMs, now);
  try {
    const started = performance.now();
    const rows = await coverMembers(config, config.members, { clients, concurrency, now: () => now });
    const coverageMs = performance.now() - started;
    const orgStarted = performance.now();
    const sync = await organizationSync(raw, config, clients);
    const orgMs = performance.now() - orgStarted;
    if (print) {
      const text = coverageText(rows).split("\n");
      console.log("coverage, first rows of the table:\n");
      console.log(text.slice(0, 16).join("\n"));
      console.log(`… (${rows.length - 15} more rows)\n`);
      console.log(
        text
          .filter((l) => l.startsWith("  "))
          .slice(0, 10)
          .join("\n"),
      );
      console.log(`…\n${text.filter(Boolean).at(-1)}\n`);
      console.log("org-sync, first rows:\n");
      console.log(orgSyncText(sync).split("\n").slice(0, 8).join("\n"));
      console.log(`…\n${orgSyncText(sync).trimEnd().split("\n").at(-1)}\n`);
    }
    const counts = verdictCounts(rows);
    return { latencyMs, concurrency, coverageMs, orgMs, counts, missing: sync.missing.length };
  } finally {
    restore();
  }
}

async function main() {
  const runs = [await measure(0, 8, true), await measure(25, 8, false), await measure(25, 32, false)];
  table(
    [
      "simulated latency per call",
      "concurrency",
      `coverage of ${MEMBERS} accounts`,
      `org-sync (${organization().length} accounts, pages of 20)`,
      "ok / warn / fail",
    ],
    runs.map((r) => [`${r.latencyMs} ms`, r.concurrency, fmt.s(r.coverageMs), fmt.s(r.orgMs), `${r.counts.ok} / ${r.counts.warn} / ${r.counts.fail}`]),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
