/**
 * The first ten minutes: every command, spawned as a user runs it, on a copy of the project
 * with one mistake in it. Each mistake gives at most 5 lines on stderr, no stack frame,
 * nothing on stdout before the config is valid, and names the fix. The copy's accounts.ts
 * is this test's own fixture (below), never the user's.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EXAMPLE_CONFIG_FILE, exampleProjectCopy } from "./support/example-project";
import { mapWithConcurrency } from "../lib/core/pool";
import { NO_SUCH_HOST } from "./support/terraform-errors";
import { CommandRun, runEntry } from "./support/spawn-collect";

const ROOT = path.resolve(__dirname, "..");

/** How each command is started (as its npm script does) with arguments that would otherwise work. */
const COMMANDS: Record<string, string[]> = {
  synth: ["lib/cli/synth.ts"],
  "plan:offline": ["lib/cli/run-stacks.ts", "plan:offline"],
  plan: ["lib/cli/run-stacks.ts", "plan", "central"],
  deploy: ["lib/cli/run-stacks.ts", "deploy", "central", "--auto-approve"],
  "changed-stacks": ["lib/cli/changed-stacks.ts", "--base", "HEAD"],
  state: ["lib/cli/state.ts", "central", "list"],
  verify: ["lib/cli/verify.ts", "--all"],
  backfill: ["lib/cli/backfill.ts", "--account", "222222222222"],
  bench: ["lib/bench/bench.ts", "--quick"],
  check: ["lib/cli/check.ts", "--base", "HEAD"],
};

/** No AWS credentials anywhere, and no instance metadata to wait for. */
const NO_AWS: NodeJS.ProcessEnv = {
  AWS_EC2_METADATA_DISABLED: "true",
  AWS_CONFIG_FILE: "/nonexistent/aws-config",
  AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
};

function run(cwd: string, [script, ...args]: string[], env: NodeJS.ProcessEnv = {}): Promise<CommandRun> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_")));
  return runEntry(script, args, { cwd, env: { ...base, ...NO_AWS, ...env } });
}

function expectOneClearError(what: string, result: CommandRun, fix: RegExp): void {
  const lines = result.stderr.trim().split("\n");
  expect([what, result.status]).toEqual([what, 1]);
  expect([what, lines.length <= 5]).toEqual([what, true]);
  expect([what, result.stderr]).not.toEqual([what, expect.stringMatching(/^\s+at /m)]);
  expect([what, result.stderr.trim()]).toEqual([what, expect.stringMatching(fix)]);
}

/** One copy of the project for the whole file, its accounts.ts replaced by the fixture and committed. */
const copy = exampleProjectCopy("s3-backup-probe-");
const accounts = path.join(copy.dir, "accounts.ts");
afterAll(() => fs.rmSync(copy.dir, { recursive: true, force: true }));

