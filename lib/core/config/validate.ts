import { CentralChecks } from "./checks/central-checks";
import { CiChecks } from "./checks/ci-checks";
import { MemberChecks } from "./checks/member-checks";
import { OrgSyncChecks } from "./checks/org-sync-checks";
import { RestoreChecks } from "./checks/restore-checks";
import { StateBackendChecks } from "./checks/state-backend-checks";
import { VaultChecks } from "./checks/vault-checks";
import { Problems } from "./problems";
import { resolveConfig } from "./resolve";
import type { ResolvedConfig } from "./resolved";
import type { BackupConfig } from "./types";
import { checkUnknownKeys } from "./unknown-keys";

/**
 * Checks accounts.ts, then fills in every default. Throws one ConfigError listing every
 * problem: unknown keys first (a misspelt key is the likeliest mistake of all), then one
 * concern at a time.
 */
export function validateConfig(config: BackupConfig): ResolvedConfig {
  const problems = new Problems();
  checkUnknownKeys(config, problems);
  new CentralChecks(config, problems).run();
  new StateBackendChecks(config, problems).run();
  new CiChecks(config, problems).run();
  new MemberChecks(config, problems).run();
  new OrgSyncChecks(config, problems).run();
  new RestoreChecks(config, problems).run();
  new VaultChecks(config, problems).run();
  problems.throwIfAny();
  return resolveConfig(config);
}
