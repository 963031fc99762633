import { config } from "./accounts";
import { buildApp } from "./lib/app";
import { isOfflineMode } from "./lib/offline-mode";
import { installLockFiles } from "./lib/terraform/lock-file";
import { ConfigError } from "./lib/validate";
import { PolicySizeError } from "./lib/policies/size-limits";

try {
  const app = buildApp(config, { offline: isOfflineMode() });
  app.synth();
  installLockFiles(app.outdir);
} catch (error) {
  if (error instanceof ConfigError || error instanceof PolicySizeError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
