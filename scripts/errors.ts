import { MissingCredentialsError } from "../lib/ci/credentials";
import { ConfigLoadError } from "../lib/load-config";
import { OpsError } from "../lib/ops/aws";
import { PolicySizeError } from "../lib/policies/size-limits";
import { UnknownStackError } from "../lib/stack-selection";
import { TerraformMissingError } from "../lib/terraform/cli";
import { ConfigError } from "../lib/validate";

/** Errors whose message is already what the user needs to read, whole. */
const USER_ERRORS = [ConfigLoadError, ConfigError, PolicySizeError, UnknownStackError, TerraformMissingError, MissingCredentialsError, OpsError];

/**
 * The one exit path of every command on failure: the message, never a stack trace. A user
 * error is printed whole; anything else is cut to its first lines, with the command named.
 */
export function reportFailure(error: unknown, command = process.env.npm_lifecycle_event ?? "command"): never {
  if (USER_ERRORS.some((kind) => error instanceof kind)) {
    console.error((error as Error).message);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`${command} failed: ${message.split("\n").slice(0, 5).join("\n")}`);
  }
  process.exit(1);
}
