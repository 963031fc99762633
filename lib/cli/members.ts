import { UsageError } from "../core/errors";
import type { ResolvedConfig } from "../core/config/resolved";
import { OpsError, selectMembers } from "../tooling/ops/aws";

/**
 * The members named by --account or --all; an account not in accounts.ts is a usage mistake
 * (exit 2) naming --account, followed by `hint` (what this command offers instead).
 */
export function membersOrUsage(config: ResolvedConfig, selection: { account?: string; all?: boolean }, hint = "") {
  try {
    return selectMembers(config, selection);
  } catch (error) {
    throw error instanceof OpsError ? new UsageError(`--account: ${error.message}${hint}`) : error;
  }
}
