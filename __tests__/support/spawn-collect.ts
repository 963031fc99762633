import { spawn, spawnSync, SpawnOptions, SpawnSyncReturns } from "child_process";
import { typescriptEntryArgs } from "../../lib/tooling/ci/typescript-entry";

export interface CommandRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A process's exit status and output, without blocking the event loop (other spawns run meanwhile). */
export function spawnCollect(command: string, args: readonly string[], options: SpawnOptions): Promise<CommandRun> {
  return new Promise((resolve) => {
    const child = spawn(command, [...args], options);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** One of the project's entry points (`lib/cli/state.ts`, `bootstrap.ts`), run as its npm script's tsx runs it. */
export function runEntry(script: string, args: readonly string[], options: SpawnOptions): Promise<CommandRun> {
  return spawnCollect(process.execPath, typescriptEntryArgs(script, args), options);
}

/**
 * A shell command as a user types it in a copy of the project: none of this machine's AWS
 * settings, config file or output folder overrides, and no instance metadata to wait for.
 */
export function userShell(cwd: string, command: string): SpawnSyncReturns<string> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_") && k !== "S3_BACKUP_CONFIG" && k !== "CDKTF_OUTDIR"));
  return spawnSync("bash", ["-c", command], { cwd, encoding: "utf8", env: { ...env, AWS_EC2_METADATA_DISABLED: "true" } });
}
