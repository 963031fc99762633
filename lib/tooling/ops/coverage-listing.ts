import { ListObjectsV2Command, ListObjectsV2CommandInput, ListObjectsV2CommandOutput, S3Client, paginateListObjectsV2 } from "@aws-sdk/client-s3";
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

/**
 * The pages of a listing bounded to `maxList` entries: the SDK's paginator, each page asking
 * for no more than the bound leaves (so the listing never reads past it). `counted` says how
 * many entries a page brings toward the bound.
 */
async function* boundedPages(
  s3: S3Client,
  input: { Bucket: string; Prefix?: string; Delimiter?: string },
  maxList: number,
  counted: (page: ListObjectsV2CommandOutput) => number,
): AsyncGenerator<ListObjectsV2CommandOutput> {
  let seen = 0;
  // A new command per page: its input is this page's own, not the paginator's shared object.
  const withCommand = (command: { input: ListObjectsV2CommandInput }) =>
    new ListObjectsV2Command({ ...command.input, MaxKeys: Math.min(PAGE, Math.max(1, maxList - seen)) });
  for await (const page of paginateListObjectsV2({ client: s3, withCommand }, { ...input })) {
    yield page;
    seen += counted(page);
    if (seen >= maxList) return;
  }
}

async function listTopLevel(s3: S3Client, bucket: string, maxList: number) {
  const prefixes: string[] = [];
  let objects = 0;
  let bytes = 0;
  let complete = true;
  const entries = (page: ListObjectsV2CommandOutput) => (page.CommonPrefixes?.length ?? 0) + (page.Contents?.length ?? 0);
  for await (const page of boundedPages(s3, { Bucket: bucket, Delimiter: "/" }, maxList, entries)) {
    for (const common of page.CommonPrefixes ?? []) if (common.Prefix) prefixes.push(common.Prefix);
    for (const object of page.Contents ?? []) {
      objects++;
      bytes += object.Size ?? 0;
    }
    complete = !page.IsTruncated;
  }
  return { prefixes, keys: { prefix: "", objects, bytes, complete } satisfies PrefixUsage, complete };
}

async function countUnder(s3: S3Client, bucket: string, prefix: string, maxList: number): Promise<PrefixUsage> {
  let objects = 0;
  let bytes = 0;
  let complete = true;
  for await (const page of boundedPages(s3, { Bucket: bucket, Prefix: prefix }, maxList, (p) => p.Contents?.length ?? 0)) {
    for (const object of page.Contents ?? []) {
      objects++;
      bytes += object.Size ?? 0;
    }
    complete = !page.IsTruncated;
  }
  return { prefix, objects, bytes, complete };
}
