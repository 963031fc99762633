import { annotation, capWarnings } from "./annotations";
import { CoverageRow, Verdict, verdictCounts } from "./coverage";
import { clip, markdownTable, textTable } from "../../core/text-table";
import { humanBytes } from "../../core/units";

const SEVERITY: Record<Verdict, number> = { fail: 0, warn: 1, ok: 2 };

/** Failures first, then warnings, then ok; the members' order within each. */
export function bySeverity(rows: readonly CoverageRow[]): CoverageRow[] {
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => SEVERITY[a.row.verdict] - SEVERITY[b.row.verdict] || a.i - b.i)
    .map(({ row }) => row);
}

const HEADER = ["account", "name", "verdict", "replication", "failed 24h", "pending", "max latency", "not backed up"];

function cells(row: CoverageRow): string[] {
  const replication = row.error
    ? "-"
    : row.replication!.state === "ok"
      ? `ok (${row.replication!.rules} rule${row.replication!.rules === 1 ? "" : "s"})`
      : row.replication!.state;
  const health = row.health;
  // An unreadable account has no health to show; its one reason is in the last column.
  const noData = row.error ? "-" : row.metrics === "ok" ? undefined : row.metrics;
  return [
    row.accountId,
    clip(row.name, 24),
    row.verdict.toUpperCase(),
    replication,
    noData ?? String(health!.failedOperations),
    noData ?? (health!.pendingOperations ? `${health!.pendingOperations} (${humanBytes(health!.pendingBytes)})` : "0"),
    noData ?? (health!.maxLatencySeconds === undefined ? "-" : `${Math.round(health!.maxLatencySeconds)} s`),
    row.error ? clip(row.error, 60) : notBackedUp(row),
  ];
}

/** The first unreplicated prefix and how many more: `logs/ 1,204 obj 3.2 GiB (+2 more)`. */
function notBackedUp(row: CoverageRow): string {
  if (row.unreplicated.length === 0) return row.topLevelComplete ? "-" : "listing incomplete";
  const [first] = [...row.unreplicated].sort((a, b) => b.bytes - a.bytes);
  const atLeast = first.complete ? "" : "≥";
  const more = row.unreplicated.length > 1 ? ` (+${row.unreplicated.length - 1} more)` : "";
  return `${first.prefix || "(top level)"} ${atLeast}${first.objects.toLocaleString("en-US")} obj ${atLeast}${humanBytes(first.bytes)}${more}`;
}

function countsLine(rows: readonly CoverageRow[]): string {
  const c = verdictCounts(rows);
  return `${rows.length} accounts: ${c.ok} ok, ${c.warn} warn, ${c.fail} fail`;
}

/** The terminal report: the table, then every reason of every fail and warn row, then the counts. */
export function coverageText(rows: readonly CoverageRow[]): string {
  const sorted = bySeverity(rows);
  const details = sorted.filter((r) => r.verdict !== "ok").flatMap((r) => r.reasons.map((reason) => `  ${r.accountId} ${r.verdict.toUpperCase()}: ${reason}`));
  return textTable(HEADER, sorted.map(cells)) + (details.length ? `\n${details.join("\n")}\n` : "") + `\n${countsLine(rows)}\n`;
}

/** The job summary ($GITHUB_STEP_SUMMARY): counts, then one row per account, failures first, with every reason. */
export function coverageMarkdown(rows: readonly CoverageRow[]): string {
  const sorted = bySeverity(rows);
  const table = markdownTable(
    [...HEADER.slice(0, -1), "why"],
    sorted.map((r) => [...cells(r).slice(0, -1), r.reasons.join("; ") || "-"]),
  );
  return `### Backup coverage\n\n${countsLine(rows)}. Only keys under \`<accountId>/\` are replicated (docs/day-2.md, "Covered").\n\n${table}\n`;
}

/** The machine-readable report for CI. */
export function coverageJson(rows: readonly CoverageRow[]): string {
  return JSON.stringify({ counts: verdictCounts(rows), accounts: rows }, null, 2) + "\n";
}

/** `::error::` per failed account, `::warning::` per warned account (capped; the summary has them all). */
export function coverageAnnotations(rows: readonly CoverageRow[], maxWarnings = 20): string[] {
  const line = (level: "error" | "warning", r: CoverageRow) => annotation(level, `coverage ${r.accountId} ${r.name}`, r.reasons.join("; "));
  return capWarnings(
    rows.filter((r) => r.verdict === "fail").map((r) => line("error", r)),
    rows.filter((r) => r.verdict === "warn").map((r) => line("warning", r)),
    maxWarnings,
    (n) => annotation("warning", "coverage", `${n} more accounts with warnings: see the job summary`),
  );
}
