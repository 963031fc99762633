/**
 * An in-memory model of versioned S3 buckets, served through aws-sdk-client-mock: the
 * restore tests run the real SDK clients against it. It keeps every version and delete
 * marker of every key in S3's order (newest first), pages ListObjectVersions with
 * NextKeyMarker/NextVersionIdMarker as S3 does, copies (single and multipart, by version),
 * restores archived objects, and lets a test inject faults (throttling, access denied, a
 * version that vanishes).
 *
 * Modelled as S3 documents it, not as measured against AWS: SSE-KMS ETags are not content
 * digests (so only checksums prove equal content), multipart ETags end in `-<parts>`, and
 * a copy keeps the source's checksum algorithm (a stand-in digest here, not a real CRC).
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetBucketLocationCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  ListObjectVersionsCommandOutput,
  PutObjectCommand,
  RestoreObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { createHash } from "crypto";
import { Readable } from "stream";

// As the commands do (lib/cli/errors.ts): the SDK's Node 20 notice would drown the test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

export interface StoredEntry {
  readonly versionId: string;
  readonly lastModified: Date;
  readonly deleteMarker: boolean;
  readonly size: number;
  /** What the bytes are: a digest of the body, or a name for a large object never held in memory. */
  readonly content: string;
  readonly body?: Buffer;
  readonly eTag: string;
  readonly checksum?: { readonly value: string; readonly type: "FULL_OBJECT" | "COMPOSITE" };
  readonly metadata: Record<string, string>;
  readonly contentType?: string;
  readonly tags: Record<string, string>;
  readonly storageClass: string;
  /** Archived objects: none, a restore in progress, or a restored copy available. */
  restore?: "ongoing" | "available";
}

export interface PutOptions {
  readonly at?: Date;
  readonly body?: string | Buffer;
  /** A large object's size, without a body (multipart sources above 5 GB). */
  readonly size?: number;
  readonly content?: string;
  readonly storageClass?: string;
  readonly metadata?: Record<string, string>;
  readonly contentType?: string;
  readonly tags?: Record<string, string>;
  /** Upload as a multipart object with this many parts (ETag `-N`, a COMPOSITE checksum). */
  readonly parts?: number;
  /** Objects written before S3's default checksums carry none. */
  readonly noChecksum?: boolean;
}

export class ModelBucket {
  readonly keys = new Map<string, StoredEntry[]>();
  constructor(
    readonly name: string,
    readonly region: string,
    public versioning: "Enabled" | "Suspended" | undefined = "Enabled",
    private readonly world: S3World,
  ) {}

  put(key: string, options: PutOptions = {}): string {
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    const size = body?.length ?? options.size ?? 0;
    const content = options.content ?? digest(body ?? Buffer.alloc(0));
    const parts = options.parts;
    return this.store(key, {
      deleteMarker: false,
      size,
      content,
      body,
      eTag: this.world.eTagFor(content, parts),
      checksum: options.noChecksum ? undefined : parts ? { value: `${digest(`${content}/${parts}`)}-${parts}`, type: "COMPOSITE" } : fullChecksum(content),
      metadata: options.metadata ?? {},
      contentType: options.contentType,
      tags: options.tags ?? {},
      storageClass: options.storageClass ?? "STANDARD",
      at: options.at,
    });
  }

  delete(key: string, at?: Date): string {
    return this.store(key, { deleteMarker: true, size: 0, content: "", eTag: "", metadata: {}, tags: {}, storageClass: "STANDARD", at });
  }

  store(key: string, entry: Omit<StoredEntry, "versionId" | "lastModified"> & { at?: Date }): string {
    const versionId = this.versioning === "Enabled" ? this.world.nextVersionId() : "null";
    const { at, ...rest } = entry;
    const stored: StoredEntry = { ...rest, versionId, lastModified: at ?? this.world.tick() };
    const history = this.keys.get(key) ?? [];
    // Unversioned or suspended: the "null" version is replaced, as S3 does.
    const kept = versionId === "null" ? history.filter((e) => e.versionId !== "null") : history;
    this.keys.set(key, [stored, ...kept]);
    return versionId;
  }

