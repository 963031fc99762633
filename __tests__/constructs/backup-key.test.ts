import { BackupKey, BackupKeyProps } from "../../lib/infra/constructs/backup-key";
import { keyAdministrationByAccount, policyDocument } from "../../lib/infra/policies/policy-document";
import { PolicySizeError } from "../../lib/infra/policies/size-limits";
import { policyOfSize } from "../support/construct-fixtures";
import { exposed, resource, synthConstruct } from "../support/construct-synth";
import { onlyResource, parsePolicy, resourcesOf } from "../support/synth";

const policy = policyDocument(keyAdministrationByAccount("111111111111"));
const props = { logicalId: "backup_key", alias: "alias/backup", description: "Encrypts backups", policy, deletionWindowInDays: 30 };

function synthKey(extra: Partial<BackupKeyProps> = {}) {
  return synthConstruct((scope, provider) => {
    const key = new BackupKey(scope, "Key", { provider, ...props, ...extra });
    return { keyArn: key.keyArn, aliasArn: key.aliasArn, aliasName: key.aliasName };
  });
}

describe("BackupKey", () => {
  test("a yearly-rotated key under its fixed logical ID, with its policy, its deletion window and prevent_destroy", () => {
    const stack = synthKey();
    const key = resource(stack, "aws_kms_key", "backup_key");
    expect(key).toMatchObject({
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      description: "Encrypts backups",
      lifecycle: { prevent_destroy: true },
    });
    expect(parsePolicy(key.policy)).toEqual(policy);
    expect(stack.import).toBeUndefined();
  });

  test("its alias points at the key; the ARNs it exposes are references to the key and the alias", () => {
    const stack = synthKey();
    const alias = onlyResource(stack, "aws_kms_alias");
    expect(alias).toMatchObject({ name: "alias/backup", target_key_id: "${aws_kms_key.backup_key.key_id}" });
    expect(exposed(stack, "keyArn")).toBe("${aws_kms_key.backup_key.arn}");
    const [aliasId] = Object.keys(stack.resource.aws_kms_alias);
    expect(exposed(stack, "aliasArn")).toBe(`\${aws_kms_alias.${aliasId}.arn}`);
    expect(exposed(stack, "aliasName")).toBe("alias/backup");
  });

  test("preventDestroy: false lets Terraform delete a key that holds no data", () => {
    expect(resource(synthKey({ preventDestroy: false }), "aws_kms_key", "backup_key").lifecycle).toEqual({ prevent_destroy: false });
  });

  test("existingKeyArn adopts the key with one import block, by key ID", () => {
    const stack = synthKey({ existingKeyArn: "arn:aws:kms:eu-central-1:111111111111:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" });
    expect(stack.import).toEqual([{ id: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", provider: "aws", to: "aws_kms_key.backup_key" }]);
    expect(resourcesOf(stack, "aws_kms_key")).toHaveLength(1);
  });

  test("a key policy over 32 KB stops synthesis, naming the construct's path and the alias", () => {
    expect(() => synthKey({ policy: policyOfSize(20) })).not.toThrow();
    expect(() => synthKey({ policy: policyOfSize(400) })).toThrow(PolicySizeError);
    expect(() => synthKey({ policy: policyOfSize(400) })).toThrow(
      /^stack\/Key: key alias\/backup: the KMS key policy would be \d+ bytes, over AWS's limit of 32768/,
    );
  });
});
