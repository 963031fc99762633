/** Restore drills over the versioned S3 model: K random objects per account, verified byte for byte, scratch copies deleted. */
import { drillAccount, drillKey, drillMarkdown } from "../lib/tooling/ops/restore/drill";
import { prng } from "./support/prng";
import { CENTRAL, DRILLS, ROLE, at, commandNames, recordingClients } from "./support/restore-harness";
import { S3World, StoredEntry } from "./support/versioned-bucket";

let s3: ReturnType<S3World["install"]>;
let w: S3World;
beforeEach(() => {
  w = new S3World();
  w.bucket(CENTRAL);
  w.bucket(DRILLS);
  s3 = w.install();
});
afterEach(() => s3.restore());

const options = (extra: object = {}) => ({
  clients: recordingClients(),
  access: { roleArn: ROLE, drillBucketName: DRILLS, drillRegion: "eu-central-1" },
  backupBucket: CENTRAL,
  backupRegion: "eu-central-1",
  runId: "run-1",
  random: prng(7),
  maxKeys: 3,
  ...extra,
});

function fill() {
  const central = w.buckets.get(CENTRAL)!;
  for (let i = 0; i < 8; i++) central.put(`222222222222/data/${i}.bin`, { at: at(i), body: `payload ${i}`.repeat(i + 1) });
  central.delete("222222222222/data/7.bin", at(50));
  central.put("222222222222/cold.bin", { at: at(1), body: "cold", storageClass: "GLACIER" });
}

describe("npm run restore:drill", () => {
  test("restores 3 random current objects, verifies each by SHA-256 against its central version, and deletes exactly its scratch versions", async () => {
    fill();
    const result = await drillAccount({ accountId: "222222222222", name: "app-prod" }, options());
    expect(result).toMatchObject({ status: "PASS", objects: 3 });
    expect(result.bytes).toBeGreaterThan(0);
    const copies = s3
      .calls()
      .filter((c) => c.args[0].constructor.name === "CopyObjectCommand")
      .map((c) => c.args[0].input as { Key: string; CopySource: string });
    expect(copies).toHaveLength(3);
    for (const c of copies) {
      expect(c.Key).toMatch(/^drills\/run-1\/222222222222\/data\/[0-6]\.bin$/);
      expect(c.CopySource).not.toMatch(/cold|7\.bin/);
    }
    const deletes = s3
      .calls()
      .filter((c) => c.args[0].constructor.name === "DeleteObjectCommand")
      .map((c) => c.args[0].input as { Key: string; VersionId?: string });
    expect(deletes.map((d) => d.Key).sort()).toEqual(copies.map((c) => c.Key).sort());
    expect(deletes.every((d) => d.VersionId)).toBe(true);
    expect(w.buckets.get(DRILLS)!.versionCount()).toBe(0);
    expect(commandNames(s3).filter((n) => n === "DeleteObjectCommand" || n === "CopyObjectCommand")).toHaveLength(6);
    expect(w.buckets.get(CENTRAL)!.versionCount()).toBe(10);
  });

  test("a scratch copy whose bytes differ fails the drill and names the object; the copies are still cleaned up", async () => {
    fill();
    w.onWrite = () => {
      const drills = w.buckets.get(DRILLS)!;
      for (const history of drills.keys.values()) (history[0] as { body?: Buffer } & StoredEntry).body = Buffer.from("bit rot");
    };
    const result = await drillAccount({ accountId: "222222222222", name: "app-prod" }, options());
    expect(result.status).toBe("FAIL");
    expect(result.detail).toMatch(/^3 mismatch\(es\): 222222222222\/data\/\d\.bin \(version [\w-]+\): sha256 [0-9a-f]{64} != [0-9a-f]{64}/);
    expect(w.buckets.get(DRILLS)!.versionCount()).toBe(0);
  });

  test("an account without objects is EMPTY; access denied is an ERROR naming the role", async () => {
    expect(await drillAccount({ accountId: "333333333333", name: "staging" }, options())).toMatchObject({ status: "EMPTY", objects: 0 });
    fill();
    w.fail("CopyObject", () => Object.assign(new Error("Access Denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }), Infinity);
    const denied = await drillAccount({ accountId: "222222222222", name: "app-prod" }, options());
    expect(denied.status).toBe("ERROR");
    expect(denied.detail).toMatch(
      new RegExp(`^access denied: CopyObject s3://${CENTRAL}/222222222222/data/\\d\\.bin to s3://${DRILLS}/drills/run-1/.* as ${ROLE}\\.`),
    );
  });

  test("a denied listing is an ERROR naming the listing, the bucket and the role", async () => {
    fill();
    w.fail("ListObjectVersions", () => Object.assign(new Error("Access Denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }), Infinity);
    const denied = await drillAccount({ accountId: "222222222222", name: "app-prod" }, options());
    expect(denied).toMatchObject({ status: "ERROR", objects: 0 });
    expect(denied.detail).toBe(
      `access denied: ListObjectVersions s3://${CENTRAL}/222222222222/ as ${ROLE}. Check that role's policy, the bucket policy and the KMS key policy for this action.`,
    );
  });

  test("the Markdown summary has one row per account and says which failed", () => {
    const md = drillMarkdown("run-1", [
      { accountId: "222222222222", name: "a", status: "PASS", objects: 3, bytes: 10, seconds: 1.5, detail: "ok" },
      { accountId: "333333333333", name: "b|c", status: "FAIL", objects: 3, bytes: 10, seconds: 2, detail: "x | y" },
    ]);
    expect(md.split("\n")).toEqual([
      "### Restore drill run-1: 1 account(s) failed",
      "",
      "| account | name | result | objects | bytes | seconds | detail |",
      "|---|---|---|---:|---:|---:|---|",
      "| 222222222222 | a | ✅ PASS | 3 | 10 | 1.5 | ok |",
      "| 333333333333 | b\\|c | ❌ FAIL | 3 | 10 | 2 | x \\| y |",
      "",
    ]);
    expect(drillKey("r", "222222222222", "222222222222/a/b")).toBe("drills/r/222222222222/a/b");
  });
});
