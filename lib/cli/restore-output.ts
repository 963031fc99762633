import type { RestorePlan } from "../tooling/ops/restore/plan";
import { humanBytes } from "../core/units";
import type { RestoreReport } from "../tooling/ops/restore/run";
import type { KeyDecision } from "../tooling/ops/restore/select";
import { waitFor } from "../tooling/ops/restore/thaw";

/** The counting pass as the dry run (and every run) prints it. */
export function planLines(plan: RestorePlan, report: RestoreReport): string[] {
  const lines = [
    `Listed ${plan.versionsListed} versions and delete markers in ${plan.listPages} page(s): ${plan.keys} keys.`,
    `To restore: ${plan.objects} objects, ${humanBytes(plan.bytes)}. Skipped: ${plan.deletedAtAsOf} deleted at that time, ${plan.absentAtAsOf} created after it.`,
    `Storage classes: ${
      Object.entries(plan.byStorageClass)
        .map(([c, s]) => `${c} ${s.objects} (${humanBytes(s.bytes)})`)
        .join(", ") || "none"
    }.`,
  ];
  for (const cls of ["GLACIER", "DEEP_ARCHIVE"] as const) {
    const t = plan.needThaw[cls];
    if (t.objects)
      lines.push(
        `Need a thaw first: ${t.objects} ${cls} objects (${humanBytes(t.bytes)}): --thaw, then run again after Standard ${waitFor(cls, "Standard")} or Bulk ${waitFor(cls, "Bulk")}.`,
      );
  }
  if (plan.multipartObjects) lines.push(`Above 5 GB (multipart copy): ${plan.multipartObjects} objects, ${plan.multipartParts} parts.`);
  lines.push(`Estimated request cost (us-east-1 list prices, an estimate): $${report.cost.totalUsd.toFixed(4)}`);
  for (const l of report.cost.lines) lines.push(`  $${l.usd.toFixed(4)}  ${l.item}`);
  lines.push(`Target versioning: ${report.targetVersioning ?? "unknown"}.`);
  return lines;
}

export function outcomeLine(report: RestoreReport): string {
  const o = report.outcomes;
  return (
    `copied ${o.copied}, unchanged ${o.unchanged}, already done (journal) ${o.journal}, ` +
    `deleted while restoring ${o.vanished}, need a thaw ${o["needs-thaw"]}, thaw started ${o["thaw-started"]}, thaw in progress ${o["thaw-in-progress"]}, failed ${o.failed}` +
    ` in ${report.seconds.toFixed(1)} s`
  );
}

/** One key of `--dry-run --list`: what would come back (key, version, size, time, class), or why not. */
export function decisionLine(d: KeyDecision): string {
  if (d.kind === "deleted") return `skip     ${d.key}  (deleted at ${d.deletedAt.toISOString()}, before --as-of)`;
  if (d.kind === "absent") return `skip     ${d.key}  (created after --as-of)`;
  const v = d.version;
  return `restore  ${d.key}  version ${v.versionId}  ${humanBytes(v.size)}  ${v.lastModified.toISOString()}  ${v.storageClass}`;
}
