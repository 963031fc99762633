import { HeadObjectCommandOutput, RestoreObjectCommand } from "@aws-sdk/client-s3";
import { Endpoint, send } from "./copy";

/**
 * Storage classes whose objects cannot be read until a RestoreObject makes a temporary
 * copy. Typical waits, from "Understanding archive retrieval options" in the S3 User Guide
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/restoring-objects-retrieval-options.html),
 * checked against the documentation, not against AWS:
 */
export const ARCHIVE_WAITS: Readonly<Record<string, Readonly<Record<ThawTier, string>>>> = {
  GLACIER: { Standard: "3-5 hours", Bulk: "5-12 hours" },
  DEEP_ARCHIVE: { Standard: "within 12 hours", Bulk: "within 48 hours" },
};
export type ThawTier = "Standard" | "Bulk";

export function isArchived(storageClass: string): boolean {
  return storageClass in ARCHIVE_WAITS;
}

export type ThawState = "not-restored" | "in-progress" | "restored";

/** HeadObject's Restore header: absent (never restored or expired), `ongoing-request="true"`, or `ongoing-request="false", expiry-date="..."`. */
export function thawState(head: HeadObjectCommandOutput): ThawState {
  const restore = head.Restore ?? "";
  if (/ongoing-request="true"/.test(restore)) return "in-progress";
  if (/ongoing-request="false"/.test(restore)) return "restored";
  // Intelligent-Tiering's archive tiers: HeadObject names them in ArchiveStatus until restored.
  return head.ArchiveStatus ? "not-restored" : head.StorageClass && isArchived(head.StorageClass) ? "not-restored" : "restored";
}

/** Starts a RestoreObject of one version: a temporary copy for `days` days, at the given tier. */
export async function startThaw(source: Endpoint, key: string, versionId: string, days: number, tier: ThawTier): Promise<void> {
  try {
    await send(source, `RestoreObject s3://${source.bucket}/${key}`, () =>
      source.client.send(
        new RestoreObjectCommand({
          Bucket: source.bucket,
          Key: key,
          VersionId: versionId,
          RestoreRequest: { Days: days, GlacierJobParameters: { Tier: tier } },
        }),
      ),
    );
  } catch (error) {
    // Asked twice: the first request is still running, which is what we wanted.
    if ((error as { name?: string }).name !== "RestoreAlreadyInProgress") throw error;
  }
}

export function waitFor(storageClass: string, tier: ThawTier): string {
  return ARCHIVE_WAITS[storageClass]?.[tier] ?? "unknown";
}