describe("one clear error per mistake, in every command", () => {
  const original = fs.readFileSync(accounts, "utf8");
  const edit = (change: (text: string) => string) => {
    const changed = change(original);
    if (changed === original) throw new Error("the probe's edit changed nothing: the test is out of date");
    fs.writeFileSync(accounts, changed);
  };

  test("a syntax error in accounts.ts: file:line:col, the line and a caret", async () => {
    edit((a) => a.replace(`name: "workloads-staging" },`, `name: "workloads-staging" }`));
    const line = original.split("\n").findIndex((l) => l.includes(`"444444444444"`)) + 1;
    const results = await mapWithConcurrency(Object.entries(COMMANDS), 2, async ([name, args]) => [name, await run(copy.dir, args)] as const);
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
    const results = await mapWithConcurrency(Object.entries(COMMANDS), 2, async ([name, args]) => [name, await run(copy.dir, args)] as const);
    for (const [name, result] of results) {
      expectOneClearError(name, result, /central\.accountId: 111111111111 is a number, not a string\. Fix: put the account ID in quotes: "111111111111"\./);
      // Nothing is printed before the config is valid (no table header, no machine line).
      expect([name, result.stdout]).toEqual([name, ""]);
    }
  });

  test("no AWS credentials: plan, deploy, state (S3 backend), verify, backfill say what to set and that plan:offline needs none", async () => {
    edit((a) => a.replace("  members: [", `  stateBackend: { bucket: "acme-terraform-state", region: "eu-central-1" },\n  members: [`));
    const commands = ["plan", "deploy", "state", "verify", "backfill"];
    const results = await mapWithConcurrency(commands, 2, async (name) => [name, await run(copy.dir, COMMANDS[name])] as const);
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
    const result = await run(copy.dir, ["lib/cli/run-stacks.ts", "plan:offline", "central"], {
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

  test("deploy with keys but no network says AWS could not be reached, and which host, not that the role is wrong", async () => {
    // What terraform 1.11 with hashicorp/aws 5.100.0 prints when STS's name does not resolve.
    const captured = path.join(work, "no-such-host.txt");
    fs.writeFileSync(captured, NO_SUCH_HOST);
    const offlineTerraform = path.join(work, "terraform-no-network");
    fs.writeFileSync(
      offlineTerraform,
      [
        "#!/usr/bin/env bash",
        'case "$1" in',
        '  version) echo \'{"terraform_version":"1.11.4"}\' ;;',
        "  init) echo initialized ;;",
        `  plan) cat "${captured}" >&2; exit 1 ;;`,
        "esac",
      ].join("\n"),
      { mode: 0o755 },
    );
    const result = await run(copy.dir, ["lib/cli/run-stacks.ts", "deploy", "central", "--auto-approve"], {
      TERRAFORM_BINARY: offlineTerraform,
      CDKTF_OUTDIR: path.join(work, "deploy-out"),
      AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^central\s+FAILED/m);
    expect(result.stderr).toContain(
      "central failed:\nTerraform could not reach AWS (sts.eu-central-1.amazonaws.com): check the network, proxy or VPC endpoint.\n" +
        "dial tcp: lookup sts.eu-central-1.amazonaws.com on 127.0.0.53:53: no such host",
    );
    expect(result.stderr).not.toMatch(/appropriate permission|role ARN is not valid/);
  });

  test("no npm script runs the cdktf CLI (it phones home); Terraform always gets CHECKPOINT_DISABLE", () => {
    const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(Object.entries(scripts).filter(([, command]) => /\bcdktf\b(?!\.)/.test(command))).toEqual([]);
  });
});

/** Every npm script command, as its script starts it (package.json), before the user's words. */
const SCRIPTS: Record<string, string[]> = {
  check: ["lib/cli/check.ts"],
  synth: ["lib/cli/synth.ts"],
  "plan:offline": ["lib/cli/run-stacks.ts", "plan:offline"],
  plan: ["lib/cli/run-stacks.ts", "plan"],
  drift: ["lib/cli/run-stacks.ts", "drift"],
  deploy: ["lib/cli/run-stacks.ts", "deploy"],
  "changed-stacks": ["lib/cli/changed-stacks.ts"],
  state: ["lib/cli/state.ts"],
  verify: ["lib/cli/verify.ts"],
  backfill: ["lib/cli/backfill.ts"],
  coverage: ["lib/cli/coverage.ts"],
  "org-sync": ["lib/cli/org-sync.ts"],
  restore: ["lib/cli/restore.ts"],
  "restore:drill": ["lib/cli/restore-drill.ts"],
  "bootstrap:plan:offline": ["bootstrap.ts", "plan:offline"],
  "bootstrap:plan": ["bootstrap.ts", "plan"],
  "bootstrap:deploy": ["bootstrap.ts", "deploy"],
  bench: ["lib/bench/bench.ts"],
};

describe("--help and unknown flags, in every command: before any work", () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-flags-"));
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
  const outdir = path.join(work, "out");
  // Any work would show: loading this config fails (exit 1), Terraform is not there, and
  // a synth would create the outdir.
  const broken = path.join(work, "broken-config.ts");
  fs.writeFileSync(broken, "export const config = {\n  organizationId: \n};\n");
  const env = { S3_BACKUP_CONFIG: broken, CDKTF_OUTDIR: outdir, TERRAFORM_BINARY: path.join(work, "no-terraform") };
  const runAll = (extra: string[]) =>
    mapWithConcurrency(Object.entries(SCRIPTS), 2, async ([name, args]) => [name, await run(copy.dir, [...args, ...extra], env)] as const);
  const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

  test("the probe covers every npm script that runs a command of the project", () => {
    const commands = Object.entries(scripts).filter(([, command]) => /^(node|tsx) /.test(command));
    expect(Object.fromEntries(commands)).toEqual(
      Object.fromEntries(Object.entries(SCRIPTS).map(([name, args]) => [name, `node --require tsx/cjs ${args.join(" ")}`])),
    );
  });

  test("--help exits 0 with the command's usage, options and example, and does nothing else", async () => {
    for (const [name, result] of await runAll(["--help"])) {
      expect([name, result.status, result.stderr]).toEqual([name, 0, ""]);
      expect([name, result.stdout]).toEqual([name, expect.stringMatching(new RegExp(`^Usage: npm run ${name} -- `))]);
      expect([name, result.stdout]).toEqual([name, expect.stringMatching(/\nOptions:\n(.*\n)* {2}-h, --help +show this help and exit\n/)]);
      expect([name, result.stdout]).toEqual([name, expect.stringMatching(new RegExp(`\\nExample:\\n  npm run ${name} -- \\S`))]);
    }
    expect(fs.existsSync(outdir)).toBe(false);
    // The bootstrap synthesizes beside the project whatever CDKTF_OUTDIR says.
    expect(fs.existsSync(path.join(copy.dir, "cdktf.out", "bootstrap"))).toBe(false);
  });

  test("an unknown flag exits 2 before any work, in one line naming the valid flags", async () => {
    for (const [name, result] of await runAll(["--bogus"])) {
      expect([name, result.status, result.stdout]).toEqual([name, 2, ""]);
      expect([name, result.stderr]).toEqual([
        name,
        expect.stringMatching(new RegExp(`^--bogus is not an option of ${name}\\. Options: (--[a-z-]+, )*--help\\n$`)),
      ]);
    }
    expect(fs.existsSync(outdir)).toBe(false);
  });

  test("a typo gets the closest flag; bad values and stray words name the flag and what is valid", async () => {
    const cases: [string, string[], string][] = [
      ["synth", ["--offlne"], "--offlne is not an option of synth. Did you mean --offline? Options: --offline, --role, --help"],
      [
        "synth",
        ["--role", "admin"],
        '--role must be plan, deploy or break-glass, not "admin". Usage: npm run synth -- [stack...] [--offline] [--role plan|deploy|break-glass]',
      ],
      ["plan", ["--parallelism", "abc"], '--parallelism must be a whole number from 1 to 64, not "abc". Usage: npm run plan -- '],
      ["plan", ["--auto-approve"], "--auto-approve is not an option of plan. Options: --skip-synth, --parallelism, --summary, --role, --help"],
      ["changed-stacks", ["--base"], "--base needs a value: --base <git-ref>. Usage: npm run changed-stacks -- "],
      ["changed-stacks", ["--json"], "changed-stacks needs --base <git-ref> (e.g. --base origin/main) or --all. Usage: "],
      ["changed-stacks", ["--all", "--max-shards", "0"], '--max-shards must be a whole number from 1 to 256, not "0". Usage: npm run changed-stacks -- '],
      [
        "verify",
        ["--all", "222222222222"],
        'verify takes no arguments, not "222222222222". Options: --account, --all, --timeout-seconds, --poll-seconds, --help',
      ],
      ["state", ["central", "drop"], 'Unknown state command "drop". Use: list | show <address> | outputs'],
      ["bench", ["--max", "0"], '--max must be a whole number from 1 to 100000, not "0". Usage: npm run bench -- '],
    ];
    const results = await mapWithConcurrency(
      cases,
      2,
      async ([name, words, message]) => [name, message, await run(copy.dir, [...SCRIPTS[name], ...words], env)] as const,
    );
    for (const [name, message, result] of results) {
      expect([name, result.status, result.stdout, result.stderr.split("\n").length]).toEqual([name, 2, "", 2]);
      expect([name, result.stderr.startsWith(message)]).toEqual([name, true]);
    }
    expect(fs.existsSync(outdir)).toBe(false);
  });

  test("plan:offline -- --help does not plan; state -- --help prints state's help, not 'No stack \"--help\"'", async () => {
    // A valid config this time: only --help stands between these commands and their work.
    const config = EXAMPLE_CONFIG_FILE;
    const [plan, state] = await Promise.all([
      run(copy.dir, [...SCRIPTS["plan:offline"], "--help"], { ...env, S3_BACKUP_CONFIG: config, TERRAFORM_BINARY: "terraform" }),
      run(copy.dir, [...SCRIPTS.state, "--help"], { ...env, S3_BACKUP_CONFIG: config, TERRAFORM_BINARY: "terraform" }),
    ]);
    expect([plan.status, plan.stderr]).toEqual([0, ""]);
    expect(plan.stdout).toMatch(/^Usage: npm run plan:offline -- \[stack\.\.\.\]/);
    expect(plan.stdout).not.toContain("OFFLINE MODE: fake credentials");
    expect([state.status, state.stderr]).toEqual([0, ""]);
    expect(state.stdout).toMatch(/^Usage: npm run state -- summary \| <stack> list \| show <address> \| outputs\n/);
    expect(state.stdout).not.toContain("No stack");
    expect(fs.existsSync(outdir)).toBe(false);
  });
});
