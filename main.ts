import { config } from "./accounts";
import { synthesize } from "./lib/app";
import { isOfflineMode } from "./lib/offline-mode";
import { ConfigError } from "./lib/validate";
import { PolicySizeError } from "./lib/policies/size-limits";

try {
  synthesize(config, { offline: isOfflineMode() });
} catch (error) {
  if (error instanceof ConfigError || error instanceof PolicySizeError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
