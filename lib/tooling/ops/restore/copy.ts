import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  HeadObjectCommandOutput,
  S3Client,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import { mapWithConcurrency } from "../../../core/pool";
import { AccessDeniedError, isAccessDenied } from "./access-denied";

/** CopyObject's limit: "You can create a copy of an object up to 5 GB in a single atomic operation" (S3 User Guide, Copying objects). */
export const COPY_OBJECT_MAX_BYTES = 5 * 1024 ** 3;
/** Multipart limits: at most 10,000 parts of 5 MiB to 5 GiB each (S3 User Guide, "Amazon S3 multipart upload limits"). */
export const MAX_PARTS = 10_000;
export const DEFAULT_PART_BYTES = 512 * 1024 ** 2;

export interface Endpoint {
  readonly client: S3Client;
  readonly bucket: string;
  /** Named in access-denied messages. */
  readonly roleArn: string;
}

export interface CopyContext {
  readonly source: Endpoint;
  readonly target: Endpoint;
  readonly partBytes?: number;
  /** Parts of one object copied at once. Default 4. */
  readonly partConcurrency?: number;
}

export interface CopySource {
  readonly key: string;
  readonly versionId: string;
  readonly size: number;
}

/**
 * Sends one request (the client retries throttling and 5xx itself, lib/core/aws-retry.ts);
 * access denied becomes one line naming the action, the bucket and the role.
 */
export async function send<T>(endpoint: Endpoint, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isAccessDenied(error)) throw new AccessDeniedError(what, endpoint.roleArn);
    throw error;
  }
}

/** `bucket/key?versionId=v`, the key URL-encoded per path segment as CopySource requires (CopyObject, API Reference). */
export function copySource(bucket: string, key: string, versionId: string): string {
  return `${bucket}/${key.split("/").map(encodeURIComponent).join("/")}?versionId=${encodeURIComponent(versionId)}`;
}

export async function headVersion(endpoint: Endpoint, key: string, versionId: string | undefined): Promise<HeadObjectCommandOutput> {
  return send(endpoint, `HeadObject s3://${endpoint.bucket}/${key}`, () =>
    endpoint.client.send(new HeadObjectCommand({ Bucket: endpoint.bucket, Key: key, VersionId: versionId, ChecksumMode: "ENABLED" })),
  );
}

/**
 * Copies one source version to `targetKey` as a new version of the target. Metadata,
 * content type and tags come along (COPY directives, or read and passed on for multipart);
 * no encryption parameter is ever sent, so the target encrypts with its own default key.
 */
export async function copyVersion(ctx: CopyContext, source: CopySource, targetKey: string): Promise<{ versionId?: string; multipart: boolean }> {
  if (source.size > COPY_OBJECT_MAX_BYTES) return { versionId: await multipartCopy(ctx, source, targetKey), multipart: true };
  const result = await send(ctx.target, `CopyObject s3://${ctx.source.bucket}/${source.key} to s3://${ctx.target.bucket}/${targetKey}`, () =>
    ctx.target.client.send(
      new CopyObjectCommand({
        Bucket: ctx.target.bucket,
        Key: targetKey,
        CopySource: copySource(ctx.source.bucket, source.key, source.versionId),
        MetadataDirective: "COPY",
        TaggingDirective: "COPY",
      }),
    ),
  );
  return { versionId: result.VersionId, multipart: false };
}

/** Part size: the default, raised so that no object needs more than 10,000 parts; whole MiB. */
export function partBytesFor(size: number, preferred = DEFAULT_PART_BYTES): number {
  const mib = 1024 ** 2;
  return Math.ceil(Math.max(preferred, Math.ceil(size / MAX_PARTS)) / mib) * mib;
}

/** The source version's tags, as the Tagging header of a new upload ("k=v&k2=v2"). */
async function taggingOf(ctx: CopyContext, source: CopySource): Promise<string> {
  const tagging = await send(ctx.source, `GetObjectTagging s3://${ctx.source.bucket}/${source.key}`, () =>
    ctx.source.client.send(new GetObjectTaggingCommand({ Bucket: ctx.source.bucket, Key: source.key, VersionId: source.versionId })),
  );
  return new URLSearchParams((tagging.TagSet ?? []).map((t): [string, string] => [t.Key ?? "", t.Value ?? ""])).toString();
}

/** A multipart upload of targetKey carrying the source version's metadata, content headers and tags; its UploadId. */
async function startUpload(ctx: CopyContext, source: CopySource, targetKey: string): Promise<string> {
  const { target } = ctx;
  const head = await headVersion(ctx.source, source.key, source.versionId);
  const tags = await taggingOf(ctx, source);
  const created = await send(target, `CreateMultipartUpload s3://${target.bucket}/${targetKey}`, () =>
    target.client.send(
      new CreateMultipartUploadCommand({
        Bucket: target.bucket,
        Key: targetKey,
        Metadata: head.Metadata,
        ContentType: head.ContentType,
        CacheControl: head.CacheControl,
        ContentDisposition: head.ContentDisposition,
        ContentEncoding: head.ContentEncoding,
        ContentLanguage: head.ContentLanguage,
        Tagging: tags || undefined,
      }),
    ),
  );
  return created.UploadId!;
}

/** Every part of the source version copied into the upload by range, a few at a time; the parts for CompleteMultipartUpload. */
function copyParts(ctx: CopyContext, source: CopySource, targetKey: string, UploadId: string): Promise<{ PartNumber: number; ETag?: string }[]> {
  const { target } = ctx;
  const partBytes = partBytesFor(source.size, ctx.partBytes);
  const numbers = Array.from({ length: Math.ceil(source.size / partBytes) }, (_, i) => i + 1);
  return mapWithConcurrency(numbers, ctx.partConcurrency ?? 4, async (PartNumber) => {
    const start = (PartNumber - 1) * partBytes;
    const end = Math.min(source.size, start + partBytes) - 1;
    const part = await send(target, `UploadPartCopy s3://${target.bucket}/${targetKey} part ${PartNumber}`, () =>
      target.client.send(
        new UploadPartCopyCommand({
          Bucket: target.bucket,
          Key: targetKey,
          UploadId,
          PartNumber,
          CopySource: copySource(ctx.source.bucket, source.key, source.versionId),
          CopySourceRange: `bytes=${start}-${end}`,
        }),
      ),
    );
    return { PartNumber, ETag: part.CopyPartResult?.ETag };
  });
}

async function multipartCopy(ctx: CopyContext, source: CopySource, targetKey: string): Promise<string | undefined> {
  const { target } = ctx;
  const UploadId = await startUpload(ctx, source, targetKey);
  try {
    const parts = await copyParts(ctx, source, targetKey, UploadId);
    const done = await send(target, `CompleteMultipartUpload s3://${target.bucket}/${targetKey}`, () =>
      target.client.send(new CompleteMultipartUploadCommand({ Bucket: target.bucket, Key: targetKey, UploadId, MultipartUpload: { Parts: parts } })),
    );
    return done.VersionId;
  } catch (error) {
    // An unfinished upload's parts are billed until aborted.
    await target.client.send(new AbortMultipartUploadCommand({ Bucket: target.bucket, Key: targetKey, UploadId })).catch(() => undefined);
    throw error;
  }
}
