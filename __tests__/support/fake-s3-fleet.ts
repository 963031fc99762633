import { GetMetricDataCommandInput, GetMetricDataCommandOutput } from "@aws-sdk/client-cloudwatch";
import { ListObjectsV2CommandInput, ListObjectsV2CommandOutput, ReplicationConfiguration } from "@aws-sdk/client-s3";
import type { ResolvedCentral, ResolvedMember } from "../../lib/core/config/resolved";

/** A bucket's objects, key → size. */
export type Bucket = ReadonlyMap<string, number>;

/** `count` objects of `size` bytes under `prefix` (zero-padded, so listing order is creation order). */
export function objects(prefix: string, count: number, size = 100): [string, number][] {
  return Array.from({ length: count }, (_, i) => [`${prefix}obj-${String(i).padStart(7, "0")}`, size]);
}

/**
 * ListObjectsV2 as S3 answers it, on a sorted key list: Prefix, Delimiter (a CommonPrefix
 * counts as one entry of the page), MaxKeys (at most 1,000), ContinuationToken (opaque
 * here: the index of the next key).
 */
export function listObjects(bucket: Bucket, input: ListObjectsV2CommandInput): Partial<ListObjectsV2CommandOutput> {
  const prefix = input.Prefix ?? "";
  const keys = [...bucket.keys()].filter((k) => k.startsWith(prefix)).sort();
  const max = Math.min(input.MaxKeys ?? 1000, 1000);
  const contents: { Key: string; Size: number }[] = [];
  const common: { Prefix: string }[] = [];
  let i = input.ContinuationToken ? Number(input.ContinuationToken) : 0;
  while (i < keys.length && contents.length + common.length < max) {
    const rest = keys[i].slice(prefix.length);
    const cut = input.Delimiter ? rest.indexOf(input.Delimiter) : -1;
    if (cut >= 0) {
      const cp = prefix + rest.slice(0, cut + 1);
      common.push({ Prefix: cp });
      while (i < keys.length && keys[i].startsWith(cp)) i++;
    } else {
      contents.push({ Key: keys[i], Size: bucket.get(keys[i])! });
      i++;
    }
  }
  const truncated = i < keys.length;
  return {
    Contents: contents.length ? contents : undefined,
    CommonPrefixes: common.length ? common : undefined,
    KeyCount: contents.length + common.length,
    IsTruncated: truncated,
    NextContinuationToken: truncated ? String(i) : undefined,
  };
}

/** The replication configuration the member stack deploys, as GetBucketReplication returns it. */
export function deployedReplication(member: ResolvedMember, central: ResolvedCentral): ReplicationConfiguration {
  return {
    Role: member.replicationRoleArn,
    Rules: member.rules.map((rule) => ({
      ID: rule.id,
      Priority: rule.priority,
      Status: rule.enabled ? "Enabled" : "Disabled",
      Filter: { Prefix: rule.prefix },
      DeleteMarkerReplication: { Status: "Disabled" },
      Destination: {
        Bucket: central.bucketArn,
        Account: central.accountId,
        StorageClass: rule.storageClass,
        EncryptionConfiguration: { ReplicaKmsKeyID: central.replicaKmsKeyId },
      },
    })),
  };
}

/** What CloudWatch holds for one source bucket; absent fields have no data points. */
export interface BucketMetrics {
  readonly failed?: number;
  readonly pendingOps?: number;
  readonly pendingBytes?: number;
  readonly latency?: number;
  readonly objects?: number;
  readonly standardBytes?: number;
}

/** GetMetricData over the queries coverage sends, answering from `byBucket` (keyed by SourceBucket / BucketName). */
export function metricData(byBucket: ReadonlyMap<string, BucketMetrics>, now: Date, input: GetMetricDataCommandInput): Partial<GetMetricDataCommandOutput> {
  const hourAgo = new Date(now.getTime() - 3600_000);
  const yesterday = new Date(now.getTime() - 26 * 3600_000);
  return {
    MetricDataResults: (input.MetricDataQueries ?? []).map((q) => {
      const dims = Object.fromEntries((q.MetricStat?.Metric?.Dimensions ?? []).map((d) => [d.Name, d.Value]));
      const m = byBucket.get(dims.SourceBucket ?? dims.BucketName ?? "") ?? {};
      const name = q.MetricStat?.Metric?.MetricName;
      const value =
        name === "OperationsFailedReplication"
          ? m.failed
          : name === "OperationsPendingReplication"
            ? m.pendingOps
            : name === "BytesPendingReplication"
              ? m.pendingBytes
              : name === "ReplicationLatency"
                ? m.latency
                : name === "NumberOfObjects"
                  ? m.objects
                  : name === "BucketSizeBytes" && dims.StorageType === "StandardStorage"
                    ? m.standardBytes
                    : undefined;
      // Replication metrics are hourly points; only the default rule (index 0) has them here.
      const replication = q.Id!.endsWith("_0") && !q.Id!.startsWith("bytes");
      const storage = name === "NumberOfObjects" || name === "BucketSizeBytes";
      const has = value !== undefined && (replication || storage);
      return {
        Id: q.Id,
        StatusCode: "Complete",
        Timestamps: has ? [storage ? yesterday : hourAgo] : [],
        Values: has ? [value] : [],
      };
    }),
  };
}
