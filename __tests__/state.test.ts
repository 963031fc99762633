import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { EXAMPLE_CONFIG_FILE } from "./support/example-project";
import { mockClient } from "aws-sdk-client-mock";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { config as example } from "./fixtures/example";
import { listS3States } from "../lib/tooling/ci/remote-state";
import { UnknownStackError, stackStateCommand, stateSummary } from "../lib/tooling/ci/state";
import { terraformOrThrow } from "../lib/tooling/terraform/cli";
import { typescriptEntryArgs } from "../lib/tooling/ci/typescript-entry";
import { OFFLINE_PROVIDER_SETTINGS } from "../lib/core/offline-mode";
import { LOCK_FILE } from "../stacks/apps/lock-file";

const ROOT = path.resolve(__dirname, "..");

/**
 * The part of a seed configuration that makes its state reference hashicorp/aws, as every
 * deployed stack's does: the pinned provider with offline settings and a data source that
 * needs no AWS call. A state with it is what a backend-only reader could not read.
 */
function awsProviderSeed(seed: string): Record<string, unknown> {
  fs.copyFileSync(LOCK_FILE, path.join(seed, ".terraform.lock.hcl"));
  const version = /version\s*=\s*"([^"]+)"/.exec(fs.readFileSync(LOCK_FILE, "utf8"))![1];
  return {
    required_providers: { aws: { source: "hashicorp/aws", version } },
    provider: { aws: { region: "eu-central-1", ...offlineProviderBlock() } },
    data: { aws_iam_policy_document: { seed: { statement: [{ actions: ["s3:GetObject"], resources: ["*"] }] } } },
  };
}

function offlineProviderBlock(): Record<string, unknown> {
  const s = OFFLINE_PROVIDER_SETTINGS;
  return {
    access_key: s.accessKey,
    secret_key: s.secretKey,
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
  };
}

/**
 * Real local state, written by terraform itself: a tiny configuration of built-in
 * `terraform_data` resources (no AWS needed) is applied with a local backend whose path is
 * the file a stack's backend points at; `withAws` adds hashicorp/aws to the state (above).
 * No state file is written by hand.
 */
async function applyRealState(
  stateFile: string,
  resources: Record<string, { input: unknown }>,
  outputs: Record<string, { value: unknown }> = {},
  withAws = false,
): Promise<void> {
  const seed = fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-seed-"));
  try {
    const aws = withAws ? awsProviderSeed(seed) : undefined;
    fs.writeFileSync(
      path.join(seed, "main.tf.json"),
      JSON.stringify({
        terraform: { backend: { local: { path: stateFile } }, ...(aws ? { required_providers: aws.required_providers } : {}) },
        resource: { terraform_data: resources },
        ...(aws ? { provider: aws.provider, data: aws.data } : {}),
        ...(Object.keys(outputs).length ? { output: outputs } : {}),
      }),
    );
    await terraformOrThrow(["init", "-input=false", "-no-color", ...(aws ? ["-lockfile=readonly"] : [])], seed);
    await terraformOrThrow(["apply", "-auto-approve", "-input=false", "-no-color"], seed);
  } finally {
    fs.rmSync(seed, { recursive: true, force: true });
  }
}

/** The state script as a user runs it, synthesizing into outdir. */
function stateCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, typescriptEntryArgs("lib/cli/state.ts", args), {
    cwd: ROOT,
    encoding: "utf8",
    // No "still waiting" notice on a loaded machine: these tests read what the command says, not how fast.
    env: { ...process.env, S3_BACKUP_CONFIG: EXAMPLE_CONFIG_FILE, S3_BACKUP_SLOW_NOTICE_MS: "3600000", ...env },
  });
}

