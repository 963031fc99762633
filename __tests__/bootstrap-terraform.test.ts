import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import { EXAMPLE_CONFIG_FILE } from "./support/example-project";
import * as path from "path";
import { TerraformStack, Testing } from "cdktf";
import { config as example } from "./fixtures/example";
import { config as allOptions } from "./fixtures/all-options";
import type { BackupConfig } from "../lib/core/config/types";
import { runStacks, showSavedPlan } from "../lib/tooling/terraform/stack-runner";
import { PlanSummary, planLogVerdict } from "./support/offline-plan-fixture";
import { buildBootstrapApp, synthesizeBootstrap } from "../stacks/apps/bootstrap-app";
import { BOOTSTRAP_OUTDIR } from "../stacks/bootstrap-target";
import { StackJson, parsePolicy, resourcesOf, stripCredentials, synthStacks } from "./support/synth";
import { typescriptEntryArgs } from "../lib/tooling/ci/typescript-entry";

const ROOT = path.resolve(__dirname, "..");

/** Every bootstrap stack's Terraform JSON, synthesized in memory. */
function synthBootstrap(config: BackupConfig, offline = false): Map<string, StackJson> {
  const stacks = buildBootstrapApp(config, { offline }).node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);
  return new Map(stacks.map((s) => [s.node.id, JSON.parse(Testing.synth(s)) as StackJson]));
}

/** accounts.ts with ci from the management account, no state backend, an existing OIDC provider. */
const minimalCi: BackupConfig = {
  ...example,
  central: { ...example.central, deployRoleName: "s3-central-backup-deploy" },
  ci: {
    githubRepository: "acme/org-s3-central-backup",
    useExistingOidcProvider: true,
    organization: { managementAccountId: "999900000000", organizationalUnitIds: ["r-ab12"] },
  },
  stateBackend: { bucket: "acme-terraform-state", region: "eu-central-1" },
};

