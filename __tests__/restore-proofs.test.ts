/**
 * Least-privilege restore access, proven with iam-simulate on what the
 * stacks synthesize with `restore` set. The restore role (central account) reads versions and
 * decrypts only through S3; it writes member A's data only into A's source bucket under
 * `A/`, the drill bucket and the extra targets; no member reads the central bucket, assumes
 * the restore role or writes into another member's bucket. The exhaustive isolation proofs
 * run on this config too (isolation-proofs.test.ts), with the allowlists unchanged.
 */

import type { BackupConfig } from "../lib/core/config/types";
import { validateConfig } from "../lib/core/config/validate";
import { allOptions, defaultsWithCi, withRestore } from "./fixtures/configs";
import { evaluate, roleContext } from "./support/iam";
import { StackJson, onlyResource, parsePolicy, resourcesOf, synthStacks } from "./support/synth";
import { synthesizedPolicies } from "./support/synthesized-policies";

const ALLOW_ALL = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
const operator = (account: string) => `arn:aws:iam::${account}:role/BackupOperator`;

describe.each([
  ["defaults with ci", withRestore(defaultsWithCi, { assumableBy: [operator("111111111111")], extraTargetBuckets: ["acme-restore-sandbox"] })],
  [
    "all-options (cross-region, adopted bucket, bucket keys)",
    withRestore(allOptions, { assumableBy: [operator("555555555555")], roleName: "org-backup-restore" }),
  ],
] as [string, BackupConfig][])("%s", (_name, config) => {
  const resolved = validateConfig(config);
  const { central } = resolved;
  const restore = resolved.restore!;
  const org = resolved.organizationId;
  const stacks = synthStacks(config);
  const policies = synthesizedPolicies(config, stacks);
  const role = policies.restoreRole!;
  const [a, b] = [...policies.members.values()];
  const centralKeyPolicy = policies.centralKeyPolicy;
  const asRestoreRole = (
    action: string,
    resource: string,
    resourceAccount: string,
    resourcePolicy: StackJson | undefined,
    extra: Record<string, string> = {},
  ) =>
    evaluate({
      principal: role.arn,
      action,
      resource,
      resourceAccount,
      context: roleContext(role.arn, org, extra),
      identityPolicies: [role.policy],
      resourcePolicy,
    });
  const copyFrom = (accountId: string) => ({ "s3:x-amz-copy-source": `${central.bucketName}/${accountId}/data/report.csv?versionId=3HL4kqtJlcpXroDTDmJ` });

  test("the role exists with the configured name, and the drill bucket is a one-day scratch bucket encrypted with the central key", () => {
    const stack = stacks.get("central")!;
    expect(role.arn).toBe(restore.roleArn);
    const drill = stack.resource.aws_s3_bucket.drill_bucket;
    expect(drill.bucket).toBe(`${central.bucketName}-drills`);
    const bucketRef = "${aws_s3_bucket.drill_bucket.id}";
    const of = (type: string) => resourcesOf(stack, type).find((r) => r.bucket === bucketRef)!;
    expect(of("aws_s3_bucket_versioning").versioning_configuration).toEqual({ status: "Enabled" });
    expect(of("aws_s3_bucket_server_side_encryption_configuration").rule[0].apply_server_side_encryption_by_default).toEqual({
      sse_algorithm: "aws:kms",
      kms_master_key_id: "${aws_kms_key.central_key.arn}",
    });
    expect(of("aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(of("aws_s3_bucket_lifecycle_configuration").rule).toEqual([
      expect.objectContaining({ status: "Enabled", expiration: [{ days: 1 }], noncurrent_version_expiration: [{ noncurrent_days: 1 }] }),
    ]);
  });

  test("only the roles listed in restore.assumableBy assume it", async () => {
    const assume = (principal: string) =>
      evaluate({
        principal,
        action: "sts:AssumeRole",
        resource: role.arn,
        resourceAccount: central.accountId,
        context: roleContext(principal, org),
        identityPolicies: [ALLOW_ALL],
        resourcePolicy: role.trust,
      });
    expect(await assume(restore.assumableBy[0])).toBe("Allowed");
    expect(await assume(`arn:aws:iam::${central.accountId}:role/Administrator`)).toBe("ImplicitlyDenied");
    for (const member of [a, b]) {
      expect(await assume(`arn:aws:iam::${member.accountId}:role/Admin`)).toBe("ImplicitlyDenied");
      expect(await assume(operator(member.accountId))).toBe("ImplicitlyDenied");
    }
  });

  test("reads every version and its tags, lists versions, and decrypts with the central key only through S3", async () => {
    for (const action of ["s3:GetObjectVersion", "s3:GetObjectVersionTagging", "s3:RestoreObject"]) {
      expect([action, await asRestoreRole(action, `${central.bucketArn}/${a.accountId}/x`, central.accountId, policies.centralBucketPolicy)]).toEqual([
        action,
        "Allowed",
      ]);
    }
    expect(await asRestoreRole("s3:ListBucketVersions", central.bucketArn, central.accountId, policies.centralBucketPolicy)).toBe("Allowed");
    const context = {
      "kms:CallerAccount": central.accountId,
      "kms:EncryptionContext:aws:s3:arn": central.bucketKey ? central.bucketArn : `${central.bucketArn}/${a.accountId}/x`,
    };
    expect(
      await asRestoreRole("kms:Decrypt", policies.centralKeyArn, central.accountId, centralKeyPolicy, {
        ...context,
        "kms:ViaService": `s3.${central.region}.amazonaws.com`,
      }),
    ).toBe("Allowed");
    expect(await asRestoreRole("kms:Decrypt", policies.centralKeyArn, central.accountId, centralKeyPolicy, context)).toBe("ImplicitlyDenied");
    for (const [action, resource] of [
      ["s3:DeleteObjectVersion", `${central.bucketArn}/${a.accountId}/x`],
      ["s3:PutObject", `${central.bucketArn}/${a.accountId}/x`],
      ["s3:PutBucketPolicy", central.bucketArn],
      ["s3:PutLifecycleConfiguration", central.bucketArn],
    ]) {
      // Explicitly: central's bucket policy leaves these to break glass alone.
      expect([action, await asRestoreRole(action, resource, central.accountId, policies.centralBucketPolicy)]).toEqual([action, "ExplicitlyDenied"]);
    }
  });

  test("writes member A's data only into A's bucket, under A's prefix", async () => {
    const intoA = (key: string, from: string) =>
      asRestoreRole("s3:PutObject", `${a.sourceBucketArn}/${key}`, a.accountId, a.sourceBucketPolicy, copyFrom(from));
    const intoB = (key: string, from: string) =>
      asRestoreRole("s3:PutObject", `${b.sourceBucketArn}/${key}`, b.accountId, b.sourceBucketPolicy, copyFrom(from));
    expect(await intoA(`${a.accountId}/data/report.csv`, a.accountId)).toBe("Allowed");
    expect(await intoA(`private/report.csv`, a.accountId)).toBe("ImplicitlyDenied");
    expect(await intoB(`${b.accountId}/data/report.csv`, a.accountId)).toBe("ExplicitlyDenied");
    expect(await intoB(`${a.accountId}/data/report.csv`, a.accountId)).not.toBe("Allowed");
    expect(await intoB(`${b.accountId}/data/report.csv`, b.accountId)).toBe("Allowed");
    expect(
      await asRestoreRole(
        "s3:PutObject",
        "arn:aws:s3:::payroll-exports/x",
        "999999999999",
        ALLOW_ALL_BUCKET("arn:aws:s3:::payroll-exports"),
        copyFrom(a.accountId),
      ),
    ).toBe("ImplicitlyDenied");
    // Its own account: the drill bucket and the extra targets, by its identity policy alone.
    expect(
      await asRestoreRole("s3:PutObject", `arn:aws:s3:::${restore.drillBucketName}/${a.accountId}/x`, central.accountId, undefined, copyFrom(a.accountId)),
    ).toBe("Allowed");
    for (const bucket of restore.extraTargetBuckets) {
      expect(await asRestoreRole("s3:PutObject", `arn:aws:s3:::${bucket}/x`, central.accountId, undefined, copyFrom(a.accountId))).toBe("Allowed");
    }
  });

  test("encrypts with A's source key only through S3, only under A's prefix", async () => {
    const encrypt = (extra: Record<string, string>) =>
      asRestoreRole("kms:GenerateDataKey", a.sourceKeyArn, a.accountId, a.sourceKeyPolicy, { "kms:CallerAccount": central.accountId, ...extra });
    const via = { "kms:ViaService": `s3.${a.region}.amazonaws.com` };
    expect(await encrypt({ ...via, "kms:EncryptionContext:aws:s3:arn": `${a.sourceBucketArn}/${a.accountId}/x` })).toBe("Allowed");
    expect(await encrypt({ ...via, "kms:EncryptionContext:aws:s3:arn": `${a.sourceBucketArn}/private/x` })).toBe("ImplicitlyDenied");
    expect(await encrypt({ "kms:EncryptionContext:aws:s3:arn": `${a.sourceBucketArn}/${a.accountId}/x` })).toBe("ImplicitlyDenied");
  });

  test("no member reads the central bucket or starts a restore into another member's bucket, even with full admin", async () => {
    const admin = `arn:aws:iam::${b.accountId}:role/Admin`;
    const asAdmin = (action: string, resource: string, resourceAccount: string, resourcePolicy: StackJson, extra: Record<string, string> = {}) =>
      evaluate({ principal: admin, action, resource, resourceAccount, context: roleContext(admin, org, extra), identityPolicies: [ALLOW_ALL], resourcePolicy });
    for (const action of ["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucketVersions"]) {
      const resource = action === "s3:ListBucketVersions" ? central.bucketArn : `${central.bucketArn}/${a.accountId}/x`;
      expect([action, await asAdmin(action, resource, central.accountId, policies.centralBucketPolicy)]).not.toEqual([action, "Allowed"]);
    }
    expect(await asAdmin("sts:AssumeRole", role.arn, central.accountId, role.trust)).toBe("ImplicitlyDenied");
    expect(await asAdmin("s3:PutObject", `${a.sourceBucketArn}/${a.accountId}/x`, a.accountId, a.sourceBucketPolicy, copyFrom(b.accountId))).toBe(
      "ImplicitlyDenied",
    );
  });

  test("without restore, the member policies carry no restore grant and central has no restore role or drill bucket", () => {
    const plain = synthStacks({ ...config, restore: undefined });
    const central = plain.get("central")!;
    expect(resourcesOf(central, "aws_iam_role")).toEqual([]);
    expect(central.resource.aws_s3_bucket.drill_bucket).toBeUndefined();
    const member = plain.get(`member-${a.accountId}`)!;
    expect(parsePolicy(onlyResource(member, "aws_s3_bucket_policy").policy).Statement.map((s: StackJson) => s.Sid)).toEqual(["DenyInsecureTransport"]);
    expect(JSON.stringify(member.resource.aws_kms_key.source_key.policy)).not.toContain("Restore");
  });
});

function ALLOW_ALL_BUCKET(bucketArn: string): StackJson {
  return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:*", Resource: [bucketArn, `${bucketArn}/*`] }] };
}
