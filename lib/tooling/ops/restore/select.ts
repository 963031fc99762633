import { DeleteMarkerEntry, ListObjectVersionsCommand, ListObjectVersionsCommandOutput, ObjectVersion } from "@aws-sdk/client-s3";
import { Endpoint, send } from "./copy";

/** One entry of a key's history as ListObjectVersions returns it: a version or a delete marker. */
export interface HistoryEntry {
  readonly key: string;
  readonly versionId: string;
  readonly lastModified: Date;
  readonly isLatest: boolean;
  readonly deleteMarker: boolean;
  /** Set for versions only. */
  readonly version?: ObjectVersion;
}

/** What the selection decided for one key. */
export type KeyDecision =
  | { readonly kind: "restore"; readonly key: string; readonly version: SelectedVersion }
  /** The newest entry at or before as-of is a delete marker: the key did not exist then. */
  | { readonly kind: "deleted"; readonly key: string; readonly deletedAt: Date }
  /** Every entry of the key is newer than as-of: it did not exist yet. */
  | { readonly kind: "absent"; readonly key: string };

export interface SelectedVersion {
  readonly key: string;
  readonly versionId: string;
  readonly lastModified: Date;
  readonly size: number;
  readonly eTag: string;
  readonly storageClass: string;
  readonly isLatest: boolean;
  readonly checksumAlgorithms: readonly string[];
}

export interface ListPagesOptions {
  readonly prefix: string;
  /** Page size, at most 1,000 (S3's maximum); tests use small pages. */
  readonly maxKeys?: number;
}

/**
 * Every page of ListObjectVersions under a prefix, one request at a time: nothing is held but
 * the current page. Each page goes through `send` (access denied is the one-line error; the
 * client retries throttling). A loop of its own: the SDK has no paginator for this operation,
 * whose two markers do not fit its one-token paginators (aws/aws-sdk-js-v3#6226).
 */
export async function* listVersionPages(source: Endpoint, options: ListPagesOptions): AsyncGenerator<ListObjectVersionsCommandOutput> {
  const { bucket, client } = source;
  let KeyMarker: string | undefined;
  let VersionIdMarker: string | undefined;
  for (;;) {
    const page = await send(source, `ListObjectVersions s3://${bucket}/${options.prefix}`, () =>
      client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: options.prefix, MaxKeys: options.maxKeys, KeyMarker, VersionIdMarker })),
    );
    yield page;
    if (!page.IsTruncated) return;
    KeyMarker = page.NextKeyMarker;
    VersionIdMarker = page.NextVersionIdMarker;
  }
}

/** A page's versions and delete markers, as entries, grouped by key in key order (each list keeps S3's order within a key). */
export function pageEntries(page: ListObjectVersionsCommandOutput): HistoryEntry[] {
  const entry = (e: DeleteMarkerEntry, version?: ObjectVersion): HistoryEntry => ({
    key: e.Key!,
    versionId: e.VersionId ?? "null",
    lastModified: e.LastModified!,
    isLatest: e.IsLatest === true,
    deleteMarker: !version,
    version,
  });
  const versions = (page.Versions ?? []).map((v) => entry(v, v));
  const markers = (page.DeleteMarkers ?? []).map((m) => entry(m));
  return merge(versions, markers, (version, marker) => version.key <= marker.key);
}

/** Two lists merged in order, each keeping its own order (a stable merge): `versionFirst` picks between the heads. */
function merge(
  versions: readonly HistoryEntry[],
  markers: readonly HistoryEntry[],
  versionFirst: (v: HistoryEntry, m: HistoryEntry) => boolean,
): HistoryEntry[] {
  const merged: HistoryEntry[] = [];
  let v = 0;
  let m = 0;
  while (v < versions.length || m < markers.length) {
    if (m >= markers.length || (v < versions.length && versionFirst(versions[v], markers[m]))) merged.push(versions[v++]);
    else merged.push(markers[m++]);
  }
  return merged;
}

/**
 * One key's versions and delete markers in S3's order, newest first. The SDK returns them
 * as two lists, each newest first, and loses how S3 interleaved them; they are merged by
 * LastModified. On a tie the key's IsLatest entry goes first, then a delete marker before
 * a version (a put and a delete in the same second: the delete is taken as the later one),
 * and within one list S3's own order is kept (a stable merge). The merge is done per key,
 * after all its pages, so the result never depends on the page size.
 */
export function keyHistory(versions: readonly HistoryEntry[], markers: readonly HistoryEntry[]): HistoryEntry[] {
  return merge(versions, markers, newerFirst);
}

function newerFirst(version: HistoryEntry, marker: HistoryEntry): boolean {
  const dt = version.lastModified.getTime() - marker.lastModified.getTime();
  if (dt !== 0) return dt > 0;
  if (version.isLatest !== marker.isLatest) return version.isLatest;
  return false;
}

/**
 * Per key, in key order, the decision at `asOf`: the newest version with LastModified <= asOf,
 * unless the newest entry at or before asOf is a delete marker. Streams: one key's entries
 * are buffered at a time (a key's history may span pages), so memory does not grow with the bucket.
 */
export async function* selectAsOf(pages: AsyncIterable<ListObjectVersionsCommandOutput>, asOf: Date): AsyncGenerator<KeyDecision> {
  let key: string | undefined;
  let versions: HistoryEntry[] = [];
  let markers: HistoryEntry[] = [];
  for await (const page of pages) {
    for (const entry of pageEntries(page)) {
      if (key !== undefined && key !== entry.key) {
        yield decide(keyHistory(versions, markers), asOf);
        versions = [];
        markers = [];
      }
      key = entry.key;
      (entry.deleteMarker ? markers : versions).push(entry);
    }
  }
  if (key !== undefined) yield decide(keyHistory(versions, markers), asOf);
}

/** The decision for one key from its entries, newest first. */
export function decide(entries: readonly HistoryEntry[], asOf: Date): KeyDecision {
  const key = entries[0].key;
  const at = entries.find((e) => e.lastModified.getTime() <= asOf.getTime());
  if (!at) return { kind: "absent", key };
  if (at.deleteMarker) return { kind: "deleted", key, deletedAt: at.lastModified };
  const v = at.version!;
  return {
    kind: "restore",
    key,
    version: {
      key,
      versionId: at.versionId,
      lastModified: at.lastModified,
      size: v.Size ?? 0,
      eTag: v.ETag ?? "",
      storageClass: v.StorageClass ?? "STANDARD",
      isLatest: at.isLatest,
      checksumAlgorithms: v.ChecksumAlgorithm ?? [],
    },
  };
}
