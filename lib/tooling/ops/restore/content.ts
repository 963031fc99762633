import type { HeadObjectCommandOutput } from "@aws-sdk/client-s3";

/** What tells two objects' bytes apart without reading them. */
export interface ContentFacts {
  readonly size?: number;
  readonly eTag?: string;
  readonly checksumType?: string;
  /** By algorithm: CRC64NVME, CRC32, CRC32C, SHA1, SHA256. */
  readonly checksums: Readonly<Record<string, string>>;
}

const ALGORITHMS = ["CRC64NVME", "CRC32", "CRC32C", "SHA256", "SHA1"] as const;

/** A HeadObject answer (asked with ChecksumMode ENABLED) as content facts. */
export function contentFacts(head: HeadObjectCommandOutput): ContentFacts {
  const checksums: Record<string, string> = {};
  for (const algorithm of ALGORITHMS) {
    const value = head[`Checksum${algorithm}`];
    if (value) checksums[algorithm] = value;
  }
  return { size: head.ContentLength, eTag: head.ETag, checksumType: head.ChecksumType, checksums };
}

/**
 * Whether the target's current object already holds the selected version's bytes.
 * - Same algorithm on both sides: equal values prove equal content. Unequal FULL_OBJECT
 *   values prove different content; unequal COMPOSITE values (multipart: a checksum of the
 *   part checksums, ending in `-<parts>`) prove nothing, the part sizes may differ.
 * - Else equal ETags and sizes are taken as the same content. Unequal ETags prove nothing:
 *   ETags of SSE-KMS objects are not MD5 digests of the data, and a multipart ETag depends on
 *   the part size (a copy made with other part sizes has another ETag).
 * "unknown" is copied: at worst one more version with the same bytes, never a lost one.
 * See "Checking object integrity in Amazon S3" in the S3 User Guide (checked against the
 * documentation, not against AWS).
 */
export function sameContent(selected: ContentFacts, current: ContentFacts): "same" | "different" | "unknown" {
  if (selected.size !== undefined && current.size !== undefined && selected.size !== current.size) return "different";
  for (const algorithm of ALGORITHMS) {
    const a = selected.checksums[algorithm];
    const b = current.checksums[algorithm];
    if (!a || !b) continue;
    if (a === b) return "same";
    const bothFull = (selected.checksumType ?? "FULL_OBJECT") === "FULL_OBJECT" && (current.checksumType ?? "FULL_OBJECT") === "FULL_OBJECT";
    return bothFull && !a.includes("-") && !b.includes("-") ? "different" : "unknown";
  }
  if (selected.eTag && selected.eTag === current.eTag) return "same";
  return "unknown";
}
