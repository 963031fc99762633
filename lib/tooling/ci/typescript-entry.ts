/** tsx's CommonJS hook, as the npm scripts load it (`node --require tsx/cjs`), found from any working directory. */
const TSX_CJS = require.resolve("tsx/cjs");

/**
 * Node's arguments to run one of the project's TypeScript entry points as the npm scripts
 * run them: under tsx's CommonJS hook only. The project compiles to CommonJS, so it needs
 * neither the `tsx` command (a second Node process) nor tsx's ESM loader (a loader thread):
 * a command starts in 0.1 s instead of 0.4 s.
 */
export function typescriptEntryArgs(script: string, args: readonly string[] = []): string[] {
  return ["--require", TSX_CJS, script, ...args];
}
