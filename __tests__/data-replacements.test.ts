/**
 * Data-replacing edits are loud: an edit of accounts.ts that would replace or destroy a bucket
 * or key holding backups is found in the synthesized Terraform of base and head, named by
 * field and resource, and an ordinary edit finds nothing.
 */
import { stackDataReplacements } from "../lib/tooling/ci/data-replacements";
import type { BackupConfig } from "../lib/core/config/types";
import { config as allOptions } from "./fixtures/all-options";
import { config as example } from "./fixtures/example";
import { synthStacks } from "./support/synth";

/** The replacements of every stack both configs have, as the one line's key parts. */
function replacements(base: BackupConfig, head: BackupConfig) {
  const before = synthStacks(base);
  const after = synthStacks(head);
  return [...after.keys()]
    .filter((s) => before.has(s))
    .flatMap((s) => stackDataReplacements(s, JSON.stringify(before.get(s)), JSON.stringify(after.get(s))))
    .map((r) => ({ stack: r.stack, field: r.field, resource: r.resource, change: r.change }));
}

const withCentral = (c: BackupConfig, central: Partial<BackupConfig["central"]>): BackupConfig => ({ ...c, central: { ...c.central, ...central } });

describe("data-replacing edits, found in the synthesized Terraform", () => {
  test("renaming the central bucket replaces it and its audit log bucket, both named as central.bucketName", () => {
    expect(replacements(example, withCentral(example, { bucketName: "acme-org-central-backup-2" }))).toEqual([
      { stack: "central", field: "central.bucketName", resource: "aws_s3_bucket.audit_bucket", change: "replaced" },
      { stack: "central", field: "central.bucketName", resource: "aws_s3_bucket.central_bucket", change: "replaced" },
    ]);
  });

  test("switching Object Lock on replaces the central bucket (S3 sets it only at creation)", () => {
    // Object Lock needs listed-accounts (members decide their replicas' retention).
    const listed = withCentral(example, { accessMode: "listed-accounts" });
    expect(replacements(listed, withCentral(listed, { objectLock: { mode: "GOVERNANCE", days: 30 } }))).toEqual([
      expect.objectContaining({ stack: "central", field: "central.objectLock", resource: "aws_s3_bucket.central_bucket" }),
    ]);
  });

  test("a new source bucket prefix replaces every member's created bucket", () => {
    const found = replacements(example, withCentral(example, { sourceBucketPrefix: "backup-src" }));
    expect(found.map((r) => r.stack)).toEqual(["member-222222222222", "member-333333333333", "member-444444444444"]);
    expect(found[0]).toEqual({
      stack: "member-222222222222",
      field: "central.sourceBucketPrefix or the region of member 222222222222",
      resource: "aws_s3_bucket.source_bucket",
      change: "replaced",
    });
  });

  test("adopting another existing bucket replaces the adopted one, named as its existingBucket.bucketName", () => {
    const head: BackupConfig = {
      ...allOptions,
      members: allOptions.members.map((m) => (m.existingBucket ? { ...m, existingBucket: { ...m.existingBucket, bucketName: "legacy-media-assets-2" } } : m)),
    };
    const adopter = allOptions.members.find((m) => m.existingBucket)!;
    expect(replacements(allOptions, head)).toEqual([
      {
        stack: `member-${adopter.accountId}`,
        field: `existingBucket.bucketName of member ${adopter.accountId}`,
        resource: "aws_s3_bucket.source_bucket",
        change: "replaced",
      },
    ]);
  });

  test("a data-holding resource that vanishes is reported destroyed", () => {
    const before = synthStacks(example).get("member-222222222222")!;
    const after = JSON.parse(JSON.stringify(before));
    delete after.resource.aws_kms_key.source_key;
    expect(stackDataReplacements("member-222222222222", JSON.stringify(before), JSON.stringify(after))).toEqual([
      expect.objectContaining({ field: "existingBucket.kmsKeyArn of member 222222222222", resource: "aws_kms_key.source_key", change: "destroyed" }),
    ]);
  });

  test.each<[string, (c: BackupConfig) => BackupConfig]>([
    ["a colder storage class", (c) => withCentral(c, { storageClass: "GLACIER_IR" })],
    ["one more member", (c) => ({ ...c, members: [...c.members, { accountId: "555555555555", name: "new-team" }] })],
    ["a renamed member", (c) => ({ ...c, members: c.members.map((m, i) => (i === 0 ? { ...m, name: "renamed" } : m)) })],
    ["a new central key alias", (c) => withCentral(c, { keyAlias: "alias/central-backup-2" })],
  ])("an ordinary edit (%s) replaces nothing", (_what, change) => {
    expect(replacements(example, change(example))).toEqual([]);
  });
});
