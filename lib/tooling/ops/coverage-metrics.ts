import { CloudWatchClient, MetricDataQuery, MetricDataResult, paginateGetMetricData } from "@aws-sdk/client-cloudwatch";
import type { ResolvedCentral, ResolvedMember } from "../../core/config/resolved";

/**
 * What CloudWatch says about a member, from one GetMetricData call (paged by NextToken).
 * Metric names, statistics and dimensions as documented in "Metrics and dimensions"
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/metrics-dimensions.html): checked
 * against the documentation, not against AWS.
 */
export interface MemberMetrics {
  readonly health: ReplicationHealth;
  readonly storage: BucketStorage;
}

/** S3 Replication metrics over the last 24 hours, summed over the member's rules. */
export interface ReplicationHealth {
  /** False when no replication metric had a data point: a new member, or a bucket nothing was written to. */
  readonly hasData: boolean;
  /** Sum of OperationsFailedReplication. */
  readonly failedOperations: number;
  /** OperationsPendingReplication and BytesPendingReplication of the latest hour with data. */
  readonly pendingOperations: number;
  readonly pendingBytes: number;
  /** Highest ReplicationLatency (seconds), or undefined without data. */
  readonly maxLatencySeconds?: number;
}

/** S3's daily storage metrics of the whole bucket (every prefix, current and noncurrent versions), latest day. */
export interface BucketStorage {
  readonly objects?: number;
  readonly bytes?: number;
  /** The day the numbers are from (S3 publishes them once a day). */
  readonly day?: string;
}

export const HEALTH_WINDOW_MS = 24 * 3600_000;
/** Daily storage metrics lag up to a day or two behind; look three days back for the latest. */
const STORAGE_WINDOW_MS = 3 * 24 * 3600_000;

/** StorageType values of BucketSizeBytes that hold object data; NumberOfObjects has only AllStorageTypes. */
export const STORAGE_TYPES = [
  "StandardStorage",
  "IntelligentTieringFAStorage",
  "IntelligentTieringIAStorage",
  "IntelligentTieringAIAStorage",
  "IntelligentTieringAAStorage",
  "IntelligentTieringDAAStorage",
  "StandardIAStorage",
  "OneZoneIAStorage",
  "ReducedRedundancyStorage",
  "GlacierInstantRetrievalStorage",
  "GlacierStorage",
  "DeepArchiveStorage",
] as const;

const REPLICATION_METRICS = [
  ["failed", "OperationsFailedReplication", "Sum"],
  ["pendingOps", "OperationsPendingReplication", "Maximum"],
  ["pendingBytes", "BytesPendingReplication", "Maximum"],
  ["latency", "ReplicationLatency", "Maximum"],
] as const;

/** The queries: four replication metrics per rule (dimensions SourceBucket, DestinationBucket, RuleId), then the storage metrics. */
export function metricQueries(member: ResolvedMember, central: ResolvedCentral): MetricDataQuery[] {
  const replication = member.rules.flatMap((rule, i) =>
    REPLICATION_METRICS.map(([id, name, stat]) => ({
      Id: `${id}_${i}`,
      MetricStat: {
        Metric: {
          Namespace: "AWS/S3",
          MetricName: name,
          Dimensions: [
            { Name: "SourceBucket", Value: member.sourceBucketName },
            { Name: "DestinationBucket", Value: central.bucketName },
            { Name: "RuleId", Value: rule.id },
          ],
        },
        Period: 3600,
        Stat: stat,
      },
    })),
  );
  const storage = (id: string, name: string, storageType: string): MetricDataQuery => ({
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: "AWS/S3",
        MetricName: name,
        Dimensions: [
          { Name: "BucketName", Value: member.sourceBucketName },
          { Name: "StorageType", Value: storageType },
        ],
      },
      Period: 86400,
      Stat: "Average",
    },
  });
  return [
    ...replication,
    ...STORAGE_TYPES.map((type, i) => storage(`bytes_${i}`, "BucketSizeBytes", type)),
    storage("objects", "NumberOfObjects", "AllStorageTypes"),
  ];
}

export async function readMemberMetrics(cloudwatch: CloudWatchClient, member: ResolvedMember, central: ResolvedCentral, now: Date): Promise<MemberMetrics> {
  const results = new Map<string, { timestamps: Date[]; values: number[] }>();
  const input = {
    MetricDataQueries: metricQueries(member, central),
    StartTime: new Date(now.getTime() - STORAGE_WINDOW_MS),
    EndTime: now,
    ScanBy: "TimestampDescending" as const,
  };
  for await (const page of paginateGetMetricData({ client: cloudwatch }, input)) {
    for (const result of page.MetricDataResults ?? []) merge(results, result);
  }
  return { health: healthOf(results, member.rules.length, now), storage: storageOf(results) };
}

function merge(results: Map<string, { timestamps: Date[]; values: number[] }>, result: MetricDataResult): void {
  const entry = results.get(result.Id ?? "") ?? { timestamps: [], values: [] };
  entry.timestamps.push(...(result.Timestamps ?? []).map((t) => new Date(t)));
  entry.values.push(...(result.Values ?? []));
  results.set(result.Id ?? "", entry);
}

function healthOf(results: Map<string, { timestamps: Date[]; values: number[] }>, rules: number, now: Date): ReplicationHealth {
  const since = now.getTime() - HEALTH_WINDOW_MS;
  /** Points of one query within the last 24 h, newest first. */
  const recent = (id: string) => {
    const entry = results.get(id) ?? { timestamps: [], values: [] };
    return entry.values
      .map((value, i) => ({ value, at: entry.timestamps[i]?.getTime() ?? 0 }))
      .filter((p) => p.at >= since)
      .sort((a, b) => b.at - a.at);
  };
  let hasData = false;
  let failedOperations = 0;
  let pendingOperations = 0;
  let pendingBytes = 0;
  let maxLatencySeconds: number | undefined;
  for (let i = 0; i < rules; i++) {
    const [failed, ops, bytes, latency] = REPLICATION_METRICS.map(([id]) => recent(`${id}_${i}`));
    hasData ||= [failed, ops, bytes, latency].some((points) => points.length > 0);
    failedOperations += failed.reduce((sum, p) => sum + p.value, 0);
    pendingOperations += ops[0]?.value ?? 0;
    pendingBytes += bytes[0]?.value ?? 0;
    for (const p of latency) maxLatencySeconds = Math.max(maxLatencySeconds ?? 0, p.value);
  }
  return { hasData, failedOperations, pendingOperations, pendingBytes, ...(maxLatencySeconds === undefined ? {} : { maxLatencySeconds }) };
}

function storageOf(results: Map<string, { timestamps: Date[]; values: number[] }>): BucketStorage {
  const latest = (id: string) => {
    const entry = results.get(id);
    if (!entry || entry.values.length === 0) return undefined;
    const newest = entry.timestamps.reduce((best, t, i) => (t.getTime() > entry.timestamps[best].getTime() ? i : best), 0);
    return { value: entry.values[newest], day: entry.timestamps[newest]?.toISOString().slice(0, 10) };
  };
  const objects = latest("objects");
  const bytes = STORAGE_TYPES.map((_, i) => latest(`bytes_${i}`)).filter((x) => x !== undefined);
  if (!objects && bytes.length === 0) return {};
  return {
    ...(objects ? { objects: objects.value } : {}),
    ...(bytes.length ? { bytes: bytes.reduce((sum, b) => sum + b.value, 0) } : {}),
    day: objects?.day ?? bytes[0].day,
  };
}
