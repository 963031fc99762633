import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import type { ResolvedMember } from "../../core/config/resolved";

/** Objects under one top-level prefix that no replication rule covers (or, with prefix "", the bucket's top-level keys). */
export interface PrefixUsage {
  /** `logs/`, or "" for keys at the top level (no "/" in the key). */
  readonly prefix: string;
  readonly objects: number;
  readonly bytes: number;
  /** False when the listing stopped at the bound: the counts are "at least". */
  readonly complete: boolean;
}

export interface UnreplicatedListing {
  readonly prefixes: readonly PrefixUsage[];
  /** False when the top-level listing itself stopped at the bound: more prefixes may exist. */
  readonly topLevelComplete: boolean;
}

/** ListObjectsV2 returns at most 1,000 keys per page (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html). */
const PAGE = 1000;

/**
 * Prefixes a member's rules replicate: enabled rules without a tag filter (a tag-filtered
 * rule replicates only tagged objects, so it does not make a prefix "backed up").
 */
export function replicatedPrefixes(member: ResolvedMember): string[] {
  return member.rules.filter((rule) => rule.enabled && !rule.tag).map((rule) => rule.prefix);
}

/**
 * The source bucket's top-level prefixes (ListObjectsV2 with Delimiter "/") that start with
 * no replicated prefix, each counted by a listing bounded to `maxList` objects, plus the
 * top-level keys. Counts are current versions only (ListObjectsV2 does not list noncurrent
 * versions). Replicated prefixes (`<accountId>/`) are never listed beyond the top level.
 */
export async function unreplicatedPrefixes(s3: S3Client, member: ResolvedMember, maxList: number): Promise<UnreplicatedListing> {
  const covered = replicatedPrefixes(member);
  const top = await listTopLevel(s3, member.sourceBucketName, maxList);
  const usages: PrefixUsage[] = [];
  if (top.keys.objects > 0) usages.push(top.keys);
  for (const prefix of top.prefixes.filter((p) => !covered.some((c) => p.startsWith(c)))) {
    usages.push(await countUnder(s3, member.sourceBucketName, prefix, maxList));
  }
  return { prefixes: usages, topLevelComplete: top.complete };
}

async function listTopLevel(s3: S3Client, bucket: string, maxList: number) {
  const prefixes: string[] = [];
  let objects = 0;
  let bytes = 0;
  let token: string | undefined;
  let seen = 0;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Delimiter: "/", ContinuationToken: token, MaxKeys: Math.min(PAGE, Math.max(1, maxList - seen)) }),
    );
    for (const common of page.CommonPrefixes ?? []) if (common.Prefix) prefixes.push(common.Prefix);
    for (const object of page.Contents ?? []) {
      objects++;
      bytes += object.Size ?? 0;
    }
    seen += (page.CommonPrefixes?.length ?? 0) + (page.Contents?.length ?? 0);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token && seen < maxList);
  const complete = token === undefined;
  return { prefixes, keys: { prefix: "", objects, bytes, complete } satisfies PrefixUsage, complete };
}

async function countUnder(s3: S3Client, bucket: string, prefix: string, maxList: number): Promise<PrefixUsage> {
  let objects = 0;
  let bytes = 0;
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: Math.min(PAGE, Math.max(1, maxList - objects)) }),
    );
    for (const object of page.Contents ?? []) {
      objects++;
      bytes += object.Size ?? 0;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token && objects < maxList);
  return { prefix, objects, bytes, complete: token === undefined };
}
