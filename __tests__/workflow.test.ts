import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { WORKFLOWS } from "../lib/infra/policies/bootstrap-policies";

const ROOT = path.resolve(__dirname, "..");
const WORKFLOW = path.join(ROOT, ".github/workflows/backup.yml");
const DRIFT = path.join(ROOT, ".github/workflows/drift.yml");
const SETUP_ACTION = path.join(ROOT, ".github/actions/setup/action.yml");
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

const workflow = yaml.safeLoad(fs.readFileSync(WORKFLOW, "utf8")) as any;
const jobs = workflow.jobs as Record<string, any>;
const drift = yaml.safeLoad(fs.readFileSync(DRIFT, "utf8")) as any;
const setupAction = yaml.safeLoad(fs.readFileSync(SETUP_ACTION, "utf8")) as { runs: { steps: Step[] } };
const step = (job: string, match: (s: Step) => boolean): Step => (jobs[job].steps as Step[]).find(match)!;
/** Every job of both workflows, by name. */

const allJobs = (): [string, any][] => [...Object.entries(jobs), ...Object.entries(drift.jobs as Record<string, any>)];

/**
 * The oldest major each action may be pinned to (checked in the actions' own repositories):
 * a floor, not an exact version, so that dependabot's bump to a newer major keeps this green
 * while a pin to an older one still fails.
 */
const MINIMUM_MAJORS: Record<string, number> = {
  "actions/cache": 4,
  "actions/checkout": 7,
  "actions/setup-node": 7,
  "hashicorp/setup-terraform": 4,
  "aws-actions/configure-aws-credentials": 6,
  "actions/upload-artifact": 7,
  "actions/download-artifact": 8,
};

/** Why a `uses:` line is not acceptable, or null: a local action, or a full commit SHA of a current major with its version as a comment. */
function pinProblem(line: string): string | null {
  const m = /^\s*-?\s*uses:\s*(\S+?)(?:@(\S+))?(?:\s+#\s*(v(\d+)\S*))?\s*$/.exec(line);
  if (!m) return `unparsable: ${line.trim()}`;
  const [, action, ref, version, major] = m;
  if (action.startsWith("./")) return null;
  if (!ref || !/^[0-9a-f]{40}$/.test(ref)) return `${action} is not pinned to a full commit SHA`;
  if (!version) return `${action}@${ref} has no version comment`;
  if (MINIMUM_MAJORS[action] === undefined) return `${action} is not a known action`;
  if (Number(major) < MINIMUM_MAJORS[action]) return `${action} ${version} is older than v${MINIMUM_MAJORS[action]}`;
  return null;
}
const usesLines = (file: string) =>
  fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => /^\s*-?\s*uses:/.test(l));

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
  const out = {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    output: read(files.GITHUB_OUTPUT),
    summary: read(files.GITHUB_STEP_SUMMARY),
  };
  fs.rmSync(dir, { recursive: true, force: true });
  return out;
}

