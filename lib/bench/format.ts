import { markdownTable } from "../core/text-table";
import { humanBytes } from "../core/units";

/** How the bench prints numbers and tables (Markdown, so a run pastes into the README as is). */
export const fmt = {
  s: (ms: number) => `${(ms / 1000).toFixed(2)} s`,
  bytes: humanBytes,
  of: (bytes: number, limit: number) => `${bytes} B (${((100 * bytes) / limit).toFixed(1)}%)`,
  ratio: (x: number) => `${x.toFixed(2)}×`,
};

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function table(header: string[], rows: (string | number)[][]): void {
  process.stdout.write(
    markdownTable(
      header,
      rows.map((r) => r.map(String)),
    ),
  );
}

/** Milliseconds an async or sync piece of work takes. */
export async function timed(fn: () => unknown): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}
