import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { UserError } from "../../core/errors";
import { mapWithConcurrency } from "../../core/pool";
import { PROJECT_ROOT } from "../../core/project-root";

const TERRAFORM_DIR = path.join(PROJECT_ROOT, "terraform");
/** Where hashicorp/aws 5.100.0 is unpacked on machines that have the local mirror. */
export const PROVIDER_MIRROR = "/opt/tf-plugins";

/** Thrown when the terraform binary is missing; its message is the one line a user needs. */
export class TerraformMissingError extends UserError {
  constructor(binary: string) {
    super(
      `Terraform was not found (looked for "${binary}" on PATH): install Terraform 1.10 or newer from https://developer.hashicorp.com/terraform/install, or set TERRAFORM_BINARY to its path.`,
    );
  }
}

export function terraformBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.TERRAFORM_BINARY ?? "terraform";
}

/**
 * The project's Terraform CLI config: the mirror-first one where the local provider mirror
 * exists, else the registry one. Both share one plugin cache, so N stacks use one provider copy.
 */
export function cliConfigFile(mirror: string = PROVIDER_MIRROR): string {
  const hasMirror = fs.existsSync(path.join(mirror, "registry.terraform.io", "hashicorp", "aws"));
  return path.join(TERRAFORM_DIR, hasMirror ? "cli-config.tfrc" : "cli-config.online.tfrc");
}

/** Environment for every Terraform run of this project. */
export function terraformEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = process.env.HOME ?? os.homedir();
  // Terraform silently ignores a plugin cache directory that does not exist.
  fs.mkdirSync(path.join(home, ".terraform.d", "plugin-cache"), { recursive: true });
  return {
    ...process.env,
    HOME: home,
    TF_CLI_CONFIG_FILE: cliConfigFile(),
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
    ...extra,
  };
}

/**
 * `terraform init` of a synthesized stack: pinned and offline-safe, because the committed lock
 * file beside it (lock-file.ts) is never rewritten. `-reconfigure`: the backend block is
 * synthesized from accounts.ts on every run, and a plan's differs from a deploy's (only a
 * deploy assumes stateBackend.roleArn), so without it a plan after a deploy in the same
 * directory stopped at "A change in the backend configuration has been detected". The state's
 * location comes from accounts.ts alone; CI inits each job in a fresh directory anyway.
 */
export const INIT_ARGS = ["init", "-input=false", "-no-color", "-lockfile=readonly", "-reconfigure"] as const;

/** Fails with one clear line when Terraform is not installed. Returns its version. */
export function requireTerraform(env: NodeJS.ProcessEnv = process.env): string {
  const binary = terraformBinary(env);
  const result = spawnSync(binary, ["version", "-json"], { encoding: "utf8", env: terraformEnv() });
  if (result.error || result.status !== 0) throw new TerraformMissingError(binary);
  return (JSON.parse(result.stdout) as { terraform_version: string }).terraform_version;
}

export interface TerraformResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs terraform in a stack directory and collects its output. */
export function runTerraform(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<TerraformResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(terraformBinary(), [...args], { cwd, env: terraformEnv(env) });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", (error: NodeJS.ErrnoException) => reject(error.code === "ENOENT" ? new TerraformMissingError(terraformBinary()) : error));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() }));
  });
}

/** Like runTerraform, but throws with Terraform's own message on a non-zero exit. */
export async function terraformOrThrow(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const result = await runTerraform(args, cwd, env);
  if (result.code !== 0) {
    throw new Error(`terraform ${args[0]} failed in ${path.basename(cwd)}:\n${(result.stderr || result.stdout).trim()}`);
  }
  return result.stdout;
}

/**
 * Like mapWithConcurrency, but the first item runs alone before the rest: its `terraform init`
 * fills the shared plugin cache, which the others then only link to (concurrent first inits
 * would each download or copy the provider).
 */
export async function firstAloneThenLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  if (items.length === 0) return [];
  const first = await fn(items[0]);
  return [first, ...(await mapWithConcurrency(items.slice(1), limit, fn))];
}

/** `terraform init` in a synthesized stack directory, offline-safe: the lock file is never rewritten. */
export async function initStack(stackDir: string): Promise<void> {
  await terraformOrThrow(INIT_ARGS, stackDir);
}
