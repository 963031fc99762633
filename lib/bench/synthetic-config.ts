import type { BackupConfig, MemberAccountConfig } from "../core/config/types";
import { ACCOUNTS_FILE, loadConfigFile } from "../core/config/load";

/** n made-up, valid, distinct member accounts (never the example's central account). */
export function syntheticMembers(n: number): MemberAccountConfig[] {
  return Array.from({ length: n }, (_, i) => ({ accountId: String(100000000000 + i * 7919), name: `account-${i}` }));
}

/**
 * A config with n synthetic members and optional central overrides, built on `base`: the
 * bench's default is accounts.ts itself (never S3_BACKUP_CONFIG: a generated config must not
 * feed the next one); the tests pass their fixture.
 */
export function syntheticConfig(n: number, central: Partial<BackupConfig["central"]> = {}, base: BackupConfig = loadConfigFile(ACCOUNTS_FILE)): BackupConfig {
  return { ...base, central: { ...base.central, ...central }, members: syntheticMembers(n) };
}