describe("bootstrap of all-options, offline: real terraform init, validate and plan -refresh=false", () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-bootstrap-"));
  let plans: Map<string, PlanSummary>;
  const planned = (stack: string, type: string): StackJson[] =>
    (plans.get(stack)!.plan.resource_changes ?? []).filter((rc) => rc.type === type).map((rc) => rc.change.after as StackJson);

  beforeAll(async () => {
    // The bootstrap command's own path: its synth, then the runner every command plans with.
    const { stacks } = synthesizeBootstrap(allOptions, { outdir, offline: true });
    const results = await runStacks(stacks, { outdir, action: "plan", offline: true, parallelism: 2 });
    expect(results.filter((r) => r.outcome === "failed")).toEqual([]);
    const withPlans = await Promise.all(results.map(async (r) => ({ ...r, plan: await showSavedPlan(path.join(outdir, "stacks", r.stack)) })));
    plans = new Map(withPlans.map((p) => [p.stack, p]));
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test.each(["bootstrap-ci", "bootstrap-account-roles"])("%s is valid for hashicorp/aws 5.100.0: planned with it, no error, no warning", (stack) => {
    expect(planLogVerdict(path.join(outdir, "stacks", stack))).toEqual({ provider: "v5.100.0", planned: true, diagnostics: [] });
  });

  test("the CI stack creates the OIDC provider, the two CI roles and the hardened state bucket, nothing else", () => {
    const plan = plans.get("bootstrap-ci")!;
    expect([plan.change, plan.destroy]).toEqual([0, 0]);
    expect((plan.plan.resource_changes ?? []).map((rc) => rc.type).sort()).toEqual([
      "aws_iam_openid_connect_provider",
      "aws_iam_role",
      "aws_iam_role",
      "aws_iam_role_policy",
      "aws_iam_role_policy",
      "aws_s3_bucket",
      "aws_s3_bucket_lifecycle_configuration",
      "aws_s3_bucket_ownership_controls",
      "aws_s3_bucket_policy",
      "aws_s3_bucket_public_access_block",
      "aws_s3_bucket_server_side_encryption_configuration",
      "aws_s3_bucket_versioning",
    ]);
    expect(planned("bootstrap-ci", "aws_iam_openid_connect_provider")).toEqual([
      expect.objectContaining({ url: "https://token.actions.githubusercontent.com", client_id_list: ["sts.amazonaws.com"] }),
    ]);
    expect(
      planned("bootstrap-ci", "aws_iam_role")
        .map((r) => r.name)
        .sort(),
    ).toEqual(["GitHubActionsBackupDeploy", "GitHubActionsBackupPlan"]);
    expect(planned("bootstrap-ci", "aws_s3_bucket")).toEqual([expect.objectContaining({ bucket: "example-org-terraform-state", force_destroy: false })]);
    expect(planned("bootstrap-ci", "aws_s3_bucket_versioning")[0].versioning_configuration).toEqual([expect.objectContaining({ status: "Enabled" })]);
    expect(planned("bootstrap-ci", "aws_s3_bucket_public_access_block")[0]).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    const [encryption] = planned("bootstrap-ci", "aws_s3_bucket_server_side_encryption_configuration")[0].rule;
    expect(encryption.apply_server_side_encryption_by_default).toEqual([
      { sse_algorithm: "aws:kms", kms_master_key_id: "arn:aws:kms:us-east-1:555555555555:alias/aws/s3" },
    ]);
    expect(planned("bootstrap-ci", "aws_s3_bucket_lifecycle_configuration")[0].rule).toEqual([
      expect.objectContaining({
        id: "expire-noncurrent-versions",
        status: "Enabled",
        noncurrent_version_expiration: [expect.objectContaining({ noncurrent_days: 90 })],
      }),
    ]);
    const policy = JSON.parse(planned("bootstrap-ci", "aws_s3_bucket_policy")[0].policy);
    expect(policy.Statement.map((s: StackJson) => s.Sid)).toEqual([
      "DenyInsecureTransport",
      "CiRolesReadState",
      "DeployRolesWriteStateAndLocks",
      "PlanCiRoleOnlyReads",
      "NoObjectAccessForAnyoneElse",
    ]);
  });

  test("the StackSet is service-managed, auto-deploys to the configured OUs, runs as delegated administrator", () => {
    const plan = plans.get("bootstrap-account-roles")!;
    // The StackSet, its instances, and the central guardrail (an SCP and its attachment).
    expect([plan.add, plan.change, plan.destroy]).toEqual([4, 0, 0]);
    const [guardrail] = planned("bootstrap-account-roles", "aws_organizations_policy");
    expect(guardrail.type).toBe("SERVICE_CONTROL_POLICY");
    expect(planned("bootstrap-account-roles", "aws_organizations_policy_attachment")[0].target_id).toBe(allOptions.central.accountId);
    const [stackSet] = planned("bootstrap-account-roles", "aws_cloudformation_stack_set");
    expect(stackSet).toMatchObject({
      permission_model: "SERVICE_MANAGED",
      auto_deployment: [{ enabled: true, retain_stacks_on_account_removal: false }],
      call_as: "DELEGATED_ADMIN",
      capabilities: ["CAPABILITY_NAMED_IAM"],
    });
    const template = JSON.parse(stackSet.template_body);
    const resources = Object.values<StackJson>(template.Resources);
    expect(resources.filter((r) => r.Type === "AWS::IAM::Role").map((r) => r.Properties.RoleName)).toEqual(["BackupPlanRole", "BackupDeployRole"]);
    // The boundary of the roles the deploy role creates: outside the deploy role's reach.
    expect(resources.filter((r) => r.Type === "AWS::IAM::ManagedPolicy").map((r) => r.Properties.ManagedPolicyName)).toEqual([
      "org-backup-replication-boundary",
    ]);
    const [instances] = planned("bootstrap-account-roles", "aws_cloudformation_stack_set_instance");
    expect(instances).toMatchObject({
      call_as: "DELEGATED_ADMIN",
      region: "us-east-1",
      deployment_targets: [expect.objectContaining({ organizational_unit_ids: ["ou-ab12-backupsec", "ou-ab12-workload1"] })],
    });
  });
});

describe("bootstrap synthesized in real mode", () => {
  const real = synthBootstrap(allOptions);

  test("each stack's provider assumes the bootstrap role in its own account and refuses any other", () => {
    const provider = (stack: string) => real.get(stack)!.provider.aws[0];
    expect(provider("bootstrap-ci")).toMatchObject({
      region: "us-east-1",
      allowed_account_ids: ["555555555555"],
      assume_role: [{ role_arn: "arn:aws:iam::555555555555:role/OrganizationAccountAccessRole", session_name: "s3-backup-bootstrap-ci" }],
    });
    expect(provider("bootstrap-account-roles")).toMatchObject({
      allowed_account_ids: ["999900000001"],
      assume_role: [{ role_arn: "arn:aws:iam::999900000001:role/OrganizationAccountAccessRole", session_name: "s3-backup-bootstrap-account-roles" }],
    });
  });

  test("its state is local, in terraform-state/bootstrap/ of the project, apart from the main stacks' states", () => {
    for (const [stack, json] of real) {
      const file = path.resolve(ROOT, BOOTSTRAP_OUTDIR, "stacks", stack, json.terraform.backend.local.path);
      expect(file).toBe(path.join(ROOT, "terraform-state", "bootstrap", `${stack}.tfstate`));
    }
  });

  test("from the management account: the admin's own credentials (no role to assume there), call_as SELF", () => {
    const stack = synthBootstrap(minimalCi).get("bootstrap-account-roles")!;
    expect(stack.provider.aws[0].assume_role).toBeUndefined();
    expect(stack.provider.aws[0].allowed_account_ids).toEqual(["999900000000"]);
    expect(resourcesOf(stack, "aws_cloudformation_stack_set")[0].call_as).toBe("SELF");
  });

  test("an existing OIDC provider is trusted by its ARN, not created", () => {
    const stack = synthBootstrap(minimalCi).get("bootstrap-ci")!;
    expect(stack.resource.aws_iam_openid_connect_provider).toBeUndefined();
    expect(resourcesOf(stack, "aws_iam_role")).toHaveLength(2);
    for (const role of resourcesOf(stack, "aws_iam_role")) {
      expect(parsePolicy(role.assume_role_policy).Statement[0].Principal).toEqual({
        Federated: "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com",
      });
    }
  });

  test("offline mode changes only how the providers authenticate", () => {
    const offline = synthBootstrap(allOptions, true);
    for (const [name, stack] of real) {
      expect(offline.get(name)).not.toEqual(stack);
      expect(stripCredentials(offline.get(name)!)).toEqual(stripCredentials(stack));
    }
  });

  test("ci changes the main app's stacks only by putting the bootstrap's permissions boundary on the project's roles", () => {
    const withoutBoundaries = (stacks: Map<string, StackJson>) => {
      for (const stack of stacks.values()) for (const role of Object.values<StackJson>(stack.resource?.aws_iam_role ?? {})) delete role.permissions_boundary;
      return stacks;
    };
    const withCi = synthStacks(allOptions);
    const bounded = [...withCi.values()].flatMap((s) => Object.values<StackJson>(s.resource?.aws_iam_role ?? {})).filter((r) => r.permissions_boundary);
    expect(bounded.length).toBeGreaterThan(0);
    expect(withoutBoundaries(withCi)).toEqual(withoutBoundaries(synthStacks({ ...allOptions, ci: undefined })));
  });
});

describe("npm run bootstrap:plan:offline on accounts.ts without ci", () => {
  test("fails before synthesizing, saying what to add", () => {
    const result = spawnSync(process.execPath, typescriptEntryArgs("bootstrap.ts", ["plan:offline"]), {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, S3_BACKUP_CONFIG: EXAMPLE_CONFIG_FILE },
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([
      "accounts.ts is invalid (1 problem):",
      expect.stringMatching(/^ {2}- ci: is not set, so there is nothing to bootstrap\. Fix: add ci with githubRepository and organization/),
    ]);
  });
});
