import { config as example } from "./fixtures/example";
import { allOptions, defaultsWithCi, withVault } from "./fixtures/configs";
import { validateConfig } from "../lib/core/config/validate";
import { replicationBoundaryPolicy } from "../lib/infra/policies/permissions-boundary";
import { sourceBucketArns } from "../lib/infra/policies/project-resources";
import { evaluate, roleContext } from "./support/iam";
import { StackJson, onlyResource, parsePolicy, resourcesOf, synthStacks } from "./support/synth";
import { synthesizedPolicies } from "./support/synthesized-policies";

const without = synthStacks(example);
const vaulted = synthStacks(withVault(example));
const rulesOf = (stack: StackJson): StackJson[] => onlyResource(stack, "aws_s3_bucket_replication_configuration").rule;
const replicationRolePolicy = (stack: StackJson): StackJson =>
  parsePolicy(resourcesOf(stack, "aws_iam_role_policy").find((p) => p.name === "s3-central-backup-replication-permissions")!.policy);
const sids = (policy: StackJson): string[] => policy.Statement.map((s: StackJson) => s.Sid);

describe("members with a vault", () => {
  test("each member's configuration gains exactly one rule: its whole prefix into the vault bucket, owned by the vault account, under the vault key", () => {
    for (const name of [...without.keys()].filter((n) => n.startsWith("member-"))) {
      const accountId = name.replace("member-", "");
      const before = rulesOf(without.get(name)!);
      const after = rulesOf(vaulted.get(name)!);
      expect(after.slice(0, before.length)).toEqual(before);
      expect(after).toHaveLength(before.length + 1);
      const rule = after[before.length];
      expect(rule).toMatchObject({ id: `vault-backup-${accountId}`, status: "Enabled", filter: { prefix: `${accountId}/` } });
      expect(rule.priority).toBeGreaterThan(Math.max(...before.map((r) => r.priority as number)));
      expect(rule.destination).toMatchObject({
        bucket: "arn:aws:s3:::acme-org-backup-vault",
        account: "101010101010",
        access_control_translation: { owner: "Destination" },
        // Until vault.keyArn pins it, the key by its alias ARN in the vault account (docs/vault.md).
        encryption_configuration: { replica_kms_key_id: "arn:aws:kms:eu-west-2:101010101010:alias/backup-vault" },
        replication_time: { status: "Enabled", time: { minutes: 15 } },
      });
    }
  });

  test("a pinned vault.keyArn names the key itself, in the rule and the role's policy", () => {
    const stack = synthStacks(allOptions, { only: ["member-777777777777"] }).get("member-777777777777")!;
    const rule = rulesOf(stack).find((r) => r.id === "vault-backup-777777777777")!;
    expect(rule.destination.encryption_configuration.replica_kms_key_id).toBe(allOptions.vault!.keyArn);
    // Without Replication Time Control for this member, the vault rule has none either.
    expect(rule.destination.replication_time).toBeUndefined();
    const role = parsePolicy(resourcesOf(stack, "aws_iam_role_policy").find((p) => p.name === "org-backup-replication-permissions")!.policy);
    expect(role.Statement.find((s: StackJson) => s.Sid === "EncryptReplicasWithVaultKeyThroughS3").Resource).toBe(allOptions.vault!.keyArn);
  });

  test("the replication role gains exactly the writes under its own vault prefix and encryption with the vault key through S3", () => {
    const before = replicationRolePolicy(without.get("member-222222222222")!);
    const after = replicationRolePolicy(vaulted.get("member-222222222222")!);
    expect(after.Statement.slice(0, before.Statement.length)).toEqual(before.Statement);
    expect(after.Statement.slice(before.Statement.length)).toEqual([
      {
        Sid: "ReplicateIntoOwnVaultPrefix",
        Effect: "Allow",
        Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"],
        Resource: "arn:aws:s3:::acme-org-backup-vault/222222222222/*",
      },
      {
        Sid: "EncryptReplicasWithVaultKeyThroughS3",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:GenerateDataKey"],
        Resource: "arn:aws:kms:eu-west-2:101010101010:key/*",
        Condition: {
          StringEquals: { "kms:ViaService": "s3.eu-west-2.amazonaws.com" },
          StringLike: { "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::acme-org-backup-vault/222222222222/*" },
        },
      },
    ]);
  });

  test("the replication boundary gains exactly the replication writes into the vault bucket", () => {
    const config = validateConfig(withVault(defaultsWithCi));
    const before = replicationBoundaryPolicy(config.central, sourceBucketArns(config));
    const after = replicationBoundaryPolicy(config.central, sourceBucketArns(config), config.vault);
    expect(sids(after).filter((s) => !sids(before).includes(s))).toEqual(["ReplicationWritesOnlyIntoTheVaultBucket"]);
    expect(after.Statement.filter((s) => sids(before).includes(s.Sid))).toEqual(before.Statement);
    expect(after.Statement.find((s) => s.Sid === "ReplicationWritesOnlyIntoTheVaultBucket")!.Resource).toEqual([
      "arn:aws:s3:::acme-org-backup-vault",
      "arn:aws:s3:::acme-org-backup-vault/*",
    ]);
  });

  test("only the members' replication configuration and role policy change; central is byte-identical", () => {
    expect(JSON.stringify(vaulted.get("central"))).toBe(JSON.stringify(without.get("central")));
    for (const name of [...without.keys()].filter((n) => n !== "central")) {
      const strip = (stack: StackJson) => {
        const copy = JSON.parse(JSON.stringify(stack));
        delete copy.resource.aws_s3_bucket_replication_configuration;
        copy.resource.aws_iam_role_policy = resourcesOf(stack, "aws_iam_role_policy").filter((p) => !p.name.startsWith("s3-central-backup-replication-p"));
        return copy;
      };
      expect(strip(vaulted.get(name)!)).toEqual(strip(without.get(name)!));
    }
  });
});

