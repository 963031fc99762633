import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { config as example } from "../accounts";
import { UnknownStackError, stackStateCommand, stateSummary } from "../lib/ci/state";
import { terraformOrThrow } from "../lib/terraform/cli";

/**
 * Real local state, written by terraform itself: a tiny configuration of built-in
 * `terraform_data` resources (no AWS needed) is applied into the central stack's local
 * state file, the path the central stack's backend points at.
 */
async function applyRealState(stateFile: string): Promise<void> {
  const seed = fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-seed-"));
  fs.writeFileSync(
    path.join(seed, "main.tf.json"),
    JSON.stringify({
      terraform: { backend: { local: { path: stateFile } } },
      resource: { terraform_data: { marker: { input: "central-backup" }, second: { input: 2 } } },
      output: { central_bucket_arn: { value: "arn:aws:s3:::acme-org-central-backup" } },
    }),
  );
  await terraformOrThrow(["init", "-input=false", "-no-color"], seed);
  await terraformOrThrow(["apply", "-auto-approve", "-input=false", "-no-color"], seed);
  fs.rmSync(seed, { recursive: true, force: true });
}

describe("npm run state, on real local Terraform state", () => {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-state-"));
  const target = { config: example, outdir: path.join(project, "cdktf.out") };
  // Where the central stack's local backend points (../../../terraform-state from its stack dir).
  const stateFile = path.join(project, "terraform-state", "central.tfstate");

  beforeAll(async () => {
    fs.mkdirSync(path.dirname(stateFile), { recursive: true });
    await applyRealState(stateFile);
  });
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  test("list shows the resources terraform wrote", async () => {
    expect((await stackStateCommand(target, "central", "list")).trim().split("\n")).toEqual(["terraform_data.marker", "terraform_data.second"]);
  });

  test("show prints one resource", async () => {
    expect(await stackStateCommand(target, "central", "show", "terraform_data.marker")).toMatch(/input\s+= "central-backup"/);
  });

  test("outputs reads the state's outputs", async () => {
    expect(JSON.parse(await stackStateCommand(target, "central", "outputs"))).toEqual({
      central_bucket_arn: { sensitive: false, type: "string", value: "arn:aws:s3:::acme-org-central-backup" },
    });
  });

  test("summary: resource count, serial and last modified per stack; empty stacks say so", async () => {
    const summary = await stateSummary(target);
    expect(summary.map((s) => s.stack)).toEqual(["central", "member-222222222222", "member-333333333333", "member-444444444444"]);
    const central = summary[0];
    expect(central.resources).toBe(2);
    expect(central.serial).toBeGreaterThanOrEqual(1);
    expect(central.lastModified?.getTime()).toBe(fs.statSync(stateFile).mtime.getTime());
    expect(summary[1]).toEqual({ stack: "member-222222222222", resources: 0, serial: null, lastModified: null });
  });

  test("an unknown stack is a clear error that lists the known ones", async () => {
    await expect(stackStateCommand(target, "member-999999999999", "list")).rejects.toThrow(UnknownStackError);
    await expect(stackStateCommand(target, "member-999999999999", "list")).rejects.toThrow(
      'Unknown stack "member-999999999999". Stacks of accounts.ts: central, member-222222222222, member-333333333333, member-444444444444.',
    );
  });

  test("an unknown command says what exists", async () => {
    await expect(stackStateCommand(target, "central", "drop")).rejects.toThrow(/Use: list \| show <address> \| outputs/);
  });
});
