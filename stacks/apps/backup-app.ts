import { App, TerraformStack } from "cdktf";
import * as fs from "fs";
import { installLockFiles } from "./lock-file";
import { CentralStack, assertCentralPoliciesFit } from "../central-stack";
import type { AssumedRole, DeploymentOptions } from "../deployment-target";
import { MemberStack } from "../member-stack";
import { VaultStack } from "../vault-stack";
import { CENTRAL_STACK_NAME, byDeployOrder } from "../../lib/core/config/naming";
import { stackInputs } from "../stack-inputs";
import type { BackupConfig } from "../../lib/core/config/types";
import { selectStacks } from "../../lib/core/stack-selection";
import { validateConfig } from "../../lib/core/config/validate";
import { UsageError } from "../../lib/core/errors";

export interface BuildOptions {
  /** Where to synthesize; default cdktf's own (CDKTF_OUTDIR or cdktf.out). */
  readonly outdir?: string;
  /** Offline mode (see lib/core/offline-mode.ts). */
  readonly offline?: boolean;
  /**
   * Build only these stacks (names or globs such as `member-*`); default all. The whole
   * config is validated either way, and each built stack checks its own policy sizes.
   */
  readonly stacks?: readonly string[];
  /** Role the real-mode providers assume: `plan` (read-only), `deploy` (default) or, for central alone, `break-glass`. */
  readonly role?: AssumedRole;
}

/** Validates the config, then builds the central stack and one stack per member (or the selected ones). */
export function buildApp(config: BackupConfig, options: BuildOptions = {}): App {
  const inputs = stackInputs(validateConfig(config));
  const selected = selectStacks([...inputs.keys()], options.stacks);
  if (options.role === "break-glass" && selected.some((s) => s !== CENTRAL_STACK_NAME))
    throw new UsageError(
      "--role break-glass: the break-glass role exists in the central account only; select central alone (npm run deploy -- central --role break-glass) and deploy the members with the deploy role",
    );
  const central = inputs.get(CENTRAL_STACK_NAME)!;
  if (central.kind === "central" && !selected.includes(CENTRAL_STACK_NAME)) assertCentralPoliciesFit(central);
  const deployment: DeploymentOptions = { offline: options.offline ?? false, role: options.role ?? "deploy" };
  // cdktf creates only the last directory of outdir (CDKTF_OUTDIR=/tmp/new/out would fail).
  if (options.outdir) fs.mkdirSync(options.outdir, { recursive: true });
  const app = new App({ outdir: options.outdir, skipValidation: false });
  for (const name of selected) {
    const input = inputs.get(name)!;
    if (input.kind === "central") new CentralStack(app, input, deployment);
    else if (input.kind === "vault") new VaultStack(app, input, deployment);
    else new MemberStack(app, input, deployment);
  }
  return app;
}

/**
 * Synthesizes the stacks (all, or the selected ones) and puts the committed provider lock
 * file beside each, so that `terraform init` is pinned and offline-safe. Returns the stack
 * names in deploy order.
 */
export function synthesize(config: BackupConfig, options: BuildOptions = {}): string[] {
  return withoutSourceMaps(() => {
    const app = buildApp(config, options);
    app.synth();
    // Only the stacks built now: a selective synth leaves other stacks' older output in place.
    const built = app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack).map((s) => s.node.id);
    return installLockFiles(app.outdir, built).sort(byDeployOrder);
  });
}

/**
 * Runs fn with Node's source-map support off, then restores it. cdktf records a full stack
 * trace for every token it creates (cdktf/lib/tokens/private/stack-trace.js, called by
 * Intrinsic and Reference), and under tsx, which turns source maps on, Node maps every
 * frame of every such trace through a source map: about 2 s of the ~5 s of building
 * 1,000 member stacks (npm run bench -- --compare-source-maps). Errors that leave fn are
 * still mapped, because V8 formats a stack only when it is first read; only cdktf's own
 * recorded creation stacks show transpiled positions.
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
