import { App } from "cdktf";
import { CentralStack } from "../stacks/central-stack";
import { MemberStack } from "../stacks/member-stack";
import type { BackupConfig } from "./config";
import { validateConfig } from "./validate";

export interface BuildOptions {
  /** Where to synthesize; default cdktf's own (CDKTF_OUTDIR or cdktf.out). */
  readonly outdir?: string;
  /** Offline mode (see lib/offline-mode.ts). */
  readonly offline?: boolean;
}

/** Validates the config, then builds the central stack and one stack per member. */
export function buildApp(config: BackupConfig, options: BuildOptions = {}): App {
  const resolved = validateConfig(config);
  const deployment = { offline: options.offline ?? false };
  const app = new App({ outdir: options.outdir, skipValidation: false });
  new CentralStack(app, resolved, deployment);
  for (const member of resolved.members) {
    new MemberStack(app, resolved, member, deployment);
  }
  return app;
}
