import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";

const ROOT = path.resolve(__dirname, "..");
const WORKFLOW = path.join(ROOT, ".github/workflows/backup.yml");
const VALIDATOR = require.resolve("@action-validator/cli/cli.mjs");

interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, string>;
  readonly env?: Record<string, string>;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const workflow = yaml.safeLoad(fs.readFileSync(WORKFLOW, "utf8")) as any;
const jobs = workflow.jobs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const step = (job: string, match: (s: Step) => boolean): Step => (jobs[job].steps as Step[]).find(match)!;

/** Runs one `run:` script of the workflow as GitHub does (bash -eo pipefail), with its output files. */
function runStep(script: string, cwd: string, env: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wf-step-"));
  const files = { GITHUB_OUTPUT: path.join(dir, "output"), GITHUB_STEP_SUMMARY: path.join(dir, "summary") };
  fs.writeFileSync(path.join(dir, "step.sh"), script);
  const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", path.join(dir, "step.sh")], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...files, ...env },
  });
  const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, "utf8") : "");
  const out = { status: result.status, stdout: result.stdout, stderr: result.stderr, output: read(files.GITHUB_OUTPUT), summary: read(files.GITHUB_STEP_SUMMARY) };
  fs.rmSync(dir, { recursive: true, force: true });
  return out;
}

