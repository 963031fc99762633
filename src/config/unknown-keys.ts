import { CONFIG_KEYS } from "./key-schema";
import type { Problems } from "./problems";

type Schema = { readonly [key: string]: unknown };

/**
 * Reports every key of accounts.ts that is not an option, anywhere in it, with the closest
 * valid name: tsx runs the file without type-checking it, so a misspelt optional key would
 * otherwise be ignored and its default used without a word.
 */
export function checkUnknownKeys(config: unknown, problems: Problems): void {
  walk(config, CONFIG_KEYS, "", problems);
}

function walk(value: unknown, schema: Schema, path: string, problems: Problems): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return;
  const valid = Object.keys(schema);
  for (const [key, child] of Object.entries(value)) {
    const field = path ? `${path}.${key}` : key;
    const shape = schema[key];
    if (shape === undefined) {
      const closest = closestName(key, valid);
      problems.report(
        field,
        `is not an option${path ? ` of ${path}` : ""}`,
        closest ? `did you mean ${closest}?` : `remove it; the options are ${valid.join(", ")}`,
      );
    } else if (Array.isArray(shape) && Array.isArray(child)) {
      child.forEach((item, i) => walk(item, shape[0] as Schema, `${field}[${i}]`, problems));
    } else if (typeof shape === "object" && !Array.isArray(shape)) {
      walk(child, shape as Schema, field, problems);
    }
  }
}

/** The valid name a typo most likely meant: same letters in another case, or at most a third of them wrong. */
export function closestName(typed: string, valid: readonly string[]): string | undefined {
  const sameCase = valid.find((v) => v.toLowerCase() === typed.toLowerCase());
  if (sameCase) return sameCase;
  const scored = valid.map((v) => ({ v, d: editDistance(typed.toLowerCase(), v.toLowerCase()) })).sort((a, b) => a.d - b.d);
  const best = scored[0];
  return best && best.d <= Math.max(2, Math.floor(typed.length / 3)) ? best.v : undefined;
}

/** Levenshtein distance, one row at a time: names are short, so this is plenty fast. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    previous = row;
  }
  return previous[b.length];
}
