import { App } from "cdktf";
import * as fs from "fs";
import * as path from "path";
import { withoutSourceMaps } from "./backup-app";
import type { BackupConfig } from "../../lib/core/config/types";
import type { BootstrapConfig } from "../../lib/core/config/resolved";
import { installLockFiles } from "./lock-file";
import { ConfigError } from "../../lib/core/config/problems";
import { validateConfig } from "../../lib/core/config/validate";
import { BOOTSTRAP_ACCOUNT_ROLES_STACK_NAME, BootstrapAccountRolesStack } from "../bootstrap-account-roles-stack";
import { BOOTSTRAP_CI_STACK_NAME, BootstrapCiStack } from "../bootstrap-ci-stack";
import { BOOTSTRAP_OUTDIR } from "../bootstrap-target";
import { PROJECT_ROOT } from "../../lib/core/project-root";

/**
 * The bootstrap's stacks. They apply in any order: the per-account roles name the CI roles
 * in a condition, not as principals, so IAM does not need those to exist first.
 */
export const BOOTSTRAP_STACKS = [BOOTSTRAP_CI_STACK_NAME, BOOTSTRAP_ACCOUNT_ROLES_STACK_NAME] as const;

export interface BootstrapBuildOptions {
  /** Default CDKTF_OUTDIR (set by the cdktf CLI's --output), else cdktf.out/bootstrap. */
  readonly outdir?: string;
  readonly offline?: boolean;
}

/** Validates accounts.ts and checks that it configures `ci`, which is what the bootstrap builds from. */
export function validateBootstrapConfig(config: BackupConfig): BootstrapConfig {
  const resolved = validateConfig(config);
  if (!resolved.ci) {
    throw new ConfigError([
      {
        field: "ci",
        problem: "is not set, so there is nothing to bootstrap",
        fix: "add ci with githubRepository and organization (see examples/all-options.ts), and a dedicated central.deployRoleName",
      },
    ]);
  }
  return { ...resolved, ci: resolved.ci };
}

/** The bootstrap app: the CI account's stack and the StackSet's stack. */
export function buildBootstrapApp(config: BackupConfig, options: BootstrapBuildOptions = {}): App {
  const resolved = validateBootstrapConfig(config);
  const deployment = { offline: options.offline ?? false };
  const outdir = path.resolve(options.outdir ?? process.env.CDKTF_OUTDIR ?? path.join(PROJECT_ROOT, BOOTSTRAP_OUTDIR));
  // cdktf creates only the last directory of outdir; on a fresh clone cdktf.out does not exist yet.
  fs.mkdirSync(outdir, { recursive: true });
  const app = new App({ outdir, skipValidation: false });
  new BootstrapCiStack(app, resolved, deployment);
  new BootstrapAccountRolesStack(app, resolved, deployment);
  return app;
}

/** Synthesizes the bootstrap and puts the committed provider lock file beside each stack. */
export function synthesizeBootstrap(config: BackupConfig, options: BootstrapBuildOptions = {}): { outdir: string; stacks: string[] } {
  return withoutSourceMaps(() => {
    const app = buildBootstrapApp(config, options);
    app.synth();
    installLockFiles(app.outdir);
    return { outdir: app.outdir, stacks: [...BOOTSTRAP_STACKS] };
  });
}
