/**
 * The one base of every error a user can act on: its message is the whole story (what is
 * wrong and the fix), so commands print it as it is, never with a stack trace. Anything that
 * is not a UserError is a bug or an unexpected failure, and is reported as such.
 */
export class UserError extends Error {
  /** The process exit code: 1 for a failure, 2 for a usage mistake (UsageError). */
  readonly exitCode: number = 1;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A command line that cannot be run as written (an unknown flag, a missing or bad value). Exit code 2. */
export class UsageError extends UserError {
  override readonly exitCode = 2;
}
