/**
 * The words after `npm run state --`, checked on their own: the command refuses a mistake in
 * them before it synthesizes anything or loads cdktf.
 */
import { UsageError } from "../../core/errors";

export const STATE_COMMANDS = "list | show <address> | outputs";

/** The terraform arguments of one state command of a stack. */
export function commandArgs(command: string, address: string | undefined): string[] {
  if (command === "list") return ["state", "list"];
  if (command === "outputs") return ["output", "-json"];
  if (command === "show") {
    if (!address) throw new UsageError("show needs a resource address: npm run state -- <stack> show <address> (addresses: npm run state -- <stack> list)");
    return ["state", "show", "-no-color", address];
  }
  throw new UsageError(`Unknown state command "${command}". Use: ${STATE_COMMANDS}`);
}

export type StateRequest =
  { readonly kind: "summary" } | { readonly kind: "stack"; readonly stack: string; readonly command: string; readonly address?: string };

/** The words after `npm run state --`, checked before anything is synthesized. */
export function stateRequest(words: readonly string[]): StateRequest {
  const [first, command = "list", address, ...extra] = words;
  if (!first) throw new UsageError(`state needs summary or a stack: npm run state -- summary | <stack> ${STATE_COMMANDS}`);
  if (first === "summary") {
    if (words.length > 1) throw new UsageError(`summary takes no arguments, not "${words.slice(1).join(" ")}": npm run state -- summary`);
    return { kind: "summary" };
  }
  commandArgs(command, address);
  if (extra.length > 0 || (command !== "show" && address !== undefined)) {
    throw new UsageError(
      `state ${first} ${command} takes ${command === "show" ? "one address" : "no more arguments"}, not "${words.slice(2).join(" ")}". Use: ${STATE_COMMANDS}`,
    );
  }
  return { kind: "stack", stack: first, command, address };
}
