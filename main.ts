/**
 * The cdktf app (cdktf.json runs it): synthesizes the stacks of accounts.ts into cdktf.out
 * (or CDKTF_OUTDIR). It takes no flags, as cdktf passes none: S3_BACKUP_STACKS="central
 * member-2222…" builds only those stacks; S3_BACKUP_ROLE=plan makes them assume the
 * read-only plan role instead of the deploy role. `npm run synth` is the command-line way.
 */
import { synthesize } from "./stacks/apps/backup-app";
import { loadConfigFile } from "./lib/core/config/load";
import { isOfflineMode } from "./lib/core/offline-mode";
import { stacksFromEnv } from "./lib/core/stack-selection";
import { runCommand } from "./lib/cli/errors";

runCommand(() => {
  const role = process.env.S3_BACKUP_ROLE === "plan" ? "plan" : "deploy";
  synthesize(loadConfigFile(), { offline: isOfflineMode(), stacks: stacksFromEnv(), role });
  return 0;
}, "synth");
