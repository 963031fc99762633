import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";

const ROOT = path.resolve(__dirname, "..");
const WORKFLOW = path.join(ROOT, ".github/workflows/backup.yml");
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const workflow = yaml.safeLoad(fs.readFileSync(WORKFLOW, "utf8")) as any;

describe("GitHub Actions workflow", () => {
  test("passes action-validator (the workflow JSON schema)", () => {
    const result = spawnSync(process.execPath, [require.resolve("@action-validator/cli/cli.mjs"), WORKFLOW], { encoding: "utf8" });
    expect(result.stdout + result.stderr).not.toMatch(/"errors"/);
    expect(result.status).toBe(0);
  });

  test("the validator does reject a broken workflow (it is not a rubber stamp)", () => {
    const broken = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wf-")), "broken.yml");
    fs.writeFileSync(broken, fs.readFileSync(WORKFLOW, "utf8").replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest"));
    expect(spawnSync(process.execPath, [require.resolve("@action-validator/cli/cli.mjs"), broken]).status).not.toBe(0);
  });

  test("runs on pull requests, pushes to main and by hand (plan or deploy)", () => {
    expect(Object.keys(workflow.on)).toEqual(["pull_request", "push", "workflow_dispatch"]);
    expect(workflow.on.push.branches).toEqual(["main"]);
    expect(workflow.on.workflow_dispatch.inputs.action.options).toEqual(["plan", "deploy"]);
    expect(workflow.on.pull_request.paths).toContain("accounts.ts");
  });

  test("tests first, then plans only the changed stacks", () => {
    const { test, changes, plan } = workflow.jobs;
    expect(test.steps.map((s: { run?: string }) => s.run).filter(Boolean)).toEqual(["npm ci", "npm test"]);
    expect(changes.needs).toBe("test");
    expect(changes.steps.find((s: { id?: string }) => s.id === "changed").run).toMatch(/changed-stacks -- --base "\$base" --json/);
    expect(plan.needs).toBe("changes");
    expect(plan.strategy.matrix.stack).toBe("${{ fromJSON(needs.changes.outputs.stacks) }}");
    expect(plan.steps.some((s: { run?: string }) => s.run?.includes("npm run --silent plan -- ${{ matrix.stack }}"))).toBe(true);
    expect(plan.steps.some((s: { run?: string }) => s.run?.includes("GITHUB_STEP_SUMMARY"))).toBe(true);
  });

  test("AWS credentials only by OIDC, with the role from the repository variables", () => {
    for (const name of ["plan", "deploy-central", "deploy-members"]) {
      const job = workflow.jobs[name];
      expect([name, job.permissions["id-token"]]).toEqual([name, "write"]);
      const credentials = job.steps.find((s: { uses?: string }) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
      expect(credentials.with["role-to-assume"]).toBe("${{ vars.CI_ROLE_ARN }}");
      expect(credentials.with).not.toHaveProperty("aws-access-key-id");
    }
    expect(workflow.permissions).toEqual({ contents: "read" });
  });

  test("deploys central first, members after it with bounded parallelism, and never races on a state", () => {
    const central = workflow.jobs["deploy-central"];
    const members = workflow.jobs["deploy-members"];
    expect(central.concurrency).toEqual({ group: "deploy-central", "cancel-in-progress": false });
    expect(members.needs).toEqual(["changes", "deploy-central"]);
    expect(members.strategy["max-parallel"]).toBeLessThanOrEqual(10);
    expect(members.concurrency).toEqual({ group: "deploy-${{ matrix.stack }}", "cancel-in-progress": false });
    expect(members.steps.at(-1).run).toBe("npm run deploy -- ${{ matrix.stack }} --auto-approve");
    expect(workflow.concurrency["cancel-in-progress"]).toBe("${{ github.event_name == 'pull_request' }}");
  });
});