describe("npm run state, on real local Terraform state", () => {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-state-"));
  const target = { config: example, outdir: path.join(project, "cdktf.out") };
  // Where the stacks' local backend points (../../../terraform-state from cdktf.out/stacks/<stack>).
  const stateDir = path.join(project, "terraform-state");
  const centralState = path.join(stateDir, "central.tfstate");
  // A member that is no longer in accounts.ts but whose state is still there (not yet retired).
  const removedState = path.join(stateDir, "member-999999999999.tfstate");
  // A deployed stack's state references hashicorp/aws (issue 26: the readers failed on it).
  const deployedState = path.join(stateDir, "member-444444444444.tfstate");

  beforeAll(async () => {
    fs.mkdirSync(stateDir, { recursive: true });
    await applyRealState(
      centralState,
      { marker: { input: "central-backup" }, second: { input: 2 } },
      { central_bucket_arn: { value: "arn:aws:s3:::acme-org-central-backup" } },
    );
    await applyRealState(removedState, { leftover: { input: "retained-bucket" } });
    await applyRealState(deployedState, { source: { input: "member" } }, { source_bucket_name: { value: "s3-backup-source-444444444444" } }, true);
    expect(JSON.stringify(JSON.parse(fs.readFileSync(deployedState, "utf8")).resources)).toContain('provider[\\"registry.terraform.io/hashicorp/aws\\"]');
  });
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  test("list shows the resources terraform wrote, through the stack's own backend", async () => {
    const result = await stackStateCommand(target, "central", "list");
    expect(result).toEqual({ output: "terraform_data.marker\nterraform_data.second\n", orphaned: false });
    // The stack directory is the synthesized one, in real mode, with its configured local backend.
    const tf = JSON.parse(fs.readFileSync(path.join(target.outdir, "stacks", "central", "cdk.tf.json"), "utf8"));
    expect(tf.terraform.backend).toEqual({ local: { path: "../../../terraform-state/central.tfstate" } });
    expect(tf.provider.aws[0].assume_role[0].role_arn).toBe("arn:aws:iam::111111111111:role/OrganizationAccountAccessRole");
  });

  test("show prints one resource", async () => {
    expect((await stackStateCommand(target, "central", "show", "terraform_data.marker")).output).toMatch(/input\s+= "central-backup"/);
  });

  test("outputs reads the state's outputs", async () => {
    expect(JSON.parse((await stackStateCommand(target, "central", "outputs")).output)).toEqual({
      central_bucket_arn: { sensitive: false, type: "string", value: "arn:aws:s3:::acme-org-central-backup" },
    });
  });

  test("summary: resource count, serial and last modified per stack; empty stacks say so; removed stacks are flagged", async () => {
    const { rows, warnings } = await stateSummary(target);
    expect(warnings).toEqual([]);
    // Read through reader directories whose init installed the pinned providers (a state with resources needs them).
    for (const stack of ["central", "member-222222222222", "member-444444444444", "member-999999999999"]) {
      const reader = path.join(target.outdir, "state-readers", stack);
      expect([stack, fs.existsSync(path.join(reader, ".terraform", "providers", "registry.terraform.io", "hashicorp", "aws"))]).toEqual([stack, true]);
    }
    expect(rows.map((s) => [s.stack, s.orphaned])).toEqual([
      ["central", false],
      ["member-222222222222", false],
      ["member-333333333333", false],
      ["member-444444444444", false],
      ["member-999999999999", true],
    ]);
    const written = JSON.parse(fs.readFileSync(centralState, "utf8"));
    expect(rows[0]).toEqual({ stack: "central", resources: 2, serial: written.serial, lastModified: fs.statSync(centralState).mtime, orphaned: false });
    expect(rows[1]).toEqual({ stack: "member-222222222222", resources: 0, serial: null, lastModified: null, orphaned: false });
    expect(rows[3]).toMatchObject({ stack: "member-444444444444", resources: 1, serial: expect.any(Number), lastModified: fs.statSync(deployedState).mtime });
    expect(rows[4]).toMatchObject({ resources: 1, lastModified: fs.statSync(removedState).mtime });
  });

  test("a deployed stack, whose state references hashicorp/aws: list, show and outputs read it", async () => {
    expect(await stackStateCommand(target, "member-444444444444", "list")).toEqual({
      output: "data.aws_iam_policy_document.seed\nterraform_data.source\n",
      orphaned: false,
    });
    expect((await stackStateCommand(target, "member-444444444444", "show", "data.aws_iam_policy_document.seed")).output).toMatch(/s3:GetObject/);
    expect(JSON.parse((await stackStateCommand(target, "member-444444444444", "outputs")).output)).toEqual({
      source_bucket_name: { sensitive: false, type: "string", value: "s3-backup-source-444444444444" },
    });
  });

  test("a removed member's state can still be read (what is left to retire)", async () => {
    expect(await stackStateCommand(target, "member-999999999999", "list")).toEqual({ output: "terraform_data.leftover\n", orphaned: true });
    expect((await stackStateCommand(target, "member-999999999999", "show", "terraform_data.leftover")).output).toMatch(/input\s+= "retained-bucket"/);
  });

  test("an unknown stack is a clear error that lists the known ones", async () => {
    const message = "Stacks are central and member-<accountId> (here: central, member-222222222222, member-333333333333, member-444444444444).";
    // A member name with no state anywhere: looked up in the backend, found empty.
    await expect(stackStateCommand(target, "member-888888888888", "list")).rejects.toThrow(`No stack "member-888888888888" in accounts.ts. ${message}`);
    // Not a stack name at all.
    await expect(stackStateCommand(target, "centrl", "list")).rejects.toThrow(`No stack "centrl" in accounts.ts. ${message}`);
    await expect(stackStateCommand(target, "centrl", "list")).rejects.toThrow(UnknownStackError);
  });

  test("an unknown command, or show without an address, says what to type", async () => {
    await expect(stackStateCommand(target, "central", "drop")).rejects.toThrow('Unknown state command "drop". Use: list | show <address> | outputs');
    await expect(stackStateCommand(target, "central", "show")).rejects.toThrow("show needs a resource address");
  });

  test("the command line: one-line errors and exit 1, output on stdout, removal notice on stderr", () => {
    const env = { CDKTF_OUTDIR: target.outdir };
    const unknown = stateCli(["member-888888888888", "list"], env);
    expect([unknown.status, unknown.stdout]).toEqual([1, ""]);
    expect(unknown.stderr.trim().split("\n")).toEqual([
      'No stack "member-888888888888" in accounts.ts. Stacks are central and member-<accountId> (here: central, member-222222222222, member-333333333333, member-444444444444).',
    ]);

    const removed = stateCli(["member-999999999999", "list"], env);
    expect([removed.status, removed.stdout]).toEqual([0, "terraform_data.leftover\n"]);
    expect(removed.stderr).toMatch(/member-999999999999 is not in accounts\.ts: Terraform still tracks its resources; retire it/);

    const missing = stateCli(["summary"], { ...env, TERRAFORM_BINARY: path.join(project, "no-terraform-here") });
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/^Terraform was not found \(looked for ".*no-terraform-here" on PATH\): install Terraform/),
    ]);
  });
});

