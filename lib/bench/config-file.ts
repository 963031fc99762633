import * as fs from "fs";
import type { BackupConfig } from "../core/config/types";

/** Writes a config as a TypeScript module shaped like accounts.ts, for S3_BACKUP_CONFIG. */
export function writeConfigFile(file: string, config: BackupConfig): string {
  fs.writeFileSync(file, `export const config = ${JSON.stringify(config, null, 2)};\n`);
  return file;
}