describe("GitHub Actions workflow", () => {
  test("passes action-validator (the workflow JSON schema)", () => {
    const result = spawnSync(process.execPath, [VALIDATOR, WORKFLOW], { encoding: "utf8" });
    expect(result.stdout + result.stderr).not.toMatch(/"errors"|Fatal/);
    expect(result.status).toBe(0);
  });

  test("the validator does reject broken workflows (it is not a rubber stamp)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wf-"));
    const original = fs.readFileSync(WORKFLOW, "utf8");
    const breakages: [string, string, string][] = [
      ["an unknown event", original.replace("  pull_request:\n", "  pull_requests:\n"), "Additional property 'pull_requests' is not allowed"],
      ["a misspelled job key", original.replace("    runs-on: ubuntu-latest", "    runs_on: ubuntu-latest"), "Additional property 'runs_on' is not allowed"],
      ["a non-boolean cancel-in-progress", original.replace("cancel-in-progress: false", "cancel-in-progress: nope"), "/jobs/deploy-central/concurrency/cancel-in-progress"],
    ];
    try {
      for (const [what, text, error] of breakages) {
        expect(text).not.toBe(original);
        const file = path.join(dir, "broken.yml");
        fs.writeFileSync(file, text);
        const result = spawnSync(process.execPath, [VALIDATOR, file], { encoding: "utf8" });
        expect([what, result.status, (result.stdout + result.stderr).includes(error)]).toEqual([what, 1, true]);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("runs on pull requests, pushes to main and by hand (plan or deploy)", () => {
    expect(Object.keys(workflow.on)).toEqual(["pull_request", "push", "workflow_dispatch"]);
    expect(workflow.on.push.branches).toEqual(["main"]);
    expect(workflow.on.workflow_dispatch.inputs.action.options).toEqual(["plan", "deploy"]);
    for (const event of ["pull_request", "push"]) {
      expect(workflow.on[event].paths).toEqual(expect.arrayContaining(["accounts.ts", "lib/**", "stacks/**", "package-lock.json", ".github/workflows/backup.yml"]));
    }
  });

  test("tests first (Node 20, Terraform 1.11.4), then plans only the changed stacks, each summarized", () => {
    const { test, changes, plan } = jobs;
    expect(workflow.env).toEqual({ TERRAFORM_VERSION: "1.11.4", NODE_VERSION: "20" });
    expect(step("test", (s) => s.uses?.startsWith("hashicorp/setup-terraform@") ?? false).with!.terraform_version).toBe("${{ env.TERRAFORM_VERSION }}");
    expect(step("test", (s) => s.uses?.startsWith("actions/setup-node@") ?? false).with!["node-version"]).toBe("${{ env.NODE_VERSION }}");
    expect(test.steps.map((s: Step) => s.run).filter(Boolean)).toEqual(["npm ci", "npm test"]);
    expect(changes.needs).toBe("test");
    expect(step("changes", (s) => s.uses?.startsWith("actions/checkout@") ?? false).with).toEqual({ "fetch-depth": 0 });
    expect(step("changes", (s) => s.id === "changed").run).toMatch(/changed-stacks -- --base "\$BASE" --json > changes\.json/);
    expect(plan.needs).toBe("changes");
    expect(plan.strategy.matrix.stack).toBe("${{ fromJSON(needs.changes.outputs.stacks) }}");
    expect(plan.strategy["max-parallel"]).toBe(4);
    expect(step("plan", (s) => s.name === "Plan ${{ matrix.stack }}").run).toContain('npm run --silent plan -- "$STACK"');
    expect(step("plan", (s) => s.name === "Plan summary").run).toContain("GITHUB_STEP_SUMMARY");
    expect(plan.env.TF_CLI_ARGS_plan).toBe("-lock=false");
  });

  test("one required check for branch protection: fails unless the tests, the changes and every plan succeeded", () => {
    const job = jobs["plans-ok"];
    expect(job.needs).toEqual(["changes", "plan"]);
    expect(job.if).toBe("always() && github.event_name == 'pull_request'");
    const script = job.steps[0].run as string;
    const verdict = (CHANGES: string, PLAN: string) => runStep(script, ROOT, { CHANGES, PLAN }).status;
    expect(verdict("success", "success")).toBe(0);
    expect(verdict("success", "skipped")).toBe(0); // nothing to plan, or a fork
    expect(verdict("success", "failure")).not.toBe(0);
    expect(verdict("success", "cancelled")).not.toBe(0);
    expect(verdict("skipped", "skipped")).not.toBe(0); // the tests failed, so nothing ran
  });

  test("AWS credentials only by OIDC, with the role from the repository variables", () => {
    for (const name of ["plan", "deploy-central", "deploy-members"]) {
      const job = jobs[name];
      expect([name, job.permissions]).toEqual([name, { contents: "read", "id-token": "write" }]);
      const credentials = step(name, (s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@") ?? false);
      expect(credentials.with!["role-to-assume"]).toBe("${{ vars.CI_ROLE_ARN }}");
      expect(Object.keys(credentials.with!)).not.toContain("aws-access-key-id");
    }
    // No other job may mint tokens; the workflow default is read-only.
    expect(workflow.permissions).toEqual({ contents: "read" });
    expect(jobs.test.permissions).toBeUndefined();
    expect(jobs.changes.permissions).toEqual({ contents: "read", actions: "read" });
  });

  test("deploys central first, members after it with bounded parallelism, only from main, and never races on a state", () => {
    const central = jobs["deploy-central"];
    const members = jobs["deploy-members"];
    expect(central.concurrency).toEqual({ group: "deploy-central", "cancel-in-progress": false });
    expect(members.needs).toEqual(["changes", "deploy-central"]);
    expect(members.if).toContain("(needs.deploy-central.result == 'success' || needs.deploy-central.result == 'skipped')");
    expect(members.if).toContain("!cancelled()");
    expect(members.if).not.toContain("always()");
    expect(members.strategy["max-parallel"]).toBe(5);
    expect(members.strategy.matrix.stack).toBe("${{ fromJSON(needs.changes.outputs.members) }}");
    expect(members.concurrency).toEqual({ group: "deploy-${{ matrix.stack }}", "cancel-in-progress": false });
    expect(central.steps.at(-1).run).toBe("npm run deploy -- central --auto-approve");
    expect(members.steps.at(-1).run).toBe('npm run deploy -- "$STACK" --auto-approve');
    for (const job of [central, members]) {
      expect(job.if).toContain("github.ref == 'refs/heads/main'");
      expect(job.environment).toBe("production");
      expect(job.env.TF_CLI_ARGS_apply).toBe("-lock-timeout=15m");
    }
    // Main never cancels a running deploy; pull requests cancel their own stale runs.
    expect(workflow.concurrency["cancel-in-progress"]).toBe("${{ github.event_name == 'pull_request' }}");
  });

  test("no run script interpolates ${{ }} (values reach the shell through env, never as code)", () => {
    for (const [name, job] of Object.entries(jobs)) {
      for (const s of job.steps as Step[]) if (s.run) expect([name, s.run.includes("${{")]).toEqual([name, false]);
    }
  });

  test("the base step: a pull request compares with its base commit; an unknown commit falls back to every stack", () => {
    const script = step("changes", (s) => s.id === "base").run!;
    const head = execFileSync("git", ["rev-parse", "HEAD~1"], { cwd: ROOT, encoding: "utf8" }).trim();
    const known = runStep(script, ROOT, { EVENT: "pull_request", PR_BASE: head });
    expect([known.status, known.output]).toEqual([0, `base=${head}\n`]);
    const gone = runStep(script, ROOT, { EVENT: "pull_request", PR_BASE: "0123456789abcdef0123456789abcdef01234567" });
    expect([gone.status, gone.output]).toEqual([0, "base=\n"]);
    expect(gone.stdout).toContain("::warning::Base 0123456789abcdef0123456789abcdef01234567 is not in the history any more");
    const manual = runStep(script, ROOT, { EVENT: "workflow_dispatch" });
    expect([manual.status, manual.output]).toEqual([0, "base=\n"]);
  });

  test("the CI_ROLE_ARN check: unset fails, a mismatch with ciRoleArn fails, a match passes", () => {
    const script = step("changes", (s) => s.name === "CI_ROLE_ARN mirrors ciRoleArn of accounts.ts").run!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wf-role-"));
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    const role = "arn:aws:iam::111111111111:role/github-s3-backup";
    fs.writeFileSync(
      path.join(dir, "accounts.ts"),
      fs.readFileSync(path.join(ROOT, "accounts.ts"), "utf8").replace("export const config: BackupConfig = {", `export const config: BackupConfig = {\n  ciRoleArn: "${role}",`),
    );
    try {
      const unset = runStep(script, dir, { CI_ROLE_ARN: "" });
      expect([unset.status, unset.stdout.trim()]).toEqual([1, `::error::Repository variable CI_ROLE_ARN is not set: set it to ${role}.`]);
      const other = runStep(script, dir, { CI_ROLE_ARN: "arn:aws:iam::111111111111:role/other" });
      expect([other.status, other.stdout.trim()]).toEqual([1, `::error::CI_ROLE_ARN (arn:aws:iam::111111111111:role/other) differs from ciRoleArn in accounts.ts (${role}): make them equal.`]);
      expect(runStep(script, dir, { CI_ROLE_ARN: role }).status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
