/**
 * What the deploy role (in every account, reached from every deploy
 * job and every ci.operatorRoleArns) can and cannot do, proven with iam-simulate on the
 * StackSet template the bootstrap synthesizes. Roles it creates carry a permissions boundary
 * it cannot remove; it reaches only the project's resources; the central backups are out of
 * its reach, even with AdministratorAccess attached to it.
 */

import { TerraformStack, Testing } from "cdktf";
import { buildApp } from "../stacks/apps/backup-app";
import { validateBootstrapConfig } from "../stacks/apps/bootstrap-app";
import type { BackupConfig } from "../lib/core/config/types";
import {
  CENTRAL_BACKUP_READ_ACTIONS,
  CENTRAL_BUCKET_BREAK_GLASS_ACTIONS,
  CENTRAL_KEY_BREAK_GLASS_ACTIONS,
  CENTRAL_KEY_DATA_ACTIONS,
} from "../lib/infra/policies/central-policies";
import { allOptions, defaultsWithCi, defaultsWithoutCi, withRestore } from "./fixtures/configs";
import { bootstrapPolicies } from "./support/bootstrap-synth";
import { evaluate, roleContext } from "./support/iam";
import { StackJson, resourcesOf, synthStacks } from "./support/synth";
import { synthesizedPolicies } from "./support/synthesized-policies";
import { DETECTION } from "../lib/infra/policies/detection-policies";
import { DETECTION_TAMPER_ACTIONS } from "../lib/infra/policies/guardrail-policy";

