import { config as allOptions } from "./fixtures/all-options";
import type { BackupConfig } from "../lib/core/config/types";
import { validateConfig } from "../lib/core/config/validate";
import { StackJson, onlyResource, parsePolicy, resourcesOf, synthStacks, centralBucketResource } from "./support/synth";

const real = synthStacks(allOptions);
const offline = synthStacks(allOptions, { offline: true });
const central = real.get("central")!;
const sameRegion = real.get("member-666666666666")!;
const crossRegion = real.get("member-777777777777")!;
const adopted = real.get("member-888888888888")!;

const roleStatements = (stack: StackJson): Record<string, StackJson> => {
  const policy = resourcesOf(stack, "aws_iam_role_policy").find((p) => p.name === "org-backup-replication-permissions")!;
  return Object.fromEntries(parsePolicy(policy.policy).Statement.map((s: StackJson) => [s.Sid, s]));
};

describe("cross-region member", () => {
  test("its provider, bucket name and source-key ViaService are in its own region; the central key's in the central region", () => {
    expect(crossRegion.provider.aws[0].region).toBe("eu-west-1");
    expect(crossRegion.resource.aws_s3_bucket.source_bucket.bucket).toBe("org-backup-src-777777777777-eu-west-1");
    const statements = roleStatements(crossRegion);
    expect(statements.DecryptSourceObjectsThroughS3.Condition.StringEquals["kms:ViaService"]).toBe("s3.eu-west-1.amazonaws.com");
    expect(statements.EncryptReplicasWithCentralKeyThroughS3.Condition.StringEquals["kms:ViaService"]).toBe("s3.us-east-1.amazonaws.com");
    const [, decrypt] = parsePolicy(crossRegion.resource.aws_kms_key.source_key.policy).Statement;
    expect(decrypt.Condition.StringEquals["kms:ViaService"]).toBe("s3.eu-west-1.amazonaws.com");
  });

  test("replicas are encrypted with the pinned central key ARN, which is also the only key the role may use", () => {
    const rule = onlyResource(crossRegion, "aws_s3_bucket_replication_configuration").rule[0];
    expect(rule.destination.encryption_configuration.replica_kms_key_id).toBe(allOptions.central.keyArn);
    expect(roleStatements(crossRegion).EncryptReplicasWithCentralKeyThroughS3.Resource).toBe(allOptions.central.keyArn);
  });
});

describe("per-account overrides", () => {
  const rules = onlyResource(crossRegion, "aws_s3_bucket_replication_configuration").rule as StackJson[];
  const byId = Object.fromEntries(rules.map((r) => [r.id, r]));

  test("storage class, RTC off (metrics kept for the alarm) and delete-marker replication on", () => {
    const main = byId["central-backup-777777777777"];
    expect(main.destination.storage_class).toBe("GLACIER_IR");
    expect(main.destination.replication_time).toBeUndefined();
    expect(main.destination.metrics).toEqual({ status: "Enabled" });
    expect(main.delete_marker_replication).toEqual({ status: "Enabled" });
  });

  test("an extra sub-prefix rule with its priority and storage class, and a disabled rule kept in place", () => {
    expect(byId["reports-to-deep-archive"]).toMatchObject({
      priority: 2,
      status: "Enabled",
      filter: { prefix: "777777777777/reports/" },
      destination: { storage_class: "DEEP_ARCHIVE" },
    });
    expect(byId["paused-scratch"]).toMatchObject({ priority: 1, status: "Disabled", filter: { prefix: "777777777777/scratch/" } });
  });

  test("a tag-filtered rule never replicates delete markers (S3 forbids it)", () => {
    const tagged = (onlyResource(adopted, "aws_s3_bucket_replication_configuration").rule as StackJson[]).find((r) => r.id === "tagged-critical")!;
    expect(tagged.filter).toEqual({ and: { prefix: "888888888888/", tags: { backup: "critical" } } });
    expect(tagged.delete_marker_replication).toEqual({ status: "Disabled" });
  });

  test("the same-region member inherits the central defaults", () => {
    const [rule] = onlyResource(sameRegion, "aws_s3_bucket_replication_configuration").rule;
    expect(rule.destination).toMatchObject({ storage_class: "STANDARD", replication_time: { status: "Enabled", time: { minutes: 15 } } });
    expect(rule.delete_marker_replication).toEqual({ status: "Disabled" });
  });

  test("monitoring and batch replication can be switched off per account; emails subscribe where on", () => {
    expect(resourcesOf(adopted, "aws_sns_topic")).toHaveLength(0);
    // The watch that alerts central is not switchable: it is not the member's own monitoring.
    expect(resourcesOf(adopted, "aws_iam_role").map((r) => r.name)).toEqual(["org-backup-replication", "org-backup-replication-watch"]);
    expect(resourcesOf(sameRegion, "aws_sns_topic_subscription")).toEqual([
      expect.objectContaining({ protocol: "email", endpoint: "platform-alerts@example.com" }),
    ]);
    // RTC off: no missed-threshold events exist to subscribe to.
    expect(onlyResource(crossRegion, "aws_s3_bucket_notification").topic[0].events).toEqual(["s3:Replication:OperationFailedReplication"]);
    expect(
      resourcesOf(crossRegion, "aws_cloudwatch_metric_alarm")
        .map((a) => a.dimensions.RuleId)
        .sort(),
    ).toEqual(["central-backup-777777777777", "central-backup-777777777777", "reports-to-deep-archive", "reports-to-deep-archive"]);
  });
});

