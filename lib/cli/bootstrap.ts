import * as path from "path";
import { requireAwsCredentials } from "../tooling/ci/credentials";
import type { BackupConfig } from "../core/config/types";
import { loadConfigFile } from "../core/config/load";
import { isOfflineMode } from "../core/offline-mode";
import { selectStacks } from "../core/stack-selection";
import { UsageError } from "../core/errors";
import { requireTerraform } from "../tooling/terraform/cli";
import type { StackAction } from "../tooling/terraform/stack-runner";
import { CommandSpec, defineCommand, withArgs } from "./command";
import { runCommand } from "./errors";
import { bootstrapApp, bootstrapTarget } from "./lazy-modules";
import { runAndReport } from "./stack-run";
import { PROJECT_ROOT } from "../core/project-root";

const CONFIG = { type: "string", valueName: "FILE", description: "another config file instead of accounts.ts (e.g. examples/all-options.ts)" } as const;
const STACKS = { valueName: "[stack...]", description: "bootstrap-ci, bootstrap-account-roles (none: both)" };
const PLAN_OPTIONS = { config: CONFIG };
const DEPLOY_OPTIONS = { config: CONFIG, "auto-approve": { type: "boolean", description: "apply the plan (without it, deploy only plans)" } } as const;

const COMMANDS: Record<string, CommandSpec<typeof PLAN_OPTIONS> | CommandSpec<typeof DEPLOY_OPTIONS>> = {
  "plan:offline": defineCommand({
    name: "bootstrap:plan:offline",
    usage: "npm run bootstrap:plan:offline -- [stack...] [--config FILE]",
    summary: "OFFLINE MODE: synthesizes the bootstrap and runs the real terraform init and plan of its stacks, with fake credentials and no AWS call.",
    options: PLAN_OPTIONS,
    positionals: STACKS,
    example: "npm run bootstrap:plan:offline -- --config examples/all-options.ts",
  }),
  plan: defineCommand({
    name: "bootstrap:plan",
    usage: "npm run bootstrap:plan -- [stack...] [--config FILE]",
    summary: "Plans the bootstrap against AWS, with your credentials (an organization admin).",
    options: PLAN_OPTIONS,
    positionals: STACKS,
    example: "npm run bootstrap:plan -- bootstrap-ci",
  }),
  deploy: defineCommand({
    name: "bootstrap:deploy",
    usage: "npm run bootstrap:deploy -- [stack...] [--auto-approve] [--config FILE]",
    summary: "Plans the bootstrap, then with --auto-approve applies it, once, as an organization admin (docs/ci-and-state.md).",
    options: DEPLOY_OPTIONS,
    positionals: STACKS,
    example: "npm run bootstrap:deploy -- --auto-approve",
  }),
};

/** Without a command (cdktf's --app): synthesize only. */
const SYNTH_ONLY = defineCommand({
  name: "bootstrap",
  usage: "tsx bootstrap.ts [plan:offline | plan | deploy] [--config FILE]   (npm run bootstrap:plan:offline, bootstrap:plan, bootstrap:deploy)",
  summary: "Without a command: synthesizes the bootstrap into cdktf.out/bootstrap. Each command has its own --help.",
  options: PLAN_OPTIONS,
  example: "npm run bootstrap:plan:offline -- --help",
});

const loadConfig = (file: string | undefined): BackupConfig => loadConfigFile(file ? path.resolve(file) : undefined);

async function plan(command: string, config: BackupConfig, patterns: string[], autoApprove: boolean): Promise<number> {
  const offline = command === "plan:offline";
  const action: StackAction = command === "deploy" && autoApprove ? "deploy" : "plan";
  const terraformVersion = requireTerraform();
  const { synthesizeBootstrap } = bootstrapApp();
  const { BOOTSTRAP_OUTDIR } = bootstrapTarget();
  const outdir = path.join(PROJECT_ROOT, BOOTSTRAP_OUTDIR);
  const { stacks: all } = synthesizeBootstrap(config, { outdir, offline });
  const stacks = selectStacks(all, patterns);
  if (!offline) await requireAwsCredentials(`npm run bootstrap:${command}`);
  const results = await runAndReport({
    stacks,
    outdir,
    action,
    offline,
    parallelism: 2,
    banner: `${offline ? "OFFLINE MODE: fake credentials, no AWS calls, no state written." : "BOOTSTRAP, as you (an organization admin)."} Terraform ${terraformVersion}.`,
    planOnly: command === "deploy" && !autoApprove,
  });
  return results.some((r) => r.outcome === "failed") ? 1 : 0;
}

/** The bootstrap command line: `bootstrap.ts [plan:offline | plan | deploy] [options]`. */
export function bootstrapMain(argv: string[]): void {
  const [command, ...rest] = argv;
  runCommand(() => {
    if (command === undefined || command.startsWith("-")) {
      return withArgs(SYNTH_ONLY, argv, ({ values }) => {
        const config = loadConfig(values.config);
        const { synthesizeBootstrap } = bootstrapApp();
        synthesizeBootstrap(config, { offline: isOfflineMode() });
      });
    }
    const spec = COMMANDS[command];
    if (!spec)
      throw new UsageError(
        `Unknown bootstrap command "${command}": use ${Object.keys(COMMANDS).join(", ")} (npm run bootstrap:plan:offline, bootstrap:plan, bootstrap:deploy).`,
      );
    return withArgs(spec as CommandSpec<typeof DEPLOY_OPTIONS>, rest, ({ values, positionals }) =>
      plan(command, loadConfig(values.config), positionals, values["auto-approve"] === true),
    );
  }, "bootstrap");
}
