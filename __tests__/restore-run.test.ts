/**
 * The restore library over the in-memory versioned S3 model: in place, into another bucket
 * and Region, multipart, archived objects, batch manifests, the dry run, and the faults
 * (throttling, access denied, a key deleted while restoring, an unversioned target, an
 * interrupted run resumed). Each checks what was written, and that nothing was deleted.
 */
import { S3ControlClient } from "@aws-sdk/client-s3-control";
import { mockClient } from "aws-sdk-client-mock";
import * as fs from "fs";
import { Journal } from "../lib/tooling/ops/restore/journal";
import type { RestorePlan } from "../lib/tooling/ops/restore/plan";
import { Progress } from "../lib/tooling/ops/restore/progress";
import { runRestore } from "../lib/tooling/ops/restore/run";
import { decisionLine } from "../lib/cli/restore-output";
import { CENTRAL, ROLE, SOURCE, WRITE_COMMANDS, at, commandNames, recordingClients, request, tempDir, world } from "./support/restore-harness";
import { instantBackoff } from "./support/through-sdk";
import { S3World, s3Error } from "./support/versioned-bucket";

let s3: ReturnType<S3World["install"]>;
const s3control = mockClient(S3ControlClient);
let w: S3World;
let waits: number[];

beforeEach(() => {
  w = world();
  s3 = w.install();
  s3control.reset();
  waits = instantBackoff();
});
afterEach(() => (s3.restore(), jest.restoreAllMocks()));

/** The history of 222222222222/ in the central bucket, and the source bucket's state after an incident at t=150. */
function incident() {
  const central = w.buckets.get(CENTRAL)!;
  const source = w.buckets.get(SOURCE)!;
  const keep = { metadata: { team: "a" }, contentType: "text/csv", tags: { class: "gold" } };
  const good = {
    report: central.put("222222222222/reports/q1.csv", { at: at(10), body: "q1 v1", ...keep }),
    notes: central.put("222222222222/notes.txt", { at: at(20), body: "notes v1" }),
    same: central.put("222222222222/same.txt", { at: at(30), body: "unchanged" }),
  };
  central.put("222222222222/reports/q1.csv", { at: at(150), body: "q1 CORRUPTED" });
  central.delete("222222222222/notes.txt", at(160));
  central.put("222222222222/late.txt", { at: at(170), body: "created after as-of" });
  central.put("222222222222/gone.txt", { at: at(40), body: "x" });
  central.delete("222222222222/gone.txt", at(50));
  central.put("333333333333/other.txt", { at: at(10), body: "another account" });
  source.put("222222222222/reports/q1.csv", { at: at(150), body: "q1 CORRUPTED" });
  source.put("222222222222/same.txt", { at: at(30), body: "unchanged" });
  return { central, source, good };
}

