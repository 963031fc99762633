/**
 * Replicas the central account can always read. Proven with
 * iam-simulate on the synthesized central bucket and key policies and the members' replication
 * role policies, and with synth tests on the replication configuration.
 */

import type { BackupConfig } from "../lib/core/config/types";
import { validateConfig } from "../lib/core/config/validate";
import { allOptions, defaultsWithCi } from "./fixtures/configs";
import { evaluate, roleContext } from "./support/iam";
import { StackJson, onlyResource, synthStacks } from "./support/synth";
import { synthesizedPolicies } from "./support/synthesized-policies";

describe.each([
  ["defaults (no central.keyArn yet, no bucket keys)", defaultsWithCi],
  ["all-options (central.keyArn pinned, bucket keys)", allOptions],
] as [string, BackupConfig][])("%s", (_name, config) => {
  const resolved = validateConfig(config);
  const { central } = resolved;
  const stacks = synthStacks(config);
  const policies = synthesizedPolicies(config, stacks);
  const [a] = [...policies.members.values()];
  const replica = `${central.bucketArn}/${a.accountId}/data/report.csv`;
  const centralKey = policies.centralKeyArn;
  const replicate = (headers: Record<string, string>) =>
    evaluate({
      principal: a.replicationRoleArn,
      action: "s3:ReplicateObject",
      resource: replica,
      resourceAccount: central.accountId,
      context: roleContext(a.replicationRoleArn, resolved.organizationId, headers),
      identityPolicies: [a.replicationRolePolicy],
      resourcePolicy: policies.centralBucketPolicy,
    });
  const sse = (algorithm: string, keyId?: string) => ({
    "s3:x-amz-server-side-encryption": algorithm,
    ...(keyId ? { "s3:x-amz-server-side-encryption-aws-kms-key-id": keyId } : {}),
  });

  describe("point 3: the central bucket accepts only SSE-KMS replicas with a key of the central account", () => {
    test("SSE-KMS with the central key is accepted, and so is a request that carries no encryption header (not denied by accident)", async () => {
      expect(await replicate(sse("aws:kms", centralKey))).toBe("Allowed");
      expect(await replicate(sse("aws:kms"))).toBe("Allowed");
      expect(await replicate({})).toBe("Allowed");
    });

    test.each([
      ["SSE-S3", sse("AES256")],
      ["DSSE-KMS", sse("aws:kms:dsse", "arn:aws:kms:eu-central-1:111111111111:key/0a1b2c3d-0000-4000-8000-000000000000")],
      ["SSE-C", { "s3:x-amz-server-side-encryption-customer-algorithm": "AES256" }],
      ["SSE-KMS with the member's own key", sse("aws:kms", a.sourceKeyArn)],
      [
        "SSE-KMS with a key of another account in the central region",
        sse("aws:kms", `arn:aws:kms:${central.region}:999999999999:key/0a1b2c3d-0000-4000-8000-000000000000`),
      ],
    ])("%s is denied, explicitly, even for a replication role edited to allow s3:*", async (_what, headers) => {
      expect(await replicate(headers)).toBe("ExplicitlyDenied");
      const edited = await evaluate({
        principal: a.replicationRoleArn,
        action: "s3:ReplicateObject",
        resource: replica,
        resourceAccount: central.accountId,
        context: roleContext(a.replicationRoleArn, resolved.organizationId, headers),
        identityPolicies: [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }],
        resourcePolicy: policies.centralBucketPolicy,
      });
      expect(edited).toBe("ExplicitlyDenied");
    });

    test("point 12: once central.keyArn is set only that key is accepted; before, any key of the central account in its region", async () => {
      const otherCentralKey = `arn:aws:kms:${central.region}:${central.accountId}:key/99999999-0000-4000-8000-000000000000`;
      expect(await replicate(sse("aws:kms", otherCentralKey))).toBe(config.central.keyArn ? "ExplicitlyDenied" : "Allowed");
      const rule = onlyResource(stacks.get(`member-${a.accountId}`)!, "aws_s3_bucket_replication_configuration").rule[0];
      expect(rule.destination.encryption_configuration.replica_kms_key_id).toBe(
        config.central.keyArn ?? `arn:aws:kms:${central.region}:${central.accountId}:${central.keyAlias}`,
      );
    });
  });

  describe("point 5: S3 Bucket Keys", () => {
    const decryptViaS3 = () =>
      evaluate({
        principal: a.replicationRoleArn,
        action: "kms:Decrypt",
        resource: centralKey,
        resourceAccount: central.accountId,
        context: roleContext(a.replicationRoleArn, resolved.organizationId, {
          "kms:CallerAccount": a.accountId,
          "kms:ViaService": `s3.${central.region}.amazonaws.com`,
          "kms:EncryptionContext:aws:s3:arn": central.bucketKey ? central.bucketArn : replica,
        }),
        identityPolicies: [a.replicationRolePolicy],
        resourcePolicy: policies.centralKeyPolicy,
      });

    test("with bucket keys the replication role may kms:Decrypt the central key through S3 (the S3 User Guide's grant); without, it may not", async () => {
      expect(await decryptViaS3()).toBe(central.bucketKey ? "Allowed" : "ImplicitlyDenied");
    });

    test("the grant keeps the via-service and encryption-context conditions: no direct call, no other bucket", async () => {
      const decrypt = (extra: Record<string, string>) =>
        evaluate({
          principal: a.replicationRoleArn,
          action: "kms:Decrypt",
          resource: centralKey,
          resourceAccount: central.accountId,
          context: roleContext(a.replicationRoleArn, resolved.organizationId, { "kms:CallerAccount": a.accountId, ...extra }),
          identityPolicies: [a.replicationRolePolicy],
          resourcePolicy: policies.centralKeyPolicy,
        });
      expect(await decrypt({})).toBe("ImplicitlyDenied");
      expect(await decrypt({ "kms:ViaService": `s3.${central.region}.amazonaws.com`, "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::another-bucket" })).toBe(
        "ImplicitlyDenied",
      );
    });
  });

  test("point 11: the replication configuration waits for versioning, the source's default encryption and the role's policy", () => {
    const stack = stacks.get(`member-${a.accountId}`)!;
    const dependsOn: string[] = onlyResource(stack, "aws_s3_bucket_replication_configuration").depends_on;
    const addressOf = (type: string, match: (r: StackJson) => boolean = () => true) =>
      Object.entries<StackJson>(stack.resource[type])
        .filter(([, r]) => match(r))
        .map(([id]) => `${type}.${id}`);
    const [policy] = addressOf("aws_iam_role_policy", (p) => p.name === `${central.replicationRoleName}-permissions`);
    const [encryption] = addressOf("aws_s3_bucket_server_side_encryption_configuration");
    const [versioning] = addressOf("aws_s3_bucket_versioning");
    expect([policy, encryption, versioning].every(Boolean)).toBe(true);
    expect(dependsOn).toEqual(expect.arrayContaining([policy, encryption, versioning]));
  });
});