  current(key: string): StoredEntry | undefined {
    const top = this.keys.get(key)?.[0];
    return top && !top.deleteMarker ? top : undefined;
  }

  version(key: string, versionId?: string): StoredEntry | undefined {
    if (!versionId) return this.current(key);
    return this.keys.get(key)?.find((e) => e.versionId === versionId);
  }

  /** Versions this bucket holds, over all keys (a test's "nothing overwritten or deleted" check). */
  versionCount(): number {
    return [...this.keys.values()].reduce((n, h) => n + h.length, 0);
  }

  list(prefix: string, maxKeys = 1000, keyMarker?: string, versionIdMarker?: string): ListObjectVersionsCommandOutput {
    const flat = [...this.keys.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .flatMap(([key, history]) => history.map((e, i) => ({ key, e, isLatest: i === 0 })));
    let start = 0;
    if (keyMarker !== undefined && versionIdMarker) {
      start = flat.findIndex((x) => x.key === keyMarker && x.e.versionId === versionIdMarker) + 1;
    } else if (keyMarker !== undefined) {
      const first = flat.findIndex((x) => x.key > keyMarker);
      start = first === -1 ? flat.length : first;
    }
    const page = flat.slice(start, start + maxKeys);
    const truncated = start + maxKeys < flat.length;
    const last = page[page.length - 1];
    return {
      $metadata: {},
      IsTruncated: truncated,
      NextKeyMarker: truncated ? last.key : undefined,
      NextVersionIdMarker: truncated ? last.e.versionId : undefined,
      Versions: page
        .filter((x) => !x.e.deleteMarker)
        .map((x) => ({
          Key: x.key,
          VersionId: x.e.versionId,
          IsLatest: x.isLatest,
          LastModified: x.e.lastModified,
          ETag: x.e.eTag,
          Size: x.e.size,
          StorageClass: x.e.storageClass as never,
          ChecksumAlgorithm: x.e.checksum ? ["CRC64NVME"] : undefined,
        })),
      DeleteMarkers: page
        .filter((x) => x.e.deleteMarker)
        .map((x) => ({ Key: x.key, VersionId: x.e.versionId, IsLatest: x.isLatest, LastModified: x.e.lastModified })),
    };
  }
}

export interface Fault {
  readonly command: string;
  readonly bucket?: string;
  readonly key?: string;
  /** How many calls fail; Infinity for every call. */
  times: number;
  readonly error: () => Error;
}

interface Upload {
  readonly bucket: string;
  readonly key: string;
  readonly metadata: Record<string, string>;
  readonly contentType?: string;
  readonly tags: Record<string, string>;
  readonly parts: Map<number, { source: StoredEntry; start: number; end: number; eTag: string }>;
}

/** Every bucket of the test, wherever its account and region: requests are served by bucket name. */
export class S3World {
  readonly buckets = new Map<string, ModelBucket>();
  readonly faults: Fault[] = [];
  readonly uploads = new Map<string, Upload>();
  /** Called after every successful CopyObject / CompleteMultipartUpload, with the running count. */
  onWrite?: (count: number) => void;
  writes = 0;
  /** SSE-KMS buckets (this product's): ETags are not content digests. */
  kmsETags = true;
  private clock = Date.parse("2026-01-01T00:00:00Z");
  private versions = 0;

  bucket(name: string, region = "eu-central-1", versioning: "Enabled" | "Suspended" | undefined = "Enabled"): ModelBucket {
    const bucket = new ModelBucket(name, region, versioning, this);
    this.buckets.set(name, bucket);
    return bucket;
  }

  tick(): Date {
    this.clock += 1000;
    return new Date(this.clock);
  }

