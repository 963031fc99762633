import { UserError } from "../errors";

/** One problem in accounts.ts: where, what, and how to fix it. */
export interface ConfigProblem {
  readonly field: string;
  readonly problem: string;
  readonly fix: string;
}

/** Thrown before synthesis when accounts.ts is invalid; lists every problem found. */
export class ConfigError extends UserError {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `accounts.ts is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p.field}: ${p.problem}. Fix: ${p.fix}${/[.?!]$/.test(p.fix) ? "" : "."}`).join("\n"),
    );
  }
}

/**
 * The problems found so far. Validators ask `isValid` before a rule that derives from another
 * field, so that one malformed field gives one message, not one more per field built from it.
 */
export class Problems {
  private readonly found: ConfigProblem[] = [];

  report(field: string, problem: string, fix: string): void {
    this.found.push({ field, problem, fix });
  }

  /** True when no problem was reported on any of these fields (or inside them). */
  isValid(...fields: string[]): boolean {
    return !this.found.some((p) => fields.some((f) => p.field === f || p.field.startsWith(`${f}.`) || p.field.startsWith(`${f}[`)));
  }

  get list(): readonly ConfigProblem[] {
    return this.found;
  }

  throwIfAny(): void {
    if (this.found.length > 0) throw new ConfigError(this.found);
  }
}
