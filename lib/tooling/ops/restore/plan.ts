import { COPY_OBJECT_MAX_BYTES, partBytesFor } from "./copy";
import { KeyDecision, SelectedVersion } from "./select";
import { isArchived } from "./thaw";

/** What the counting pass finds: what a restore would copy, what it skips, what needs a thaw. */
export interface RestorePlan {
  listPages: number;
  versionsListed: number;
  keys: number;
  objects: number;
  bytes: number;
  deletedAtAsOf: number;
  absentAtAsOf: number;
  byStorageClass: Record<string, { objects: number; bytes: number }>;
  needThaw: { GLACIER: { objects: number; bytes: number }; DEEP_ARCHIVE: { objects: number; bytes: number } };
  multipartObjects: number;
  multipartParts: number;
}

export function emptyPlan(): RestorePlan {
  return {
    listPages: 0,
    versionsListed: 0,
    keys: 0,
    objects: 0,
    bytes: 0,
    deletedAtAsOf: 0,
    absentAtAsOf: 0,
    byStorageClass: {},
    needThaw: { GLACIER: { objects: 0, bytes: 0 }, DEEP_ARCHIVE: { objects: 0, bytes: 0 } },
    multipartObjects: 0,
    multipartParts: 0,
  };
}

/** Adds one key's decision to the plan. */
export function count(plan: RestorePlan, decision: KeyDecision): void {
  plan.keys++;
  if (decision.kind === "deleted") plan.deletedAtAsOf++;
  else if (decision.kind === "absent") plan.absentAtAsOf++;
  else addVersion(plan, decision.version);
}

function addVersion(plan: RestorePlan, v: SelectedVersion): void {
  plan.objects++;
  plan.bytes += v.size;
  const byClass = (plan.byStorageClass[v.storageClass] ??= { objects: 0, bytes: 0 });
  byClass.objects++;
  byClass.bytes += v.size;
  if (isArchived(v.storageClass)) {
    const thaw = plan.needThaw[v.storageClass as "GLACIER" | "DEEP_ARCHIVE"];
    thaw.objects++;
    thaw.bytes += v.size;
  }
  if (v.size > COPY_OBJECT_MAX_BYTES) {
    plan.multipartObjects++;
    plan.multipartParts += Math.ceil(v.size / partBytesFor(v.size));
  }
}
