import * as fs from "fs";
import * as path from "path";
import type { BackupConfig } from "./types";
import { UserError } from "../errors";
import { PROJECT_ROOT } from "../project-root";

/** The project's config file. */
export const ACCOUNTS_FILE = path.join(PROJECT_ROOT, "accounts.ts");
/** Another config file instead of accounts.ts (the bench and the tests use generated ones). */
export const CONFIG_FILE_ENV = "S3_BACKUP_CONFIG";

/** accounts.ts could not be loaded (a syntax error, or no `config` export); the message shows where. */
export class ConfigLoadError extends UserError {
  constructor(message: string) {
    super(message);
  }
}

/** esbuild's (tsx's) compile error: "Transform failed with N error(s):\n<file>:<line>:<col>: ERROR: <text>". */
const TRANSFORM_ERROR = /^(.+?):(\d+):(\d+): ERROR: (.+)$/m;

/** `file:line:col: problem`, then the offending line and a caret under the column. */
export function pointAt(file: string, line: number, column: number, problem: string): string {
  const lines = fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n") : [];
  const text = lines[line - 1] ?? "";
  const shown = path.relative(process.cwd(), file) || file;
  return [`${shown}:${line}:${column + 1}: ${problem}`, `  ${text}`, `  ${" ".repeat(column)}^`].join("\n");
}

/** A TypeScript compile error (from tsx) as a pointed ConfigLoadError, or undefined for any other error. */
export function asSyntaxError(error: unknown): ConfigLoadError | undefined {
  const at = TRANSFORM_ERROR.exec(error instanceof Error ? error.message : String(error));
  return at
    ? new ConfigLoadError(pointAt(at[1], Number(at[2]), Number(at[3]), `${at[4]} (a syntax error: check the commas and brackets around it)`))
    : undefined;
}

/**
 * Loads the `config` export of a TypeScript config file (accounts.ts, or an older version of
 * it written next to it), turning a compile error into `file:line:col`, the line and a caret
 * instead of a transpiler stack trace. Runs under tsx or jest, which compile .ts on require.
 */
export function loadConfigFile(file: string = path.resolve(process.env[CONFIG_FILE_ENV] ?? ACCOUNTS_FILE)): BackupConfig {
  let loaded: { config?: BackupConfig };
  try {
    // A synchronous require on purpose: tsx and jest compile .ts files on require, and a
    // config is needed before anything else runs (an `import()` would make every caller async).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(file) as { config?: BackupConfig };
  } catch (error) {
    throw (
      asSyntaxError(error) ?? new ConfigLoadError(`${path.basename(file)} could not be loaded: ${String((error as Error).message ?? error).split("\n")[0]}`)
    );
  }
  if (!loaded.config || typeof loaded.config !== "object") {
    throw new ConfigLoadError(`${path.basename(file)} must export the config: export const config: BackupConfig = { ... }`);
  }
  return loaded.config;
}
