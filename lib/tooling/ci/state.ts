import * as fs from "fs";
import * as path from "path";
import { synthesize } from "../../../stacks/apps/backup-app";
import type { BackupConfig } from "../../core/config/types";
import { validateConfig } from "../../core/config/validate";
import { firstAloneThenLimit, initStack, runTerraform, terraformOrThrow } from "../terraform/cli";
import { UnknownStackError } from "../../core/stack-selection";
import { RemoteStateLister, StoredState, listS3States } from "./remote-state";
import { UserError } from "../../core/errors";
import { commandArgs } from "./state-request";

export { UnknownStackError };

/** A stack of accounts.ts whose backend holds no state yet. */
export class NotDeployedError extends UserError {
  constructor(stack: string) {
    super(
      `${stack} is not deployed yet: its backend holds no state. Deploy it first (npm run deploy -- ${stack} --auto-approve), or plan it with npm run plan -- ${stack}.`,
    );
  }
}

export interface StateTarget {
  readonly config: BackupConfig;
  /** Where the stacks are synthesized (real mode): cdktf.out for users. */
  readonly outdir: string;
  /** Lists the S3 backend's state files (default: the AWS SDK with your credentials). Injected in tests. */
  readonly listRemoteStates?: RemoteStateLister;
}

export interface StackStateSummary {
  readonly stack: string;
  /** Managed resource instances in the state. */
  readonly resources: number;
  /** The state's serial (it grows with every write), null when there is no state yet. */
  readonly serial: number | null;
  /** Local state: the file's mtime; S3: the object's LastModified. Null when there is no state. */
  readonly lastModified: Date | null;
  /**
   * State of a stack accounts.ts no longer has (a removed member): Terraform still tracks
   * its resources. Retire it (docs/ci-and-state.md) once replication is stopped.
   */
  readonly orphaned: boolean;
}

export interface StateSummary {
  readonly rows: StackStateSummary[];
  /** Things the summary could not read (e.g. no permission to list the state bucket). */
  readonly warnings: string[];
}

export interface StackCommandResult {
  readonly output: string;
  /** The stack is not in accounts.ts; this is the state it left behind. */
  readonly orphaned: boolean;
}

/** Stack names a removed stack can have: only these are looked up as orphaned state. */
const STACK_NAME = /^(central|member-\d{12})$/;

/** Synthesizes in real mode (so the configured backend is used) and returns the stack names. */
export function synthForState(target: StateTarget): string[] {
  return synthesize(target.config, { outdir: target.outdir });
}

const stackDir = (target: StateTarget, stack: string) => path.join(target.outdir, "stacks", stack);

interface TerraformBlock {
  readonly backend: Record<string, Record<string, unknown>>;
  readonly required_providers?: unknown;
}

function terraformBlock(dir: string): TerraformBlock {
  return (JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8")) as { terraform: TerraformBlock }).terraform;
}

/** Where the local backend keeps state files, or undefined for a remote backend. */
function localStateDir(target: StateTarget): string | undefined {
  const central = stackDir(target, "central");
  const local = terraformBlock(central).backend.local;
  return local ? path.dirname(path.resolve(central, String(local.path))) : undefined;
}

/** A stack's backend with absolute paths; for a stack accounts.ts no longer has, the central stack's backend with that stack's key or file. */
function backendOf(target: StateTarget, stack: string, orphaned: boolean): { kind: string; settings: Record<string, unknown> } {
  const source = stackDir(target, orphaned ? "central" : stack);
  const [kind, settings] = Object.entries(terraformBlock(source).backend)[0];
  if (kind === "local") {
    const file = path.resolve(source, String(settings.path));
    return { kind, settings: { path: orphaned ? path.join(path.dirname(file), `${stack}.tfstate`) : file } };
  }
  return { kind, settings: orphaned ? { ...settings, key: path.posix.join(path.posix.dirname(String(settings.key)), `${stack}.tfstate`) } : settings };
}

/**
 * A directory holding a stack's backend and the providers of the project (with the pinned lock
 * file): all that Terraform needs to list, pull, show or read the outputs of its state. The
 * providers are needed as soon as the state holds a resource: `terraform init` checks that
 * every provider the state references is installed, and a backend-only directory fails there
 * on every deployed stack ("Provider dependency changes detected"). Measured on 2 cores with
 * the plugin cache filled: init 1.6 s (1.1 s again in the same directory) against 0.05 s
 * backend-only, which only ever worked on empty states.
 */
function stateReaderDir(target: StateTarget, stack: string, orphaned: boolean): string {
  const { kind, settings } = backendOf(target, stack, orphaned);
  const central = stackDir(target, "central");
  const terraform = { backend: { [kind]: settings }, required_providers: terraformBlock(central).required_providers };
  const dir = path.join(target.outdir, "state-readers", stack);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify({ terraform }, null, 2));
  fs.copyFileSync(path.join(central, ".terraform.lock.hcl"), path.join(dir, ".terraform.lock.hcl"));
  return dir;
}