describe("existing source buckets", () => {
  test("are adopted with import blocks for the bucket, its settings and its key, and never destroyed", () => {
    expect(adopted.resource.aws_s3_bucket.source_bucket).toMatchObject({ bucket: "legacy-media-assets-prod", lifecycle: { prevent_destroy: true } });
    const imports = Object.fromEntries((adopted.import as StackJson[]).map((i) => [i.to.split(".")[0], i.id]));
    expect(imports).toEqual({
      aws_s3_bucket: "legacy-media-assets-prod",
      aws_s3_bucket_versioning: "legacy-media-assets-prod",
      aws_s3_bucket_server_side_encryption_configuration: "legacy-media-assets-prod",
      aws_s3_bucket_public_access_block: "legacy-media-assets-prod",
      aws_s3_bucket_ownership_controls: "legacy-media-assets-prod",
      aws_s3_bucket_policy: "legacy-media-assets-prod",
      aws_kms_key: "11111111-2222-4333-8444-555555555555",
    });
    expect((adopted.import as StackJson[]).every((i) => i.provider === "aws.member_888888888888")).toBe(true);
    expect(adopted.resource.aws_kms_key.source_key.lifecycle).toEqual({ prevent_destroy: true });
  });

  test("offline mode plans them without import blocks (imports must read AWS)", () => {
    expect(offline.get("member-888888888888")!.import).toBeUndefined();
  });
});

describe("central retention and bucket keys", () => {
  test("Object Lock: enabled at creation, default retention from config", () => {
    expect(central.resource.aws_s3_bucket.central_bucket.object_lock_enabled).toBe(true);
    expect(centralBucketResource(central, "aws_s3_bucket_object_lock_configuration").rule).toEqual({ default_retention: { mode: "GOVERNANCE", days: 30 } });
  });

  test("lifecycle: transitions to colder classes and expiry of noncurrent versions", () => {
    const rules = centralBucketResource(central, "aws_s3_bucket_lifecycle_configuration").rule as StackJson[];
    expect(rules).toEqual([
      expect.objectContaining({
        status: "Enabled",
        transition: [
          { days: 30, storage_class: "STANDARD_IA" },
          { days: 180, storage_class: "GLACIER" },
        ],
      }),
      expect.objectContaining({ status: "Enabled", noncurrent_version_expiration: [{ noncurrent_days: 365, newer_noncurrent_versions: 5 }] }),
    ]);
  });

  test("bucket keys on, and every KMS condition uses the bucket ARN as encryption context (the known pitfall)", () => {
    expect(centralBucketResource(central, "aws_s3_bucket_server_side_encryption_configuration").rule[0].bucket_key_enabled).toBe(true);
    const use = parsePolicy(central.resource.aws_kms_key.central_key.policy).Statement.find((s: StackJson) => s.Sid === "ReplicationRolesEncryptOnlyThroughS3");
    expect(use.Condition.StringLike["kms:EncryptionContext:aws:s3:arn"]).toBe("arn:aws:s3:::example-org-backup-all-options");
    for (const member of [sameRegion, crossRegion, adopted]) {
      expect(roleStatements(member).EncryptReplicasWithCentralKeyThroughS3.Condition.StringLike["kms:EncryptionContext:aws:s3:arn"]).toBe(
        "arn:aws:s3:::example-org-backup-all-options",
      );
    }
  });
});

describe("listed-accounts access mode", () => {
  test("the central bucket and key policies admit only the accounts of accounts.ts", () => {
    for (const policy of [centralBucketResource(central, "aws_s3_bucket_policy").policy, central.resource.aws_kms_key.central_key.policy]) {
      const allows = parsePolicy(policy).Statement.filter((s: StackJson) => s.Effect === "Allow" && s.Principal === "*");
      expect(allows.length).toBeGreaterThan(0);
      for (const statement of allows) {
        expect(statement.Condition.StringEquals["aws:PrincipalAccount"]).toEqual(["666666666666", "777777777777", "888888888888"]);
        expect(statement.Condition.StringEquals["aws:PrincipalOrgID"]).toBe("o-z9y8x7w6v5");
      }
    }
  });

  test("in this mode adding a member changes the central stack (it is what the mode is for)", () => {
    const more: BackupConfig = { ...allOptions, members: [...allOptions.members, { accountId: "999999999999", name: "new" }] };
    expect(synthStacks(more).get("central")).not.toEqual(central);
    expect(validateConfig(more).central.accessMode).toBe("listed-accounts");
  });
});

describe("remote state", () => {
  test.each([...real.keys()])("%s keeps its state in its own key of the S3 backend, encrypted, with the native lock file", (stack) => {
    expect(real.get(stack)!.terraform.backend).toEqual({
      s3: {
        bucket: "example-org-terraform-state",
        region: "us-east-1",
        key: `s3-central-backup/${stack}.tfstate`,
        encrypt: true,
        use_lockfile: true,
        assume_role: { role_arn: "arn:aws:iam::555555555555:role/TerraformStateAccess" },
      },
    });
  });
});
