/**
 * The backups survive the central account's own administrators: an admin role with
 * AdministratorAccess, and the account root, against central's synthesized bucket and key
 * policies. Only the break-glass role (central.breakGlassRoleName) may destroy versions,
 * change central's protection, or disable, delete, re-policy or grant the key; only the
 * restore role and break glass read backups. What S3 lets the bucket owner's root do anyway
 * (change the bucket policy) is closed by the organization policy (docs/policies.md).
 */

import type { BackupConfig } from "../lib/core/config/types";
import { validateConfig } from "../lib/core/config/validate";
import { CENTRAL_BACKUP_READ_ACTIONS, CENTRAL_BUCKET_BREAK_GLASS_ACTIONS, CENTRAL_KEY_BREAK_GLASS_ACTIONS } from "../lib/infra/policies/central-policies";
import { allOptions, defaultsWithCi, withRestore } from "./fixtures/configs";
import { DETECTION } from "../lib/infra/policies/detection-policies";
import { BUS_POLICY_ACTIONS, DETECTION_TAMPER_ACTIONS } from "../lib/infra/policies/guardrail-policy";
import { bootstrapPolicies } from "./support/bootstrap-synth";
import { evaluate, roleContext } from "./support/iam";
import { resourcesOf, synthStacks } from "./support/synth";
import { synthesizedPolicies } from "./support/synthesized-policies";

const ALLOW_ALL = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
const DELEGATE_TO_IAM = (account: string) => ({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" }],
});
const BUCKET_LEVEL = /^s3:(PutBucket|DeleteBucket|PutLifecycle|PutEncryption|PutReplication)/;

describe.each([
  ["defaults with ci and restore", withRestore(defaultsWithCi)],
  ["all-options (listed-accounts, pinned key, bucket keys, Object Lock)", withRestore(allOptions)],
] as [string, BackupConfig][])("%s", (_name, config) => {
  const resolved = validateConfig(config);
  const { central, organizationId: org } = resolved;
  const stacks = synthStacks(config, { only: ["central"] });
  const policies = synthesizedPolicies(config, stacks);
  const admin = `arn:aws:iam::${central.accountId}:role/AWSReservedSSO_AdministratorAccess_0123456789abcdef`;
  const root = `arn:aws:iam::${central.accountId}:root`;
  const backup = `${central.bucketArn}/222222222222/2026/ledger.csv`;
  const as = (principal: string, action: string) => {
    const onKey = action.startsWith("kms:");
    const resource = onKey ? policies.centralKeyArn : BUCKET_LEVEL.test(action) ? central.bucketArn : backup;
    return evaluate({
      principal,
      action,
      resource,
      resourceAccount: central.accountId,
      context: roleContext(principal, org, onKey ? {} : { "s3:ResourceAccount": central.accountId }),
      identityPolicies: principal.endsWith(":root") ? [] : [ALLOW_ALL],
      resourcePolicy: onKey ? policies.centralKeyPolicy : policies.centralBucketPolicy,
    });
  };

  test("an administrator cannot destroy, hide or unprotect a version: every break-glass bucket action is explicitly denied", async () => {
    for (const action of CENTRAL_BUCKET_BREAK_GLASS_ACTIONS) {
      expect([action, await as(admin, action)]).toEqual([action, "ExplicitlyDenied"]);
    }
  });

  test("an administrator and the account root cannot schedule the key's deletion, disable, re-policy, grant or re-alias it", async () => {
    for (const action of CENTRAL_KEY_BREAK_GLASS_ACTIONS) {
      expect([action, await as(admin, action)]).toEqual([action, "ExplicitlyDenied"]);
      expect([action, "root", await as(root, action)]).toEqual([action, "root", "ExplicitlyDenied"]);
    }
  });

  test("an administrator cannot read a backup; the restore role and break glass can", async () => {
    for (const action of CENTRAL_BACKUP_READ_ACTIONS) {
      expect([action, await as(admin, action)]).toEqual([action, "ExplicitlyDenied"]);
      expect([action, await as(central.breakGlassRoleArn, action)]).toEqual([action, "Allowed"]);
      expect([action, await as(resolved.restore!.roleArn, action)]).toEqual([action, "Allowed"]);
    }
  });

  test("the break-glass role alone keeps every power (with its own policy allowing them)", async () => {
    for (const action of [...CENTRAL_BUCKET_BREAK_GLASS_ACTIONS, ...CENTRAL_KEY_BREAK_GLASS_ACTIONS]) {
      expect([action, await as(central.breakGlassRoleArn, action)]).toEqual([action, "Allowed"]);
    }
  });

  test("a role merely named like break glass in another account gets nothing", async () => {
    const lookalike = central.breakGlassRoleArn.replace(central.accountId, "999999999999");
    expect(await as(lookalike, "s3:DeleteObjectVersion")).not.toBe("Allowed");
    expect(await as(lookalike, "kms:ScheduleKeyDeletion")).not.toBe("Allowed");
  });

  test("versions cannot age out: with a noncurrent expiry, the newest noncurrent versions of every key are kept whatever their age", () => {
    const withExpiry = { ...config, central: { ...config.central, lifecycle: { noncurrentVersionExpirationDays: 30 } } };
    const [lifecycle] = resourcesOf(synthStacks(withExpiry, { only: ["central"] }).get("central")!, "aws_s3_bucket_lifecycle_configuration");
    const rule = lifecycle.rule.find((r: { id: string }) => r.id === "expire-noncurrent-versions");
    expect(rule.noncurrent_version_expiration).toEqual([{ noncurrent_days: 30, newer_noncurrent_versions: 5 }]);
  });
});

