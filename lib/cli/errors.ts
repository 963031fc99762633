import { UserError } from "../core/errors";
import { asSyntaxError } from "../core/config/load";
import { errorText, networkFailure, unreachableMessage } from "../core/network-errors";

/**
 * The one exit path of every command on failure: the message, never a stack trace. A
 * UserError is printed whole and exits with its own code (1, or 2 for usage); anything else
 * is cut to its first lines, with the command named, and exits 1.
 */
export function reportFailure(failure: unknown, command = process.env.npm_lifecycle_event ?? "command"): never {
  const error = asSyntaxError(failure) ?? failure;
  if (error instanceof UserError) {
    console.error(error.message);
    process.exit(error.exitCode);
  }
  // The same sentence for a network failure whichever command met it (verify, backfill, drill say it too).
  const unreachable = networkFailure(errorText(error));
  if (unreachable) {
    console.error(`${command} failed: ${unreachableMessage(unreachable.host)} (${unreachable.evidence})`);
    process.exit(1);
  }
  const message = error instanceof Error ? error.message : String(error);
  console.error(`${command} failed: ${message.split("\n").slice(0, 5).join("\n")}`);
  process.exit(1);
}

/**
 * Runs a command's main function and exits with its code. Also catches a throw while the
 * command's modules load (a file that does not compile), so that every failure takes the
 * same exit: one message, no stack trace.
 */
export function runCommand(main: () => Promise<number> | number, command?: string): void {
  // The AWS SDK warns on Node 20 (six lines on stderr) that SDK releases after January 2027
  // will need Node 22. The locked SDK version runs on Node 20, and the README says so; a
  // one-line error of a command must not drown in it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  process.on("uncaughtException", (error) => reportFailure(error, command));
  Promise.resolve()
    .then(main)
    .then(
      (code) => process.exit(code),
      (error: unknown) => reportFailure(error, command),
    );
}