describe("a member's replication role, with its own policy and boundary, against the vault bucket and key", () => {
  const config = withVault(defaultsWithCi);
  const resolved = validateConfig(config);
  const vault = resolved.vault!;
  const policies = synthesizedPolicies(config, synthStacks(config));
  const [a, b] = [...policies.members.values()];
  const boundary = replicationBoundaryPolicy(resolved.central, sourceBucketArns(resolved), vault);
  const asReplicationRole = (action: string, resource: string, extra: Record<string, string> = {}) =>
    evaluate({
      principal: a.replicationRoleArn,
      action,
      resource,
      resourceAccount: vault.accountId,
      context: roleContext(a.replicationRoleArn, resolved.organizationId, extra),
      identityPolicies: [a.replicationRolePolicy],
      permissionsBoundary: boundary,
      resourcePolicy: action.startsWith("kms:") ? policies.vault!.keyPolicy : policies.vault!.bucketPolicy,
    });
  const viaS3 = (objectArn: string) => ({ "kms:ViaService": `s3.${vault.region}.amazonaws.com`, "kms:EncryptionContext:aws:s3:arn": objectArn });

  test("writes replicas under its own prefix, and encrypts them with the vault key through S3", async () => {
    for (const action of ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"])
      expect([action, await asReplicationRole(action, `${vault.bucketArn}/${a.accountId}/x`)]).toEqual([action, "Allowed"]);
    const own = `${vault.bucketArn}/${a.accountId}/x`;
    expect(await asReplicationRole("kms:GenerateDataKey", policies.vault!.keyArn, viaS3(own))).toBe("Allowed");
  });

  test("never under another member's prefix, never deletes, overwrites or reads, never uses the key directly", async () => {
    const theirs = `${vault.bucketArn}/${b.accountId}/x`;
    expect(await asReplicationRole("s3:ReplicateObject", theirs)).not.toBe("Allowed");
    expect(await asReplicationRole("kms:GenerateDataKey", policies.vault!.keyArn, viaS3(theirs))).not.toBe("Allowed");
    expect(await asReplicationRole("kms:GenerateDataKey", policies.vault!.keyArn)).not.toBe("Allowed");
    for (const action of ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObject", "s3:GetObject", "s3:PutObjectRetention"])
      expect([action, await asReplicationRole(action, `${vault.bucketArn}/${a.accountId}/x`)]).toEqual([action, expect.stringMatching(/Denied/)]);
  });
});
