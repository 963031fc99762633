import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { config as example } from "./fixtures/example";
import { TerraformStack, Testing } from "cdktf";
import { buildApp } from "../stacks/apps/backup-app";
import type { BackupConfig } from "../lib/core/config/types";
import { StackJson, onlyResource, parsePolicy, resourcesOf, synthStacks, centralBucketResource } from "./support/synth";

const stacks = synthStacks(example);
const central = stacks.get("central")!;
const member = stacks.get("member-222222222222")!;

describe("stacks generated from accounts.ts", () => {
  test("one central stack and one stack per member", () => {
    expect([...stacks.keys()].sort()).toEqual(["central", "member-222222222222", "member-333333333333", "member-444444444444"]);
  });

  test.each([...stacks.entries()])("%s has its own aliased provider reaching its account through the deploy role", (name, stack) => {
    const [provider] = stack.provider.aws;
    const accountId = name === "central" ? "111111111111" : name.replace("member-", "");
    expect(stack.provider.aws).toHaveLength(1);
    expect(provider.alias).toBe(name.replace(/-/g, "_"));
    expect(provider.region).toBe("eu-central-1");
    expect(provider.allowed_account_ids).toEqual([accountId]);
    expect(provider.assume_role).toEqual([{ role_arn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`, session_name: `s3-backup-${name}` }]);
    expect(provider.access_key).toBeUndefined();
    for (const [type, resources] of Object.entries(stack.resource as Record<string, Record<string, StackJson>>)) {
      for (const resource of Object.values(resources)) expect([type, resource.provider]).toEqual([type, `aws.${provider.alias}`]);
    }
  });
});

test("each member's readable name tags every one of its resources (provider default tags); central carries none", () => {
  for (const m of example.members)
    expect(stacks.get(`member-${m.accountId}`)!.provider.aws[0].default_tags).toEqual([{ tags: expect.objectContaining({ BackupMember: m.name }) }]);
  expect(central.provider.aws[0].default_tags[0].tags.BackupMember).toBeUndefined();
});

describe("central stack", () => {
  test("central bucket: fixed logical ID, name, prevent_destroy, no force_destroy", () => {
    expect(central.resource.aws_s3_bucket.central_bucket).toMatchObject({
      bucket: "acme-org-central-backup",
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
  });

  test("versioning, SSE-KMS with the central key, Block Public Access, BucketOwnerEnforced", () => {
    expect(centralBucketResource(central, "aws_s3_bucket_versioning").versioning_configuration).toEqual({ status: "Enabled" });
    expect(centralBucketResource(central, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
      { apply_server_side_encryption_by_default: { kms_master_key_id: "${aws_kms_key.central_key.arn}", sse_algorithm: "aws:kms" }, bucket_key_enabled: false },
    ]);
    expect(centralBucketResource(central, "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(centralBucketResource(central, "aws_s3_bucket_ownership_controls").rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
  });

  test("central alone may be synthesized as break glass: its provider assumes the break-glass role; any member selected is refused, naming the flag", () => {
    const app = buildApp(example, { stacks: ["central"], role: "break-glass", outdir: fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-bg-")) });
    const [centralStack] = app.node.children;
    const synthesized = JSON.parse(Testing.synth(centralStack as TerraformStack));
    expect(synthesized.provider.aws[0].assume_role).toEqual([
      { role_arn: "arn:aws:iam::111111111111:role/s3-central-backup-break-glass", session_name: "s3-backup-break-glass-central" },
    ]);
    for (const stacksSelected of [undefined, ["member-*"], ["central", "member-222222222222"]]) {
      expect(() => buildApp(example, { stacks: stacksSelected, role: "break-glass" })).toThrow(/^--role break-glass: .*select central alone/);
    }
  });

  test("bucket policy: TLS only, writes only under ${aws:PrincipalAccount}/ for the organization's replication roles", () => {
    const policy = parsePolicy(centralBucketResource(central, "aws_s3_bucket_policy").policy);
    const bySid = (sid: string) => policy.Statement.find((st: StackJson) => st.Sid === sid);
    const [tls, write, bucketLevel] = ["DenyInsecureTransport", "ReplicationRolesWriteOnlyUnderOwnAccountPrefix", "ReplicationRolesReadBucketVersioning"].map(
      bySid,
    );
    expect(policy.Statement.map((st: StackJson) => st.Sid)).toEqual([
      "DenyInsecureTransport",
      "ReplicasOnlySseKms",
      "ReplicasNeverSseC",
      "ReplicasOnlyWithTheCentralKey",
      "OnlyBreakGlassChangesOrDestroysBackups",
      "OnlyRestoreAndBreakGlassReadBackups",
      "ReplicationRolesWriteOnlyUnderOwnAccountPrefix",
      "ReplicationRolesReadBucketVersioning",
    ]);
    expect(tls).toMatchObject({ Effect: "Deny", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    expect(tls.Resource).toEqual(["arn:aws:s3:::acme-org-central-backup", "arn:aws:s3:::acme-org-central-backup/*"]);
    expect(write).toMatchObject({
      Effect: "Allow",
      Resource: "arn:aws:s3:::acme-org-central-backup/${aws:PrincipalAccount}/*",
      Condition: {
        StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" },
        ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/s3-central-backup-replication" },
      },
    });
    expect(write.Action).toEqual(["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"]);
    expect(bucketLevel).toMatchObject({ Resource: "arn:aws:s3:::acme-org-central-backup", Condition: write.Condition });
    expect(bucketLevel.Action).toEqual(["s3:GetBucketVersioning"]);
  });

  test("the policy variable reaches AWS literally: escaped as $${aws:PrincipalAccount} for Terraform", () => {
    const raw = centralBucketResource(central, "aws_s3_bucket_policy").policy as string;
    expect(raw).toContain("acme-org-central-backup/$${aws:PrincipalAccount}/*");
    expect(raw.match(/(?<!\$)\$\{aws:/g)).toBeNull();
  });

  test("central key: rotation, 30-day window, alias, prevent_destroy, S3-only use by the organization", () => {
    const key = central.resource.aws_kms_key.central_key;
    expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
    expect(onlyResource(central, "aws_kms_alias")).toMatchObject({ name: "alias/central-backup", target_key_id: "${aws_kms_key.central_key.key_id}" });
    const statements: StackJson[] = parsePolicy(key.policy).Statement;
    const [admin, use] = ["KeyAdministrationByOwningAccount", "ReplicationRolesEncryptOnlyThroughS3"].map((sid) => statements.find((s) => s.Sid === sid)!);
    expect(admin).toMatchObject({ Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:*" });
    expect(use.Action).toEqual(["kms:Encrypt", "kms:GenerateDataKey"]);
    expect(use.Condition.StringEquals).toEqual({ "aws:PrincipalOrgID": "o-a1b2c3d4e5", "kms:ViaService": "s3.eu-central-1.amazonaws.com" });
  });
});

describe("member stack", () => {
  test("source bucket: versioned, SSE-KMS with its own key, BPA, TLS only, prevent_destroy", () => {
    expect(member.resource.aws_s3_bucket.source_bucket).toMatchObject({
      bucket: "s3-backup-source-222222222222-eu-central-1",
      lifecycle: { prevent_destroy: true },
    });
    expect(onlyResource(member, "aws_s3_bucket_versioning").versioning_configuration.status).toBe("Enabled");
    expect(onlyResource(member, "aws_s3_bucket_server_side_encryption_configuration").rule[0].apply_server_side_encryption_by_default).toEqual({
      kms_master_key_id: "${aws_kms_key.source_key.arn}",
      sse_algorithm: "aws:kms",
    });
    expect(onlyResource(member, "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    const [tls] = parsePolicy(onlyResource(member, "aws_s3_bucket_policy").policy).Statement;
    expect(tls).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
  });

  test("source key: rotation, deletion window, alias, prevent_destroy", () => {
    expect(member.resource.aws_kms_key.source_key).toMatchObject({
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      lifecycle: { prevent_destroy: true },
    });
    expect(resourcesOf(member, "aws_kms_alias").map((a) => a.name)).toContain("alias/s3-backup-source");
  });

  test("replication role: trusted by s3.amazonaws.com for its own account and bucket only", () => {
    const role = resourcesOf(member, "aws_iam_role").find((r) => r.name === "s3-central-backup-replication")!;
    const [trust] = parsePolicy(role.assume_role_policy).Statement;
    expect(trust).toMatchObject({
      Principal: { Service: "s3.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: {
        StringEquals: { "aws:SourceAccount": "222222222222" },
        ArnLike: { "aws:SourceArn": "arn:aws:s3:::s3-backup-source-222222222222-eu-central-1" },
      },
    });
  });

  test("replication role permissions: source bucket, own central prefix, decrypt source key, encrypt central key", () => {
    const policy = resourcesOf(member, "aws_iam_role_policy").find((p) => p.name === "s3-central-backup-replication-permissions")!;
    const bySid = Object.fromEntries(parsePolicy(policy.policy).Statement.map((s: StackJson) => [s.Sid, s]));
    expect(bySid.ReadSourceVersionsForReplication.Resource).toBe("arn:aws:s3:::s3-backup-source-222222222222-eu-central-1/222222222222/*");
    expect(bySid.ReplicateIntoOwnCentralPrefix.Resource).toBe("arn:aws:s3:::acme-org-central-backup/222222222222/*");
    expect(bySid.DecryptSourceObjectsThroughS3).toMatchObject({ Action: "kms:Decrypt", Resource: "${aws_kms_key.source_key.arn}" });
    expect(bySid.DecryptSourceObjectsThroughS3.Condition.StringEquals).toEqual({ "kms:ViaService": "s3.eu-central-1.amazonaws.com" });
    expect(bySid.EncryptReplicasWithCentralKeyThroughS3).toMatchObject({
      Resource: "arn:aws:kms:eu-central-1:111111111111:key/*",
      Condition: {
        StringEquals: { "kms:ViaService": "s3.eu-central-1.amazonaws.com" },
        StringLike: { "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::acme-org-central-backup/222222222222/*" },
      },
    });
  });

  test("replication rule: account-ID prefix, enabled, SSE-KMS objects re-encrypted with the central key, owner override, storage class, RTC 15 min, no delete markers", () => {
    const replication = onlyResource(member, "aws_s3_bucket_replication_configuration");
    expect(replication.role).toMatch(/^\$\{aws_iam_role\..*\.arn\}$/);
    expect(replication.depends_on).toEqual([
      expect.stringMatching(/^aws_s3_bucket_versioning\./),
      expect.stringMatching(/^aws_s3_bucket_server_side_encryption_configuration\./),
      expect.stringMatching(/^aws_iam_role_policy\./),
    ]);
    expect(replication.rule).toEqual([
      {
        id: "central-backup-222222222222",
        priority: 0,
        status: "Enabled",
        filter: { prefix: "222222222222/" },
        delete_marker_replication: { status: "Disabled" },
        source_selection_criteria: { sse_kms_encrypted_objects: { status: "Enabled" } },
        destination: {
          bucket: "arn:aws:s3:::acme-org-central-backup",
          account: "111111111111",
          storage_class: "STANDARD_IA",
          access_control_translation: { owner: "Destination" },
          encryption_configuration: { replica_kms_key_id: "arn:aws:kms:eu-central-1:111111111111:alias/central-backup" },
          metrics: { status: "Enabled", event_threshold: { minutes: 15 } },
          replication_time: { status: "Enabled", time: { minutes: 15 } },
        },
      },
    ]);
  });

  test("member stacks reference nothing of the central stack's state", () => {
    for (const [name, stack] of stacks) {
      if (name === "central") continue;
      expect(stack.data).toBeUndefined();
      expect(JSON.stringify(stack)).not.toMatch(/terraform_remote_state|central_bucket\.|central_key\./);
    }
  });

  test("monitoring: replication failure notifications to an encrypted topic, a failed and a stalled alarm per rule", () => {
    expect(onlyResource(member, "aws_sns_topic").kms_master_key_id).toBe("${aws_kms_key.alerts_key.arn}");
    expect(onlyResource(member, "aws_s3_bucket_notification").topic).toEqual([
      {
        topic_arn: expect.stringMatching(/aws_sns_topic\..*\.arn/),
        events: ["s3:Replication:OperationFailedReplication", "s3:Replication:OperationMissedThreshold"],
      },
    ]);
    const alarms = resourcesOf(member, "aws_cloudwatch_metric_alarm");
    expect(alarms.map((a) => a.metric_name).sort()).toEqual(["OperationsFailedReplication", "OperationsPendingReplication"]);
    expect(alarms.find((a) => a.metric_name === "OperationsFailedReplication")).toMatchObject({
      namespace: "AWS/S3",
      metric_name: "OperationsFailedReplication",
      dimensions: {
        SourceBucket: "s3-backup-source-222222222222-eu-central-1",
        DestinationBucket: "acme-org-central-backup",
        RuleId: "central-backup-222222222222",
      },
      comparison_operator: "GreaterThanThreshold",
      threshold: 0,
    });
  });
});

describe("adding an account is one line", () => {
  function synthToDir(config: BackupConfig): string {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-synth-"));
    buildApp(config, { outdir }).synth();
    return outdir;
  }
  const read = (outdir: string, stack: string) => fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8");

  test("one more member adds exactly one stack and leaves every other stack byte-identical", () => {
    const before = synthToDir(example);
    const after = synthToDir({ ...example, members: [...example.members, { accountId: "555555555555", name: "new-team" }] });
    try {
      const stacksBefore = fs.readdirSync(path.join(before, "stacks")).sort();
      const stacksAfter = fs.readdirSync(path.join(after, "stacks")).sort();
      expect(stacksAfter.filter((s) => !stacksBefore.includes(s))).toEqual(["member-555555555555"]);
      expect(stacksBefore.filter((s) => !stacksAfter.includes(s))).toEqual([]);
      for (const stack of stacksBefore) expect([stack, read(after, stack)]).toEqual([stack, read(before, stack)]);
    } finally {
      fs.rmSync(before, { recursive: true, force: true });
      fs.rmSync(after, { recursive: true, force: true });
    }
  });
});
