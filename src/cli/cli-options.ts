/** `--name value` from the command line, or undefined. */
export function optionValue(name: string, argv: readonly string[] = process.argv): string | undefined {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1] : undefined;
}

/** `--name <seconds>` as milliseconds, or the default; anything but a positive number is refused. */
export function secondsOption(name: string, defaultMs: number, argv: readonly string[] = process.argv): number {
  const value = optionValue(name, argv);
  if (value === undefined) return defaultMs;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`${name} must be a positive number of seconds, not "${value}".`);
  return seconds * 1000;
}

/** Values of command-line words that are not flags nor the value of a flag in `valueFlags`. */
export function positionalArgs(valueFlags: readonly string[], argv: readonly string[] = process.argv.slice(2)): string[] {
  return argv.filter((arg, i) => !arg.startsWith("--") && !valueFlags.includes(argv[i - 1]));
}

/** `--name <n>` as a whole number within [min, max], or the default; anything else is refused. */
export function intOption(name: string, fallback: number, min: number, max: number, argv: readonly string[] = process.argv): number {
  const raw = optionValue(name, argv);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, not "${raw}".`);
  return n;
}

/**
 * Awaits work; if it takes longer than `afterMs`, says once on stderr what it is waiting
 * for, so that no command sits silent (a first provider download, a slow STS endpoint).
 */
export async function sayIfSlow<T>(what: string, work: Promise<T>, afterMs = slowNoticeMs()): Promise<T> {
  const timer = setTimeout(() => console.error(`… still waiting for ${what}`), afterMs);
  try {
    return await work;
  } finally {
    clearTimeout(timer);
  }
}

/** `--role plan|deploy`: the role real-mode providers assume, or the default for the command. */
export function roleOption(fallback: "plan" | "deploy", argv: readonly string[] = process.argv): "plan" | "deploy" {
  const raw = optionValue("--role", argv);
  if (raw === undefined) return fallback;
  if (raw !== "plan" && raw !== "deploy") throw new Error(`--role must be plan (the read-only role) or deploy, not "${raw}".`);
  return raw;
}

/** After how long a waiting step says so: 10 s (S3_BACKUP_SLOW_NOTICE_MS lets the tests see it sooner). */
export function slowNoticeMs(env: NodeJS.ProcessEnv = process.env): number {
  const ms = Number(env.S3_BACKUP_SLOW_NOTICE_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : 10_000;
}
