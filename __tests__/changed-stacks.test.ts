import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { changedStacks, dependencyChanges, removalNotice } from "../lib/tooling/ci/changed-stacks";
import { changedStacksFast } from "../lib/tooling/ci/stack-fingerprints";
import { exampleProjectCopy } from "./support/example-project";
import { typescriptEntryArgs } from "../lib/tooling/ci/typescript-entry";

const PROJECT = path.resolve(__dirname, "..");
const MEMBERS = ["member-222222222222", "member-333333333333", "member-444444444444"];

/** The workflow's own "Stacks this change touches" step, run as GitHub runs it, in `cwd`. */
function runWorkflowChangedStep(cwd: string, base: string, maxShards = "") {
  const workflow = yaml.safeLoad(fs.readFileSync(path.join(PROJECT, ".github/workflows/backup.yml"), "utf8")) as any;
  const script = (workflow.jobs.changes.steps as { id?: string; run?: string }[]).find((s) => s.id === "changed")!.run!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wf-step-"));
  const files = { GITHUB_OUTPUT: path.join(dir, "output"), GITHUB_STEP_SUMMARY: path.join(dir, "summary"), RUNNER_TEMP: dir };
  fs.writeFileSync(path.join(dir, "step.sh"), script);
  const run = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", path.join(dir, "step.sh")], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...files, BASE: base, MAX_SHARDS: maxShards },
  });
  const result = {
    ...run,
    output: fs.readFileSync(files.GITHUB_OUTPUT, "utf8"),
    summary: fs.readFileSync(files.GITHUB_STEP_SUMMARY, "utf8"),
    changes: JSON.parse(fs.readFileSync(path.join(dir, "changes.json"), "utf8")),
  };
  fs.rmSync(dir, { recursive: true, force: true });
  return result;
}

/**
 * A copy of this project in its own git repository, one commit per edit. `reset` takes it back
 * to its first commit, so every test starts from the example as committed, whatever ran before.
 */
function tempRepo() {
  const { dir, git } = exampleProjectCopy("s3-backup-repo-");
  const base = git("rev-parse", "HEAD").trim();
  const edit = (file: string, change: (text: string) => string) => {
    const full = path.join(dir, file);
    const before = fs.readFileSync(full, "utf8");
    const after = change(before);
    if (after === before) throw new Error(`the edit of ${file} changed nothing: the test is out of date`);
    fs.writeFileSync(full, after);
  };
  return {
    dir,
    edit,
    commit: (message: string, file: string, change: (text: string) => string) => {
      edit(file, change);
      git("commit", "-qam", message);
    },
    reset: () => {
      git("reset", "-q", "--hard", base);
      git("clean", "-qfd");
    },
    /** `npm run changed-stacks` as CI runs it, in the temp repo (its own copy of the script). */
    cli: (...args: string[]) => spawnSync(process.execPath, typescriptEntryArgs("lib/cli/changed-stacks.ts", args), { cwd: dir, encoding: "utf8" }),
  };
}