describe("npm run restore: the library", () => {
  test("in place: each key back to its version at as-of, as a new current version; unchanged keys, later keys and deleted keys left alone", async () => {
    const { source, good } = incident();
    const before = source.versionCount();
    const report = await runRestore(request(), { clients: recordingClients() });
    expect(report.outcomes).toMatchObject({ copied: 2, unchanged: 1, failed: 0 });
    expect(report.plan).toMatchObject({ objects: 3, deletedAtAsOf: 1, absentAtAsOf: 1, bytes: 5 + 8 + 9 });
    expect(report.workLeft).toBe(false);
    expect(source.current("222222222222/reports/q1.csv")).toMatchObject({
      body: Buffer.from("q1 v1"),
      metadata: { team: "a" },
      contentType: "text/csv",
      tags: { class: "gold" },
    });
    expect(source.current("222222222222/notes.txt")?.body).toEqual(Buffer.from("notes v1"));
    expect(source.keys.get("222222222222/reports/q1.csv")).toHaveLength(2);
    expect(source.versionCount()).toBe(before + 2);
    expect(source.current("222222222222/late.txt")).toBeUndefined();
    expect(source.current("222222222222/gone.txt")).toBeUndefined();
    expect(commandNames(s3)).not.toContain("DeleteObjectCommand");
    const copies = s3
      .calls()
      .filter((c) => c.args[0].constructor.name === "CopyObjectCommand")
      .map((c) => c.args[0].input);
    expect(copies).toContainEqual({
      Bucket: SOURCE,
      Key: "222222222222/reports/q1.csv",
      CopySource: `${CENTRAL}/222222222222/reports/q1.csv?versionId=${good.report}`,
      MetadataDirective: "COPY",
      TaggingDirective: "COPY",
    });
    // The target encrypts with its own default key: no SSE parameter is ever sent.
    expect(JSON.stringify(copies)).not.toMatch(/ServerSideEncryption|SSEKMS/);
  });

  test("--to another bucket and prefix in another Region: keys under the prefix, clients built for each bucket's Region, as the restore role", async () => {
    incident();
    const other = w.bucket("dr-bucket", "us-west-2");
    const clients = recordingClients();
    const report = await runRestore(request({ target: { bucket: "dr-bucket", region: "us-west-2", prefix: "restored/" } }), { clients });
    expect(report.outcomes.copied).toBe(3);
    expect([...other.keys.keys()].sort()).toEqual([
      "restored/222222222222/notes.txt",
      "restored/222222222222/reports/q1.csv",
      "restored/222222222222/same.txt",
    ]);
    expect(clients.built).toEqual([
      ["s3", "eu-central-1", ROLE],
      ["s3", "us-west-2", ROLE],
    ]);
    expect(report.cost.lines.map((l) => l.item)).toContainEqual(expect.stringMatching(/inter-Region transfer/));
  });

  test("--key restores that one key only, not the keys it prefixes", async () => {
    const { source } = incident();
    w.buckets.get(CENTRAL)!.put("222222222222/notes.txt.bak", { at: at(10), body: "bak" });
    const report = await runRestore(request({ sourcePrefix: "222222222222/notes.txt", exactKey: "222222222222/notes.txt" }), {
      clients: recordingClients(),
    });
    expect(report.outcomes.copied).toBe(1);
    expect(source.current("222222222222/notes.txt.bak")).toBeUndefined();
  });

  test("above 5 GB: multipart copy with ranges covering the object, metadata and tags read and passed on", async () => {
    const size = 6 * 1024 ** 3 + 7;
    const v = w.buckets.get(CENTRAL)!.put("222222222222/big.bin", {
      at: at(10),
      size,
      content: "big",
      parts: 700,
      metadata: { k: "v" },
      contentType: "application/x-big",
      tags: { a: "b c" },
    });
    const report = await runRestore(request(), { clients: recordingClients() });
    expect(report.outcomes.copied).toBe(1);
    const inputs = (name: string) =>
      s3
        .calls()
        .filter((c) => c.args[0].constructor.name === name)
        .map((c) => c.args[0].input as Record<string, unknown>);
    expect(inputs("CopyObjectCommand")).toEqual([]);
    expect(inputs("CreateMultipartUploadCommand")).toEqual([
      expect.objectContaining({ Bucket: SOURCE, Key: "222222222222/big.bin", Metadata: { k: "v" }, ContentType: "application/x-big", Tagging: "a=b+c" }),
    ]);
    const ranges = inputs("UploadPartCopyCommand").map((i) => i.CopySourceRange);
    expect(ranges).toHaveLength(13);
    expect(ranges[0]).toBe(`bytes=0-${512 * 1024 ** 2 - 1}`);
    expect(ranges[12]).toBe(`bytes=${12 * 512 * 1024 ** 2}-${size - 1}`);
    expect(inputs("UploadPartCopyCommand").every((i) => i.CopySource === `${CENTRAL}/222222222222/big.bin?versionId=${v}`)).toBe(true);
    expect(w.buckets.get(SOURCE)!.current("222222222222/big.bin")).toMatchObject({ size, content: "big", tags: { a: "b c" } });
  });

  test("a failed multipart copy is aborted and reported; the run says work is left", async () => {
    w.buckets.get(CENTRAL)!.put("222222222222/big.bin", { at: at(10), size: 6 * 1024 ** 3, content: "big" });
    w.fail("UploadPartCopy", () => s3Error("InvalidArgument", 400, "bad part"), 1);
    const report = await runRestore(request(), { clients: recordingClients() });
    expect(report.outcomes.failed).toBe(1);
    expect(report.workLeft).toBe(true);
    expect(commandNames(s3)).toContain("AbortMultipartUploadCommand");
    expect(w.uploads.size).toBe(0);
  });

  test("SlowDown is retried with exponential backoff and jitter, then the copy goes through", async () => {
    incident();
    w.fail("CopyObject", () => s3Error("SlowDown", 503, "Please reduce your request rate."), 3);
    jest.spyOn(Math, "random").mockReturnValue(0.5);
    const lines: string[] = [];
    const progress = (plan: RestorePlan) => new Progress(plan.objects, plan.bytes, { write: (text) => lines.push(text), isTTY: false });
    const report = await runRestore(request({ concurrency: 1 }), { clients: recordingClients(), progress });
    expect(report.outcomes).toMatchObject({ copied: 2, failed: 0 });
    // The progress line counts the client's retries (from the SDK's own attempt count).
    expect(lines.at(-1)).toMatch(/, 3 retries$/m);
    // The client's own strategy: three waits, each twice the last (the jitter is fixed at 0.5 here).
    expect(waits).toHaveLength(3);
    expect(waits[1]).toBe(2 * waits[0]);
    expect(waits[2]).toBe(2 * waits[1]);
    expect(commandNames(s3).filter((n) => n === "CopyObjectCommand")).toHaveLength(2 + 3);
  });

  test("throttled listing pages are retried by the client, and the restore goes through", async () => {
    incident();
    w.fail("ListObjectVersions", () => s3Error("SlowDown", 503, "Please reduce your request rate."), 4);
    const report = await runRestore(request({ concurrency: 1 }), { clients: recordingClients() });
    expect(report.fatal).toBeUndefined();
    expect(report.outcomes).toMatchObject({ copied: 2, unchanged: 1, failed: 0 });
    expect(waits).toHaveLength(4);
  });

  test("a denied listing stops the restore with the one line, not the SDK's error", async () => {
    incident();
    w.fail("ListObjectVersions", () => s3Error("AccessDenied", 403, "Access Denied"), Infinity);
    const report = await runRestore(request(), { clients: recordingClients() });
    expect(report.fatal).toBe(
      `access denied: ListObjectVersions s3://${CENTRAL}/222222222222/ as ${ROLE}. Check that role's policy, the bucket policy and the KMS key policy for this action.`,
    );
    expect(report.workLeft).toBe(true);
    expect(commandNames(s3).filter((n) => WRITE_COMMANDS.includes(n))).toEqual([]);
  });

  test("access denied stops the restore with one line naming the action, the bucket and the role", async () => {
    incident();
    w.fail("CopyObject", () => s3Error("AccessDenied", 403, "Access Denied"), Infinity);
    const report = await runRestore(request({ concurrency: 1 }), { clients: recordingClients() });
    expect(report.fatal).toBe(
      `access denied: CopyObject s3://${CENTRAL}/222222222222/notes.txt to s3://${SOURCE}/222222222222/notes.txt as ${ROLE}. Check that role's policy, the bucket policy and the KMS key policy for this action.`,
    );
    expect(report.workLeft).toBe(true);
    expect(commandNames(s3).filter((n) => n === "CopyObjectCommand")).toHaveLength(1);
  });

  test("a key deleted while restoring (NoSuchVersion) is reported and skipped; the others are restored", async () => {
    incident();
    w.fail("CopyObject", () => s3Error("NoSuchVersion", 404, "The specified version does not exist."), 1, { key: "222222222222/notes.txt" });
    const report = await runRestore(request(), { clients: recordingClients() });
    expect(report.outcomes).toMatchObject({ copied: 1, vanished: 1, unchanged: 1 });
    expect(report.problems).toEqual([
      expect.objectContaining({ key: "222222222222/notes.txt", outcome: "vanished", detail: expect.stringMatching(/deleted while restoring/) }),
    ]);
  });

  test("a target without versioning is refused before any copy, unless --allow-unversioned-target", async () => {
    incident();
    w.buckets.get(SOURCE)!.versioning = "Suspended";
    await expect(runRestore(request(), { clients: recordingClients() })).rejects.toThrow(
      `s3://${SOURCE} has versioning Suspended: a restore there would overwrite current objects for good. Enable versioning on it, or pass --allow-unversioned-target if overwriting is what you want.`,
    );
    expect(commandNames(s3).filter((n) => WRITE_COMMANDS.includes(n))).toEqual([]);
    const allowed = await runRestore(request({ allowUnversionedTarget: true }), { clients: recordingClients() });
    expect(allowed.outcomes.copied).toBe(2);
  });

  test("interrupted after 3 copies, then resumed with the same arguments: the rest is copied, nothing twice", async () => {
    const central = w.buckets.get(CENTRAL)!;
    for (let i = 0; i < 10; i++) central.put(`222222222222/f${i}.txt`, { at: at(10), body: `file ${i}` });
    const dir = tempDir("restore-journal-");
    const run = { account: "222222222222", asOf: at(100).toISOString() };
    const controller = new AbortController();
    w.onWrite = (n) => n === 3 && controller.abort();
    const first = await runRestore(request({ concurrency: 1 }), {
      clients: recordingClients(),
      journal: Journal.open(dir, run, at(100)),
      signal: controller.signal,
    });
    expect(first).toMatchObject({ interrupted: true, workLeft: true, outcomes: expect.objectContaining({ copied: 3 }) });
    w.onWrite = undefined;
    const journal = Journal.open(dir, run, at(999));
    expect([journal.resumed, journal.doneCount, journal.header.asOf]).toEqual([true, 3, at(100).toISOString()]);
    const second = await runRestore(request({ concurrency: 4 }), { clients: recordingClients(), journal });
    expect(second.outcomes).toMatchObject({ copied: 7, journal: 3, failed: 0 });
    expect(second.workLeft).toBe(false);
    const source = w.buckets.get(SOURCE)!;
    for (let i = 0; i < 10; i++) expect(source.keys.get(`222222222222/f${i}.txt`)).toHaveLength(1);
    expect(fs.existsSync(journal.file)).toBe(false);
    expect(fs.existsSync(`${journal.file}.done`)).toBe(true);
  });

  test("a run whose copies start failing after K is resumed: the failed ones are copied, the journaled ones are not", async () => {
    const central = w.buckets.get(CENTRAL)!;
    for (let i = 0; i < 6; i++) central.put(`222222222222/f${i}.txt`, { at: at(10), body: `file ${i}`, noChecksum: true });
    const dir = tempDir("restore-journal-");
    w.onWrite = (n) => n === 2 && w.fail("CopyObject", () => s3Error("InternalError", 500, "We encountered an internal error."), Infinity);
    const first = await runRestore(request({ concurrency: 1 }), {
      clients: recordingClients(),
      journal: Journal.open(dir, {}, at(100)),
    });
    expect(first.outcomes).toMatchObject({ copied: 2, failed: 4 });
    expect(first.workLeft).toBe(true);
    w.faults.length = 0;
    w.onWrite = undefined;
    const second = await runRestore(request(), { clients: recordingClients(), journal: Journal.open(dir, {}, at(100)) });
    expect(second.outcomes).toMatchObject({ copied: 4, journal: 2 });
    // No checksums here (objects older than S3's default checksums) and SSE-KMS ETags: only the journal prevents a second copy.
    for (let i = 0; i < 6; i++) expect(w.buckets.get(SOURCE)!.keys.get(`222222222222/f${i}.txt`)).toHaveLength(1);
  });

  test("GLACIER and DEEP_ARCHIVE: listed as needing a thaw; --thaw starts RestoreObject; a later run copies what S3 has restored", async () => {
    const central = w.buckets.get(CENTRAL)!;
    const g = central.put("222222222222/cold.bin", { at: at(10), body: "cold", storageClass: "GLACIER" });
    central.put("222222222222/colder.bin", { at: at(10), body: "colder", storageClass: "DEEP_ARCHIVE" });
    const first = await runRestore(request(), { clients: recordingClients() });
    expect(first.outcomes["needs-thaw"]).toBe(2);
    expect(first.problems.map((p) => p.detail)).toEqual([
      expect.stringMatching(/GLACIER: needs a RestoreObject first \(--thaw; Standard tier 3-5 hours\)/),
      expect.stringMatching(/DEEP_ARCHIVE.*within 12 hours/),
    ]);
    const thaw = await runRestore(request({ thaw: { days: 3, tier: "Bulk" } }), { clients: recordingClients() });
    expect(thaw.outcomes["thaw-started"]).toBe(2);
    expect(s3.calls().filter((c) => c.args[0].constructor.name === "RestoreObjectCommand")[0].args[0].input).toEqual({
      Bucket: CENTRAL,
      Key: "222222222222/cold.bin",
      VersionId: g,
      RestoreRequest: { Days: 3, GlacierJobParameters: { Tier: "Bulk" } },
      // Added by the SDK's own request-checksum middleware, as on every request with a body.
      ChecksumAlgorithm: "CRC32",
    });
    const waiting = await runRestore(request(), { clients: recordingClients() });
    expect(waiting.outcomes["thaw-in-progress"]).toBe(2);
    central.version("222222222222/cold.bin", g)!.restore = "available";
    const later = await runRestore(request(), { clients: recordingClients() });
    expect(later.outcomes).toMatchObject({ copied: 1, "thaw-in-progress": 1 });
    expect(w.buckets.get(SOURCE)!.current("222222222222/cold.bin")).toMatchObject({ storageClass: "STANDARD", body: Buffer.from("cold") });
    expect(later.workLeft).toBe(true);
  });

  test("--dry-run: counts, bytes, storage classes, thaws and cost, and not one write request", async () => {
    incident();
    w.buckets.get(CENTRAL)!.put("222222222222/cold.bin", { at: at(10), size: 2 * 1024 ** 3, content: "c", storageClass: "DEEP_ARCHIVE" });
    const report = await runRestore(request({ mode: "dry-run" }), { clients: recordingClients() });
    expect(report.plan).toMatchObject({
      objects: 4,
      byStorageClass: { STANDARD: { objects: 3, bytes: 22 }, DEEP_ARCHIVE: { objects: 1, bytes: 2 * 1024 ** 3 } },
      needThaw: { DEEP_ARCHIVE: { objects: 1, bytes: 2 * 1024 ** 3 }, GLACIER: { objects: 0, bytes: 0 } },
    });
    expect(report.cost.totalUsd).toBeGreaterThan(0.04);
    expect(report.cost.lines.map((l) => l.item)).toContainEqual("RestoreObject DEEP_ARCHIVE (Standard): 1, 2.00 GB retrieved");
    expect(new Set(commandNames(s3))).toEqual(new Set(["GetBucketVersioningCommand", "ListObjectVersionsCommand"]));
    expect(s3control.calls()).toHaveLength(0);
  });

  test("--dry-run --list: every key's decision, with the exact version that would come back, and still not one write", async () => {
    const { good } = incident();
    const lines: string[] = [];
    await runRestore(request({ mode: "dry-run" }), { clients: recordingClients(), onDecision: (d) => lines.push(decisionLine(d)) });
    expect(lines.sort()).toEqual(
      [
        `restore  222222222222/reports/q1.csv  version ${good.report}  5 B  ${at(10).toISOString()}  STANDARD`,
        `restore  222222222222/notes.txt  version ${good.notes}  8 B  ${at(20).toISOString()}  STANDARD`,
        `restore  222222222222/same.txt  version ${good.same}  9 B  ${at(30).toISOString()}  STANDARD`,
        `skip     222222222222/gone.txt  (deleted at ${at(50).toISOString()}, before --as-of)`,
        "skip     222222222222/late.txt  (created after --as-of)",
      ].sort(),
    );
    expect(new Set(commandNames(s3))).toEqual(new Set(["GetBucketVersioningCommand", "ListObjectVersionsCommand"]));
  });
});