describe("S3 backend listing (summary's last modified and removed stacks)", () => {
  const s3 = mockClient(S3Client);
  afterAll(() => s3.restore());

  test("lists <keyPrefix>/<stack>.tfstate over every page, skipping lock files and retired/", async () => {
    const backend = { bucket: "acme-tf-state", region: "eu-central-1", keyPrefix: "org-s3-central-backup" };
    const t1 = new Date("2026-11-01T10:00:00Z");
    const t2 = new Date("2026-11-02T10:00:00Z");
    const pages: Record<string, object> = {
      "": {
        IsTruncated: true,
        NextContinuationToken: "page-2",
        Contents: [
          { Key: "org-s3-central-backup/central.tfstate", LastModified: t1 },
          { Key: "org-s3-central-backup/central.tfstate.tflock", LastModified: t2 },
        ],
        CommonPrefixes: [{ Prefix: "org-s3-central-backup/retired/" }],
      },
      "page-2": { IsTruncated: false, Contents: [{ Key: "org-s3-central-backup/member-222222222222.tfstate", LastModified: t2 }] },
    };
    // Each request as it was sent (the SDK's paginator reuses one input object across pages).
    const sent: object[] = [];
    s3.on(ListObjectsV2Command).callsFake((input: { ContinuationToken?: string }) => (sent.push({ ...input }), pages[input.ContinuationToken ?? ""]));
    const client = new S3Client({ region: "eu-central-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    expect(await listS3States(backend, client)).toEqual([
      { stack: "central", lastModified: t1 },
      { stack: "member-222222222222", lastModified: t2 },
    ]);
    expect(sent).toEqual([
      { Bucket: "acme-tf-state", Prefix: "org-s3-central-backup/", Delimiter: "/", ContinuationToken: undefined },
      { Bucket: "acme-tf-state", Prefix: "org-s3-central-backup/", Delimiter: "/", ContinuationToken: "page-2" },
    ]);
  });
});
