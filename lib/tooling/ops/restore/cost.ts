import type { ThawTier } from "./thaw";

/**
 * List prices of US East (N. Virginia), in USD, from https://aws.amazon.com/s3/pricing/
 * (Requests & data retrievals, Data transfer, Batch Operations) and
 * https://aws.amazon.com/kms/pricing/, as read when this was written: other Regions differ
 * and prices change, so the estimate is an order of magnitude, not a quote.
 */
export const US_EAST_1_PRICES = {
  /** S3 Standard PUT, COPY, POST, LIST (per request; the page lists $0.005 per 1,000). */
  putCopyListRequest: 0.005 / 1000,
  /** S3 Standard GET, HEAD and other requests ($0.0004 per 1,000). */
  getHeadRequest: 0.0004 / 1000,
  /** Glacier Flexible Retrieval restore requests and retrieval per GB, by tier. */
  glacier: { Standard: { request: 0.05 / 1000, perGB: 0.01 }, Bulk: { request: 0, perGB: 0 } },
  /** Glacier Deep Archive restore requests and retrieval per GB, by tier. */
  deepArchive: { Standard: { request: 0.1 / 1000, perGB: 0.02 }, Bulk: { request: 0.025 / 1000, perGB: 0.0025 } },
  /** Data transferred between Regions (a copy from the central Region into another), per GB. */
  interRegionPerGB: 0.02,
  /** KMS requests ($0.03 per 10,000): a copy decrypts with the central key and encrypts with the target's. */
  kmsRequest: 0.03 / 10_000,
} as const;

export interface CostInput {
  readonly listPages: number;
  readonly objects: number;
  readonly bytes: number;
  /** Objects above 5 GB and their part count in all. */
  readonly multipartObjects: number;
  readonly multipartParts: number;
  readonly glacier: { readonly objects: number; readonly bytes: number };
  readonly deepArchive: { readonly objects: number; readonly bytes: number };
  readonly thawTier: ThawTier;
  readonly crossRegion: boolean;
}

export interface CostLine {
  readonly item: string;
  readonly usd: number;
}

const GB = 1024 ** 3;

/** The requests a restore makes, priced; what the target then stores is billed as storage and not counted here. */
export function estimateCost(c: CostInput): { lines: CostLine[]; totalUsd: number } {
  const p = US_EAST_1_PRICES;
  const single = c.objects - c.multipartObjects;
  const lines: CostLine[] = [
    { item: `ListObjectVersions: ${c.listPages} page(s), twice (count, then copy)`, usd: 2 * c.listPages * p.putCopyListRequest },
    { item: `HeadObject of each target key (and the source when the key exists): up to ${2 * c.objects}`, usd: 2 * c.objects * p.getHeadRequest },
    { item: `CopyObject: ${single}`, usd: single * p.putCopyListRequest },
    {
      item: `multipart copy: ${c.multipartObjects} object(s), ${c.multipartParts} UploadPartCopy + create/complete`,
      usd: (c.multipartParts + 2 * c.multipartObjects) * p.putCopyListRequest,
    },
    { item: `KMS: about 2 requests per object`, usd: 2 * c.objects * p.kmsRequest },
  ];
  if (c.glacier.objects)
    lines.push({
      item: `RestoreObject GLACIER (${c.thawTier}): ${c.glacier.objects}, ${(c.glacier.bytes / GB).toFixed(2)} GB retrieved`,
      usd: c.glacier.objects * p.glacier[c.thawTier].request + (c.glacier.bytes / GB) * p.glacier[c.thawTier].perGB,
    });
  if (c.deepArchive.objects)
    lines.push({
      item: `RestoreObject DEEP_ARCHIVE (${c.thawTier}): ${c.deepArchive.objects}, ${(c.deepArchive.bytes / GB).toFixed(2)} GB retrieved`,
      usd: c.deepArchive.objects * p.deepArchive[c.thawTier].request + (c.deepArchive.bytes / GB) * p.deepArchive[c.thawTier].perGB,
    });
  if (c.crossRegion) lines.push({ item: `inter-Region transfer: ${(c.bytes / GB).toFixed(2)} GB`, usd: (c.bytes / GB) * p.interRegionPerGB });
  return { lines, totalUsd: lines.reduce((sum, l) => sum + l.usd, 0) };
}