  nextVersionId(): string {
    return createHash("sha1").update(`version-${++this.versions}`).digest("base64url").slice(0, 22);
  }

  eTagFor(content: string, parts?: number): string {
    const base = this.kmsETags ? digest(`${content}/${this.versions}/${Math.random()}`) : digest(content);
    return `"${base.slice(0, 32)}${parts ? `-${parts}` : ""}"`;
  }

  fail(command: string, error: () => Error, times = 1, where: { bucket?: string; key?: string } = {}): void {
    this.faults.push({ command, times, error, ...where });
  }

  private checkFaults(command: string, input: { Bucket?: string; Key?: string }): void {
    const fault = this.faults.find((f) => f.times > 0 && f.command === command && (!f.bucket || f.bucket === input.Bucket) && (!f.key || f.key === input.Key));
    if (fault) {
      fault.times--;
      throw fault.error();
    }
  }

  private get(name: string | undefined): ModelBucket {
    const bucket = this.buckets.get(name ?? "");
    if (!bucket) throw s3Error("NoSuchBucket", 404, `The specified bucket does not exist: ${name}`);
    return bucket;
  }

  private source(copySource: string | undefined): { bucket: ModelBucket; key: string; entry: StoredEntry } {
    const [path, query] = (copySource ?? "").split("?versionId=");
    const slash = path.indexOf("/");
    const bucket = this.get(path.slice(0, slash));
    const key = decodeURIComponent(path.slice(slash + 1));
    const entry = bucket.version(key, query ? decodeURIComponent(query) : undefined);
    if (!entry) throw s3Error(query ? "NoSuchVersion" : "NoSuchKey", 404, "The specified version does not exist.");
    if (entry.deleteMarker) throw s3Error("InvalidRequest", 400, "The source of a copy request may not specifically refer to a delete marker by version id.");
    if ((entry.storageClass === "GLACIER" || entry.storageClass === "DEEP_ARCHIVE") && entry.restore !== "available") {
      throw s3Error("InvalidObjectState", 403, "Operation is not valid for the source object's storage class");
    }
    return { bucket, key, entry };
  }

  private wrote(): void {
    this.writes++;
    this.onWrite?.(this.writes);
  }

