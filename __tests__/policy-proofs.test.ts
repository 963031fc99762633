/**
 * Proofs, with a real IAM evaluation engine, over the policies the stacks synthesize:
 * each test would fail if the policy were wrong (a deliberately broken policy makes them
 * fail).
 */

import { config as example } from "./fixtures/example";
import { config as allOptions } from "./fixtures/all-options";
import type { BackupConfig } from "../lib/core/config/types";
import { REPLICATION_WRITE_ACTIONS } from "../lib/infra/policies/central-policies";
import { validateConfig } from "../lib/core/config/validate";
import { evaluate, roleContext } from "./support/iam";
import { MemberPolicies, synthesizedPolicies } from "./support/synthesized-policies";

const OTHER_ORG = "o-0therorg000";
const OUTSIDER_ACCOUNT = "999999999999";
/** An identity policy that allows everything: only the resource side can then stop a request. */
const ALLOW_ALL = (service: string) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: `${service}:*`, Resource: "*" }] });

describe.each([
  ["example (organization mode)", example],
  ["all-options (listed-accounts, bucket keys, cross-region)", allOptions],
] as [string, BackupConfig][])("%s", (_name, config) => {
  const resolved = validateConfig(config);
  const { central } = resolved;
  const org = resolved.organizationId;
  const policies = synthesizedPolicies(config);
  const members = [...policies.members.values()];
  const [a, b] = members;
  const centralObject = (prefix: string) => `${central.bucketArn}/${prefix}backup/object.bin`;
  const viaS3 = (region: string) => `s3.${region}.amazonaws.com`;
  const replicationRoleIn = (accountId: string) => `arn:aws:iam::${accountId}:role/${central.replicationRoleName}`;

  /** Member role writing into the central bucket: cross-account, role policy + bucket policy. */
  const replicate = (member: MemberPolicies, action: string, resource: string, extra: Record<string, string> = {}) =>
    evaluate({
      principal: member.replicationRoleArn,
      action,
      resource,
      resourceAccount: central.accountId,
      context: roleContext(member.replicationRoleArn, org, extra),
      identityPolicies: [member.replicationRolePolicy],
      resourcePolicy: policies.centralBucketPolicy,
    });

  /** Encrypt with the central key, as S3 does for a replica (context: object ARN, or bucket ARN with bucket keys). */
  const encryptWithCentralKey = (
    member: MemberPolicies,
    objectArn: string,
    extra: Record<string, string> = {},
    principal = member.replicationRoleArn,
    orgId = org,
  ) =>
    evaluate({
      principal,
      action: "kms:Encrypt",
      resource: policies.centralKeyArn,
      resourceAccount: central.accountId,
      context: roleContext(principal, orgId, {
        "kms:CallerAccount": principal.split(":")[4],
        "kms:EncryptionContext:aws:s3:arn": central.bucketKey ? central.bucketArn : objectArn,
        ...extra,
      }),
      identityPolicies: [member.replicationRolePolicy],
      resourcePolicy: policies.centralKeyPolicy,
    });

  describe("replication into the central bucket", () => {
    test.each(REPLICATION_WRITE_ACTIONS.map((action) => [action]))("each member's role may %s under its own prefix only", async (action) => {
      for (const member of members) {
        expect([member.accountId, await replicate(member, action, centralObject(`${member.accountId}/`))]).toEqual([member.accountId, "Allowed"]);
        const other = member === a ? b : a;
        expect(await replicate(member, action, centralObject(`${other.accountId}/`))).not.toBe("Allowed");
        expect(await replicate(member, action, `${central.bucketArn}/object-at-root.bin`)).not.toBe("Allowed");
      }
    });

    test("the central bucket policy alone confines each account: a replication role edited to allow s3:* still writes only under its own prefix", async () => {
      for (const member of members) {
        const edited = { ...member, replicationRolePolicy: ALLOW_ALL("s3") };
        const other = member === a ? b : a;
        expect(await replicate(edited, "s3:ReplicateObject", centralObject(`${member.accountId}/`))).toBe("Allowed");
        expect([member.accountId, await replicate(edited, "s3:ReplicateObject", centralObject(`${other.accountId}/`))]).toEqual([
          member.accountId,
          "ImplicitlyDenied",
        ]);
        // Explicitly since the break-glass locks: only break glass writes, deletes or re-policies.
        expect(await replicate(edited, "s3:PutObject", centralObject(`${member.accountId}/`))).toBe("ExplicitlyDenied");
        expect(await replicate(edited, "s3:DeleteObjectVersion", centralObject(`${member.accountId}/`))).toBe("ExplicitlyDenied");
        expect(await replicate(edited, "s3:PutBucketPolicy", central.bucketArn)).toBe("ExplicitlyDenied");
      }
    });

    test("the central bucket policy lets replication roles read the bucket's versioning state, not list it, even with s3:*", async () => {
      for (const member of members) {
        const edited = { ...member, replicationRolePolicy: ALLOW_ALL("s3") };
        expect([member.accountId, await replicate(edited, "s3:GetBucketVersioning", central.bucketArn)]).toEqual([member.accountId, "Allowed"]);
        for (const prefix of [undefined, `${member.accountId}/`, `${(member === a ? b : a).accountId}/`]) {
          for (const action of ["s3:ListBucket", "s3:ListBucketVersions"]) {
            const listing = await replicate(edited, action, central.bucketArn, prefix === undefined ? {} : { "s3:prefix": prefix });
            expect([member.accountId, action, prefix, listing]).toEqual([member.accountId, action, prefix, "ImplicitlyDenied"]);
          }
        }
        expect(await replicate(edited, "s3:ListBucketMultipartUploads", central.bucketArn)).toBe("ImplicitlyDenied");
        expect(await replicate(edited, "s3:PutBucketVersioning", central.bucketArn)).toBe("ExplicitlyDenied");
      }
    });

    test("the role policy alone confines writes to the own prefix, whatever a destination's policy allows", async () => {
      const openBucket = {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:*", Resource: [central.bucketArn, `${central.bucketArn}/*`] }],
      };
      const write = (resource: string) =>
        evaluate({
          principal: a.replicationRoleArn,
          action: "s3:ReplicateObject",
          resource,
          resourceAccount: central.accountId,
          context: roleContext(a.replicationRoleArn, org),
          identityPolicies: [a.replicationRolePolicy],
          resourcePolicy: openBucket,
        });
      expect(await write(centralObject(`${a.accountId}/`))).toBe("Allowed");
      expect(await write(centralObject(`${b.accountId}/`))).toBe("ImplicitlyDenied");
      expect(await write("arn:aws:s3:::any-other-bucket/x")).toBe("ImplicitlyDenied");
    });

    test("a principal of another organization is denied, even with the replication role's name and s3:*", async () => {
      const outsider = replicationRoleIn(OUTSIDER_ACCOUNT);
      const decision = await evaluate({
        principal: outsider,
        action: "s3:ReplicateObject",
        resource: centralObject(`${OUTSIDER_ACCOUNT}/`),
        resourceAccount: central.accountId,
        context: roleContext(outsider, OTHER_ORG),
        identityPolicies: [ALLOW_ALL("s3")],
        resourcePolicy: policies.centralBucketPolicy,
      });
      expect(decision).not.toBe("Allowed");
    });

    test("a principal of the organization that is not the replication role is denied, even with s3:*", async () => {
      const admin = `arn:aws:iam::${a.accountId}:role/Administrator`;
      const decision = await evaluate({
        principal: admin,
        action: "s3:PutObject",
        resource: centralObject(`${a.accountId}/`),
        resourceAccount: central.accountId,
        context: roleContext(admin, org),
        identityPolicies: [ALLOW_ALL("s3")],
        resourcePolicy: policies.centralBucketPolicy,
      });
      expect(decision).not.toBe("Allowed");
      expect(
        await replicate({ ...a, replicationRoleArn: admin, replicationRolePolicy: ALLOW_ALL("s3") }, "s3:ReplicateObject", centralObject(`${a.accountId}/`)),
      ).not.toBe("Allowed");
    });

    test("an organization account that is not in accounts.ts is admitted only in organization mode", async () => {
      const unlisted = replicationRoleIn(OUTSIDER_ACCOUNT);
      const decision = await evaluate({
        principal: unlisted,
        action: "s3:ReplicateObject",
        resource: centralObject(`${OUTSIDER_ACCOUNT}/`),
        resourceAccount: central.accountId,
        context: roleContext(unlisted, org),
        identityPolicies: [ALLOW_ALL("s3")],
        resourcePolicy: policies.centralBucketPolicy,
      });
      expect(decision).toBe(central.accessMode === "organization" ? "Allowed" : "ImplicitlyDenied");
    });
  });

  describe("TLS only", () => {
    test("no request without TLS reaches the central bucket, not even its own account's administrator", async () => {
      expect(await replicate(a, "s3:ReplicateObject", centralObject(`${a.accountId}/`), { "aws:SecureTransport": "false" })).toBe("ExplicitlyDenied");
      const admin = `arn:aws:iam::${central.accountId}:role/Administrator`;
      const read = (secure: string) =>
        evaluate({
          principal: admin,
          action: "s3:ListBucketVersions",
          resource: central.bucketArn,
          resourceAccount: central.accountId,
          context: roleContext(admin, org, { "aws:SecureTransport": secure }),
          identityPolicies: [ALLOW_ALL("s3")],
          resourcePolicy: policies.centralBucketPolicy,
        });
      expect(await read("true")).toBe("Allowed");
      expect(await read("false")).toBe("ExplicitlyDenied");
    });

    test("no request without TLS reaches any source bucket", async () => {
      for (const member of members) {
        const admin = `arn:aws:iam::${member.accountId}:role/Administrator`;
        const put = (secure: string) =>
          evaluate({
            principal: admin,
            action: "s3:PutObject",
            resource: `${member.sourceBucketArn}/${member.accountId}/data.csv`,
            resourceAccount: member.accountId,
            context: roleContext(admin, org, { "aws:SecureTransport": secure }),
            identityPolicies: [ALLOW_ALL("s3")],
            resourcePolicy: member.sourceBucketPolicy,
          });
        expect([member.accountId, await put("true"), await put("false")]).toEqual([member.accountId, "Allowed", "ExplicitlyDenied"]);
      }
    });
  });

  describe("the replication role on its source bucket", () => {
    const onSource = (member: MemberPolicies, action: string, resource: string) =>
      evaluate({
        principal: member.replicationRoleArn,
        action,
        resource,
        resourceAccount: member.accountId,
        context: roleContext(member.replicationRoleArn, org),
        identityPolicies: [member.replicationRolePolicy],
        resourcePolicy: member.sourceBucketPolicy,
      });

    test("reads source objects only through the replication actions", async () => {
      for (const member of members) {
        const object = `${member.sourceBucketArn}/${member.accountId}/data.csv`;
        for (const action of ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"]) {
          expect([action, await onSource(member, action, object)]).toEqual([action, "Allowed"]);
        }
        for (const action of ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"]) {
          expect([action, await onSource(member, action, object)]).toEqual([action, "ImplicitlyDenied"]);
        }
        expect(await onSource(member, "s3:GetReplicationConfiguration", member.sourceBucketArn)).toBe("Allowed");
      }
    });

    test("cannot touch other buckets or objects outside its account prefix", async () => {
      expect(await onSource(a, "s3:GetObjectVersionForReplication", `arn:aws:s3:::some-other-bucket/${a.accountId}/data.csv`)).toBe("ImplicitlyDenied");
      expect(await onSource(a, "s3:GetObjectVersionForReplication", `${a.sourceBucketArn}/private/data.csv`)).toBe("ImplicitlyDenied");
      expect(await onSource(a, "s3:ListBucket", "arn:aws:s3:::some-other-bucket")).toBe("ImplicitlyDenied");
    });
  });

  describe("the central key", () => {
    test("each member's role may encrypt only through S3 in the central region", async () => {
      for (const member of members) {
        const object = centralObject(`${member.accountId}/`);
        expect([member.accountId, await encryptWithCentralKey(member, object, { "kms:ViaService": viaS3(central.region) })]).toEqual([
          member.accountId,
          "Allowed",
        ]);
        expect(await encryptWithCentralKey(member, object)).toBe("ImplicitlyDenied");
        expect(await encryptWithCentralKey(member, object, { "kms:ViaService": viaS3("ap-south-1") })).toBe("ImplicitlyDenied");
        expect(await encryptWithCentralKey(member, object, { "kms:ViaService": `dynamodb.${central.region}.amazonaws.com` })).toBe("ImplicitlyDenied");
      }
    });

    test("the central key policy alone requires S3 in the central region: a role edited to allow kms:* gains nothing else", async () => {
      const edited = { ...a, replicationRolePolicy: ALLOW_ALL("kms") };
      const object = centralObject(`${a.accountId}/`);
      expect(await encryptWithCentralKey(edited, object, { "kms:ViaService": viaS3(central.region) })).toBe("Allowed");
      expect(await encryptWithCentralKey(edited, object)).toBe("ImplicitlyDenied");
      expect(await encryptWithCentralKey(edited, object, { "kms:ViaService": viaS3("ap-south-1") })).toBe("ImplicitlyDenied");
      const decrypt = await evaluate({
        principal: a.replicationRoleArn,
        action: "kms:Decrypt",
        resource: policies.centralKeyArn,
        resourceAccount: central.accountId,
        context: roleContext(a.replicationRoleArn, org, { "kms:ViaService": viaS3(central.region), "kms:CallerAccount": a.accountId }),
        identityPolicies: [ALLOW_ALL("kms")],
        resourcePolicy: policies.centralKeyPolicy,
      });
      expect(decrypt).toBe("ImplicitlyDenied");
    });

    test("encryption context outside the central bucket (or, without bucket keys, outside the own prefix) is denied", async () => {
      const ok = { "kms:ViaService": viaS3(central.region) };
      const foreign = await evaluate({
        principal: a.replicationRoleArn,
        action: "kms:Encrypt",
        resource: policies.centralKeyArn,
        resourceAccount: central.accountId,
        context: roleContext(a.replicationRoleArn, org, {
          ...ok,
          "kms:CallerAccount": a.accountId,
          "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::another-bucket/x",
        }),
        identityPolicies: [a.replicationRolePolicy],
        resourcePolicy: policies.centralKeyPolicy,
      });
      expect(foreign).toBe("ImplicitlyDenied");
      if (!central.bucketKey) expect(await encryptWithCentralKey(a, centralObject(`${b.accountId}/`), ok)).toBe("ImplicitlyDenied");
    });

    test("a role of another organization may not encrypt with it", async () => {
      const outsider = replicationRoleIn(OUTSIDER_ACCOUNT);
      const decision = await encryptWithCentralKey(
        { ...a, replicationRolePolicy: ALLOW_ALL("kms") },
        centralObject(`${OUTSIDER_ACCOUNT}/`),
        { "kms:ViaService": viaS3(central.region) },
        outsider,
        OTHER_ORG,
      );
      expect(decision).toBe("ImplicitlyDenied");
    });

    test("only the central account's break-glass role administers it", async () => {
      const administer = (principal: string, action: string) =>
        evaluate({
          principal,
          action,
          resource: policies.centralKeyArn,
          resourceAccount: central.accountId,
          context: roleContext(principal, org),
          identityPolicies: [ALLOW_ALL("kms")],
          resourcePolicy: policies.centralKeyPolicy,
        });
      for (const action of ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey"]) {
        expect([action, await administer(resolved.central.breakGlassRoleArn, action)]).toEqual([action, "Allowed"]);
        for (const other of [`arn:aws:iam::${central.accountId}:role/Administrator`, `arn:aws:iam::${a.accountId}:role/Administrator`, a.replicationRoleArn]) {
          expect([action, other, await administer(other, action)]).toEqual([action, other, "ExplicitlyDenied"]);
        }
      }
    });
  });

  describe("the source keys", () => {
    const decrypt = (member: MemberPolicies, extra: Record<string, string>) =>
      evaluate({
        principal: member.replicationRoleArn,
        action: "kms:Decrypt",
        resource: member.sourceKeyArn,
        resourceAccount: member.accountId,
        context: roleContext(member.replicationRoleArn, org, {
          "kms:CallerAccount": member.accountId,
          "kms:EncryptionContext:aws:s3:arn": `${member.sourceBucketArn}/${member.accountId}/data.csv`,
          ...extra,
        }),
        identityPolicies: [member.replicationRolePolicy],
        resourcePolicy: member.sourceKeyPolicy,
      });

    test("the replication role may decrypt only through S3 in the member's region", async () => {
      for (const member of members) {
        expect([member.accountId, await decrypt(member, { "kms:ViaService": viaS3(member.region) })]).toEqual([member.accountId, "Allowed"]);
        expect(await decrypt(member, {})).toBe("ImplicitlyDenied");
        const otherRegion = member.region === "us-west-2" ? "eu-north-1" : "us-west-2";
        expect(await decrypt(member, { "kms:ViaService": viaS3(otherRegion) })).toBe("ImplicitlyDenied");
      }
    });

    test("the replication role may not encrypt with or administer its source key", async () => {
      expect(
        await evaluate({
          principal: a.replicationRoleArn,
          action: "kms:PutKeyPolicy",
          resource: a.sourceKeyArn,
          resourceAccount: a.accountId,
          context: roleContext(a.replicationRoleArn, org),
          identityPolicies: [a.replicationRolePolicy],
          resourcePolicy: a.sourceKeyPolicy,
        }),
      ).toBe("ImplicitlyDenied");
    });

    test("nobody outside the member account administers it", async () => {
      for (const member of members) {
        for (const principal of [`arn:aws:iam::${central.accountId}:role/Administrator`, `arn:aws:iam::${OUTSIDER_ACCOUNT}:root`]) {
          const decision = await evaluate({
            principal,
            action: "kms:ScheduleKeyDeletion",
            resource: member.sourceKeyArn,
            resourceAccount: member.accountId,
            context: roleContext(principal, org),
            identityPolicies: [ALLOW_ALL("kms")],
            resourcePolicy: member.sourceKeyPolicy,
          });
          expect([member.accountId, principal, decision]).toEqual([member.accountId, principal, "ImplicitlyDenied"]);
        }
      }
    });
  });

  describe("who may assume the roles", () => {
    const assume = (roleArn: string, trust: object, service: string, sourceAccount: string, sourceArn?: string) =>
      evaluate({
        principal: service,
        action: "sts:AssumeRole",
        resource: roleArn,
        resourceAccount: roleArn.split(":")[4],
        context: { "aws:SourceAccount": sourceAccount, ...(sourceArn ? { "aws:SourceArn": sourceArn } : {}) },
        resourcePolicy: trust,
      });

    test("the replication role: only s3.amazonaws.com acting for its own account and bucket", async () => {
      for (const member of members) {
        const role = member.replicationRoleArn;
        expect(await assume(role, member.replicationTrustPolicy, "s3.amazonaws.com", member.accountId, member.sourceBucketArn)).toBe("Allowed");
        expect(await assume(role, member.replicationTrustPolicy, "s3.amazonaws.com", OUTSIDER_ACCOUNT, "arn:aws:s3:::attacker-bucket")).toBe(
          "ImplicitlyDenied",
        );
        expect(await assume(role, member.replicationTrustPolicy, "s3.amazonaws.com", member.accountId, "arn:aws:s3:::another-bucket-of-the-account")).toBe(
          "ImplicitlyDenied",
        );
        expect(await assume(role, member.replicationTrustPolicy, "lambda.amazonaws.com", member.accountId, member.sourceBucketArn)).toBe("ImplicitlyDenied");
      }
    });

    test("the batch replication role: only S3 Batch Operations for its own account", async () => {
      const withBatch = members.filter((m) => m.batchRoleArn);
      expect(withBatch.length).toBeGreaterThan(0);
      for (const member of withBatch) {
        const job = (account: string, region = member.region) => `arn:aws:s3:${region}:${account}:job/0a1b2c3d-4e5f`;
        const batch = "batchoperations.s3.amazonaws.com";
        expect(await assume(member.batchRoleArn!, member.batchTrustPolicy!, batch, member.accountId, job(member.accountId))).toBe("Allowed");
        expect(await assume(member.batchRoleArn!, member.batchTrustPolicy!, batch, OUTSIDER_ACCOUNT, job(OUTSIDER_ACCOUNT))).toBe("ImplicitlyDenied");
        expect(await assume(member.batchRoleArn!, member.batchTrustPolicy!, "s3.amazonaws.com", member.accountId, job(member.accountId))).toBe(
          "ImplicitlyDenied",
        );
        // Confused deputy: aws:SourceArn too, not the account alone.
        expect(await assume(member.batchRoleArn!, member.batchTrustPolicy!, batch, member.accountId)).toBe("ImplicitlyDenied");
        expect(
          await assume(member.batchRoleArn!, member.batchTrustPolicy!, batch, member.accountId, `arn:aws:s3:${member.region}:${OUTSIDER_ACCOUNT}:job/x`),
        ).toBe("ImplicitlyDenied");
      }
    });
  });
});
