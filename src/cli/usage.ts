import { parseArgs, ParseArgsConfig } from "util";

/** A mistake on the command line: one line, exit 2, before any config is read or AWS is called. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** util.parseArgs in strict mode, its errors turned into one line naming the flag and pointing at --help. */
export function parseStrict<T extends Options>(argv: readonly string[], options: T, command: string) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const message = (error as Error).message.split("\n")[0].replace(/\. To specify a positional argument.*$/, "");
    throw new UsageError(`${message}. Run ${command} -- --help for the options.`);
  }
}

export function wholeNumber(flag: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not "${raw}".`);
  return n;
}

/** Runs a command's main: usage errors exit 2 with their line, other failures go to `onFailure` (exit 1). */
export function runMain(main: () => Promise<number>, onFailure: (error: unknown) => never): void {
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