  /** Wires every S3 command the restore uses to this world; returns the mock for call assertions. */
  install() {
    const s3 = mockClient(S3Client);
    const on = <I extends { Bucket?: string; Key?: string }>(command: { name: string }, handle: (input: I) => unknown) =>
      s3.on(command as never).callsFake((input: I) => {
        this.checkFaults(command.name.replace(/Command$/, ""), input);
        return Promise.resolve(handle(input));
      });
    on(ListObjectVersionsCommand, (i: { Bucket?: string; Prefix?: string; MaxKeys?: number; KeyMarker?: string; VersionIdMarker?: string }) =>
      this.get(i.Bucket).list(i.Prefix ?? "", i.MaxKeys ?? 1000, i.KeyMarker, i.VersionIdMarker),
    );
    on(GetBucketVersioningCommand, (i) => ({ Status: this.get(i.Bucket).versioning }));
    on(GetBucketLocationCommand, (i) => {
      const region = this.get(i.Bucket).region;
      return { LocationConstraint: region === "us-east-1" ? undefined : region === "eu-west-1" ? "EU" : region };
    });
    on(HeadObjectCommand, (i: { Bucket?: string; Key?: string; VersionId?: string }) => head(this.get(i.Bucket), i.Key!, i.VersionId));
    on(GetObjectTaggingCommand, (i: { Bucket?: string; Key?: string; VersionId?: string }) => {
      const entry = this.get(i.Bucket).version(i.Key!, i.VersionId);
      if (!entry) throw s3Error("NoSuchKey", 404, "The specified key does not exist.");
      return { TagSet: Object.entries(entry.tags).map(([Key, Value]) => ({ Key, Value })) };
    });
    on(GetObjectCommand, (i: { Bucket?: string; Key?: string; VersionId?: string }) => {
      const entry = this.get(i.Bucket).version(i.Key!, i.VersionId);
      if (!entry || entry.deleteMarker) throw s3Error(i.VersionId ? "NoSuchVersion" : "NoSuchKey", 404, "not found");
      return { Body: Readable.from([entry.body ?? Buffer.from(entry.content)]), ETag: entry.eTag, VersionId: entry.versionId, ContentLength: entry.size };
    });
    on(CopyObjectCommand, (i: { Bucket?: string; Key?: string; CopySource?: string; MetadataDirective?: string; TaggingDirective?: string }) => {
      const { entry } = this.source(i.CopySource);
      const target = this.get(i.Bucket);
      if (entry.size > 5 * 1024 ** 3)
        throw s3Error("InvalidRequest", 400, "The specified copy source is larger than the maximum allowable size for a copy source: 5368709120");
      const versionId = target.store(i.Key!, {
        ...entry,
        eTag: this.eTagFor(entry.content),
        checksum: entry.checksum?.type === "FULL_OBJECT" ? entry.checksum : fullChecksum(entry.content),
        metadata: i.MetadataDirective === "REPLACE" ? {} : entry.metadata,
        tags: i.TaggingDirective === "REPLACE" ? {} : entry.tags,
        storageClass: "STANDARD",
        restore: undefined,
        at: undefined,
      });
      this.wrote();
      return { VersionId: target.versioning === "Enabled" ? versionId : undefined, CopyObjectResult: { ETag: target.current(i.Key!)!.eTag } };
    });
    on(CreateMultipartUploadCommand, (i: { Bucket?: string; Key?: string; Metadata?: Record<string, string>; ContentType?: string; Tagging?: string }) => {
      this.get(i.Bucket);
      const UploadId = `upload-${this.uploads.size + 1}`;
      const tags = Object.fromEntries(new URLSearchParams(i.Tagging ?? "").entries());
      this.uploads.set(UploadId, { bucket: i.Bucket!, key: i.Key!, metadata: i.Metadata ?? {}, contentType: i.ContentType, tags, parts: new Map() });
      return { UploadId };
    });
    on(UploadPartCopyCommand, (i: { Bucket?: string; UploadId?: string; PartNumber?: number; CopySource?: string; CopySourceRange?: string }) => {
      const upload = this.uploads.get(i.UploadId!);
      if (!upload) throw s3Error("NoSuchUpload", 404, "The specified upload does not exist.");
      const { entry } = this.source(i.CopySource);
      const [, start, end] = /^bytes=(\d+)-(\d+)$/.exec(i.CopySourceRange ?? "") ?? [];
      if (start === undefined || Number(end) >= entry.size || Number(end) - Number(start) + 1 > 5 * 1024 ** 3)
        throw s3Error("InvalidArgument", 400, "bad range");
      const eTag = `"${digest(`${entry.content}/${start}-${end}`).slice(0, 32)}"`;
      upload.parts.set(i.PartNumber!, { source: entry, start: Number(start), end: Number(end), eTag });
      return { CopyPartResult: { ETag: eTag } };
    });
    on(CompleteMultipartUploadCommand, (i: { Bucket?: string; UploadId?: string; MultipartUpload?: { Parts?: { ETag?: string; PartNumber?: number }[] } }) => {
      const upload = this.uploads.get(i.UploadId!);
      if (!upload) throw s3Error("NoSuchUpload", 404, "The specified upload does not exist.");
      const listed = i.MultipartUpload?.Parts ?? [];
      let next = 0;
      for (const [n, part] of listed.map((p) => [p.PartNumber!, upload.parts.get(p.PartNumber!)] as const)) {
        if (!part || part.start !== next || part.eTag !== listed.find((p) => p.PartNumber === n)!.ETag) throw s3Error("InvalidPart", 400, "bad part");
        next = part.end + 1;
      }
      const source = upload.parts.get(1)!.source;
      if (next !== source.size) throw s3Error("InvalidPart", 400, "parts do not cover the object");
      const target = this.get(upload.bucket);
      const versionId = target.store(upload.key, {
        deleteMarker: false,
        size: source.size,
        content: source.content,
        body: source.body,
        eTag: this.eTagFor(source.content, listed.length),
        checksum: { value: `${digest(`${source.content}/${listed.length}`)}-${listed.length}`, type: "COMPOSITE" },
        metadata: upload.metadata,
        contentType: upload.contentType,
        tags: upload.tags,
        storageClass: "STANDARD",
      });
      this.uploads.delete(i.UploadId!);
      this.wrote();
      return { VersionId: target.versioning === "Enabled" ? versionId : undefined };
    });
    on(AbortMultipartUploadCommand, (i: { Bucket?: string; UploadId?: string }) => {
      this.uploads.delete(i.UploadId!);
      return {};
    });
    on(RestoreObjectCommand, (i: { Bucket?: string; Key?: string; VersionId?: string }) => {
      const entry = this.get(i.Bucket).version(i.Key!, i.VersionId);
      if (!entry) throw s3Error("NoSuchVersion", 404, "not found");
      if (entry.restore === "ongoing") throw s3Error("RestoreAlreadyInProgress", 409, "Object restore is already in progress");
      entry.restore = "ongoing";
      return {};
    });
    on(PutObjectCommand, async (i: { Bucket?: string; Key?: string; Body?: unknown }) => {
      const body = await bodyBytes(i.Body);
      const target = this.get(i.Bucket);
      const versionId = target.put(i.Key!, { body });
      return { VersionId: target.versioning === "Enabled" ? versionId : undefined, ETag: target.current(i.Key!)!.eTag };
    });
    on(DeleteObjectCommand, (i: { Bucket?: string; Key?: string; VersionId?: string }) => {
      const bucket = this.get(i.Bucket);
      const history = bucket.keys.get(i.Key!) ?? [];
      if (i.VersionId)
        bucket.keys.set(
          i.Key!,
          history.filter((e) => e.versionId !== i.VersionId),
        );
      else bucket.delete(i.Key!);
      return {};
    });
    return s3;
  }
}

function head(bucket: ModelBucket, key: string, versionId?: string) {
  const entry = bucket.version(key, versionId);
  if (!entry) throw s3Error("NotFound", 404, "Not Found");
  if (entry.deleteMarker) throw s3Error(versionId ? "MethodNotAllowed" : "NotFound", versionId ? 405 : 404, "delete marker");
  return {
    ContentLength: entry.size,
    ETag: entry.eTag,
    VersionId: entry.versionId,
    LastModified: entry.lastModified,
    Metadata: entry.metadata,
    ContentType: entry.contentType,
    StorageClass: entry.storageClass === "STANDARD" ? undefined : entry.storageClass,
    ChecksumCRC64NVME: entry.checksum?.value,
    ChecksumType: entry.checksum?.type,
    Restore:
      entry.restore === "ongoing"
        ? 'ongoing-request="true"'
        : entry.restore === "available"
          ? 'ongoing-request="false", expiry-date="Fri, 21 Dec 2029 00:00:00 GMT"'
          : undefined,
  };
}

async function bodyBytes(body: unknown): Promise<Buffer> {
  if (typeof body === "string" || Buffer.isBuffer(body) || body instanceof Uint8Array) return Buffer.from(body as string);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

export function digest(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function fullChecksum(content: string) {
  return { value: Buffer.from(digest(`crc/${content}`).slice(0, 16), "hex").toString("base64"), type: "FULL_OBJECT" as const };
}

export function s3Error(name: string, status: number, message: string): S3ServiceException {
  return new S3ServiceException({ name, $fault: status >= 500 ? "server" : "client", $metadata: { httpStatusCode: status }, message });
}