const ALLOW_ALL = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
const PROJECT_TAG = { "aws:ResourceTag/ManagedBy": "org-s3-central-backup" };
/** Key policies delegate to IAM, as the stacks' do (the account administers its keys): only identity policies then decide. */
const keyPolicyOf = (action: string, resource: string, account: string): StackJson | undefined =>
  action.startsWith("kms:") && resource !== "*"
    ? { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" }] }
    : undefined;

describe.each([
  ["defaults with ci and restore", withRestore(defaultsWithCi)],
  ["all-options (listed-accounts, pinned key, adopted bucket)", allOptions],
] as [string, BackupConfig][])("%s", (_name, config) => {
  const resolved = validateBootstrapConfig(config);
  const { central, organizationId: org } = resolved;
  const policies = bootstrapPolicies(config);
  const member = resolved.members[0];
  const accountId = member.accountId;
  const boundaryArn = `arn:aws:iam::${accountId}:policy/${policies.replicationBoundary.name}`;
  // Resources of the organization unless a test says otherwise (aws:ResourceOrgID is the owner's organization).
  const asDeployRole = (
    action: string,
    resource: string,
    extra: Record<string, string | string[]> = {},
    attached: StackJson[] = [],
    account = accountId,
    resourcePolicy = keyPolicyOf(action, resource, account),
  ) =>
    evaluate({
      principal: `arn:aws:iam::${account}:role/${central.deployRoleName}`,
      action,
      resource,
      resourceAccount: account,
      context: { ...roleContext(`arn:aws:iam::${account}:role/${central.deployRoleName}`, org), "aws:ResourceOrgID": org, ...extra },
      identityPolicies: [policies.deployRole.policy, ...attached],
      resourcePolicy,
    });

  describe("roles it creates or edits carry the permissions boundary", () => {
    const replicationRole = member.replicationRoleArn;
    const withBoundary = { "iam:PermissionsBoundary": boundaryArn };

    test("creates and edits the replication and watch roles only with the boundary", async () => {
      for (const role of [replicationRole, `${replicationRole}-batch`, member.watchRoleArn]) {
        for (const action of ["iam:CreateRole", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:PutRolePermissionsBoundary"]) {
          expect([action, role, await asDeployRole(action, role, withBoundary)]).toEqual([action, role, "Allowed"]);
          expect([action, role, await asDeployRole(action, role)]).toEqual([action, role, "ExplicitlyDenied"]);
          const admin = { "iam:PermissionsBoundary": "arn:aws:iam::aws:policy/AdministratorAccess" };
          expect([action, role, await asDeployRole(action, role, admin)]).toEqual([action, role, "ExplicitlyDenied"]);
        }
      }
    });

    test("never without it, even with AdministratorAccess attached to the deploy role: create, edit, attach, remove the boundary, rewrite it", async () => {
      for (const action of ["iam:CreateRole", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePermissionsBoundary"]) {
        expect([action, await asDeployRole(action, `arn:aws:iam::${accountId}:role/anything`, {}, [ALLOW_ALL])]).toEqual([action, "ExplicitlyDenied"]);
      }
      expect(await asDeployRole("iam:DeleteRolePermissionsBoundary", replicationRole, withBoundary, [ALLOW_ALL])).toBe("ExplicitlyDenied");
      for (const action of ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:SetDefaultPolicyVersion"]) {
        expect([action, await asDeployRole(action, boundaryArn, {}, [ALLOW_ALL])]).toEqual([action, "ExplicitlyDenied"]);
      }
    });

    test("no backdoor roles: a role named like the restore role in a member account, even with the restore boundary, is never created", async () => {
      if (!resolved.restore) return;
      const restoreBoundary = { "iam:PermissionsBoundary": `arn:aws:iam::${accountId}:policy/${policies.restoreBoundary!.name}` };
      const backdoor = `arn:aws:iam::${accountId}:role/${resolved.restore.roleName}`;
      for (const action of ["iam:CreateRole", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy"]) {
        expect([action, await asDeployRole(action, backdoor, restoreBoundary)]).toEqual([action, "ImplicitlyDenied"]);
      }
    });

    test("both boundaries cap their roles at the project's buckets: an admin inline policy reaches no other bucket", async () => {
      const other = "arn:aws:s3:::payroll-exports";
      const capped = (boundary: StackJson, action: string, resource: string) =>
        evaluate({
          principal: member.replicationRoleArn,
          action,
          resource,
          resourceAccount: accountId,
          context: roleContext(member.replicationRoleArn, org),
          identityPolicies: [ALLOW_ALL],
          permissionsBoundary: boundary,
        });
      for (const action of ["s3:ListBucket", "s3:PutInventoryConfiguration", "s3:GetReplicationConfiguration"]) {
        expect([action, await capped(policies.replicationBoundary.document, action, other)]).toEqual([action, "ImplicitlyDenied"]);
        expect([action, await capped(policies.replicationBoundary.document, action, member.sourceBucketArn)]).toEqual([action, "Allowed"]);
      }
      if (policies.restoreBoundary) {
        expect(await capped(policies.restoreBoundary.document, "s3:PutObject", `${other}/x`)).toBe("ImplicitlyDenied");
        expect(await capped(policies.restoreBoundary.document, "s3:GetObjectVersion", `${other}/x`)).toBe("ImplicitlyDenied");
        expect(await capped(policies.restoreBoundary.document, "s3:PutObject", `${member.sourceBucketArn}/${accountId}/x`)).toBe("Allowed");
      }
    });

    test("edits neither itself nor the plan role, and no role outside the project even with the boundary", async () => {
      for (const name of [central.deployRoleName, central.planRoleName]) {
        const role = `arn:aws:iam::${accountId}:role/${name}`;
        expect([name, await asDeployRole("iam:PutRolePolicy", role, withBoundary, [ALLOW_ALL])]).toEqual([name, "ExplicitlyDenied"]);
        expect([name, await asDeployRole("iam:UpdateAssumeRolePolicy", role, withBoundary, [ALLOW_ALL])]).toEqual([name, "ExplicitlyDenied"]);
      }
      expect(await asDeployRole("iam:CreateRole", `arn:aws:iam::${accountId}:role/Administrator`, withBoundary)).toBe("ImplicitlyDenied");
    });

    test("passes only the project's service roles (replication, batch, watch), only to S3, S3 Batch Operations and EventBridge", async () => {
      expect(await asDeployRole("iam:PassRole", member.watchRoleArn, { "iam:PassedToService": "events.amazonaws.com" })).toBe("Allowed");
      expect(await asDeployRole("iam:PassRole", replicationRole, { "iam:PassedToService": "s3.amazonaws.com" })).toBe("Allowed");
      expect(await asDeployRole("iam:PassRole", `${replicationRole}-batch`, { "iam:PassedToService": "batchoperations.s3.amazonaws.com" })).toBe("Allowed");
      expect(await asDeployRole("iam:PassRole", replicationRole, { "iam:PassedToService": "lambda.amazonaws.com" })).toBe("ImplicitlyDenied");
      expect(await asDeployRole("iam:PassRole", `arn:aws:iam::${accountId}:role/Administrator`, { "iam:PassedToService": "s3.amazonaws.com" })).toBe(
        "ImplicitlyDenied",
      );
    });

    test("an escalation: an admin inline policy on a replication role gains nothing beyond replication through the boundary", async () => {
      const asEditedRole = (action: string, resource: string, extra: Record<string, string> = {}) =>
        evaluate({
          principal: replicationRole,
          action,
          resource,
          resourceAccount: accountId,
          context: roleContext(replicationRole, org, extra),
          identityPolicies: [ALLOW_ALL],
          resourcePolicy: keyPolicyOf(action, resource, accountId),
          permissionsBoundary: policies.replicationBoundary.document,
        });
      for (const [action, resource] of [
        ["secretsmanager:GetSecretValue", `arn:aws:secretsmanager:${member.region}:${accountId}:secret:db-AbCdEf`],
        ["iam:CreateUser", `arn:aws:iam::${accountId}:user/backdoor`],
        ["sts:AssumeRole", `arn:aws:iam::${accountId}:role/Administrator`],
        ["s3:GetObject", `arn:aws:s3:::payroll-exports/2026/salaries.csv`],
        ["s3:DeleteObjectVersion", `${member.sourceBucketArn}/${accountId}/x`],
        ["kms:Decrypt", `arn:aws:kms:${member.region}:${accountId}:key/0a1b2c3d-0000-4000-8000-000000000000`],
      ]) {
        expect([action, await asEditedRole(action, resource)]).toEqual([action, "ImplicitlyDenied"]);
      }
      // What replication needs stays inside the boundary.
      expect(await asEditedRole("s3:GetObjectVersionForReplication", `${member.sourceBucketArn}/${accountId}/x`)).toBe("Allowed");
      expect(await asEditedRole("s3:ReplicateObject", `${central.bucketArn}/${accountId}/x`)).toBe("Allowed");
      const key = `arn:aws:kms:${member.region}:${accountId}:key/0a1b2c3d-0000-4000-8000-000000000000`;
      expect(await asEditedRole("kms:Decrypt", key, { "kms:ViaService": `s3.${member.region}.amazonaws.com` })).toBe("Allowed");
    });

    test("the member stacks' replication and batch roles name that boundary, which the StackSet template creates", () => {
      const stacks = synthStacks(config, { only: [member.stackName] });
      const roles = resourcesOf(stacks.get(member.stackName)!, "aws_iam_role");
      expect(roles.length).toBeGreaterThan(0);
      for (const role of roles) expect([role.name, role.permissions_boundary]).toEqual([role.name, boundaryArn]);
      expect(policies.template.Resources.ReplicationBoundary.Type).toBe("AWS::IAM::ManagedPolicy");
    });
  });

  describe("the project's resources only, and never the central backups", () => {
    const sourceObject = `${member.sourceBucketArn}/${accountId}/x`;
    const synthesized = synthesizedPolicies(config, synthStacks(config, { only: ["central"] }));
    const centralKey = synthesized.centralKeyArn;
    const centralKeyContext = { ...PROJECT_TAG, "kms:ResourceAliases": [central.keyAlias] };
    // Central's requests are judged with central's own bucket or key policy, as AWS would.
    const inCentral = (action: string, resource: string, extra: Record<string, string | string[]> = {}, attached: StackJson[] = []) => {
      const policy = action.startsWith("kms:") ? synthesized.centralKeyPolicy : synthesized.centralBucketPolicy;
      return asDeployRole(action, resource, extra, attached, central.accountId, resource === "*" ? undefined : policy);
    };
    const backup = `${central.bucketArn}/${accountId}/2026/ledger.csv`;

    test("every action that changes or destroys central's versions or protection is explicitly denied, even with AdministratorAccess attached", async () => {
      for (const action of CENTRAL_BUCKET_BREAK_GLASS_ACTIONS) {
        const bucketLevel = /^s3:(PutBucket|DeleteBucket|PutLifecycle|PutEncryption|PutReplication)/.test(action);
        for (const attached of [[], [ALLOW_ALL]]) {
          expect([action, await inCentral(action, bucketLevel ? central.bucketArn : backup, {}, attached)]).toEqual([action, "ExplicitlyDenied"]);
        }
      }
    });

    test("it never reads a backup: object reads denied by central's bucket policy, even with AdministratorAccess attached; only verify's markers", async () => {
      for (const action of CENTRAL_BACKUP_READ_ACTIONS) {
        expect([action, await inCentral(action, backup, {}, [ALLOW_ALL])]).toEqual([action, "ExplicitlyDenied"]);
        expect(await inCentral(action, backup)).not.toBe("Allowed");
      }
      const marker = `${central.bucketArn}/${accountId}/_replication-check/20261205-abc.txt`;
      expect(await inCentral("s3:GetObject", marker)).toBe("Allowed");
      expect(await inCentral("s3:GetObjectAcl", marker)).toBe("Allowed");
    });

    test("never the central key's powers or its data use: disable, delete, re-policy, grant, re-alias, decrypt, re-encrypt", async () => {
      for (const action of [...CENTRAL_KEY_BREAK_GLASS_ACTIONS, ...CENTRAL_KEY_DATA_ACTIONS].filter((a) => !a.endsWith("Alias"))) {
        const concrete = action.replace("*", "WithoutPlaintext");
        expect([concrete, await inCentral(concrete, centralKey, centralKeyContext, [ALLOW_ALL])]).toEqual([concrete, "ExplicitlyDenied"]);
      }
      const alias = `arn:aws:kms:${central.region}:${central.accountId}:${central.keyAlias}`;
      for (const action of ["kms:UpdateAlias", "kms:DeleteAlias"])
        expect([action, await inCentral(action, alias, {}, [ALLOW_ALL])]).toEqual([action, "ExplicitlyDenied"]);
    });

    test("no new key in the central account (one a replica could be sent under, then deleted); keys elsewhere as before", async () => {
      const tag = { "aws:RequestTag/ManagedBy": "org-s3-central-backup" };
      expect(await inCentral("kms:CreateKey", "*", tag, [ALLOW_ALL])).toBe("ExplicitlyDenied");
      expect(await asDeployRole("kms:CreateKey", "*", tag)).toBe("Allowed");
    });

    test("it still deploys: reads central's configuration for a clean plan, manages source buckets, keys, topics and alarms", async () => {
      for (const action of ["s3:GetBucketPolicy", "s3:GetBucketVersioning", "s3:GetLifecycleConfiguration", "s3:GetEncryptionConfiguration"]) {
        expect([action, await inCentral(action, central.bucketArn)]).toEqual([action, "Allowed"]);
      }
      for (const action of ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"]) {
        expect([action, await inCentral(action, centralKey, centralKeyContext)]).toEqual([action, "Allowed"]);
      }
      for (const action of ["s3:PutBucketPolicy", "s3:PutReplicationConfiguration", "s3:PutLifecycleConfiguration"]) {
        expect([action, await asDeployRole(action, member.sourceBucketArn)]).toEqual([action, "Allowed"]);
      }
      expect(await asDeployRole("s3:PutObject", sourceObject)).toBe("Allowed"); // npm run verify
      expect(await asDeployRole("kms:PutKeyPolicy", `arn:aws:kms:${member.region}:${accountId}:key/0a1b2c3d-0000-4000-8000-000000000000`, PROJECT_TAG)).toBe(
        "Allowed",
      );
      const topic = `arn:aws:sns:${member.region}:${accountId}:${central.replicationRoleName}-alerts`;
      expect(await asDeployRole("sns:SetTopicAttributes", topic)).toBe("Allowed");
      expect(await asDeployRole("cloudwatch:PutMetricAlarm", `arn:aws:cloudwatch:${member.region}:${accountId}:alarm:s3-replication-failed-x`)).toBe("Allowed");
    });

    test("it reads the central detection for a plan, and can neither stop, mute nor delete any of it", async () => {
      const trail = `arn:aws:cloudtrail:${central.region}:${central.accountId}:trail/${DETECTION.trailName}`;
      const rule = `arn:aws:events:${central.region}:${central.accountId}:rule/${DETECTION.rulePrefix}key-changes`;
      const topic = `arn:aws:sns:${central.region}:${central.accountId}:${DETECTION.topicName}`;
      const audit = `arn:aws:s3:::${central.bucketName}-audit`;
      const memberBus = `arn:aws:events:${central.region}:${central.accountId}:event-bus/${DETECTION.memberBusName}`;
      for (const [action, resource] of [
        ["cloudtrail:GetTrailStatus", trail],
        ["events:DescribeEventBus", memberBus],
        ["events:DescribeRule", rule],
        ["sns:GetTopicAttributes", topic],
        ["s3:GetBucketPolicy", audit],
      ]) {
        expect([action, await asDeployRole(action, resource, {}, [], central.accountId, undefined)]).toEqual([action, "Allowed"]);
      }
      for (const [action, resource] of [
        ...DETECTION_TAMPER_ACTIONS.map((a) => [
          a,
          a.startsWith("cloudtrail:") ? trail : a === "events:DeleteEventBus" ? memberBus : a.startsWith("events:") ? rule : topic,
        ]),
        ["s3:DeleteObjectVersion", `${audit}/AWSLogs/${central.accountId}/x.json.gz`],
        ["s3:PutBucketPolicy", audit],
      ]) {
        expect([action, await asDeployRole(action, resource, {}, [], central.accountId, undefined)]).toEqual([action, "ImplicitlyDenied"]);
      }
    });

    test("a bucket with a project name outside the organization is never a target", async () => {
      const lookalike = `${member.sourceBucketArn.replace(accountId, "999999999999")}`;
      const outside = { "aws:ResourceOrgID": "o-attacker0001" };
      for (const [action, resource] of [
        ["s3:PutObject", `${lookalike}/${accountId}/copied.csv`],
        ["s3:PutBucketPolicy", lookalike],
        ["s3:PutReplicationConfiguration", member.sourceBucketArn],
      ]) {
        expect([action, await asDeployRole(action, resource, outside, [], "999999999999", undefined)]).toEqual([action, "ImplicitlyDenied"]);
      }
    });

    test("nothing outside the project: other buckets, untagged keys, other topics and alarms", async () => {
      for (const [action, resource, extra] of [
        ["s3:DeleteObjectVersion", "arn:aws:s3:::payroll-exports/2026/salaries.csv"],
        ["s3:PutBucketPolicy", "arn:aws:s3:::payroll-exports"],
        ["s3:GetObject", "arn:aws:s3:::payroll-exports/2026/salaries.csv"],
        ["kms:ScheduleKeyDeletion", `arn:aws:kms:${member.region}:${accountId}:key/99999999-0000-4000-8000-000000000000`, {}],
        ["kms:Decrypt", `arn:aws:kms:${member.region}:${accountId}:key/99999999-0000-4000-8000-000000000000`, { "aws:ResourceTag/ManagedBy": "other" }],
        ["kms:CreateKey", "*", {}],
        ["sns:Publish", `arn:aws:sns:${member.region}:${accountId}:security-incidents`],
        ["cloudwatch:DeleteAlarms", `arn:aws:cloudwatch:${member.region}:${accountId}:alarm:billing`],
      ] as [string, string, Record<string, string>?][]) {
        expect([action, resource, await asDeployRole(action, resource, extra)]).toEqual([action, resource, "ImplicitlyDenied"]);
      }
      expect(await asDeployRole("kms:UntagResource", "*", { ...PROJECT_TAG, "aws:TagKeys": ["ManagedBy"] })).toBe("ExplicitlyDenied");
    });

    test("the deploy role's policy fits IAM's inline limit with room to spare", () => {
      expect(JSON.stringify(policies.deployRole.policy).length).toBeLessThan(10_240 * 0.8);
    });
  });
});

test("without ci (deploy roles by hand) no boundary is named: none exists to attach", () => {
  const stacks = synthStacks(defaultsWithoutCi, { only: ["member-222222222222"] });
  for (const role of resourcesOf(stacks.get("member-222222222222")!, "aws_iam_role")) expect(role.permissions_boundary).toBeUndefined();
  expect(deployRoleName(defaultsWithoutCi)).toBe("OrganizationAccountAccessRole");
});

function deployRoleName(config: BackupConfig): string {
  return config.central.deployRoleName;
}

describe("plans with stateBackend.roleArn", () => {
  const backendOf = (role: "plan" | "deploy") => {
    const app = buildApp(allOptions, { role });
    const stack = app.node.children.find((c): c is TerraformStack => c instanceof TerraformStack && c.node.id === "central")!;
    return (JSON.parse(Testing.synth(stack)) as StackJson).terraform.backend.s3;
  };

  test("a plan synth reads state with the plan CI role's own credentials: no assume_role of the state role; a deploy synth assumes it", () => {
    expect(backendOf("plan").assume_role).toBeUndefined();
    expect(backendOf("deploy").assume_role).toEqual({ role_arn: allOptions.stateBackend!.roleArn });
  });

  test("the plan CI role reads the state it plans with, may not assume the state role, and writes no state (pull requests never reach state write)", async () => {
    const { ci, stateBackend, organizationId: org } = validateBootstrapConfig(allOptions);
    const policies = bootstrapPolicies(allOptions);
    const state = `arn:aws:s3:::${stateBackend!.bucket}/${stateBackend!.keyPrefix}/central.tfstate`;
    const asPlanCi = (action: string, resource: string, resourcePolicy?: StackJson) =>
      evaluate({
        principal: ci.planRoleArn,
        action,
        resource,
        resourceAccount: ci.accountId,
        context: roleContext(ci.planRoleArn, org),
        identityPolicies: [policies.planCi.policy],
        resourcePolicy,
      });
    expect(await asPlanCi("s3:GetObject", state, policies.stateBucketPolicy)).toBe("Allowed");
    expect(await asPlanCi("sts:AssumeRole", stateBackend!.roleArn!)).toBe("ImplicitlyDenied");
    expect(await asPlanCi("s3:PutObject", state, policies.stateBucketPolicy)).toBe("ExplicitlyDenied");
  });
});
