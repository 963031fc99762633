import { ParseArgsConfig, parseArgs } from "util";

/** A mistake on the command line: one line naming the flag and the fix, exit 2, before any AWS call. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** util.parseArgs in strict mode, no positionals; its errors become a one-line UsageError that points at --help. */
export function parseFlags<O extends Options>(options: O, command: string, argv: readonly string[] = process.argv.slice(2)) {
  try {
    return parseArgs({ options, args: [...argv], strict: true, allowPositionals: false }).values;
  } catch (error) {
    const message = (error as Error).message.split("\n")[0].replace(/\. This command does not take positional arguments$/, "");
    throw new UsageError(`${command}: ${message}. Run \`npm run ${command} -- --help\` for the options.`);
  }
}

/** `--flag N` as a whole number within [min, max], or the default. */
export function wholeNumber(flag: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not "${raw}".`);
  return n;
}

/** Runs a command's main: a UsageError exits 2 with its line, anything else goes to `onFailure` (reportFailure, exit 1). */
export function runCommand(main: () => Promise<number>, onFailure: (error: unknown) => never): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof UsageError) {
        console.error(error.message);
        process.exit(2);
      }
      onFailure(error);
    },
  );
}
