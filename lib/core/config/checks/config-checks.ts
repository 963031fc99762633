import type { Problems } from "../problems";
import type { BackupConfig } from "../types";
import { FieldChecks } from "./field-checks";

/** What every checks class of one concern works on: the raw config, the problems so far, and the shared field checks. */
export abstract class ConfigChecks {
  protected readonly fields: FieldChecks;

  constructor(
    protected readonly config: BackupConfig,
    protected readonly problems: Problems,
  ) {
    this.fields = new FieldChecks(problems);
  }

  /** Runs every rule of the concern, in order. */
  abstract run(): void;
}
