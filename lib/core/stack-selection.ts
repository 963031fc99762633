import { UserError } from "./errors";
/** Thrown when a requested stack matches nothing in accounts.ts; its message names the fix. */
export class UnknownStackError extends UserError {
  constructor(requested: string, known: readonly string[]) {
    const sample = known.length > 6 ? `${known.slice(0, 5).join(", ")}, … (${known.length} in all)` : known.join(", ");
    super(`No stack "${requested}" in accounts.ts. Stacks are central and member-<accountId> (here: ${sample}).`);
  }
}

/** A cdktf-style stack pattern (`*` and `?` wildcards) as an anchored regular expression. */
function patternToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`);
}

/**
 * The stacks of `known` that the patterns name, in the order of `known`; all of them when no
 * pattern is given. A pattern that matches nothing is a mistake (a typo, an account not yet
 * in accounts.ts), never an empty selection.
 */
export function selectStacks(known: readonly string[], patterns?: readonly string[]): string[] {
  if (!patterns || patterns.length === 0) return [...known];
  const regexps = patterns.map((p) => {
    const re = patternToRegExp(p);
    if (!known.some((k) => re.test(k))) throw new UnknownStackError(p, known);
    return re;
  });
  return known.filter((k) => regexps.some((re) => re.test(k)));
}

/** Environment variable that limits main.ts to some stacks (space- or comma-separated names or globs). */
export const STACKS_ENV = "S3_BACKUP_STACKS";

export function stacksFromEnv(env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  const names = (env[STACKS_ENV] ?? "").split(/[\s,]+/).filter(Boolean);
  return names.length > 0 ? names : undefined;
}
