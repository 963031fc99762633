import type { ResolvedConfig, ResolvedMember } from "../../core/config/resolved";
import { FleetClients, describeAwsError } from "./aws";
import { PrefixUsage, unreplicatedPrefixes } from "./coverage-listing";
import { BucketStorage, ReplicationHealth, readMemberMetrics } from "./coverage-metrics";
import { ReplicationCheck, checkReplication } from "./coverage-replication";
import { mapWithConcurrency } from "../../core/pool";
import { humanBytes } from "../../core/units";

export type Verdict = "ok" | "warn" | "fail";

/** One member's coverage: what is backed up, what is not, and how replication is doing. */
export interface CoverageRow {
  readonly accountId: string;
  readonly name: string;
  readonly region: string;
  readonly bucket: string;
  readonly verdict: Verdict;
  /** Why the row is fail or warn, one line each, failures first. Empty for ok. */
  readonly reasons: readonly string[];
  /** Undefined when the account could not be read at all (see `error`). */
  readonly replication?: ReplicationCheck;
  readonly unreplicated: readonly PrefixUsage[];
  readonly topLevelComplete: boolean;
  readonly metrics: "ok" | "no data" | "unreadable";
  readonly health?: ReplicationHealth;
  readonly storage: BucketStorage;
  /** Why the metrics are unreadable (a warning). */
  readonly metricsError?: string;
  /** Access denied or unreachable: the row failed, the run went on. */
  readonly error?: string;
}

export interface CoverageOptions {
  readonly clients: FleetClients;
  /** Most objects listed per top-level prefix before saying "at least". Default 10,000. */
  readonly maxList?: number;
  /** Accounts read at once. Default 8. */
  readonly concurrency?: number;
  readonly now?: () => Date;
  readonly onProgress?: (done: number, total: number, row: CoverageRow) => void;
}

export const DEFAULT_MAX_LIST = 10_000;
export const DEFAULT_CONCURRENCY = 8;

/** Every member, `concurrency` at a time; rows in the members' order, one per member, never a throw for one account. */
export async function coverMembers(config: ResolvedConfig, members: readonly ResolvedMember[], options: CoverageOptions): Promise<CoverageRow[]> {
  return mapWithConcurrency(
    members,
    options.concurrency ?? DEFAULT_CONCURRENCY,
    (member) => coverMember(config, member, options),
    (row, done) => options.onProgress?.(done, members.length, row),
  );
}

/** Reads one member through its read-only plan role: replication configuration, top-level listing, then CloudWatch. */
export async function coverMember(config: ResolvedConfig, member: ResolvedMember, options: CoverageOptions): Promise<CoverageRow> {
  const base = { accountId: member.accountId, name: member.name, region: member.region, bucket: member.sourceBucketName };
  const role = member.planRoleArn;
  const s3 = options.clients.s3(member.region, role);
  let step = `GetBucketReplication on ${member.sourceBucketName} as ${role}`;
  try {
    const replication = await checkReplication(s3, member, config.central);
    step = `ListObjectsV2 on ${member.sourceBucketName} as ${role}`;
    const listing = await unreplicatedPrefixes(s3, member, options.maxList ?? DEFAULT_MAX_LIST);
    const read = await readMetricsOrWhy(config, member, options);
    const partial = { ...base, replication, unreplicated: listing.prefixes, topLevelComplete: listing.topLevelComplete, ...read };
    return { ...partial, ...judge(partial) };
  } catch (error) {
    const why = reachProblem(error, step);
    return { ...base, verdict: "fail", reasons: [why], unreplicated: [], topLevelComplete: false, metrics: "unreadable", storage: {}, error: why };
  }
}

async function readMetricsOrWhy(config: ResolvedConfig, member: ResolvedMember, options: CoverageOptions) {
  const cloudwatch = options.clients.cloudwatch(member.region, member.planRoleArn);
  try {
    const { health, storage } = await readMemberMetrics(cloudwatch, member, config.central, (options.now ?? (() => new Date()))());
    return { metrics: health.hasData ? ("ok" as const) : ("no data" as const), health, storage };
  } catch (error) {
    // Health unknown is a warning, not a failure: the configuration and the listing were read.
    return { metrics: "unreadable" as const, storage: {}, metricsError: reachProblem(error, `GetMetricData in ${member.region} as ${member.planRoleArn}`) };
  }
}

type Judged = Omit<CoverageRow, "verdict" | "reasons">;

/** fail: replication missing or different, failed operations. warn: data outside the replicated prefixes, no or unreadable metrics, pending operations. */
export function judge(row: Judged): Pick<CoverageRow, "verdict" | "reasons"> {
  const failures = [...(row.replication && row.replication.state !== "ok" ? row.replication.differences : [])];
  if (row.health && row.health.failedOperations > 0) failures.push(`${row.health.failedOperations} replication operations failed in the last 24 h`);
  const warnings = row.unreplicated.map(describeUsage);
  if (!row.topLevelComplete) warnings.push("top-level listing stopped at the bound: more prefixes may exist");
  if (row.unreplicated.some((u) => !u.complete) || !row.topLevelComplete) warnings.push(describeStorage(row.storage));
  if (row.metrics === "no data") warnings.push("no replication metrics in the last 24 h (a new member, or nothing written)");
  if (row.metrics === "unreadable") warnings.push(`replication metrics unreadable: ${row.metricsError ?? "unknown"}`);
  if (row.health && row.health.pendingOperations > 0)
    warnings.push(`${row.health.pendingOperations} operations (${humanBytes(row.health.pendingBytes)}) pending replication`);
  const verdict: Verdict = failures.length > 0 ? "fail" : warnings.length > 0 ? "warn" : "ok";
  return { verdict, reasons: [...failures, ...warnings] };
}

/** "N objects, X under `logs/` are not backed up", with "at least" when the bounded listing stopped early. */
export function describeUsage(usage: PrefixUsage): string {
  const atLeast = usage.complete ? "" : "at least ";
  const where = usage.prefix === "" ? "at the top level (keys without a prefix)" : `under ${usage.prefix}`;
  return `${atLeast}${usage.objects.toLocaleString("en-US")} objects, ${atLeast}${humanBytes(usage.bytes)} ${where} are not backed up`;
}

function describeStorage(storage: BucketStorage): string {
  if (storage.objects === undefined && storage.bytes === undefined) return "bucket total: no CloudWatch daily storage metrics yet";
  const objects = storage.objects === undefined ? "? objects" : `${storage.objects.toLocaleString("en-US")} objects`;
  return `bucket total (CloudWatch daily storage metrics, ${storage.day}, all prefixes and versions): ${objects}, ${humanBytes(storage.bytes ?? 0)}`;
}

const NETWORK_CODES = ["ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH"];

/** One line for an account that could not be read: unreachable (network), or describeAwsError's access denied / other. */
export function reachProblem(error: unknown, step: string): string {
  const e = error as { code?: string; name?: string; message?: string };
  const code = NETWORK_CODES.find((c) => e?.code === c || e?.name === c || (e?.message ?? "").includes(c));
  if (code || e?.name === "TimeoutError") return `unreachable: ${step} (${code ?? "timeout"})`;
  return describeAwsError(error, step);
}

export function verdictCounts(rows: readonly CoverageRow[]): Record<Verdict, number> {
  const counts = { ok: 0, warn: 0, fail: 0 };
  for (const row of rows) counts[row.verdict]++;
  return counts;
}
