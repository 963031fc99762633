/**
 * GitHub Actions workflow commands (`::warning::`, `::error::`), escaped as the runner
 * expects (https://docs.github.com/actions/reference/workflows-and-actions/workflow-commands):
 * `%`, CR and LF in the message; also `:` and `,` in properties.
 */
export function annotation(level: "warning" | "error", title: string, message: string): string {
  const data = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  const property = (s: string) => data(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
  return `::${level} title=${property(title)}::${data(message)}`;
}

/** GitHub shows only the first few annotations of a step: every error, at most `maxWarnings` warnings, then one line for the rest. */
export function capWarnings(errors: readonly string[], warnings: readonly string[], maxWarnings: number, rest: (n: number) => string): string[] {
  const shown = warnings.slice(0, maxWarnings);
  return [...errors, ...shown, ...(warnings.length > maxWarnings ? [rest(warnings.length - maxWarnings)] : [])];
}
