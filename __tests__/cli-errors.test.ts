/**
 * The first ten minutes: every command, spawned as a user runs it, on a copy of the project
 * with one mistake in it. Each mistake gives at most 5 lines on stderr, no stack frame,
 * nothing on stdout before the config is valid, and names the fix.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EXAMPLE_CONFIG_FILE, exampleProjectCopy } from "./support/example-project";
import { mapWithLimit } from "../src/terraform/cli";

const ROOT = path.resolve(__dirname, "..");
const TSX = require.resolve("tsx/cli");

/** How each command is started (as its npm script does) with arguments that would otherwise work. */
const COMMANDS: Record<string, string[]> = {
  synth: ["src/cli/synth.ts"],
  "plan:offline": ["src/cli/run-stacks.ts", "plan:offline"],
  plan: ["src/cli/run-stacks.ts", "plan", "central"],
  deploy: ["src/cli/run-stacks.ts", "deploy", "central", "--auto-approve"],
  "changed-stacks": ["src/cli/changed-stacks.ts", "--base", "HEAD"],
  state: ["src/cli/state.ts", "central", "list"],
  verify: ["src/cli/verify.ts", "--all"],
  backfill: ["src/cli/backfill.ts", "--account", "222222222222"],
  bench: ["src/bench/bench.ts", "--quick"],
};

/** No AWS credentials anywhere, and no instance metadata to wait for. */
const NO_AWS: NodeJS.ProcessEnv = {
  AWS_EC2_METADATA_DISABLED: "true",
  AWS_CONFIG_FILE: "/nonexistent/aws-config",
  AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
};

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_")));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TSX, ...args], { cwd, env: { ...base, ...NO_AWS, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

function expectOneClearError(what: string, result: Run, fix: RegExp): void {
  const lines = result.stderr.trim().split("\n");
  expect([what, result.status]).toEqual([what, 1]);
  expect([what, lines.length <= 5]).toEqual([what, true]);
  expect([what, result.stderr]).not.toEqual([what, expect.stringMatching(/^\s+at /m)]);
  expect([what, result.stderr.trim()]).toEqual([what, expect.stringMatching(fix)]);
}

describe("one clear error per mistake, in every command", () => {
  const copy = exampleProjectCopy("s3-backup-probe-");
  const accounts = path.join(copy.dir, "accounts.ts");
  const original = fs.readFileSync(accounts, "utf8");
  const edit = (change: (text: string) => string) => {
    const changed = change(original);
    if (changed === original) throw new Error("the probe's edit changed nothing: the test is out of date");
    fs.writeFileSync(accounts, changed);
  };
  afterAll(() => fs.rmSync(copy.dir, { recursive: true, force: true }));

  test("a syntax error in accounts.ts: file:line:col, the line and a caret", async () => {
    edit((a) => a.replace(`name: "workloads-staging" },`, `name: "workloads-staging" }`));
    const line = original.split("\n").findIndex((l) => l.includes(`"444444444444"`)) + 1;
    const results = await mapWithLimit(Object.entries(COMMANDS), 2, async ([name, args]) => [name, await run(copy.dir, args)] as const);
    for (const [name, result] of results) {
      expectOneClearError(
        name,
        result,
        new RegExp(
          `accounts\\.ts:${line}:5: Expected "\\]" but found "\\{" \\(a syntax error: check the commas and brackets around it\\)\\n {6}\\{ accountId: "444444444444"[^\\n]*\\n {6}\\^`,
        ),
      );
      expect([name, result.stdout]).toEqual([name, ""]);
    }
  });

  test("a number where a string belongs: says so and shows the quoted fix", async () => {
    edit((a) => a.replace(`accountId: "111111111111"`, "accountId: 111111111111"));
    const results = await mapWithLimit(Object.entries(COMMANDS), 2, async ([name, args]) => [name, await run(copy.dir, args)] as const);
    for (const [name, result] of results) {
      expectOneClearError(name, result, /central\.accountId: 111111111111 is a number, not a string\. Fix: put the account ID in quotes: "111111111111"\./);
      // Nothing is printed before the config is valid (no table header, no machine line).
      expect([name, result.stdout]).toEqual([name, ""]);
    }
  });

  test("no AWS credentials: plan, deploy, state (S3 backend), verify, backfill say what to set and that plan:offline needs none", async () => {
    edit((a) => a.replace("  members: [", `  stateBackend: { bucket: "acme-terraform-state", region: "eu-central-1" },\n  members: [`));
    const commands = ["plan", "deploy", "state", "verify", "backfill"];
    const results = await mapWithLimit(commands, 2, async (name) => [name, await run(copy.dir, COMMANDS[name])] as const);
    for (const [name, result] of results) {
      expectOneClearError(
        name,
        result,
        /^No AWS credentials: npm run (plan|deploy|state|verify|backfill) works against AWS\. Set AWS_PROFILE .*OIDC .*npm run plan:offline needs none\.$/,
      );
    }
  });

  test("a stack with no state yet says 'not deployed yet'", async () => {
    fs.writeFileSync(accounts, original);
    const result = await run(copy.dir, COMMANDS.state);
    expectOneClearError(
      "state",
      result,
      /^central is not deployed yet: its backend holds no state\. Deploy it first \(npm run deploy -- central --auto-approve\)/,
    );
  });
});

describe("waiting and phoning home", () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-probe-"));
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
  /** A stand-in terraform that records its environment and is slow to init: what the command says while it waits. */
  const fakeTerraform = path.join(work, "terraform");
  fs.writeFileSync(
    fakeTerraform,
    [
      "#!/usr/bin/env bash",
      'echo "CHECKPOINT_DISABLE=$CHECKPOINT_DISABLE $1" >> "$CALLS"',
      'case "$1" in',
      '  version) echo \'{"terraform_version":"1.11.4"}\' ;;',
      "  init) sleep 2; echo initialized ;;",
      '  plan) echo "Plan: 1 to add, 0 to change, 0 to destroy."; exit 2 ;;',
      "esac",
    ].join("\n"),
    { mode: 0o755 },
  );

  test("a step that waits says what it waits for; no Terraform run can reach HashiCorp's checkpoint service", async () => {
    const calls = path.join(work, "calls.log");
    const result = await run(ROOT, ["src/cli/run-stacks.ts", "plan:offline", "central"], {
      S3_BACKUP_CONFIG: EXAMPLE_CONFIG_FILE,
      TERRAFORM_BINARY: fakeTerraform,
      CALLS: calls,
      CDKTF_OUTDIR: path.join(work, "out"),
      S3_BACKUP_SLOW_NOTICE_MS: "500",
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain("… central: still waiting for terraform init");
    const lines = fs.readFileSync(calls, "utf8").trim().split("\n");
    expect(lines.map((l) => l.split(" ")[1])).toEqual(["version", "init", "plan"]);
    expect(lines.every((l) => l.startsWith("CHECKPOINT_DISABLE=1 "))).toBe(true);
  });

  test("no npm script runs the cdktf CLI (it phones home); Terraform always gets CHECKPOINT_DISABLE", () => {
    const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(Object.entries(scripts).filter(([, command]) => /\bcdktf\b(?!\.)/.test(command))).toEqual([]);
  });
});
