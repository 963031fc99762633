import { App } from "cdktf";
import { installLockFiles } from "./terraform/lock-file";
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

/** Deploy order of stack names: central first (members replicate into it), then members by ID. */
export function byDeployOrder(a: string, b: string): number {
  return a === "central" ? -1 : b === "central" ? 1 : a.localeCompare(b);
}

/**
 * Synthesizes every stack and puts the committed provider lock file beside each, so that
 * `terraform init` is pinned and offline-safe. Returns the stack names in deploy order.
 */
export function synthesize(config: BackupConfig, options: BuildOptions = {}): string[] {
  return withoutSourceMaps(() => {
    const app = buildApp(config, options);
    app.synth();
    return installLockFiles(app.outdir).sort(byDeployOrder);
  });
}

/**
 * Runs fn with Node's source-map support off, then restores it. cdktf records a full stack
 * trace for every token it creates (cdktf/lib/tokens/private/stack-trace.js, called by
 * Intrinsic and Reference), and under tsx, which turns source maps on, Node maps every
 * frame of every such trace through a source map: about 2 s of the ~5 s of building
 * 1,000 member stacks (npm run bench -- --compare-source-maps). Errors that leave fn are still mapped,
 * because V8 formats a stack only when it is first read; only cdktf's own recorded
 * creation stacks show transpiled positions.
 */
export function withoutSourceMaps<T>(fn: () => T): T {
  // Only where it is known to be on (jest's sandboxed process may not have the property).
  if (process.sourceMapsEnabled !== true) return fn();
  process.setSourceMapsEnabled(false);
  try {
    return fn();
  } finally {
    process.setSourceMapsEnabled(true);
  }
}