describe("the central guardrail (the bootstrap's service control policy on the central account)", () => {
  const config = withRestore(defaultsWithCi);
  const resolved = validateConfig(config);
  const { central, organizationId: org } = resolved;
  const guardrail = bootstrapPolicies(config).centralGuardrail;
  const root = `arn:aws:iam::${central.accountId}:root`;
  const admin = `arn:aws:iam::${central.accountId}:role/Admin`;
  // No resource policy: what S3 lets the bucket owner's root do whatever the bucket policy says.
  const underGuardrail = (principal: string, action: string, resource: string, extra: Record<string, string | string[]> = {}) =>
    evaluate({
      principal,
      action,
      resource,
      resourceAccount: central.accountId,
      context: roleContext(principal, org, extra as Record<string, string>),
      identityPolicies: [ALLOW_ALL],
      // KMS needs a key policy: one that delegates to IAM, as every key of the project's does.
      resourcePolicy: action.startsWith("kms:") ? DELEGATE_TO_IAM(central.accountId) : undefined,
      serviceControlPolicy: guardrail,
    });
  const key = `arn:aws:kms:${central.region}:${central.accountId}:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`;
  const aliases = { "kms:ResourceAliases": [central.keyAlias] };

  test("the root user and an admin cannot rewrite central's bucket policy, lifecycle or versioning, nor delete versions", async () => {
    for (const principal of [root, admin]) {
      for (const action of ["s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutLifecycleConfiguration", "s3:PutBucketVersioning"]) {
        expect([principal, action, await underGuardrail(principal, action, central.bucketArn)]).toEqual([principal, action, "ExplicitlyDenied"]);
      }
      expect(await underGuardrail(principal, "s3:DeleteObjectVersion", `${central.bucketArn}/222222222222/x`)).toBe("ExplicitlyDenied");
    }
  });

  test("nor schedule the key's deletion or re-policy it; nor rewrite the break-glass or restore role", async () => {
    for (const action of ["kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:DisableKey"]) {
      expect([action, await underGuardrail(root, action, key, aliases)]).toEqual([action, "ExplicitlyDenied"]);
    }
    for (const role of [central.breakGlassRoleArn, resolved.restore!.roleArn]) {
      for (const action of ["iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", "iam:DeleteRole"]) {
        expect([role, action, await underGuardrail(admin, action, role)]).toEqual([role, action, "ExplicitlyDenied"]);
      }
    }
  });

  test("nor blind the detection: stop or re-scope the trail, mute or retarget a rule, open or drop the member bus, drop the topic", async () => {
    const trail = `arn:aws:cloudtrail:${central.region}:${central.accountId}:trail/${DETECTION.trailName}`;
    const rule = `arn:aws:events:${central.region}:${central.accountId}:rule/${DETECTION.rulePrefix}key-changes`;
    const topic = `arn:aws:sns:${central.region}:${central.accountId}:${DETECTION.topicName}`;
    const bus = `arn:aws:events:${central.region}:${central.accountId}:event-bus/${DETECTION.memberBusName}`;
    const memberRule = `arn:aws:events:${central.region}:${central.accountId}:rule/${DETECTION.memberBusName}/${DETECTION.rulePrefix}member-changes`;
    const resourceOf = (action: string) =>
      action.startsWith("cloudtrail:") ? trail : action === "events:DeleteEventBus" ? bus : action.startsWith("events:") ? rule : topic;
    const attempts: [string, string][] = [
      ...DETECTION_TAMPER_ACTIONS.map((action): [string, string] => [action, resourceOf(action)]),
      // IAM names no bus for these: the guardrail denies them on every bus of central.
      ...BUS_POLICY_ACTIONS.map((action): [string, string] => [action, "*"]),
      ["events:RemoveTargets", memberRule],
    ];
    for (const [action, resource] of attempts) {
      for (const principal of [root, admin]) {
        expect([action, principal, await underGuardrail(principal, action, resource)]).toEqual([action, principal, "ExplicitlyDenied"]);
      }
      expect([action, await underGuardrail(central.breakGlassRoleArn, action, resource)]).toEqual([action, "Allowed"]);
    }
  });

  test("nobody but break glass creates a key in central: no replica can be sent under a key someone can then delete", async () => {
    for (const principal of [root, admin]) expect([principal, await underGuardrail(principal, "kms:CreateKey", "*")]).toEqual([principal, "ExplicitlyDenied"]);
    expect(await underGuardrail(central.breakGlassRoleArn, "kms:CreateKey", "*")).toBe("Allowed");
  });

  test("break glass keeps its powers; the account works otherwise (other buckets, keys and roles)", async () => {
    expect(await underGuardrail(central.breakGlassRoleArn, "s3:PutBucketPolicy", central.bucketArn)).toBe("Allowed");
    expect(await underGuardrail(central.breakGlassRoleArn, "kms:ScheduleKeyDeletion", key, aliases)).toBe("Allowed");
    expect(await underGuardrail(admin, "s3:PutBucketPolicy", "arn:aws:s3:::team-scratch")).toBe("Allowed");
    expect(await underGuardrail(admin, "kms:ScheduleKeyDeletion", key.replace("0a1b2c3d", "99999999"), { "kms:ResourceAliases": ["alias/other"] })).toBe(
      "Allowed",
    );
    expect(await underGuardrail(admin, "iam:UpdateAssumeRolePolicy", `arn:aws:iam::${central.accountId}:role/Other`)).toBe("Allowed");
  });
});
