import { HeadObjectCommandOutput } from "@aws-sdk/client-s3";
import { contentFacts, sameContent } from "./content";
import { CopyContext, copyVersion, headVersion } from "./copy";
import type { SelectedVersion } from "./select";
import { ThawTier, isArchived, startThaw, thawState, waitFor } from "./thaw";

export type Outcome = "copied" | "unchanged" | "vanished" | "needs-thaw" | "thaw-started" | "thaw-in-progress" | "failed";

export interface ObjectOptions {
  readonly thaw?: { readonly days: number; readonly tier: ThawTier };
  /** Batch mode: objects up to 5 GB go to the manifest instead of being copied here. */
}

const status = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const named = (error: unknown, ...names: string[]) => names.includes((error as { name?: string }).name ?? "");

/**
 * One selected version: thawed first if archived, skipped when the target's current
 * object already has its content, else copied.
 */
export async function restoreOne(
  ctx: CopyContext,
  v: SelectedVersion,
  targetKey: string,
  options: ObjectOptions,
): Promise<{ outcome: Outcome; detail?: string }> {
  try {
    let sourceHead: HeadObjectCommandOutput | undefined;
    if (isArchived(v.storageClass)) {
      sourceHead = await headVersion(ctx.source, v.key, v.versionId);
      const thawed = await thawIfNeeded(ctx, v, sourceHead, options);
      if (thawed) return thawed;
    }
    const current = await currentTarget(ctx, targetKey);
    if (current) {
      sourceHead ??= await headVersion(ctx.source, v.key, v.versionId);
      if (sameContent(contentFacts(sourceHead), contentFacts(current)) === "same") return { outcome: "unchanged" };
    }
    const copied = await copyVersion(ctx, { key: v.key, versionId: v.versionId, size: v.size }, targetKey);
    return { outcome: "copied", detail: copied.multipart ? "multipart" : undefined };
  } catch (error) {
    if (named(error, "NoSuchVersion", "NoSuchKey") || (status(error) === 404 && !named(error, "NoSuchBucket", "NoSuchUpload"))) {
      return { outcome: "vanished", detail: `the version is gone from s3://${ctx.source.bucket} (deleted while restoring?): skipped` };
    }
    if (named(error, "InvalidObjectState")) return { outcome: "needs-thaw", detail: "archived (S3 says InvalidObjectState): run with --thaw first" };
    throw error;
  }
}

async function thawIfNeeded(
  ctx: CopyContext,
  v: SelectedVersion,
  head: HeadObjectCommandOutput,
  options: ObjectOptions,
): Promise<{ outcome: Outcome; detail: string } | undefined> {
  const state = thawState(head);
  if (state === "restored") return undefined;
  if (state === "in-progress") return { outcome: "thaw-in-progress", detail: `${v.storageClass} restore in progress: run again when it is done` };
  if (!options.thaw)
    return { outcome: "needs-thaw", detail: `${v.storageClass}: needs a RestoreObject first (--thaw; Standard tier ${waitFor(v.storageClass, "Standard")})` };
  await startThaw(ctx.source, v.key, v.versionId, options.thaw.days, options.thaw.tier);
  return {
    outcome: "thaw-started",
    detail: `${v.storageClass} RestoreObject started (${options.thaw.tier}: ${waitFor(v.storageClass, options.thaw.tier)}); run again after`,
  };
}

/** The target key's current object, or undefined when there is none (404). */
async function currentTarget(ctx: CopyContext, targetKey: string): Promise<HeadObjectCommandOutput | undefined> {
  try {
    return await headVersion(ctx.target, targetKey, undefined);
  } catch (error) {
    if (status(error) === 404 || named(error, "NotFound", "NoSuchKey")) return undefined;
    throw error;
  }
}
