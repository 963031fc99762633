import { markdownTable } from "../../core/text-table";
import type { StackAction, StackResult } from "../terraform/stack-runner";

/** What a result means, in the words of the action: a drift plan's "changes" is drift. */
export function outcomeLabel(action: StackAction, result: StackResult): string {
  if (result.outcome === "changes") return action === "drift" ? "DRIFTED" : action === "deploy" ? "applied" : "changes";
  return result.outcome === "failed" ? "FAILED" : result.outcome;
}

const COLUMNS = ["stack", "result", "add", "change", "destroy", "import", "seconds"];
const cells = (action: StackAction, r: StackResult) => [r.stack, outcomeLabel(action, r), r.add, r.change, r.destroy, r.import, r.seconds.toFixed(1)];

/** One aligned text row, as the command prints it while stacks finish. */
export function textRow(values: readonly (string | number)[]): string {
  const [stack, result, ...numbers] = values.map(String);
  return (stack.padEnd(24) + result.padEnd(12) + numbers.map((n) => n.padStart(8)).join("")).trimEnd();
}

export const textHeader = () => textRow(COLUMNS);

/** The sums of add, change, destroy and import over all stacks. */
export function textTotal(results: readonly StackResult[]): string {
  const sum = (key: "add" | "change" | "destroy" | "import") => results.reduce((n, r) => n + r[key], 0);
  return textRow([`TOTAL (${results.length})`, "", sum("add"), sum("change"), sum("destroy"), sum("import"), ""]);
}
export const textResult = (action: StackAction, r: StackResult) => textRow(cells(action, r));

/** Counts by outcome, e.g. "12 stacks: 10 no changes, 1 changes, 1 failed". */
export function tally(action: StackAction, results: readonly StackResult[]): string {
  const by = new Map<string, number>();
  for (const r of results) by.set(outcomeLabel(action, r), (by.get(outcomeLabel(action, r)) ?? 0) + 1);
  return `${results.length} stack${results.length === 1 ? "" : "s"}: ${[...by].map(([k, n]) => `${n} ${k}`).join(", ") || "none"}`;
}

/** The job summary: a Markdown table of every stack, then why each failed or was skipped. */
export function markdownReport(title: string, action: StackAction, results: readonly StackResult[]): string {
  const notes = results.filter((r) => r.detail);
  const drifted = action === "drift" ? results.filter((r) => r.outcome === "changes").map((r) => r.stack) : [];
  return [
    `### ${title}`,
    "",
    tally(action, results),
    ...(drifted.length > 0 ? ["", `**Drifted:** ${drifted.join(", ")}`] : []),
    "",
    markdownTable(
      COLUMNS,
      results.map((r) => cells(action, r).map(String)),
    ).trimEnd(),
    ...(notes.length > 0 ? ["", ...notes.map((r) => `**${r.stack}** (${outcomeLabel(action, r)}):\n\n\`\`\`\n${r.detail}\n\`\`\``)] : []),
    "",
  ].join("\n");
}
