import type { BackupConfig, MemberAccountConfig } from "../config/types";
import { ACCOUNTS_FILE, loadConfigFile } from "../config/load";

/** n made-up, valid, distinct member accounts (never the example's central account). */
export function syntheticMembers(n: number): MemberAccountConfig[] {
  return Array.from({ length: n }, (_, i) => ({ accountId: String(100000000000 + i * 7919), name: `account-${i}` }));
}

/** The example config of accounts.ts with n synthetic members and optional central overrides. */
export function syntheticConfig(n: number, central: Partial<BackupConfig["central"]> = {}): BackupConfig {
  // accounts.ts itself, never S3_BACKUP_CONFIG: a generated config must not feed the next one.
  const example = loadConfigFile(ACCOUNTS_FILE);
  return { ...example, central: { ...example.central, ...central }, members: syntheticMembers(n) };
}
