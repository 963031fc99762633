import { spawnSync } from "child_process";
import { EXAMPLE_CONFIG_FILE } from "./support/example-project";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { config as example } from "./fixtures/example";
import { config as allOptions } from "./fixtures/all-options";
import { buildApp } from "../stacks/apps/backup-app";
import { terraformOrThrow } from "../lib/tooling/terraform/cli";
import { installLockFiles } from "../stacks/apps/lock-file";
import { initStack } from "../lib/tooling/terraform/cli";
import { PlanSummary, fixtureStackDir, loadOfflinePlans, loadPlanCounts, planLogVerdict } from "./support/offline-plan-fixture";
import { StackJson, stripCredentials, synthStacks } from "./support/synth";
import { typescriptEntryArgs } from "../lib/tooling/ci/typescript-entry";

/** The planned value of the one resource of a type in a plan (of those whose construct path starts with `constructId`, if given). */
function plannedResource(summary: PlanSummary, type: string, constructId?: string): StackJson {
  const changes = (summary.plan.resource_changes ?? []).filter(
    (rc) => rc.type === type && (constructId === undefined || rc.address.startsWith(`${type}.${constructId}_`)),
  );
  expect(changes).toHaveLength(1);
  return changes[0].change.after as StackJson;
}

async function validate(stackDir: string): Promise<StackJson> {
  return JSON.parse(await terraformOrThrow(["validate", "-json", "-no-color"], stackDir));
}

