/**
 * Version selection over random histories: the streamed selection (paged ListObjectVersions,
 * versions and delete markers merged per key) equals a naive model computed from the whole
 * history. fast-check is not installed: a seeded PRNG makes the histories, so a failure
 * names its seed and replays.
 */
import { S3Client } from "@aws-sdk/client-s3";
import { KeyDecision, listVersionPages, selectAsOf } from "../lib/tooling/ops/restore/select";
import { prng } from "./support/prng";
import { S3World } from "./support/versioned-bucket";

interface Event {
  readonly key: string;
  readonly seq: number;
  readonly at: number;
  readonly kind: "put" | "delete";
  versionId?: string;
}

const BASE = Date.parse("2026-03-01T00:00:00Z");
const KEYS = ["a", "a/b", "a b", "b", "b%", "c/ü", "d"];

function randomHistory(random: () => number, ties: boolean): Event[] {
  const events: Event[] = [];
  let seq = 0;
  for (const key of KEYS.filter(() => random() < 0.7)) {
    let at = BASE + Math.floor(random() * 4) * 1000;
    const n = Math.floor(random() * 9);
    for (let i = 0; i < n; i++) {
      // Steps of 0 s make equal timestamps (S3 lists LastModified to the second).
      at += (Math.floor(random() * 3) + (ties ? 0 : 1)) * 1000;
      events.push({ key, seq: seq++, at, kind: random() < 0.3 ? "delete" : "put" });
    }
  }
  return events;
}

type Decision = { key: string; kind: string; versionId?: string };

/** The truth: per key, the last event (in the order it happened) at or before asOf. */
function truth(events: readonly Event[], asOf: number): Decision[] {
  return decisions(events, asOf, (history) => [...history].sort((x, y) => y.seq - x.seq));
}

/**
 * The documented rule, on the whole history: newest first by time; on equal times the
 * key's latest entry first, then a delete marker before a version, then the order they
 * happened in (the SDK's two lists lose how S3 interleaved a tied version and marker).
 */
function documentedRule(events: readonly Event[], asOf: number): Decision[] {
  return decisions(events, asOf, (history) => {
    const latest = Math.max(...history.map((e) => e.seq));
    return [...history].sort(
      (x, y) =>
        y.at - x.at || Number(y.seq === latest) - Number(x.seq === latest) || Number(y.kind === "delete") - Number(x.kind === "delete") || y.seq - x.seq,
    );
  });
}

function decisions(events: readonly Event[], asOf: number, order: (history: Event[]) => Event[]): Decision[] {
  const keys = [...new Set(events.map((e) => e.key))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return keys.map((key) => {
    const at = order(events.filter((e) => e.key === key)).find((e) => e.at <= asOf);
    if (!at) return { key, kind: "absent" };
    return at.kind === "delete" ? { key, kind: "deleted" } : { key, kind: "restore", versionId: at.versionId };
  });
}

/** Whether some key has a version and a delete marker at the same second: where the SDK's split lists are ambiguous. */
function hasMixedTie(events: readonly Event[]): boolean {
  return events.some((x) => events.some((y) => x.key === y.key && x.at === y.at && x.kind !== y.kind));
}

const asDecision = (d: KeyDecision): Decision =>
  d.kind === "restore" ? { key: d.key, kind: d.kind, versionId: d.version.versionId } : { key: d.key, kind: d.kind };

let s3: ReturnType<S3World["install"]> | undefined;
afterEach(() => s3?.restore());

async function selected(_world: S3World, bucket: string, asOf: number, maxKeys: number): Promise<Decision[]> {
  const client = new S3Client({ region: "eu-central-1", credentials: { accessKeyId: "t", secretAccessKey: "t" } });
  const out: Decision[] = [];
  for await (const d of selectAsOf(
    listVersionPages({ client, bucket, roleArn: "arn:aws:iam::111111111111:role/test" }, { prefix: "", maxKeys }),
    new Date(asOf),
  ))
    out.push(asDecision(d));
  return out;
}

describe("restore: version selection", () => {
  test("over 300 random histories the streamed selection equals the reference model, paged with 1 to 4 entries per page", async () => {
    const world = new S3World();
    s3 = world.install();
    let withTies = 0;
    let agreeingWithTruth = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const random = prng(seed);
      const events = randomHistory(random, seed % 2 === 1);
      const bucket = world.bucket(`b${seed}`);
      for (const e of events)
        e.versionId = e.kind === "put" ? bucket.put(e.key, { at: new Date(e.at), body: `${e.key}#${e.seq}` }) : bucket.delete(e.key, new Date(e.at));
      const span = events.length ? Math.max(...events.map((e) => e.at)) - BASE : 0;
      const asOf = BASE - 1000 + Math.floor(random() * (span + 3000));
      const got = await selected(world, bucket.name, asOf, 1 + Math.floor(random() * 4));
      expect([seed, got]).toEqual([seed, documentedRule(events, asOf)]);
      if (hasMixedTie(events)) withTies++;
      else {
        expect([seed, got]).toEqual([seed, truth(events, asOf)]);
        agreeingWithTruth++;
      }
    }
    // The generator must exercise both: ties between a version and a marker, and histories without.
    expect(withTies).toBeGreaterThan(20);
    expect(agreeingWithTruth).toBeGreaterThan(100);
  });

  test("a key's history split across pages (MaxKeys 1) is decided once, in key order", async () => {
    const world = new S3World();
    s3 = world.install();
    const b = world.bucket("split");
    const t = (s: number) => new Date(BASE + s * 1000);
    const v1 = b.put("222222222222/x", { at: t(1), body: "one" });
    b.put("222222222222/x", { at: t(5), body: "two" });
    b.delete("222222222222/y", t(2));
    const y0 = b.put("222222222222/w", { at: t(1), body: "w" });
    expect(await selected(world, "split", BASE + 3000, 1)).toEqual([
      { key: "222222222222/w", kind: "restore", versionId: y0 },
      { key: "222222222222/x", kind: "restore", versionId: v1 },
      { key: "222222222222/y", kind: "deleted" },
    ]);
    expect(await selected(world, "split", BASE, 1)).toEqual(["222222222222/w", "222222222222/x", "222222222222/y"].map((key) => ({ key, kind: "absent" })));
  });

  test("equal timestamps: the IsLatest entry wins the tie, else the delete marker", async () => {
    const world = new S3World();
    s3 = world.install();
    const b = world.bucket("ties");
    const same = new Date(BASE + 10_000);
    b.put("k1", { at: same, body: "old" });
    b.delete("k1", same);
    b.put("k1", { at: new Date(BASE + 20_000), body: "later" });
    b.delete("k2", same);
    const latest = b.put("k2", { at: same, body: "rewritten" });
    const got = await selected(world, "ties", BASE + 10_000, 2);
    expect(got).toEqual([
      { key: "k1", kind: "deleted" },
      { key: "k2", kind: "restore", versionId: latest },
    ]);
  });
});
