/**
 * npx tsx lib/bench/restore-bench.ts   (or npm run bench -- --restore-only)
 *
 * Restore figures, so the numbers show whether the tool or S3 is the bottleneck:
 *  1. version selection over 1,000,000 listed versions and delete markers, streamed in
 *     pages of 1,000 as ListObjectVersions returns them: time, and peak RSS / heap sampled
 *     every 20 pages;
 *  2. in-process copy throughput at concurrency 1, 16 and 64 against a mocked CopyObject
 *     that answers after 20 ms (listing, GetBucketVersioning and HeadObject answer at once),
 *     through the whole restore pipeline (counting pass, selection, content check, pool).
 * Asserts nothing; prints tables.
 */
import {
  CopyObjectCommand,
  GetBucketVersioningCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  ListObjectVersionsCommandOutput,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { S3ControlClient } from "@aws-sdk/client-s3-control";
import { mockClient } from "aws-sdk-client-mock";
import { selectAsOf } from "../tooling/ops/restore/select";
import { runRestore } from "../tooling/ops/restore/run";
import { fmt, table } from "./format";

// As the commands do (lib/cli/errors.ts): the SDK's Node 20 notice is not a bench figure.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const PAGE = 1000;
const T0 = Date.parse("2026-01-01T00:00:00Z");

/**
 * Synthetic ListObjectVersions pages of 1,000 entries, keys in order, each key newest
 * first: `versionsPerKey` versions, and a delete marker on top of every 4th key when
 * `markers` is on. A key's entries may straddle two pages, as in S3.
 */
export function* syntheticPages(entries: number, versionsPerKey = 3, markers = true): Generator<ListObjectVersionsCommandOutput> {
  let page: ListObjectVersionsCommandOutput = { $metadata: {}, Versions: [], DeleteMarkers: [] };
  let count = 0;
  let inPage = 0;
  for (let key = 0; count < entries; key++) {
    const Key = `222222222222/data/${String(key).padStart(9, "0")}.bin`;
    const marked = markers && key % 4 === 0;
    const history = [
      ...(marked ? [{ marker: true, v: versionsPerKey }] : []),
      ...Array.from({ length: versionsPerKey }, (_, i) => ({ marker: false, v: versionsPerKey - 1 - i })),
    ];
    history.forEach((e, i) => {
      if (count >= entries) return;
      const LastModified = new Date(T0 + e.v * 1000 + key);
      if (e.marker) page.DeleteMarkers!.push({ Key, VersionId: `m${key}`, IsLatest: i === 0, LastModified });
      else page.Versions!.push({ Key, VersionId: `v${key}.${e.v}`, IsLatest: i === 0, LastModified, Size: 1024, ETag: `"e${key}"`, StorageClass: "STANDARD" });
      count++;
      if (++inPage === PAGE) {
        page.IsTruncated = count < entries;
        const full = page;
        page = { $metadata: {}, Versions: [], DeleteMarkers: [] };
        inPage = 0;
        readyPages.push(full);
      }
    });
    while (readyPages.length) yield readyPages.shift()!;
  }
  if (inPage) yield { ...page, IsTruncated: false };
}
const readyPages: ListObjectVersionsCommandOutput[] = [];

/** A sync stream served as the async one the selection reads, one microtask per page as a real listing would. */
async function* asAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}

async function benchSelection(entries: number): Promise<(string | number)[]> {
  global.gc?.();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  let pages = 0;
  let restored = 0;
  let deleted = 0;
  async function* sampled(): AsyncGenerator<ListObjectVersionsCommandOutput> {
    for await (const page of asAsync(syntheticPages(entries))) {
      if (++pages % 20 === 0) {
        const m = process.memoryUsage();
        peakRss = Math.max(peakRss, m.rss);
        peakHeap = Math.max(peakHeap, m.heapUsed);
      }
      yield page;
    }
  }
  const started = process.hrtime.bigint();
  for await (const d of selectAsOf(sampled(), new Date(T0 + 2500 + entries))) {
    if (d.kind === "restore") restored++;
    else if (d.kind === "deleted") deleted++;
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return [
    entries.toLocaleString("en-US"),
    pages,
    restored + deleted,
    fmt.s(ms),
    `${Math.round(entries / (ms / 1000)).toLocaleString("en-US")}/s`,
    `${fmt.bytes(peakRss)} (start ${fmt.bytes(before.rss)})`,
    `${fmt.bytes(peakHeap)} (start ${fmt.bytes(before.heapUsed)})`,
  ];
}

async function benchCopy(objects: number, concurrency: number, copyMs: number): Promise<(string | number)[]> {
  const s3 = mockClient(S3Client);
  const pages = [...syntheticPages(objects, 1, false)];
  s3.on(ListObjectVersionsCommand).callsFake((input: { KeyMarker?: string }) => {
    const index = input.KeyMarker ? Number(input.KeyMarker) : 0;
    const page = pages[index];
    return Promise.resolve({ ...page, IsTruncated: index + 1 < pages.length, NextKeyMarker: String(index + 1), NextVersionIdMarker: "x" });
  });
  s3.on(GetBucketVersioningCommand).resolves({ Status: "Enabled" });
  s3.on(HeadObjectCommand).rejects(new S3ServiceException({ name: "NotFound", $fault: "client", $metadata: { httpStatusCode: 404 }, message: "Not Found" }));
  let inFlight = 0;
  let peak = 0;
  s3.on(CopyObjectCommand).callsFake(() => {
    peak = Math.max(peak, ++inFlight);
    return new Promise((resolve) => setTimeout(() => (inFlight--, resolve({ VersionId: "new" })), copyMs));
  });
  const credentials = { accessKeyId: "bench", secretAccessKey: "bench" };
  const clients = {
    s3: (region: string) => new S3Client({ region, credentials }),
    s3Control: (region: string) => new S3ControlClient({ region, credentials }),
  };
  const started = process.hrtime.bigint();
  const report = await runRestore(
    {
      accountId: "222222222222",
      centralAccountId: "111111111111",
      sourceBucket: "central",
      sourceRegion: "eu-central-1",
      sourcePrefix: "222222222222/",
      asOf: new Date(T0 + 10_000_000),
      target: { bucket: "source", region: "eu-central-1", prefix: "" },
      access: { roleArn: "arn:aws:iam::111111111111:role/bench", drillBucketName: "d", drillRegion: "eu-central-1" },
      mode: "copy",
      concurrency,
    },
    { clients },
  );
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  s3.restore();
  const rate = report.outcomes.copied / (ms / 1000);
  const ideal = concurrency / (copyMs / 1000);
  return [concurrency, report.outcomes.copied, fmt.s(ms), `${rate.toFixed(0)}/s`, `${ideal.toFixed(0)}/s`, `${((100 * rate) / ideal).toFixed(0)}%`, peak];
}

export async function restoreBench(): Promise<void> {
  console.log("Restore, version selection (synthetic pages of 1,000; 3 versions per key, a delete marker on every 4th key):");
  table(
    ["entries listed", "pages", "keys decided", "time", "entries/s", "peak RSS", "peak heap"],
    [await benchSelection(100_000), await benchSelection(1_000_000)],
  );
  console.log("\nRestore, in-process copy against a mocked CopyObject of 20 ms (ideal = concurrency / 20 ms):");
  const rows = [];
  for (const [objects, concurrency] of [
    [200, 1],
    [3200, 16],
    [12800, 64],
  ])
    rows.push(await benchCopy(objects, concurrency, 20));
  table(["concurrency", "objects", "time", "copies/s", "ideal", "of ideal", "peak in flight"], rows);
}

if (require.main === module) {
  restoreBench().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
