/**
 * What every command line of the project accepts, declared once per command: its usage line,
 * options, positionals and one example. Parsed by Node's own util.parseArgs in strict mode
 * (no dependency; strict mode refuses unknown flags instead of ignoring them). `--help` (-h)
 * prints the declaration and runs nothing; any mistake is a one-line UsageError (exit 2)
 * that names the flag and the valid ones, thrown before the command does any work.
 */
import { parseArgs } from "util";
import { closestName } from "../core/closest-name";
import { UsageError } from "../core/errors";
import { ACCOUNT_ID } from "../core/config/patterns";
import { runCommand } from "./errors";

export interface BooleanOption {
  readonly type: "boolean";
  readonly description: string;
  readonly short?: string;
}

export interface StringOption<T = string> {
  readonly type: "string";
  /** What the value is, in the usage and the help: `N`, `FILE`, `plan|deploy`. */
  readonly valueName: string;
  readonly description: string;
  readonly short?: string;
  /** Given more than once, every value is kept (in order). */
  readonly multiple?: boolean;
  /** Checks and converts the text; throws an Error saying what the value must be ("must be plan or deploy"). */
  readonly parse?: (raw: string) => T;
}

export type OptionSpec = BooleanOption | StringOption<unknown>;

export interface PositionalSpec {
  /** How they read in the help: `[stack...]`, `<stack> list|show <address>|outputs`. */
  readonly valueName: string;
  readonly description: string;
  readonly min?: number;
  readonly max?: number;
}

export interface CommandSpec<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
  /** As the user types it after `npm run`: synth, plan:offline, state. */
  readonly name: string;
  /** One line: `npm run synth -- [stack...] [--offline] [--role plan|deploy|break-glass]`. */
  readonly usage: string;
  /** What the command does, in one or two lines. */
  readonly summary: string;
  /** Keyed by the long name without dashes (`skip-synth`). */
  readonly options: O;
  /** Absent: the command takes no positional arguments. */
  readonly positionals?: PositionalSpec;
  readonly example: string;
}

type ParsedValue<S> = S extends { parse?: (raw: string) => infer T } ? (unknown extends T ? string : T) : string;
type ValueOf<S> = S extends BooleanOption ? boolean : S extends { multiple: true } ? ParsedValue<S>[] : ParsedValue<S> | undefined;

/** The options as given: booleans are false when absent, multiple options [] when absent. */
export type OptionValues<O extends Record<string, OptionSpec>> = { readonly [K in keyof O]: ValueOf<O[K]> };

export interface ParsedCommand<O extends Record<string, OptionSpec>> {
  readonly values: OptionValues<O>;
  readonly positionals: string[];
}

const HELP: BooleanOption = { type: "boolean", short: "h", description: "show this help and exit" };

/** Declares a command; the `const` type parameter keeps each option's literal type for OptionValues. */
export function defineCommand<const O extends Record<string, OptionSpec>>(spec: CommandSpec<O>): CommandSpec<O> {
  for (const name of Object.keys(spec.options)) {
    if (name === "help") throw new Error(`${spec.name}: --help is built in, do not declare it`);
  }
  return spec;
}

const flagOf = (name: string) => (name.length === 1 ? `-${name}` : `--${name}`);
const allOptions = (spec: CommandSpec): Record<string, OptionSpec> => ({ ...spec.options, help: HELP });
const validFlags = (spec: CommandSpec) => Object.keys(allOptions(spec)).map(flagOf).join(", ");

/** The help text: usage, what it does, arguments, options, one example. */
export function helpText(spec: CommandSpec): string {
  const rows: [string, string][] = Object.entries(allOptions(spec)).map(([name, o]) => {
    const flags = [o.short ? `-${o.short}` : "", `--${name}`].filter(Boolean).join(", ");
    return [o.type === "string" ? `${flags} ${o.valueName}${o.multiple ? " (repeatable)" : ""}` : flags, o.description];
  });
  const width = Math.max(...rows.map(([left]) => left.length), spec.positionals?.valueName.length ?? 0) + 2;
  const row = ([left, right]: [string, string]) => `  ${left.padEnd(width)}${right}`;
  return [
    `Usage: ${spec.usage}`,
    "",
    spec.summary,
    ...(spec.positionals ? ["", "Arguments:", row([spec.positionals.valueName, spec.positionals.description])] : []),
    "",
    "Options:",
    ...rows.map(row),
    "",
    "Example:",
    `  ${spec.example}`,
  ].join("\n");
}

/** True when -h or --help is among the words before a `--` terminator (it wins over any mistake). */
function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).some((arg) => arg === "--help" || arg === "-h");
}

function nodeOptions(spec: CommandSpec) {
  return Object.fromEntries(
    Object.entries(allOptions(spec)).map(([name, o]) => [
      name,
      { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.type === "string" && o.multiple ? { multiple: true } : {}) },
    ]),
  );
}

/**
 * Why strict parsing refused the words, in the project's words: parseArgs' own messages
 * ("Unknown option '--offlne'. To specify a positional argument starting with a '-', ...")
 * neither list the valid flags nor suggest one. Found again with a lenient pass over the tokens.
 */