interface PulledState {
  readonly serial?: number;
  readonly resources?: readonly { readonly mode: string; readonly instances: readonly unknown[] }[];
}

/** `terraform state pull`: the state JSON, or undefined when the backend holds none. */
async function pull(dir: string): Promise<PulledState | undefined> {
  const pulled = (await terraformOrThrow(["state", "pull"], dir)).trim();
  return pulled ? (JSON.parse(pulled) as PulledState) : undefined;
}

/**
 * `terraform state list|show <address>` or `terraform output -json` for one stack. A member
 * removed from accounts.ts can still be read while its state exists (see "Retire an account").
 */
export async function stackStateCommand(target: StateTarget, stack: string, command: string, address?: string): Promise<StackCommandResult> {
  const args = commandArgs(command, address);
  const known = synthForState(target);
  const orphaned = !known.includes(stack);
  if (orphaned && !STACK_NAME.test(stack)) throw new UnknownStackError(stack, known);
  const dir = stateReaderDir(target, stack, orphaned);
  await initStack(dir);
  // Terraform's own answer is a bare "No state file was found!".
  if (!(await pull(dir))) throw orphaned ? new UnknownStackError(stack, known) : new NotDeployedError(stack);
  const result = await runTerraform(args, dir);
  if (result.code !== 0) throw new Error(`terraform ${args.join(" ")} failed for ${stack}: ${(result.stderr || result.stdout).trim()}`);
  return { output: result.stdout, orphaned };
}

/** The state files the configured backend holds, with their last change. */
async function storedStates(target: StateTarget, warnings: string[]): Promise<StoredState[]> {
  const dir = localStateDir(target);
  if (dir) {
    return (fs.existsSync(dir) ? fs.readdirSync(dir) : [])
      .filter((f) => f.endsWith(".tfstate"))
      .map((f) => ({ stack: f.slice(0, -".tfstate".length), lastModified: fs.statSync(path.join(dir, f)).mtime }));
  }
  const backend = validateConfig(target.config).stateBackend!;
  try {
    return await (target.listRemoteStates ?? listS3States)(backend);
  } catch (error) {
    warnings.push(
      `could not list s3://${backend.bucket}/${backend.keyPrefix}/ (${(error as Error).name}: ${(error as Error).message}): last modified unknown, removed stacks not detected`,
    );
    return [];
  }
}

/**
 * Resource count, serial and last change of every stack's state, and of any state the
 * backend still holds for a stack accounts.ts no longer has (flagged `orphaned`).
 */
export async function stateSummary(target: StateTarget, concurrency = 2): Promise<StateSummary> {
  const known = synthForState(target);
  const warnings: string[] = [];
  const stored = new Map((await storedStates(target, warnings)).map((s) => [s.stack, s.lastModified]));
  const orphans = [...stored.keys()].filter((s) => !known.includes(s));
  for (const name of orphans.filter((s) => !STACK_NAME.test(s)))
    warnings.push(`the backend holds "${name}.tfstate", which is not a stack name of this project: left alone`);
  const stacks = [
    ...known.map((stack) => ({ stack, orphaned: false })),
    ...orphans
      .filter((s) => STACK_NAME.test(s))
      .sort()
      .map((stack) => ({ stack, orphaned: true })),
  ];
  const rows = await firstAloneThenLimit(stacks, concurrency, async ({ stack, orphaned }) => {
    const dir = stateReaderDir(target, stack, orphaned);
    await initStack(dir);
    const state = await pull(dir);
    const resources = (state?.resources ?? []).filter((r) => r.mode === "managed").reduce((n, r) => n + r.instances.length, 0);
    return { stack, resources, serial: state?.serial ?? null, lastModified: state ? (stored.get(stack) ?? null) : null, orphaned };
  });
  return { rows, warnings };
}
