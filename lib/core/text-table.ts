/** Columns padded to their widest cell, two spaces apart: a table a person reads at a glance in a terminal. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}

/**
 * A GitHub-flavoured Markdown table; `|` and newlines in cells are escaped so a cell never
 * breaks the row. `right` names the columns (by index) aligned right, numbers usually.
 */
export function markdownTable(header: readonly string[], rows: readonly (readonly (string | number)[])[], right: readonly number[] = []): string {
  const cell = (s: string | number) => String(s).replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
  const line = (cells: readonly (string | number)[]) => `| ${cells.map(cell).join(" | ")} |`;
  return [line(header), `|${header.map((_, i) => (right.includes(i) ? "---:" : "---")).join("|")}|`, ...rows.map(line)].join("\n") + "\n";
}

/** At most `max` characters, with an ellipsis when cut. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