function refusal(spec: CommandSpec, argv: readonly string[], strictError: Error): UsageError {
  const options = allOptions(spec);
  const { tokens } = parseArgs({ args: [...argv], options: nodeOptions(spec), strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const option = options[token.name] as OptionSpec | undefined;
    if (!option) {
      const suggestion = closestName(token.name, Object.keys(options));
      const hint = suggestion ? ` Did you mean ${flagOf(suggestion)}?` : "";
      return new UsageError(`${token.rawName} is not an option of ${spec.name}.${hint} Options: ${validFlags(spec)}`);
    }
    if (option.type === "boolean" && token.inlineValue) {
      return new UsageError(`${token.rawName} takes no value (not ${token.rawName}=${token.value}). Usage: ${spec.usage}`);
    }
    if (option.type === "string" && (token.value === undefined || (!token.inlineValue && token.value.startsWith("-")))) {
      const dashed =
        token.value === undefined ? "" : ` (it is followed by ${token.value}; a value that starts with a dash is written ${token.rawName}=${token.value})`;
      return new UsageError(`${token.rawName} needs a value: ${token.rawName} ${option.valueName}${dashed}. Usage: ${spec.usage}`);
    }
  }
  return new UsageError(`${strictError.message.split("\n")[0]} Usage: ${spec.usage}`);
}

function checkPositionals(spec: CommandSpec, positionals: readonly string[]): void {
  const allowed = spec.positionals;
  if (!allowed) {
    if (positionals.length > 0) throw new UsageError(`${spec.name} takes no arguments, not "${positionals.join(" ")}". Options: ${validFlags(spec)}`);
    return;
  }
  const { min = 0, max = Infinity } = allowed;
  if (positionals.length < min) throw new UsageError(`${spec.name} needs ${allowed.valueName}. Usage: ${spec.usage}`);
  if (positionals.length > max) {
    throw new UsageError(`${spec.name} takes at most ${max} argument(s) (${allowed.valueName}), not "${positionals.join(" ")}". Usage: ${spec.usage}`);
  }
}

/** Each string option's text through its `parse`; a refused value names the flag. */
function convert(spec: CommandSpec, raw: Record<string, string | boolean | (string | boolean)[] | undefined>): Record<string, unknown> {
  const convertOne = (name: string, option: StringOption<unknown>, text: string): unknown => {
    if (!option.parse) return text;
    try {
      return option.parse(text);
    } catch (error) {
      throw new UsageError(`--${name} ${(error as Error).message}, not "${text}". Usage: ${spec.usage}`);
    }
  };
  return Object.fromEntries(
    Object.entries(spec.options).map(([name, option]) => {
      const value = raw[name];
      if (option.type === "boolean") return [name, value === true];
      if (option.multiple) return [name, ((value as string[] | undefined) ?? []).map((text) => convertOne(name, option, text))];
      return [name, value === undefined ? undefined : convertOne(name, option, value as string)];
    }),
  );
}

/** The command line checked against the declaration, or "help" when the user asked for it. */
export function parseCommand<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>, argv: readonly string[]): ParsedCommand<O> | "help" {
  if (asksForHelp(argv)) return "help";
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options: nodeOptions(spec), strict: true, allowPositionals: true });
  } catch (error) {
    throw refusal(spec, argv, error as Error);
  }
  checkPositionals(spec, parsed.positionals);
  return { values: convert(spec, parsed.values) as OptionValues<O>, positionals: parsed.positionals };
}

/** Parses, then runs `main` with the result; prints the help instead (exit 0) when asked. */
export async function withArgs<O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  argv: readonly string[],
  main: (args: ParsedCommand<O>) => Promise<number | void> | number | void,
): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (parsed === "help") {
    console.log(helpText(spec));
    return 0;
  }
  return (await main(parsed)) ?? 0;
}

/** The whole life of a command: parse process.argv, run, exit with its code (see runCommand). */
export function runCli<O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  main: (args: ParsedCommand<O>) => Promise<number | void> | number | void,
  argv: readonly string[] = process.argv.slice(2),
): void {
  runCommand(() => withArgs(spec, argv, main), spec.name);
}

/** parse for `--name N`: a whole number within [min, max]. */
export function wholeNumber(min: number, max: number): (raw: string) => number {
  return (raw) => {
    const n = Number(raw);
    if (raw.trim() === "" || !Number.isInteger(n) || n < min || n > max) throw new Error(`must be a whole number from ${min} to ${max}`);
    return n;
  };
}

/** parse for `--name <seconds>`: a positive number of seconds, as milliseconds. */
export function positiveSeconds(raw: string): number {
  const seconds = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(seconds) || seconds <= 0) throw new Error("must be a positive number of seconds");
  return seconds * 1000;
}

/** parse for `--name a|b|c`: one of the given words. */
export function oneOf<const T extends string>(...choices: T[]): (raw: string) => T {
  return (raw) => {
    if (!(choices as string[]).includes(raw)) throw new Error(`must be ${choices.slice(0, -1).join(", ")} or ${choices.at(-1)}`);
    return raw as T;
  };
}

/** parse for `--account <id>`: a 12-digit AWS account ID. */
export function accountId(raw: string): string {
  if (!ACCOUNT_ID.test(raw)) throw new Error("must be a 12-digit account ID");
  return raw;
}

/** parse for `--name FILE`: not empty (an unset "$GITHUB_STEP_SUMMARY" expands to nothing, and the report would be lost). */
export function fileName(raw: string): string {
  if (raw.trim() === "") throw new Error('must name a file, e.g. "$GITHUB_STEP_SUMMARY"');
  return raw;
}
