import { config as example } from "./fixtures/example";
import { withVault } from "./fixtures/configs";
import { VAULT_BUCKET_LOCKED_ACTIONS, VAULT_KEY_LOCKED_ACTIONS } from "../lib/infra/policies/vault-policies";
import { StackJson, onlyResource, parsePolicy, synthStacks } from "./support/synth";

const vaulted = withVault(example);
const stacks = synthStacks(vaulted);
const vault = stacks.get("vault")!;
const statement = (policy: StackJson, sid: string) => policy.Statement.find((s: StackJson) => s.Sid === sid);

describe("the vault stack", () => {
  test("exists only with `vault`, deployed into the vault account with its own aliased provider and deploy role", () => {
    expect(synthStacks(example).has("vault")).toBe(false);
    expect([...stacks.keys()]).toContain("vault");
    const [provider] = vault.provider.aws;
    expect(provider).toMatchObject({ alias: "vault", region: "eu-west-2", allowed_account_ids: ["101010101010"] });
    expect(provider.assume_role).toEqual([{ role_arn: `arn:aws:iam::101010101010:role/${example.central.deployRoleName}`, session_name: "s3-backup-vault" }]);
  });

  test("its bucket: Object Lock COMPLIANCE for vault.objectLockDays, SSE-KMS with the vault key, versioned, public access blocked", () => {
    expect(onlyResource(vault, "aws_s3_bucket")).toMatchObject({
      bucket: "acme-org-backup-vault",
      object_lock_enabled: true,
      lifecycle: { prevent_destroy: true },
    });
    expect(onlyResource(vault, "aws_s3_bucket_object_lock_configuration").rule).toEqual({ default_retention: { mode: "COMPLIANCE", days: 35 } });
    const [rule] = onlyResource(vault, "aws_s3_bucket_server_side_encryption_configuration").rule;
    expect(rule.apply_server_side_encryption_by_default).toEqual({ sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.vault_key.arn}" });
    expect(onlyResource(vault, "aws_s3_bucket_versioning").versioning_configuration).toEqual({ status: "Enabled" });
    expect(onlyResource(vault, "aws_s3_bucket_public_access_block")).toMatchObject({ block_public_acls: true, restrict_public_buckets: true });
  });

  test("its bucket policy, which denies changing them, is attached after every setting it locks", () => {
    const dependsOn: string[] = onlyResource(vault, "aws_s3_bucket_policy").depends_on;
    for (const type of [
      "aws_s3_bucket_versioning",
      "aws_s3_bucket_server_side_encryption_configuration",
      "aws_s3_bucket_ownership_controls",
      "aws_s3_bucket_public_access_block",
      "aws_s3_bucket_object_lock_configuration",
    ])
      expect([type, dependsOn.some((d) => d.startsWith(`${type}.`))]).toEqual([type, true]);
    const policy = parsePolicy(onlyResource(vault, "aws_s3_bucket_policy").policy);
    expect(statement(policy, "NobodyChangesOrDestroysTheVault")).toEqual({
      Sid: "NobodyChangesOrDestroysTheVault",
      Effect: "Deny",
      Principal: "*",
      Action: [...VAULT_BUCKET_LOCKED_ACTIONS],
      Resource: ["arn:aws:s3:::acme-org-backup-vault", "arn:aws:s3:::acme-org-backup-vault/*"],
    });
  });

  test("its key denies disabling, deletion, re-policy and grants to everyone, which KMS accepts only with the lockout check bypassed", () => {
    const key = vault.resource.aws_kms_key.vault_key;
    expect(key).toMatchObject({ bypass_policy_lockout_safety_check: true, enable_key_rotation: true, deletion_window_in_days: 30 });
    const deny = statement(parsePolicy(key.policy), "NobodyDisablesDeletesOrRepoliciesTheKey");
    expect(deny).toEqual({
      Sid: "NobodyDisablesDeletesOrRepoliciesTheKey",
      Effect: "Deny",
      Principal: "*",
      Action: [...VAULT_KEY_LOCKED_ACTIONS],
      Resource: "*",
    });
    for (const action of ["kms:DisableKey", "kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:CreateGrant"]) expect(deny.Action).toContain(action);
    // The policy variable reaches AWS literally: Terraform would read `${...}` as its own interpolation.
    expect(key.policy).toContain("arn:aws:s3:::acme-org-backup-vault/$${aws:PrincipalAccount}/*");
    expect(stacks.get("central")!.resource.aws_kms_key.central_key.bypass_policy_lockout_safety_check).toBeUndefined();
  });

  test("no other key bypasses the lockout check", () => {
    for (const [name, stack] of stacks) {
      if (name === "vault") continue;
      for (const key of Object.values<StackJson>(stack.resource.aws_kms_key ?? {})) expect(key.bypass_policy_lockout_safety_check).toBeUndefined();
    }
  });

  test("adding a member, changing central's settings or pinning vault.keyArn leaves the vault stack byte-identical (nobody could apply a change to it)", () => {
    const more = withVault({ ...example, members: [...example.members, { accountId: "555555555555", name: "new" }] });
    const colder = withVault({ ...example, central: { ...example.central, storageClass: "GLACIER_IR", keyAlias: "alias/other" } });
    // Pinning the key changes the members' rules, never the vault's policies (nobody could apply that).
    const pinned = withVault(example, { keyArn: "arn:aws:kms:eu-west-2:101010101010:key/2b3c4d5e-6f70-4a81-9b2c-3d4e5f607182" });
    for (const changed of [more, colder, pinned]) expect(JSON.stringify(synthStacks(changed, { only: ["vault"] }).get("vault"))).toBe(JSON.stringify(vault));
  });

  test("central is byte-identical with or without the vault", () => {
    expect(JSON.stringify(synthStacks(example, { only: ["central"] }).get("central"))).toBe(JSON.stringify(stacks.get("central")));
  });
});