describe("real terraform validate, offline, with the shipped CLI config", () => {
  test.each(["central", "member-222222222222", "member-333333333333", "member-444444444444"])(
    "%s is valid for hashicorp/aws 5.100.0: planned with it, no error, no warning",
    (stack) => {
      expect(planLogVerdict(fixtureStackDir("example", stack))).toEqual({ provider: "v5.100.0", planned: true, diagnostics: [] });
    },
  );

  test("the stacks share ONE provider copy through the plugin cache", () => {
    const platformDir = (stack: string) =>
      path.join(fixtureStackDir("example", stack), ".terraform/providers/registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64");
    const targets = ["central", "member-222222222222", "member-333333333333"].map((stack) => {
      expect(fs.lstatSync(platformDir(stack)).isSymbolicLink()).toBe(true);
      expect(fs.readlinkSync(platformDir(stack))).toContain(path.join(".terraform.d", "plugin-cache"));
      // The cache entry itself may link on to the unpacked mirror: still one copy on disk.
      return fs.realpathSync(platformDir(stack));
    });
    expect(new Set(targets).size).toBe(1);
  });

  test("a member that adopts an existing bucket validates with its import blocks (real mode)", async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-import-"));
    try {
      buildApp(allOptions, { outdir }).synth();
      installLockFiles(outdir);
      const stackDir = path.join(outdir, "stacks", "member-888888888888");
      const json = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
      expect(json.import.map((i: StackJson) => i.to).sort()).toEqual([
        "aws_kms_key.source_key",
        "aws_s3_bucket.source_bucket",
        expect.stringMatching(/^aws_s3_bucket_ownership_controls\./),
        expect.stringMatching(/^aws_s3_bucket_policy\./),
        expect.stringMatching(/^aws_s3_bucket_public_access_block\./),
        expect.stringMatching(/^aws_s3_bucket_server_side_encryption_configuration\./),
        expect.stringMatching(/^aws_s3_bucket_versioning\./),
      ]);
      // The S3 backend of all-options needs AWS to initialize: validate the configuration without it.
      await terraformOrThrow(["init", "-backend=false", "-input=false", "-no-color", "-lockfile=readonly"], stackDir);
      expect(await validate(stackDir)).toMatchObject({ valid: true, error_count: 0 });
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe("offline plan of the example config (terraform show -json)", () => {
  const plans = loadOfflinePlans("example");
  const byStack = new Map(plans.map((p) => [p.stack, p]));

  test("every stack planned, only creations", () => {
    expect(plans.map((p) => p.stack).sort()).toEqual(["central", "member-222222222222", "member-333333333333", "member-444444444444"]);
    for (const plan of plans) expect([plan.stack, plan.add > 0, plan.change, plan.destroy]).toEqual([plan.stack, true, 0, 0]);
  });

  test("the central bucket policy Terraform will send holds the literal ${aws:PrincipalAccount}", () => {
    const policy = plannedResource(byStack.get("central")!, "aws_s3_bucket_policy", "CentralBucket").policy as string;
    const write = (JSON.parse(policy) as { Statement: { Sid: string; Resource: unknown }[] }).Statement.find(
      (s) => s.Sid === "ReplicationRolesWriteOnlyUnderOwnAccountPrefix",
    )!;
    expect(write.Resource).toBe("arn:aws:s3:::acme-org-central-backup/${aws:PrincipalAccount}/*");
    expect(policy).not.toContain("$${");
  });

  test.each(["222222222222", "333333333333", "444444444444"])(
    "member %s replicates its own prefix into the central bucket with the central key, RTC 15 min, no delete markers",
    (accountId) => {
      const replication = plannedResource(byStack.get(`member-${accountId}`)!, "aws_s3_bucket_replication_configuration");
      expect(replication.rule).toHaveLength(1);
      const [rule] = replication.rule;
      expect(rule.filter).toEqual([expect.objectContaining({ prefix: `${accountId}/` })]);
      expect(rule.status).toBe("Enabled");
      expect(rule.delete_marker_replication).toEqual([{ status: "Disabled" }]);
      const [destination] = rule.destination;
      expect(destination.bucket).toBe("arn:aws:s3:::acme-org-central-backup");
      expect(destination.account).toBe("111111111111");
      expect(destination.encryption_configuration).toEqual([{ replica_kms_key_id: "arn:aws:kms:eu-central-1:111111111111:alias/central-backup" }]);
      expect(destination.replication_time).toEqual([{ status: "Enabled", time: [{ minutes: 15 }] }]);
      expect(destination.metrics).toEqual([{ status: "Enabled", event_threshold: [{ minutes: 15 }] }]);
      expect(destination.access_control_translation).toEqual([{ owner: "Destination" }]);
    },
  );
});

describe("offline plan of the all-options example", () => {
  const plans = loadPlanCounts("all-options");

  test("every stack of every option plans with no change or destroy", () => {
    expect(plans.map((p) => p.stack).sort()).toEqual(["central", "member-666666666666", "member-777777777777", "member-888888888888", "vault"]);
    for (const plan of plans) expect([plan.stack, plan.change, plan.destroy]).toEqual([plan.stack, 0, 0]);
  });
});

describe("offline mode changes nothing that real mode deploys", () => {
  test("example config: stacks differ only in provider credentials and assume_role", () => {
    const real = synthStacks(example);
    const offline = synthStacks(example, { offline: true });
    expect([...offline.keys()]).toEqual([...real.keys()]);
    for (const [name, stack] of real) {
      expect(offline.get(name)).not.toEqual(stack);
      expect(stripCredentials(offline.get(name)!)).toEqual(stripCredentials(stack));
    }
  });

  test("all-options config: offline also swaps the S3 backend for local state and skips import blocks, nothing else", () => {
    const real = synthStacks(allOptions);
    const offline = synthStacks(allOptions, { offline: true });
    for (const [name, stack] of real) {
      const { terraform: realTerraform, import: realImports, ...realRest } = stripCredentials(stack);
      const { terraform: offlineTerraform, import: offlineImports, ...offlineRest } = stripCredentials(offline.get(name)!);
      expect(offlineRest).toEqual(realRest);
      expect(realTerraform.backend.s3).toMatchObject({
        bucket: "example-org-terraform-state",
        key: `s3-central-backup/${name}.tfstate`,
        encrypt: true,
        use_lockfile: true,
      });
      expect(offlineTerraform.backend).toEqual({ local: { path: `../../../terraform-state/${name}.tfstate` } });
      expect(offlineTerraform.required_providers).toEqual(realTerraform.required_providers);
      expect(offlineImports).toBeUndefined();
      if (name !== "member-888888888888") expect(realImports).toBeUndefined();
    }
  });
});

describe("npm run plan:offline without terraform", () => {
  test("fails with one clear line saying what to install", () => {
    const result = spawnSync(process.execPath, typescriptEntryArgs("lib/cli/run-stacks.ts", ["plan:offline"]), {
      cwd: path.resolve(__dirname, ".."),
      env: { ...process.env, S3_BACKUP_CONFIG: EXAMPLE_CONFIG_FILE, TERRAFORM_BINARY: "/nonexistent/terraform" },
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Terraform was not found .*: install Terraform 1\.10 or newer from https:\/\/developer\.hashicorp\.com\/terraform\/install/);
  });
});

describe("the committed lock file", () => {
  test("init accepts it offline without rewriting it (-lockfile=readonly) in a fresh stack directory", async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-lock-"));
    try {
      buildApp(example, { outdir, offline: true }).synth();
      installLockFiles(outdir);
      const stackDir = path.join(outdir, "stacks", "central");
      const before = fs.readFileSync(path.join(stackDir, ".terraform.lock.hcl"), "utf8");
      await initStack(stackDir);
      expect(fs.readFileSync(path.join(stackDir, ".terraform.lock.hcl"), "utf8")).toBe(before);
      expect(before).toMatch(/version\s+= "5\.100\.0"/);
      expect(before.match(/"zh:[0-9a-f]{64}"/g)).toHaveLength(15);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
