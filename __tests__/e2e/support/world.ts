import { GetObjectCommand, ListObjectVersionsCommand, ObjectVersion, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { spawn } from "child_process";
import * as fs from "fs";
import { exampleProjectCopy } from "../../support/example-project";
import { typescriptEntryArgs } from "../../../lib/tooling/ci/typescript-entry";
import { CommandRun, spawnCollect } from "../../support/spawn-collect";
import { EMULATOR_KEYS, Emulator, startEmulator } from "./emulator";

/**
 * A deployed world: the emulator plus a temporary copy of the project whose accounts.ts is
 * the test's config, where every command runs as a user runs it (`npm run <command> -- ...`)
 * with the emulator's endpoint in the documented variables and nothing else of this machine's
 * AWS settings.
 */
export class World {
  private constructor(
    readonly emulator: Emulator,
    readonly dir: string,
  ) {}

  /** The emulator first: the config may name what only exists once it runs (the organization's ID). */
  static async create(accountsTs: (emulator: Emulator) => Promise<string> | string): Promise<World> {
    const emulator = await startEmulator();
    try {
      return new World(emulator, exampleProjectCopy("s3-backup-e2e-", await accountsTs(emulator)).dir);
    } catch (error) {
      await emulator.stop();
      throw error;
    }
  }

  /** The environment a user pointing the commands at the emulator would set (docs/terraform.md). */
  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_") && k !== "S3_BACKUP_CONFIG" && k !== "CDKTF_OUTDIR"));
    return {
      ...base,
      AWS_ACCESS_KEY_ID: EMULATOR_KEYS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: EMULATOR_KEYS.secretAccessKey,
      AWS_ENDPOINT_URL: this.emulator.url,
      AWS_EC2_METADATA_DISABLED: "true",
      S3_BACKUP_S3_CONTROL_DISABLE_HOST_PREFIX: "true",
      ...extra,
    };
  }

  /** `npm run --silent <script> -- <args>` in the copy. */
  run(script: string, args: readonly string[] = [], extraEnv: NodeJS.ProcessEnv = {}): Promise<CommandRun> {
    return spawnCollect("npm", ["run", "--silent", script, "--", ...args], { cwd: this.dir, env: this.env(extraEnv) });
  }

  /**
   * Starts a command's entry point (`lib/cli/restore.ts`) as its npm script runs it, in its own
   * process group: `interrupt()` is Ctrl-C (SIGINT to the group). Without npm in between, the
   * exit status is the command's own (npm itself would die of the signal).
   */
  start(entry: string, args: readonly string[] = []): { done: Promise<CommandRun>; interrupt: () => void } {
    const child = spawn(process.execPath, typescriptEntryArgs(entry, args), { cwd: this.dir, env: this.env(), detached: true });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const done = new Promise<CommandRun>((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr })));
    return { done, interrupt: () => process.kill(-child.pid!, "SIGINT") };
  }

  /** Like run, but fails the test with the command's output unless it exits 0. */
  async ok(script: string, args: readonly string[] = [], extraEnv: NodeJS.ProcessEnv = {}): Promise<string> {
    const result = await this.run(script, args, extraEnv);
    if (result.status !== 0) throw new Error(`npm run ${script} -- ${args.join(" ")} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
    return result.stdout;
  }

  /** An S3 client acting in an account. */
  s3(accountId: string, region: string): S3Client {
    return new S3Client(clientIn(this.emulator, accountId, region));
  }

  async put(client: S3Client, bucket: string, key: string, body: string): Promise<string> {
    return (await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }))).VersionId!;
  }

  /**
   * What S3 replication would do for the current version of a key, once: the suite's
   * emulator launcher (moto-e2e.py, fix 6) follows the source bucket's deployed rules into
   * `destination`, and fails when none of them leads there.
   */
  async replicate(bucket: string, key: string, destination: string): Promise<string[]> {
    const response = await fetch(`${this.emulator.url}/moto-api/e2e/replicate`, { method: "POST", body: JSON.stringify({ bucket, key, destination }) });
    const answer = (await response.json()) as { rules?: string[]; error?: string };
    if (!response.ok) throw new Error(`replicate ${bucket}/${key} into ${destination}: ${answer.error ?? response.status}`);
    return answer.rules!;
  }

  async read(client: S3Client, bucket: string, key: string): Promise<string> {
    return (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
  }

  /** Every version under a prefix (one page is plenty for a test's objects). */
  async versions(client: S3Client, bucket: string, prefix = ""): Promise<ObjectVersion[]> {
    return (await client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix }))).Versions ?? [];
  }

  async close(): Promise<void> {
    await this.emulator.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * SDK client settings for acting in an account through the emulator: its STS gives
 * credentials of the role ARN's account, whatever the role.
 */
export function clientIn(emulator: Emulator, accountId: string, region: string) {
  const endpoint = emulator.url;
  const credentials = fromTemporaryCredentials({
    params: { RoleArn: `arn:aws:iam::${accountId}:role/e2e-test`, RoleSessionName: "e2e" },
    masterCredentials: EMULATOR_KEYS,
    clientConfig: { endpoint, region },
  });
  return { region, endpoint, forcePathStyle: true, credentials };
}

/** A bucket of the central account restores may also write into; the tests create it, as a user's would exist. */
export const SCRATCH_BUCKET = "acme-restore-scratch";

/** A config file's text (the README's example, examples/all-options.ts) with restore access set. */
export function withRestoreAccess(accountsTs: string): string {
  const restore = `restore: { assumableBy: ["arn:aws:iam::111111111111:role/BackupOperator"], extraTargetBuckets: ["${SCRATCH_BUCKET}"] }`;
  const withRestore = accountsTs.replace(/\n};\s*$/, `\n  ${restore},\n};\n`);
  if (withRestore === accountsTs) throw new Error("the example's accounts.ts no longer ends with '};': update withRestoreAccess");
  return withRestore;
}

/** The rows of a stack run's table (plan, deploy, drift): stack -> result ("applied", "no changes", ...). */
export function results(stdout: string): Record<string, string> {
  return Object.fromEntries(
    [...stdout.matchAll(/^(central|vault|member-\d{12})\s+(applied|no changes|changes|DRIFTED|FAILED|skipped)\s/gm)].map((m) => [m[1], m[2]]),
  );
}

/** What a restore run printed as its outcome: "copied N, unchanged N, already done (journal) N, ...". */
export function outcome(stdout: string): Record<string, number> {
  const line = /^copied \d+, .*$/m.exec(stdout)?.[0] ?? "";
  return Object.fromEntries([...line.matchAll(/([a-z ()]+?) (\d+)(?:,| in)/g)].map((m) => [m[1].trim(), Number(m[2])]));
}
