/**
 * The cdktf app (cdktf.json runs it): synthesizes the stacks of accounts.ts into cdktf.out
 * (or CDKTF_OUTDIR). S3_BACKUP_STACKS="central member-2222…" builds only those stacks;
 * S3_BACKUP_ROLE=plan makes them assume the read-only plan role instead of the deploy role.
 */
import { synthesize } from "./lib/app";
import { loadConfigFile } from "./lib/load-config";
import { isOfflineMode } from "./lib/offline-mode";
import { stacksFromEnv } from "./lib/stack-selection";
import { reportFailure } from "./scripts/errors";

try {
  const role = process.env.S3_BACKUP_ROLE === "plan" ? "plan" : "deploy";
  synthesize(loadConfigFile(), { offline: isOfflineMode(), stacks: stacksFromEnv(), role });
} catch (error) {
  reportFailure(error, "synth");
}
