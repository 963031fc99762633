/**
 * Restore from the vault (docs/vault.md, "When central is lost"), proven with iam-simulate on
 * what the stacks synthesize with `vault` and `restore` set. The vault's own restore role
 * reads the vault's versions and decrypts them only through S3; it writes member A's data only
 * into A's bucket under `A/`, into the vault's drill bucket and the extra targets; it can
 * change or destroy nothing in the vault. Nobody else assumes it: not central's admins or
 * restore role, not a member's admin.
 */

import type { BackupConfig } from "../lib/core/config/types";
import { validateConfig } from "../lib/core/config/validate";
import { bootstrapPolicies } from "./support/bootstrap-synth";
import { allOptions, defaultsWithCi, withRestore, withVault } from "./fixtures/configs";
import { evaluate, roleContext } from "./support/iam";
import { StackJson, parsePolicy, resourcesOf, synthStacks } from "./support/synth";
import { synthesizedPolicies } from "./support/synthesized-policies";

const ALLOW_ALL = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
const operator = (account: string) => `arn:aws:iam::${account}:role/BackupOperator`;

describe.each([
  [
    "defaults with ci and a vault",
    withRestore(withVault(defaultsWithCi), { assumableBy: [operator("444444444444")], extraTargetBuckets: ["acme-restore-sandbox"] }),
  ],
  ["all-options (pinned vault key, adopted bucket)", withRestore(allOptions, { assumableBy: [operator("555555555555")], roleName: "org-backup-restore" })],
] as [string, BackupConfig][])("%s", (_name, config) => {
  const resolved = validateConfig(config);
  const vault = resolved.vault!;
  const restore = resolved.restore!;
  const org = resolved.organizationId;
  const stacks = synthStacks(config);
  const policies = synthesizedPolicies(config, stacks);
  const role = policies.vault!.restoreRole!;
  const bootstrap = bootstrapPolicies(config);
  const boundary = bootstrap.restoreBoundary!.document;
  const [a, b] = [...policies.members.values()];
  const object = (accountId: string) => `${vault.bucketArn}/${accountId}/data/report.csv`;
  const asVaultRestoreRole = (action: string, resource: string, resourceAccount: string, resourcePolicy?: StackJson, extra: Record<string, string> = {}) =>
    evaluate({
      principal: role.arn,
      action,
      resource,
      resourceAccount,
      context: roleContext(role.arn, org, extra),
      identityPolicies: [role.policy],
      permissionsBoundary: boundary,
      resourcePolicy,
    });
  const copyFrom = (accountId: string) => ({ "s3:x-amz-copy-source": `${vault.bucketName}/${accountId}/data/report.csv?versionId=3HL4kqtJlcpXroDTDmJ` });

  test("the role is restore.roleName in the vault account, with the bootstrap's boundary, beside a one-day drill bucket under the vault key", () => {
    const stack = stacks.get("vault")!;
    expect(role.arn).toBe(vault.restoreRoleArn);
    expect(role.arn).toBe(`arn:aws:iam::${vault.accountId}:role/${restore.roleName}`);
    expect(resourcesOf(stack, "aws_iam_role")[0].permissions_boundary).toBe(`arn:aws:iam::${vault.accountId}:policy/${restore.roleName}-boundary`);
    expect(stack.resource.aws_s3_bucket.drill_bucket.bucket).toBe(`${vault.bucketName}-drills`);
    const encryption = resourcesOf(stack, "aws_s3_bucket_server_side_encryption_configuration").find((r) => r.bucket === "${aws_s3_bucket.drill_bucket.id}")!;
    expect(encryption.rule[0].apply_server_side_encryption_by_default.kms_master_key_id).toBe("${aws_kms_key.vault_key.arn}");
  });

  test("only the roles listed in restore.assumableBy assume it: not central's admin or restore role, not a member's or the vault's admin", async () => {
    const assume = (principal: string) =>
      evaluate({
        principal,
        action: "sts:AssumeRole",
        resource: role.arn,
        resourceAccount: vault.accountId,
        context: roleContext(principal, org),
        identityPolicies: [ALLOW_ALL],
        resourcePolicy: role.trust,
      });
    expect(await assume(restore.assumableBy[0])).toBe("Allowed");
    for (const principal of [
      `arn:aws:iam::${resolved.central.accountId}:role/Administrator`,
      restore.roleArn,
      `arn:aws:iam::${vault.accountId}:role/Administrator`,
      `arn:aws:iam::${vault.accountId}:role/${resolved.central.deployRoleName}`,
      `arn:aws:iam::${a.accountId}:role/Admin`,
    ])
      expect([principal, await assume(principal)]).toEqual([principal, "ImplicitlyDenied"]);
  });

  test("reads and lists every version of the vault, and decrypts with the vault key only through S3, only for vault objects", async () => {
    for (const action of ["s3:GetObjectVersion", "s3:GetObjectVersionTagging", "s3:RestoreObject"])
      expect([action, await asVaultRestoreRole(action, object(a.accountId), vault.accountId, policies.vault!.bucketPolicy)]).toEqual([action, "Allowed"]);
    expect(await asVaultRestoreRole("s3:ListBucketVersions", vault.bucketArn, vault.accountId, policies.vault!.bucketPolicy)).toBe("Allowed");
    const decrypt = (extra: Record<string, string>) =>
      asVaultRestoreRole("kms:Decrypt", policies.vault!.keyArn, vault.accountId, policies.vault!.keyPolicy, { "kms:CallerAccount": vault.accountId, ...extra });
    const via = { "kms:ViaService": `s3.${vault.region}.amazonaws.com` };
    expect(await decrypt({ ...via, "kms:EncryptionContext:aws:s3:arn": object(a.accountId) })).toBe("Allowed");
    expect(await decrypt({ "kms:EncryptionContext:aws:s3:arn": object(a.accountId) })).toBe("ImplicitlyDenied");
    expect(await decrypt({ ...via, "kms:EncryptionContext:aws:s3:arn": `arn:aws:s3:::elsewhere/${a.accountId}/x` })).toBe("ImplicitlyDenied");
  });

  test("changes or destroys nothing in the vault, even with an admin policy put on it: the boundary and the vault's policies refuse", async () => {
    const withAdminToo = (action: string, resource: string, resourcePolicy: StackJson) =>
      evaluate({
        principal: role.arn,
        action,
        resource,
        resourceAccount: vault.accountId,
        context: roleContext(role.arn, org),
        identityPolicies: [role.policy, ALLOW_ALL],
        permissionsBoundary: boundary,
        resourcePolicy,
      });
    for (const [action, resource] of [
      ["s3:DeleteObjectVersion", object(a.accountId)],
      ["s3:PutObject", object(a.accountId)],
      ["s3:BypassGovernanceRetention", object(a.accountId)],
      ["s3:PutObjectRetention", object(a.accountId)],
      ["s3:PutBucketPolicy", vault.bucketArn],
      ["s3:PutLifecycleConfiguration", vault.bucketArn],
      ["s3:PutBucketVersioning", vault.bucketArn],
    ])
      expect([action, await withAdminToo(action, resource, policies.vault!.bucketPolicy)]).toEqual([action, "ExplicitlyDenied"]);
    for (const action of ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy", "kms:CreateGrant"])
      expect([action, await withAdminToo(action, policies.vault!.keyArn, policies.vault!.keyPolicy)]).toEqual([action, "ExplicitlyDenied"]);
    for (const action of ["iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "sts:AssumeRole"])
      expect([action, await withAdminToo(action, `arn:aws:iam::${vault.accountId}:role/anything`, undefined as unknown as StackJson)]).toEqual([
        action,
        "ImplicitlyDenied",
      ]);
  });

  test("writes member A's vault data only into A's bucket under A's prefix, never B's data into A nor A's into B", async () => {
    const into = (member: typeof a, key: string, from: string) =>
      asVaultRestoreRole("s3:PutObject", `${member.sourceBucketArn}/${key}`, member.accountId, member.sourceBucketPolicy, copyFrom(from));
    expect(await into(a, `${a.accountId}/data/report.csv`, a.accountId)).toBe("Allowed");
    expect(await into(a, "private/report.csv", a.accountId)).toBe("ImplicitlyDenied");
    expect(await into(a, `${a.accountId}/data/report.csv`, b.accountId)).toBe("ExplicitlyDenied");
    expect(await into(b, `${b.accountId}/data/report.csv`, a.accountId)).toBe("ExplicitlyDenied");
    expect(await into(b, `${b.accountId}/data/report.csv`, b.accountId)).toBe("Allowed");
    // A copy named from central's bucket is not the vault role's: refused too.
    const fromCentral = { "s3:x-amz-copy-source": `${resolved.central.bucketName}/${a.accountId}/data/report.csv` };
    expect(await asVaultRestoreRole("s3:PutObject", `${a.sourceBucketArn}/${a.accountId}/x`, a.accountId, a.sourceBucketPolicy, fromCentral)).toBe(
      "ExplicitlyDenied",
    );
  });

  test("encrypts with A's source key only through S3, only under A's prefix; the drill bucket and extra targets by its own policy", async () => {
    const encrypt = (extra: Record<string, string>) =>
      asVaultRestoreRole("kms:GenerateDataKey", a.sourceKeyArn, a.accountId, a.sourceKeyPolicy, { "kms:CallerAccount": vault.accountId, ...extra });
    const via = { "kms:ViaService": `s3.${a.region}.amazonaws.com` };
    expect(await encrypt({ ...via, "kms:EncryptionContext:aws:s3:arn": `${a.sourceBucketArn}/${a.accountId}/x` })).toBe("Allowed");
    expect(await encrypt({ ...via, "kms:EncryptionContext:aws:s3:arn": `${a.sourceBucketArn}/private/x` })).toBe("ImplicitlyDenied");
    const drill = `arn:aws:s3:::${vault.drillBucketName}`;
    expect(await asVaultRestoreRole("s3:PutObject", `${drill}/drills/x`, vault.accountId, undefined, copyFrom(a.accountId))).toBe("Allowed");
    const drillContext = {
      "kms:CallerAccount": vault.accountId,
      "kms:ViaService": `s3.${vault.region}.amazonaws.com`,
      "kms:EncryptionContext:aws:s3:arn": `${drill}/drills/x`,
    };
    expect(await asVaultRestoreRole("kms:GenerateDataKey", policies.vault!.keyArn, vault.accountId, policies.vault!.keyPolicy, drillContext)).toBe("Allowed");
    for (const bucket of restore.extraTargetBuckets)
      expect(await asVaultRestoreRole("s3:PutObject", `arn:aws:s3:::${bucket}/x`, vault.accountId, undefined, copyFrom(a.accountId))).toBe("Allowed");
    expect(await asVaultRestoreRole("s3:PutObject", "arn:aws:s3:::payroll-exports/x", "999999999999", ALLOW_ALL_BUCKET("arn:aws:s3:::payroll-exports"))).toBe(
      "ImplicitlyDenied",
    );
  });

  test("the vault account's deploy role can neither create nor edit the vault's restore role, even with the restore boundary (so the vault is applied by break glass)", async () => {
    const deployRole = `arn:aws:iam::${vault.accountId}:role/${resolved.central.deployRoleName}`;
    const withBoundary = { "iam:PermissionsBoundary": `arn:aws:iam::${vault.accountId}:policy/${restore.roleName}-boundary`, "aws:ResourceOrgID": org };
    for (const action of ["iam:CreateRole", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", "iam:DeleteRole"])
      expect([
        action,
        await evaluate({
          principal: deployRole,
          action,
          resource: role.arn,
          resourceAccount: vault.accountId,
          context: roleContext(deployRole, org, withBoundary),
          identityPolicies: [bootstrap.deployRole.policy],
        }),
      ]).toEqual([action, "ImplicitlyDenied"]);
  });

  test("central's restore role reads nothing of the vault", async () => {
    const central = policies.restoreRole!;
    for (const [action, resource] of [
      ["s3:GetObjectVersion", object(a.accountId)],
      ["s3:ListBucketVersions", vault.bucketArn],
    ])
      expect([
        action,
        await evaluate({
          principal: central.arn,
          action,
          resource,
          resourceAccount: vault.accountId,
          context: roleContext(central.arn, org),
          identityPolicies: [central.policy],
          resourcePolicy: policies.vault!.bucketPolicy,
        }),
      ]).not.toEqual([action, "Allowed"]);
  });

  test("without restore the vault has no role and no drill bucket, and the members admit no vault restorer", () => {
    const plain = synthStacks({ ...config, restore: undefined });
    expect(resourcesOf(plain.get("vault")!, "aws_iam_role")).toEqual([]);
    expect(plain.get("vault")!.resource.aws_s3_bucket.drill_bucket).toBeUndefined();
    for (const [name, stack] of plain) {
      if (!name.startsWith("member-")) continue;
      for (const policy of resourcesOf(stack, "aws_s3_bucket_policy")) expect(JSON.stringify(parsePolicy(policy.policy))).not.toContain("VaultRestore");
    }
    expect(JSON.stringify(a.sourceBucketPolicy)).toContain("VaultRestoreRoleCopiesOnlyThisAccountsData");
  });
});

function ALLOW_ALL_BUCKET(bucketArn: string): StackJson {
  return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:*", Resource: [bucketArn, `${bucketArn}/*`] }] };
}
