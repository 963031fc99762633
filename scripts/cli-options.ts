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
