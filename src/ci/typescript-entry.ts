import { pathToFileURL } from "url";

/** tsx's loader, as a URL Node's --import accepts from any working directory. */
const TSX_LOADER = pathToFileURL(require.resolve("tsx")).href;

/**
 * Node's arguments to run one of the project's TypeScript entry points as `tsx <script>`
 * runs it: with tsx's loader imported. The tsx command only starts a second Node process
 * with that loader; importing it here saves that process, a third of a command's start-up.
 */
export function typescriptEntryArgs(script: string, args: readonly string[] = []): string[] {
  return ["--import", TSX_LOADER, script, ...args];
}