/** A GitHub Actions `paths` filter as a regular expression: `**` crosses folders, `*` does not. */
function githubPathPattern(filter: string): RegExp {
  const source = filter
    .split(/(\*\*\/?|\*)/)
    .map((part) => (part.startsWith("**") ? ".*" : part === "*" ? "[^/]*" : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`);
}

/** The project files these TypeScript files import, transitively (relative imports and requires), by path from the root. */
function importClosure(roots: readonly string[]): string[] {
  const seen = new Set<string>();
  const resolve = (from: string, spec: string) =>
    [`${spec}.ts`, spec, `${spec}/index.ts`]
      .map((c) => path.posix.normalize(path.posix.join(path.posix.dirname(from), c)))
      .find((c) => fs.existsSync(path.join(ROOT, c)) && c.endsWith(".ts"));
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    for (const [, spec] of text.matchAll(/(?:from |require\()"(\.{1,2}\/[^"]+)"/g)) {
      const target = resolve(file, spec);
      if (target) visit(target);
    }
  };
  for (const root of roots) visit(root);
  return [...seen].sort();
}

describe("GitHub Actions workflow", () => {
  test("both workflows and the setup action pass action-validator (the workflow and action JSON schemas)", () => {
    for (const file of [WORKFLOW, DRIFT, SETUP_ACTION]) {
      const result = spawnSync(process.execPath, [VALIDATOR, file], { encoding: "utf8" });
      expect([file, result.stdout + result.stderr]).not.toEqual([file, expect.stringMatching(/"errors"|Fatal/)]);
      expect([file, result.status]).toEqual([file, 0]);
    }
  });

  test("supply chain: every uses: is a local action or pinned to the full SHA of a major no older than its floor, with its version", () => {
    const lines = [WORKFLOW, DRIFT, SETUP_ACTION].flatMap(usesLines);
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.map(pinProblem).filter(Boolean)).toEqual([]);
    // The check itself rejects what it must.
    expect(pinProblem("      - uses: actions/checkout@v4")).toBe("actions/checkout is not pinned to a full commit SHA");
    expect(pinProblem("      - uses: actions/checkout@main")).toBe("actions/checkout is not pinned to a full commit SHA");
    expect(pinProblem("      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2")).toBe("actions/checkout v4.2.2 is older than v7");
    expect(pinProblem("      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1")).toMatch(/has no version comment/);
    expect(pinProblem("      - uses: evil/action@3d3c42e5aac5ba805825da76410c181273ba90b1 # v1")).toBe("evil/action is not a known action");
    // The same SHA for the same action everywhere.
    const shas = new Map<string, Set<string>>();
    for (const l of lines) {
      const m = /uses:\s*([^@\s]+)@([0-9a-f]{40})/.exec(l);
      if (m) shas.set(m[1], new Set([...(shas.get(m[1]) ?? []), m[2]]));
    }
    expect([...shas].filter(([, s]) => s.size !== 1)).toEqual([]);
    expect(setupAction.runs.steps.filter((s) => s.uses).length).toBe(3);
  });

  test("every repository variable the workflows read is in docs/ci-and-state.md's table, and the table names no other", () => {
    const read = new Set([WORKFLOW, DRIFT].flatMap((file) => [...fs.readFileSync(file, "utf8").matchAll(/\bvars\.([A-Z0-9_]+)/g)].map((m) => m[1])));
    const doc = fs.readFileSync(path.join(ROOT, "docs/ci-and-state.md"), "utf8");
    const table = doc.slice(doc.indexOf("## Repository variables"), doc.indexOf("## State role in plans"));
    const documented = new Set([...table.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]));
    expect([...documented].sort()).toEqual([...read].sort());
  });

  test("dependabot watches every manifest: package.json's folder for npm, every folder of workflows or actions for the actions", () => {
    const dependabot = yaml.safeLoad(fs.readFileSync(path.join(ROOT, ".github/dependabot.yml"), "utf8")) as {
      updates: { "package-ecosystem": string; directory?: string; directories?: string[] }[];
    };
    const watched = (ecosystem: string) =>
      dependabot.updates.filter((u) => u["package-ecosystem"] === ecosystem).flatMap((u) => [...(u.directories ?? []), ...(u.directory ? [u.directory] : [])]);
    const tracked = execFileSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" }).split("\n");
    // Dependabot reads package.json where it is, workflows from "/" (.github/workflows), and each composite action's folder.
    const npmFolders = tracked
      .filter((f) => path.basename(f) === "package.json" && !f.includes("node_modules"))
      .map((f) => `/${path.dirname(f)}`.replace(/\/\.$/, "/"));
    const actionFolders = tracked.filter((f) => /^\.github\/actions\/.+\/action\.ya?ml$/.test(f)).map((f) => `/${path.dirname(f)}`);
    const workflowFolders = tracked.some((f) => f.startsWith(".github/workflows/")) ? ["/"] : [];
    expect(actionFolders.length).toBeGreaterThan(0);
    expect(watched("npm").sort()).toEqual(expect.arrayContaining(npmFolders));
    expect(watched("github-actions").sort()).toEqual(expect.arrayContaining([...workflowFolders, ...actionFolders]));
  });

  test("runs on pull requests, pushes to main and by hand (plan or deploy)", () => {
    expect(Object.keys(workflow.on)).toEqual(["pull_request", "push", "workflow_dispatch"]);
    expect(workflow.on.push.branches).toEqual(["main"]);
    expect(workflow.on.workflow_dispatch.inputs.action.options).toEqual(["plan", "deploy"]);
  });

  test("a change to any file the commands run, or to what pins the build, triggers it on pull requests and on main", () => {
    const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
    const entries = Object.values(scripts).flatMap((script) => [...script.matchAll(/(?:^|\s)([\w./-]+\.ts)\b/g)].map((m) => m[1]));
    const code = importClosure(["main.ts", "bootstrap.ts", ...entries]);
    expect(code).toEqual(expect.arrayContaining(["lib/cli/synth.ts", "stacks/member-stack.ts", "lib/infra/constructs/encrypted-bucket.ts"]));
    // accounts.ts is loaded by path, not imported; the rest pin the dependencies, Terraform and the run itself.
    const pins = [
      "accounts.ts",
      "package.json",
      "package-lock.json",
      "terraform/.terraform.lock.hcl",
      "terraform/cli-config.tfrc",
      ".github/workflows/backup.yml",
      ".github/actions/setup/action.yml",
    ];
    for (const event of ["pull_request", "push"]) {
      const triggers = (workflow.on[event].paths as string[]).map(githubPathPattern);
      expect([event, [...code, ...pins].filter((file) => !triggers.some((t) => t.test(file)))]).toEqual([event, []]);
    }
    // The matcher itself: GitHub's `*` stays within a folder, `**` crosses them.
    expect(["lib/**", "*.ts", ".github/actions/**"].map(githubPathPattern).map((p) => [p.test("lib/a/b.ts"), p.test("stacks/a.ts")])).toEqual([
      [true, false],
      [false, false],
      [false, false],
    ]);
  });

  test("Node 24 and Terraform 1.11.4 everywhere, through the one setup action", () => {
    for (const wf of [workflow, drift]) expect(wf.env).toMatchObject({ TERRAFORM_VERSION: "1.11.4", NODE_VERSION: "24" });
    for (const [name, job] of allJobs().filter(([n]) => !["plans-ok", "restore-drill-not-configured"].includes(n))) {
      const setup = (job.steps as Step[]).find((s) => s.uses === "./.github/actions/setup");
      expect([name, setup?.with?.["node-version"]]).toEqual([name, "${{ env.NODE_VERSION }}"]);
    }
  });

  test("the test job checks accounts.ts on every change, and runs the suite only when more than accounts.ts changed", () => {
    const runs = (jobs.test.steps as Step[]).filter((s) => s.run);
    expect(runs.find((s) => s.name === "Check accounts.ts")!.run).toBe('npm run --silent check -- ${BASE:+--base "$BASE"} $ALLOW');
    expect(runs.find((s) => s.run === "npm test")!.if).toBe("steps.scope.outputs.code == 'true'");
    expect(workflow.on.pull_request.types).toEqual(expect.arrayContaining(["labeled", "unlabeled"]));
    const scope = step("test", (s) => s.id === "scope");
    const outputs = (changed: string) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-scope-"));
      execFileSync("git", ["init", "-q", "-b", "main"], { cwd: dir });
      const commit = (file: string) => {
        fs.appendFileSync(path.join(dir, file), `${file}\n`);
        execFileSync("git", ["add", "-A"], { cwd: dir });
        execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", file], { cwd: dir });
        return execFileSync("git", ["rev-parse", "HEAD"], { cwd: dir, encoding: "utf8" }).trim();
      };
      const base = commit("accounts.ts");
      commit(changed);
      const out = path.join(dir, "out");
      execFileSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", scope.run!], {
        cwd: dir,
        env: { ...process.env, BASE: base, GITHUB_OUTPUT: out },
      });
      const result = fs.readFileSync(out, "utf8");
      fs.rmSync(dir, { recursive: true, force: true });
      return result;
    };
    expect(outputs("accounts.ts")).toContain("code=false");
    expect(outputs("main.ts")).toContain("code=true");
  });

  test("every job that runs Terraform sets it up with the provider cache keyed on the lock file", () => {
    const cache = setupAction.runs.steps.find((s) => (s.uses ?? "").startsWith("actions/cache@"))!;
    expect(cache.if).toBe("inputs.terraform-version != ''");
    expect(cache.with).toEqual({
      path: "~/.terraform.d/plugin-cache",
      key: "terraform-providers-${{ runner.os }}-${{ hashFiles('terraform/.terraform.lock.hcl') }}",
    });
    const runsTerraform = (job: any) => (job.steps as Step[]).some((s) => /npm (run (--silent )?(plan|deploy|drift|state)|test)\b/.test(s.run ?? ""));
    for (const [name, job] of allJobs().filter(([, j]) => j.steps && runsTerraform(j))) {
      const setup = (job.steps as Step[]).find((s) => s.uses === "./.github/actions/setup");
      expect([name, setup?.with?.["terraform-version"]]).toEqual([name, "${{ env.TERRAFORM_VERSION }}"]);
    }
  });

  test("tests do not gate plans: on pull requests the changes, the plans and the tests run side by side", () => {
    expect(jobs.changes.needs).toBeUndefined();
    expect(jobs.plan.needs).toBe("changes");
    expect(jobs["plans-ok"].needs).toEqual(["test", "changes", "plan"]);
  });

  test("one synth per run, in the changes job, shared as an artifact; every plan and deploy job uses it with --skip-synth", () => {
    for (const [wf, synthJob] of [
      [workflow, "changes"],
      [drift, "shards"],
    ] as const) {
      const synths = Object.entries(wf.jobs as Record<string, { steps: Step[] }>).flatMap(([name, job]) =>
        job.steps.filter((s) => /npm run --silent synth\b/.test(s.run ?? "")).map(() => name),
      );
      expect(synths).toEqual([synthJob]);
      const upload = (wf.jobs[synthJob].steps as Step[]).find((s) => s.uses?.startsWith("actions/upload-artifact@"))!;
      expect(upload.with).toMatchObject({ name: "synth", path: "cdktf.out/", "include-hidden-files": true });
    }
    for (const [name, job] of allJobs().filter(([n]) => ["plan", "deploy-central", "deploy-members", "drift"].includes(n))) {
      const steps = job.steps as Step[];
      expect([name, steps.some((s) => s.uses?.startsWith("actions/download-artifact@") && s.with?.name === "synth")]).toEqual([name, true]);
      const command = steps.find((s) => /npm run --silent (plan|deploy|drift) --/.test(s.run ?? ""))!.run!;
      expect([name, command]).toEqual([name, expect.stringContaining("--skip-synth")]);
    }
  });

  test("shards: each plan or deploy job takes a shard from changed-stacks, never more than MAX_SHARDS jobs", () => {
    expect(step("changes", (s) => s.id === "changed").run).toContain('--json --max-shards "$MAX_SHARDS"');
    expect(step("changes", (s) => s.id === "changed").env).toMatchObject({ MAX_SHARDS: "${{ vars.MAX_SHARDS }}" });
    expect(jobs.plan.strategy.matrix.shard).toBe("${{ fromJSON(needs.changes.outputs.plan-shards) }}");
    expect(jobs["deploy-members"].strategy.matrix.shard).toBe("${{ fromJSON(needs.changes.outputs.deploy-shards) }}");
    expect(drift.jobs.drift.strategy.matrix.shard).toBe("${{ fromJSON(needs.shards.outputs.plan-shards) }}");
    for (const job of [jobs.plan, jobs["deploy-members"], drift.jobs.drift]) {
      expect(job.strategy["fail-fast"]).toBe(false);
      expect(job.env.STACKS).toBe("${{ matrix.shard.stacks }}");
    }
    expect(step("plan", (s) => s.name === "Plan the shard's stacks").run).toContain('--parallelism "$PARALLELISM" --summary "$GITHUB_STEP_SUMMARY" $STACKS');
  });

  test("one required check for branch protection: fails unless the tests, the changes and every plan succeeded", () => {
    const job = jobs["plans-ok"];
    expect(job.if).toBe("always() && github.event_name == 'pull_request'");
    const script = job.steps[0].run as string;
    const verdict = (TEST: string, CHANGES: string, PLAN: string) => runStep(script, ROOT, { TEST, CHANGES, PLAN }).status;
    expect(verdict("success", "success", "success")).toBe(0);
    expect(verdict("success", "success", "skipped")).toBe(0); // nothing to plan, or a fork
    expect(verdict("success", "success", "failure")).not.toBe(0); // one shard failed
    expect(verdict("success", "success", "cancelled")).not.toBe(0);
    expect(verdict("failure", "success", "success")).not.toBe(0); // plans ran beside red tests
    expect(verdict("success", "failure", "skipped")).not.toBe(0);
  });

  test("AWS credentials only by OIDC: plans and drift with the plan CI role, deploys with the deploy CI role in production on main", () => {
    const roleOf = (job: { steps: Step[] }) => job.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))?.with?.["role-to-assume"];
    const planJobs = [jobs.plan, drift.jobs.drift, drift.jobs.coverage];
    for (const job of planJobs) {
      expect(roleOf(job)).toBe("${{ vars.CI_PLAN_ROLE_ARN }}");
      expect(job.environment).toBeUndefined();
      expect(JSON.stringify(job)).not.toContain("CI_DEPLOY_ROLE_ARN");
      expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
    }
    for (const name of ["deploy-central", "deploy-members"]) {
      const job = jobs[name];
      expect(roleOf(job)).toBe("${{ vars.CI_DEPLOY_ROLE_ARN }}");
      expect(job.environment).toBe("production");
      expect(job.if).toContain("github.ref == 'refs/heads/main'");
      expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
    }
    // The nightly restore drill has a role of its own, never a CI role, and only when it is configured.
    const drill = drift.jobs["restore-drill"];
    expect([roleOf(drill), drill.if]).toEqual(["${{ vars.CI_RESTORE_DRILL_ROLE_ARN }}", "vars.CI_RESTORE_DRILL_ROLE_ARN != ''"]);
    expect((drill.steps as Step[]).at(-1)!.run).toBe('npm run --silent restore:drill -- --all --objects 3 --from all --summary "$GITHUB_STEP_SUMMARY"');
    // Only those jobs can mint tokens; the workflow default is read-only, and nothing uses static keys.
    // Unconfigured, the drill does not vanish: a job of its own warns, without any AWS access.
    const warn = drift.jobs["restore-drill-not-configured"];
    expect(warn.if).toBe("vars.CI_RESTORE_DRILL_ROLE_ARN == ''");
    expect(warn.permissions).toBeUndefined();
    expect((warn.steps as Step[])[0].run).toMatch(/::warning::No restore drill ran: set the repository variable CI_RESTORE_DRILL_ROLE_ARN/);
    const tokenJobs = allJobs()
      .filter(([, job]) => job.permissions?.["id-token"] === "write")
      .map(([name]) => name)
      .sort();
    expect(tokenJobs).toEqual(["coverage", "deploy-central", "deploy-members", "drift", "plan", "restore-drill"]);
    expect(JSON.stringify([workflow, drift])).not.toMatch(/aws-access-key-id|aws-secret-access-key/);
    expect(workflow.permissions).toEqual({ contents: "read" });
    expect(drift.permissions).toEqual({ contents: "read" });
    // Pull requests synthesize their stacks with the read-only plan role in every account.
    const synth = step("changes", (s) => s.name === "Synthesize the touched stacks, once for the whole run");
    expect(synth.run).toContain('--role "$ROLE"');
    expect(synth.env!.ROLE).toMatch(/^\$\{\{ github\.event_name == 'pull_request' && 'plan' \|\|/);
    expect(drift.jobs.shards.steps.find((s: Step) => /synth/.test(s.run ?? "")).run).toBe("npm run --silent synth -- --role plan");
  });

  test("deploys: central checked first (break glass applies it), members in shards after it, only with green tests, a retry skips what succeeded", () => {
    const central = jobs["deploy-central"];
    const members = jobs["deploy-members"];
    expect(central.needs).toEqual(["test", "changes"]);
    expect(central.if).toContain("needs.changes.outputs.deploy-central == 'true'");
    // Central is never applied by CI (break glass): the job fails, naming break glass, unless central is up to date.
    expect(central.steps.at(-1).run).toContain('npm run --silent drift -- --skip-synth --summary "$GITHUB_STEP_SUMMARY" central ||');
    expect(central.steps.at(-1).run).toContain("::error::BREAK GLASS:");
    expect(central.steps.at(-1).run).not.toContain("--auto-approve");
    expect(members.needs).toEqual(["test", "changes", "deploy-central"]);
    expect(members.if).toContain("needs.test.result == 'success'");
    expect(members.if).toContain("(needs.deploy-central.result == 'success' || needs.deploy-central.result == 'skipped')");
    expect(members.if).toContain("!cancelled()");
    expect(members.if).not.toContain("always()");
    const deployStep = step("deploy-members", (s) => s.name === "Deploy the shard's stacks");
    expect(deployStep.run).toContain("--done-file done.txt $STACKS");
    const earlier = step("deploy-members", (s) => s.name === "Stacks deployed by earlier attempts");
    expect(earlier.if).toBe("github.run_attempt != '1'");
    expect(earlier.with).toMatchObject({ pattern: "deployed-shard-${{ matrix.shard.index }}-attempt-*", "merge-multiple": true });
    const record = (members.steps as Step[]).find((s) => s.uses?.startsWith("actions/upload-artifact@"))!;
    expect(record.if).toBe("always()");
    expect(record.with!.name).toBe("deployed-shard-${{ matrix.shard.index }}-attempt-${{ github.run_attempt }}");
    for (const job of [central, members]) expect(job.env.TF_CLI_ARGS_apply).toBe("-lock-timeout=15m");
    // Main never cancels a running deploy; pull requests cancel their own stale runs.
    expect(workflow.concurrency["cancel-in-progress"]).toBe("${{ github.event_name == 'pull_request' }}");
  });

  test("drift: nightly and by hand, every stack in shards, fails when a stack drifted", () => {
    expect(Object.keys(drift.on)).toEqual(["schedule", "workflow_dispatch"]);
    expect(drift.on.schedule[0].cron).toMatch(/^\d+ \d+ \* \* \*$/);
    expect(drift.jobs.shards.steps.find((s: Step) => s.id === "all").run).toContain("changed-stacks -- --all --json --max-shards");
    const run = (drift.jobs.drift.steps as Step[]).at(-1)!.run!;
    expect(run).toContain('npm run --silent drift -- --skip-synth --parallelism "$PARALLELISM" --summary "$GITHUB_STEP_SUMMARY" $STACKS');
  });

  test("coverage and org-sync: nightly with the plan CI role, tables in the job summary, failed replication fails the job, findings do not", () => {
    const job = drift.jobs.coverage;
    const steps = job.steps as Step[];
    expect(drift.jobs.coverage.needs).toBeUndefined(); // beside the drift plans, not after them
    const coverage = steps.find((s) => /npm run --silent coverage --/.test(s.run ?? ""))!;
    const orgSync = steps.find((s) => /npm run --silent org-sync --/.test(s.run ?? ""))!;
    expect(coverage.run).toBe('npm run --silent coverage -- --all --concurrency "$COVERAGE_CONCURRENCY" --summary "$GITHUB_STEP_SUMMARY"');
    expect(orgSync.run).toBe('npm run --silent org-sync -- --summary "$GITHUB_STEP_SUMMARY"');
    // Credentials before both; org-sync runs even when coverage failed, so its warnings are never lost.
    const credentialsAt = steps.findIndex((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
    expect(credentialsAt).toBeGreaterThan(-1);
    expect(credentialsAt).toBeLessThan(steps.indexOf(coverage));
    expect(steps.indexOf(coverage)).toBeLessThan(steps.indexOf(orgSync));
    expect(coverage.if).toBeUndefined();
    expect(orgSync.if).toBe("${{ !cancelled() }}");
    // The workflow's npm scripts exist and are those commands: each answers --help with its own usage.
    for (const name of ["coverage", "org-sync"]) {
      const help = spawnSync("npm", ["run", "--silent", name, "--", "--help"], { cwd: ROOT, encoding: "utf8" });
      expect([name, help.status, help.stdout]).toEqual([name, 0, expect.stringContaining(`Usage: npm run ${name}`)]);
    }
    // The steps as GitHub runs them, with a stand-in npm: the step's status is the command's exit code
    // (coverage exits 1 when an account fails, 0 with warnings; org-sync exits 0 with findings).
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "wf-npm-"));
    try {
      fs.writeFileSync(path.join(bin, "npm"), '#!/bin/bash\necho "npm $*" >> "$GITHUB_STEP_SUMMARY"\necho "::warning title=x::y"\nexit "$NPM_EXIT"\n', {
        mode: 0o755,
      });
      const step = (script: string, NPM_EXIT: string) => runStep(script, ROOT, { PATH: `${bin}:${process.env.PATH}`, NPM_EXIT, COVERAGE_CONCURRENCY: "8" });
      const failed = step(coverage.run!, "1");
      expect(failed.status).toBe(1);
      expect(failed.summary).toMatch(/^npm run --silent coverage -- --all --concurrency 8 --summary \/.+summary\n$/);
      const warned = step(orgSync.run!, "0");
      expect([warned.status, warned.stdout]).toEqual([0, "::warning title=x::y\n"]);
      expect(warned.summary).toMatch(/^npm run --silent org-sync -- --summary \/.+summary\n$/);
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });

  test("every checkout keeps the GITHUB_TOKEN out of .git/config (persist-credentials: false), in both workflows", () => {
    const checkouts = allJobs().flatMap(([name, job]) =>
      (job.steps as Step[])
        .filter((st) => st.uses?.startsWith("actions/checkout@"))
        .map((st) => [name, (st.with as Record<string, unknown> | undefined)?.["persist-credentials"]]),
    );
    expect(checkouts.length).toBeGreaterThanOrEqual(7);
    expect(checkouts.filter(([, persist]) => persist !== false)).toEqual([]);
  });

  test("the CI roles' job_workflow_ref pins name these files: deploy credentials only in the deploy workflow, plan credentials only in it and the drift workflow", () => {
    expect(path.join(ROOT, WORKFLOWS.deploy)).toBe(WORKFLOW);
    expect(path.join(ROOT, WORKFLOWS.drift)).toBe(DRIFT);
    const roleIn = (wf: any, variable: string) =>
      Object.entries(wf.jobs as Record<string, { steps: Step[] }>)
        .filter(([, job]) => job.steps.some((st) => st.with?.["role-to-assume"] === `\${{ vars.${variable} }}`))
        .map(([name]) => name);
    expect(roleIn(workflow, "CI_DEPLOY_ROLE_ARN")).toEqual(["deploy-central", "deploy-members"]);
    expect(roleIn(drift, "CI_DEPLOY_ROLE_ARN")).toEqual([]);
    expect([...roleIn(workflow, "CI_PLAN_ROLE_ARN"), ...roleIn(drift, "CI_PLAN_ROLE_ARN")]).toEqual(["plan", "drift", "coverage"]);
  });

  test("no run script interpolates ${{ }} (values reach the shell through env, never as code)", () => {
    for (const [name, job] of allJobs()) {
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

  test("the CI role check: either variable unset fails with what to do, both set pass", () => {
    const script = step("changes", (s) => s.name === "CI role variables are set").run!;
    const plan = "arn:aws:iam::111111111111:role/s3-central-backup-ci-plan";
    const deploy = "arn:aws:iam::111111111111:role/s3-central-backup-ci-deploy";
    const none = runStep(script, ROOT, { CI_PLAN_ROLE_ARN: "", CI_DEPLOY_ROLE_ARN: "" });
    expect([none.status, none.stdout.trim()]).toEqual([
      1,
      "::error::Repository variable(s) CI_PLAN_ROLE_ARN CI_DEPLOY_ROLE_ARN not set: apply the bootstrap and copy its outputs (docs/ci-and-state.md).",
    ]);
    expect(runStep(script, ROOT, { CI_PLAN_ROLE_ARN: plan, CI_DEPLOY_ROLE_ARN: "" }).status).toBe(1);
    expect(runStep(script, ROOT, { CI_PLAN_ROLE_ARN: plan, CI_DEPLOY_ROLE_ARN: deploy }).status).toBe(0);
  });
});