describe("changed-stacks on real git history", () => {
  const repo = tempRepo();
  beforeEach(() => repo.reset());
  afterAll(() => fs.rmSync(repo.dir, { recursive: true, force: true }));

  test("no change, no stack: the same commit synthesized twice in two places is identical", async () => {
    expect(await changedStacks(repo.dir, "HEAD")).toEqual({ added: [], changed: [], removed: [], retired: [], dependencyChanges: [], replacements: [] });
  });

  test("adding one member lists exactly that one stack (the command line, as a human reads it)", () => {
    repo.commit("add an account", "accounts.ts", (a) =>
      a.replace(
        `{ accountId: "444444444444", name: "data-lake" },`,
        `{ accountId: "444444444444", name: "data-lake" },\n    { accountId: "555555555555", name: "new-team" },`,
      ),
    );
    const run = repo.cli("--base", "HEAD~1");
    expect([run.status, run.stderr]).toEqual([0, ""]);
    expect(run.stdout).toBe("Stacks changed since HEAD~1 (by fingerprints):\n  added:   member-555555555555\n  changed: -\n  removed: -\n");
  });

  test("a central option that members derive lists those members; one that central owns lists central too", async () => {
    repo.commit("colder replicas", "accounts.ts", (a) => a.replace(`storageClass: "STANDARD_IA"`, `storageClass: "GLACIER_IR"`));
    expect(await changedStacks(repo.dir, "HEAD~1")).toMatchObject({ added: [], changed: MEMBERS, removed: [] });
    repo.commit("rename the central bucket", "accounts.ts", (a) => a.replace(`"acme-org-central-backup"`, `"acme-org-central-backup-2"`));
    expect((await changedStacks(repo.dir, "HEAD~1")).changed).toEqual(["central", ...MEMBERS]);
  });

  test("the base is synthesized with its own code: a code-only change shows up", async () => {
    // Same accounts.ts, new code: had the base been synthesized with the new code, nothing would differ.
    repo.commit("rename the replication role by default", "lib/core/config/defaults.ts", (v) =>
      v.replace(`replicationRoleName: "s3-central-backup-replication",`, `replicationRoleName: "s3-central-backup-replicator",`),
    );
    const changes = await changedStacks(repo.dir, "HEAD~1");
    expect(changes).toMatchObject({ added: [], removed: [], dependencyChanges: [] });
    expect(changes.changed).toEqual(expect.arrayContaining(MEMBERS));
  });

  test("the working tree is compared too, not only commits (both paths)", async () => {
    repo.edit("accounts.ts", (a) => a.replace(`name: "data-lake"`, `name: "data-lake", replicationTimeControl: false`));
    expect(await changedStacks(repo.dir, "HEAD")).toMatchObject({ added: [], changed: ["member-444444444444"], removed: [] });
    expect(await changedStacksFast(repo.dir, "HEAD")).toMatchObject({ added: [], changed: ["member-444444444444"], removed: [], method: "fingerprints" });
  });

  test("the fast path takes only accounts.ts edits; code, dependencies or unknown files take the full synth", async () => {
    repo.edit("docs/ci-and-state.md", (d) => `${d}\nA note.\n`);
    expect(await changedStacksFast(repo.dir, "HEAD")).toEqual({
      added: [],
      changed: [],
      removed: [],
      retired: [],
      dependencyChanges: [],
      replacements: [],
      method: "fingerprints",
    });
    repo.reset();
    repo.edit("lib/core/config/defaults.ts", (v) => v.replace(`sourceBucketPrefix: "s3-backup-source",`, `sourceBucketPrefix: "s3-backup-src",`));
    const code = await changedStacksFast(repo.dir, "HEAD");
    expect(code.method).toBe("full synth");
    expect(code.changed).toEqual(expect.arrayContaining(MEMBERS));
    // A new default source bucket prefix renames every created source bucket: said, even for a code change.
    expect(code.replacements.map((r) => `${r.stack} ${r.resource} ${r.change}`)).toEqual(
      expect.arrayContaining(MEMBERS.map((m) => `${m} aws_s3_bucket.source_bucket replaced`)),
    );
  });

  test("a new provider or cdktf cannot be compared by synthesis: every stack counts as changed", async () => {
    repo.edit("terraform/.terraform.lock.hcl", (l) => `${l}# provider upgrade\n`);
    expect(await changedStacks(repo.dir, "HEAD")).toEqual({
      added: [],
      changed: ["central", ...MEMBERS],
      removed: [],
      retired: [],
      dependencyChanges: ["terraform/.terraform.lock.hcl changed"],
      replacements: [],
    });
    repo.reset();
    repo.edit("package-lock.json", (l) => l.replace(/("node_modules\/cdktf": \{\s*"version": ")0\.21\.0"/, '$10.21.1"'));
    expect(dependencyChanges(repo.dir, "HEAD")).toEqual(["cdktf 0.21.0 -> 0.21.1"]);
    repo.reset();
    // Test tools and the day-2 SDK do not change any stack.
    repo.edit("package-lock.json", (l) => l.replace(/("node_modules\/jest": \{\s*"version": ")29\.7\.0"/, '$129.7.1"'));
    expect(dependencyChanges(repo.dir, "HEAD")).toEqual([]);
  });

  test("removing a member: reported as removed, exit 0, JSON for the workflow, the retirement steps on stderr", () => {
    repo.commit("retire an account", "accounts.ts", (a) => a.replace(`    { accountId: "333333333333", name: "workloads-staging" },\n`, ""));
    // The workflow's own step (npm run changed-stacks -- --base HEAD~1 --json > changes.json, then jq), run as GitHub runs it.
    const step = runWorkflowChangedStep(repo.dir, "HEAD~1");
    expect(step.status).toBe(0);
    const out = step.changes;
    expect(out.method).toBe("fingerprints");
    expect(out).toMatchObject({ added: [], changed: [], removed: ["member-333333333333"], toPlan: [], central: false, members: [] });
    expect(out.retired).toEqual([
      {
        stack: "member-333333333333",
        accountId: "333333333333",
        region: "eu-central-1",
        deployRoleArn: "arn:aws:iam::333333333333:role/OrganizationAccountAccessRole",
        buckets: ["s3-backup-source-333333333333-eu-central-1"],
        state: { backend: "local", path: "terraform-state/member-333333333333.tfstate" },
        centralDropsAccount: false,
      },
    ]);
    const notice = out.notices[0];
    expect(notice).toBe(removalNotice(out.retired[0]));
    expect(notice).toMatch(/^!! member-333333333333 was REMOVED from accounts\.ts\. Nothing is destroyed/);
    expect(notice).toMatch(/replication KEEPS RUNNING/);
    expect(notice).toContain("npm run state -- member-333333333333 list");
    expect(notice).toContain("aws s3api delete-bucket-replication --bucket s3-backup-source-333333333333-eu-central-1 --region eu-central-1");
    expect(notice).toContain("mkdir -p terraform-state/retired && mv terraform-state/member-333333333333.tfstate terraform-state/retired/");
    expect(notice).not.toMatch(/refuses/);
    // Loud: on the command's stderr, as a warning annotation, and in the job summary; nothing to plan or deploy.
    expect(step.stderr).toContain(notice);
    expect(step.stdout).toContain("::warning title=member-333333333333 removed from accounts.ts::Nothing is destroyed;");
    expect(step.summary).toContain("removed: member-333333333333");
    expect(step.summary).toContain(notice);
    expect(step.output).toBe("plan-shards=[]\ndeploy-central=false\ndeploy-shards=[]\n");
  });

  test("the workflow's step with no base (manual run, first deploy): every stack, central first", () => {
    const step = runWorkflowChangedStep(repo.dir, "");
    expect(step.status).toBe(0);
    expect(step.output).toBe(
      'plan-shards=[{"index":1,"of":4,"stacks":"central","count":1},{"index":2,"of":4,"stacks":"member-222222222222","count":1},{"index":3,"of":4,"stacks":"member-333333333333","count":1},{"index":4,"of":4,"stacks":"member-444444444444","count":1}]\n' +
        "deploy-central=true\n" +
        'deploy-shards=[{"index":1,"of":3,"stacks":"member-222222222222","count":1},{"index":2,"of":3,"stacks":"member-333333333333","count":1},{"index":3,"of":3,"stacks":"member-444444444444","count":1}]\n',
    );
    expect(step.summary).toContain("### Stacks touched (compared with nothing: every stack, by fingerprints)");
    // MAX_SHARDS caps the jobs: every stack still planned, in 2 shards.
    const capped = runWorkflowChangedStep(repo.dir, "", "2");
    expect(capped.output.split("\n")[0]).toBe(
      'plan-shards=[{"index":1,"of":2,"stacks":"central member-222222222222","count":2},{"index":2,"of":2,"stacks":"member-333333333333 member-444444444444","count":2}]',
    );
  });

  test("in listed-accounts mode the removal changes central too, and the notice says replication will fail", async () => {
    repo.commit("listed accounts only", "accounts.ts", (a) =>
      a.replace(`deployRoleName: "OrganizationAccountAccessRole",`, `deployRoleName: "OrganizationAccountAccessRole",\n    accessMode: "listed-accounts",`),
    );
    repo.commit("retire an account", "accounts.ts", (a) => a.replace(`    { accountId: "444444444444", name: "data-lake" },\n`, ""));
    const changes = await changedStacks(repo.dir, "HEAD~1");
    expect(changes).toMatchObject({ added: [], changed: ["central"], removed: ["member-444444444444"] });
    expect(changes.retired[0].centralDropsAccount).toBe(true);
    expect(removalNotice(changes.retired[0])).toMatch(/the central bucket refuses 444444444444: its replication FAILS and alerts until step 3/);
  });

  test("an S3 backend's removal notice names the state object to archive", async () => {
    repo.commit("remote state", "accounts.ts", (a) =>
      a.replace(`  members: [`, `  stateBackend: { bucket: "acme-tf-state", region: "eu-west-1", keyPrefix: "backup" },\n  members: [`),
    );
    repo.commit("retire an account", "accounts.ts", (a) => a.replace(`    { accountId: "444444444444", name: "data-lake" },\n`, ""));
    const changes = await changedStacks(repo.dir, "HEAD~1");
    expect(changes.removed).toEqual(["member-444444444444"]);
    expect(changes.retired[0].state).toEqual({ backend: "s3", bucket: "acme-tf-state", key: "backup/member-444444444444.tfstate", region: "eu-west-1" });
    expect(removalNotice(changes.retired[0])).toContain(
      "aws s3 mv s3://acme-tf-state/backup/member-444444444444.tfstate s3://acme-tf-state/backup/retired/member-444444444444.tfstate --region eu-west-1",
    );
  });

  test("a base that is not a commit is one clear error and exit 1", () => {
    const run = repo.cli("--base", "no-such-branch");
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      'changed-stacks failed: "no-such-branch" is not a commit of this repository. Fetch it first (git fetch origin no-such-branch); in GitHub Actions check out with fetch-depth: 0.',
    );
    const usage = repo.cli("--json");
    expect([usage.status, usage.stdout, usage.stderr]).toEqual([
      2,
      "",
      "changed-stacks needs --base <git-ref> (e.g. --base origin/main) or --all. Usage: npm run changed-stacks -- --base <git-ref> | --all [--json] [--max-shards N]\n",
    ]);
  });
});
