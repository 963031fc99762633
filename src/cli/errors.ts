import { SynthError } from "../ci/changed-stacks";
import { MissingCredentialsError } from "../ci/credentials";
import { NotDeployedError } from "../ci/state";
import { ConfigLoadError, asSyntaxError } from "../config/load";
import { OpsError } from "../ops/aws";
import { PolicySizeError } from "../policies/size-limits";
import { UnknownStackError } from "../config/stack-selection";
import { TerraformMissingError } from "../terraform/cli";
import { ConfigError } from "../config/validate";

// The AWS SDK warns on Node 20 (six lines on stderr) that SDK releases after January 2027
// will need Node 22. The locked SDK version runs on Node 20, and the README says so; a
// one-line error of a command must not drown in it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** Errors whose message is already what the user needs to read, whole. */
const USER_ERRORS = [
  SynthError,
  ConfigLoadError,
  ConfigError,
  PolicySizeError,
  UnknownStackError,
  TerraformMissingError,
  MissingCredentialsError,
  NotDeployedError,
  OpsError,
];

/**
 * The one exit path of every command on failure: the message, never a stack trace. A user
 * error is printed whole; anything else is cut to its first lines, with the command named.
 */
export function reportFailure(failure: unknown, command = process.env.npm_lifecycle_event ?? "command"): never {
  const error = asSyntaxError(failure) ?? failure;
  if (USER_ERRORS.some((kind) => error instanceof kind)) {
    console.error((error as Error).message);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`${command} failed: ${message.split("\n").slice(0, 5).join("\n")}`);
  }
  process.exit(1);
}

// A throw while a command's modules load (a bad option read at the top of a script, a file
// that does not compile) takes the same exit: one message, no stack trace.
process.on("uncaughtException", (error) => reportFailure(error));
