/**
 * The fingerprint fast path of changed-stacks (lib/tooling/ci/stack-fingerprints.ts) against the
 * reference, a full synth of both configs compared byte for byte: random edits of every kind
 * a user makes to accounts.ts, and the two must list exactly the same stacks.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { synthesize } from "../stacks/apps/backup-app";
import { syntheticMembers } from "../lib/bench/synthetic-config";
import { compareSynth } from "../lib/tooling/ci/changed-stacks";
import { changesBetweenConfigs, stackFingerprints } from "../lib/tooling/ci/stack-fingerprints";
import type { BackupConfig, MemberAccountConfig, ReplicaStorageClass } from "../lib/core/config/types";
import { config as example } from "./fixtures/example";
import { prng } from "./support/prng";

const ROOT = path.resolve(__dirname, "..");

/** Draws from the shared seeded PRNG: a failure names its seed and replays exactly. */
function random(seed: number) {
  const next = prng(seed);
  const int = (n: number) => Math.floor(next() * n);
  return { int, pick: <T>(xs: readonly T[]): T => xs[int(xs.length)], chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof random>;

const CLASSES: ReplicaStorageClass[] = ["STANDARD", "STANDARD_IA", "GLACIER_IR", "DEEP_ARCHIVE"];
const REGIONS = ["eu-central-1", "eu-west-1", "us-east-1"];

type Edit = (c: BackupConfig, r: Rng) => BackupConfig;
const withMember = (c: BackupConfig, r: Rng, change: (m: MemberAccountConfig) => MemberAccountConfig): BackupConfig => {
  const i = r.int(c.members.length);
  return { ...c, members: c.members.map((m, j) => (j === i ? change(m) : m)) };
};
const withCentral = (c: BackupConfig, change: Partial<BackupConfig["central"]>): BackupConfig => ({ ...c, central: { ...c.central, ...change } });

/** Every kind of edit, by name: the test checks that each one ran. */
const EDITS: Record<string, Edit> = {
  "add a member": (c, r) => ({ ...c, members: [...c.members, { accountId: String(900000000000 + r.int(99999)), name: `new-${r.int(1000)}` }] }),
  "remove a member": (c, r) => {
    const i = r.int(c.members.length);
    return { ...c, members: c.members.filter((_, j) => j !== i) };
  },
  "reorder the members": (c) => ({ ...c, members: [...c.members].reverse() }),
  "rename a member": (c, r) => withMember(c, r, (m) => ({ ...m, name: `renamed-${r.int(1000)}` })),
  "member storage class": (c, r) => withMember(c, r, (m) => ({ ...m, storageClass: r.pick(CLASSES) })),
  "member replication time control": (c, r) => withMember(c, r, (m) => ({ ...m, replicationTimeControl: r.chance(0.5) })),
  "member delete markers": (c, r) => withMember(c, r, (m) => ({ ...m, replicateDeleteMarkers: r.chance(0.5) })),
  "member region": (c, r) => withMember(c, r, (m) => ({ ...m, region: r.pick(REGIONS) })),
  "member monitoring": (c, r) =>
    withMember(c, r, (m) => ({ ...m, monitoring: r.chance(0.5) ? { enabled: false } : { emails: [`ops${r.int(9)}@example.com`] } })),
  "member batch replication": (c, r) => withMember(c, r, (m) => ({ ...m, batchReplication: r.chance(0.5) })),
  "member extra rule": (c, r) =>
    withMember(c, r, (m) => ({ ...m, extraRules: [{ id: "logs", prefix: `${m.accountId}/logs/`, priority: 1 + r.int(5), storageClass: r.pick(CLASSES) }] })),
  "member adopts an existing bucket": (c, r) => withMember(c, r, (m) => ({ ...m, existingBucket: { bucketName: `legacy-${m.accountId}` } })),
  "central storage class default": (c, r) => withCentral(c, { storageClass: r.pick(CLASSES) }),
  "central replication time control default": (c) => withCentral(c, { replicationTimeControl: !c.central.replicationTimeControl }),
  "central bucket name": (c, r) => withCentral(c, { bucketName: `acme-backup-${r.int(1000)}` }),
  "central key alias": (c, r) => withCentral(c, { keyAlias: `alias/backup-${r.int(1000)}` }),
  "central key pinned": (c) => withCentral(c, { keyArn: `arn:aws:kms:${c.central.region}:${c.central.accountId}:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d` }),
  "central replication role name": (c, r) => withCentral(c, { replicationRoleName: `replicator-${r.int(1000)}` }),
  "central deploy role name": (c, r) => withCentral(c, { deployRoleName: `deployer-${r.int(1000)}` }),
  "central source bucket prefix": (c, r) => withCentral(c, { sourceBucketPrefix: `src-${r.int(1000)}` }),
  "central access mode": (c) => withCentral(c, { accessMode: c.central.accessMode === "listed-accounts" ? "organization" : "listed-accounts" }),
  "central bucket keys": (c) => withCentral(c, { bucketKey: !c.central.bucketKey }),
  "central lifecycle": (c, r) => withCentral(c, { lifecycle: { noncurrentVersionExpirationDays: 30 + r.int(300) } }),
  "central key deletion window": (c, r) => withCentral(c, { keyDeletionWindowDays: 7 + r.int(23) }),
  "tags on every resource": (c, r) => ({ ...c, tags: { CostCenter: `cc-${r.int(100)}` } }),
  "remote state": (c, r) => ({ ...c, stateBackend: { bucket: `tf-state-${r.int(100)}`, region: r.pick(REGIONS) } }),
  "organization ID": (c, r) => ({ ...c, organizationId: `o-${String(1000000000 + r.int(8999999999))}` }),
  "the same value again (no change)": (c) => withCentral(c, { storageClass: c.central.storageClass }),
};

function synthTo(config: BackupConfig): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-prop-"));
  synthesize(config, { outdir });
  return outdir;
}

const SEEDS = Array.from({ length: 36 }, (_, i) => i + 1);

/**
 * The edits of one seed, drawn from its own PRNG: each kind comes first in turn, so every kind
 * is exercised whatever the random draws. The same PRNG then makes the edits' values.
 */
function editsOf(seed: number): { chosen: string[]; r: Rng } {
  const r = random(seed);
  const kinds = Object.keys(EDITS);
  return { chosen: [kinds[(seed - 1) % kinds.length], ...Array.from({ length: r.int(3) }, () => r.pick(kinds))], r };
}

describe("changed-stacks fast path = full synth, over random edits of accounts.ts", () => {
  const base: BackupConfig = { ...example, members: syntheticMembers(4) };
  let baseOutdir: string;
  beforeAll(() => (baseOutdir = synthTo(base)));
  afterAll(() => fs.rmSync(baseOutdir, { recursive: true, force: true }));

  test.each(SEEDS.map((seed) => [seed]))("seed %i", (seed) => {
    const { chosen, r } = editsOf(seed);
    const head = chosen.reduce((config, kind) => EDITS[kind](config, r), base);
    const headOutdir = synthTo(head);
    try {
      const reference = compareSynth(baseOutdir, headOutdir, ROOT);
      const fast = changesBetweenConfigs(base, head, ROOT);
      const lists = (c: { added: string[]; changed: string[]; removed: string[] }) => ({ added: c.added, changed: c.changed, removed: c.removed });
      expect([chosen, lists(fast)]).toEqual([chosen, lists(reference)]);
      expect(fast.retired).toEqual(reference.retired);
    } finally {
      fs.rmSync(headOutdir, { recursive: true, force: true });
    }
  });

  test("the seeds exercise every kind of edit", () => {
    const exercised = new Set(SEEDS.flatMap((seed) => editsOf(seed).chosen));
    expect(Object.keys(EDITS).filter((kind) => !exercised.has(kind))).toEqual([]);
  });
});

describe("fingerprints", () => {
  test("one more member changes no other stack's fingerprint", () => {
    const before = stackFingerprints(example);
    const after = stackFingerprints({ ...example, members: [...example.members, { accountId: "555555555555", name: "new" }] });
    expect([...after.keys()].filter((s) => before.get(s) !== after.get(s))).toEqual(["member-555555555555"]);
  });

  test("a fingerprint that left out part of a stack's input would miss edits (why the inputs are hashed whole)", () => {
    // The central default storage class reaches every member only through its input's `central`.
    const colder = { ...example, central: { ...example.central, storageClass: "GLACIER_IR" as const } };
    const changed = [...stackFingerprints(colder)].filter(([s, f]) => stackFingerprints(example).get(s) !== f).map(([s]) => s);
    expect(changed).toEqual(example.members.map((m) => `member-${m.accountId}`));
  });
});
