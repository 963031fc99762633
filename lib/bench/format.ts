/** How the bench prints numbers and tables (Markdown, so a run pastes into the README as is). */
export const fmt = {
  s: (ms: number) => `${(ms / 1000).toFixed(2)} s`,
  mib: (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`,
  kib: (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`,
  of: (bytes: number, limit: number) => `${bytes} B (${((100 * bytes) / limit).toFixed(1)}%)`,
  ratio: (x: number) => `${x.toFixed(2)}×`,
};

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function table(header: string[], rows: (string | number)[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells: (string | number)[]) => "| " + cells.map((c, i) => String(c).padEnd(widths[i])).join(" | ") + " |";
  console.log(line(header));
  console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
  rows.forEach((r) => console.log(line(r)));
}

/** Milliseconds an async or sync piece of work takes. */
export async function timed(fn: () => unknown): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}
