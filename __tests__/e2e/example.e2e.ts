/**
 * The README's example config (with restore access), deployed to the emulator with the
 * product's own commands, then operated. One world for the file: the tests run in order and
 * each builds on what the earlier ones deployed.
 */
import { GetBucketEncryptionCommand, GetBucketReplicationCommand, GetBucketVersioningCommand, PutBucketVersioningCommand } from "@aws-sdk/client-s3";
import { exampleAccountsTs } from "../support/example-project";
import { World, exampleWithRestore } from "./support/world";

const CENTRAL = { accountId: "111111111111", region: "eu-central-1", bucket: "acme-org-central-backup" };
const MEMBERS = ["222222222222", "333333333333", "444444444444"];
const sourceBucket = (accountId: string) => `s3-backup-source-${accountId}-eu-central-1`;
const STACKS = ["central", ...MEMBERS.map((m) => `member-${m}`)];

/** Resources each stack's deploy added, read from its table. */
const added: Record<string, number> = {};

/** The rows of a stack run's table: stack -> result ("applied", "no changes", ...). */
function results(stdout: string): Record<string, string> {
  return Object.fromEntries(
    [...stdout.matchAll(/^(central|member-\d{12})\s+(applied|no changes|changes|DRIFTED|FAILED|skipped)\s/gm)].map((m) => [m[1], m[2]]),
  );
}

let world: World;
beforeAll(async () => {
  world = await World.create(exampleWithRestore(exampleAccountsTs()));
});
afterAll(async () => {
  await world?.close();
});

describe("deploy, then a second plan", () => {
  test("npm run deploy: central first, then every member, all applied", async () => {
    const central = await world.ok("deploy", ["central", "--auto-approve"]);
    expect(results(central)).toEqual({ central: "applied" });
    const members = await world.ok("deploy", ["member-*", "--auto-approve"]);
    expect(results(members)).toEqual(Object.fromEntries(MEMBERS.map((m) => [`member-${m}`, "applied"])));
    for (const m of (central + members).matchAll(/^(central|member-\d{12})\s+applied\s+(\d+)\s/gm)) added[m[1]] = Number(m[2]);
    expect(Object.keys(added).sort()).toEqual([...STACKS].sort());
  });

  test("what was applied is in the emulator: the central bucket versioned and KMS-encrypted, each member replicating <accountId>/ into it", async () => {
    const central = world.s3(CENTRAL.accountId, CENTRAL.region);
    expect((await central.send(new GetBucketVersioningCommand({ Bucket: CENTRAL.bucket }))).Status).toBe("Enabled");
    const sse = (await central.send(new GetBucketEncryptionCommand({ Bucket: CENTRAL.bucket }))).ServerSideEncryptionConfiguration!.Rules![0];
    expect(sse.ApplyServerSideEncryptionByDefault!.SSEAlgorithm).toBe("aws:kms");
    for (const member of MEMBERS) {
      const replication = await world.s3(member, "eu-central-1").send(new GetBucketReplicationCommand({ Bucket: sourceBucket(member) }));
      const rule = replication.ReplicationConfiguration!.Rules![0];
      expect([member, rule.Filter?.Prefix, rule.Destination!.Bucket, rule.Destination!.Account]).toEqual([
        member,
        `${member}/`,
        `arn:aws:s3:::${CENTRAL.bucket}`,
        CENTRAL.accountId,
      ]);
    }
  });

  test("npm run plan right after: no changes in any stack", async () => {
    expect(results(await world.ok("plan"))).toEqual(Object.fromEntries(STACKS.map((s) => [s, "no changes"])));
  });
});

describe("npm run state on the deployed stacks (issue 26: every subcommand failed on a non-empty state)", () => {
  test("summary: each stack's resources are what its deploy added", async () => {
    const out = await world.ok("state", ["summary"]);
    const rows = Object.fromEntries([...out.matchAll(/^(central|member-\d{12})\s+(\d+)\s+(\d+)\s+(\S+)/gm)].map((m) => [m[1], Number(m[2])]));
    expect(rows).toEqual(added);
    expect(out).not.toMatch(/not deployed yet/);
  });

  test("list, show and outputs read what Terraform recorded, and it matches the emulator", async () => {
    expect((await world.ok("state", ["central", "list"])).split("\n")).toContain("aws_s3_bucket.central_bucket");
    expect(await world.ok("state", ["central", "show", "aws_s3_bucket.central_bucket"])).toMatch(/bucket\s+= "acme-org-central-backup"/);
    const outputs = JSON.parse(await world.ok("state", ["member-222222222222", "outputs"])) as Record<string, { value: unknown }>;
    expect(outputs.source_bucket_name.value).toBe(sourceBucket("222222222222"));
    // The bucket the state names is the one in the emulator.
    const versioning = await world
      .s3("222222222222", "eu-central-1")
      .send(new GetBucketVersioningCommand({ Bucket: String(outputs.source_bucket_name.value) }));
    expect(versioning.Status).toBe("Enabled");
  });
});

describe("npm run backfill", () => {
  test("--dry-run prints the job request for the deployed bucket and role, and calls nothing", async () => {
    const before = world.emulator.log().length;
    const out = await world.ok("backfill", ["--account", "222222222222", "--dry-run"]);
    const request = JSON.parse(out.slice(out.indexOf("{"))) as { RoleArn: string; ManifestGenerator: { S3JobManifestGenerator: { SourceBucket: string } } };
    const outputs = JSON.parse(await world.ok("state", ["member-222222222222", "outputs"])) as Record<string, { value: unknown }>;
    expect(request.RoleArn).toBe(outputs.batch_replication_role_arn.value);
    expect(request.ManifestGenerator.S3JobManifestGenerator.SourceBucket).toBe(`arn:aws:s3:::${sourceBucket("222222222222")}`);
    expect(world.emulator.log().slice(before)).not.toMatch(/v20180820\/jobs/);
  });

  test("the job request reaches S3 Control at the endpoint; the emulator has no Batch Operations, so its answer is one line", async () => {
    // moto 5.2.3 implements no S3 Control CreateJob (Batch Operations jobs do not exist there):
    // what can be checked is that the request went to the endpoint itself (no <account>. host,
    // thanks to S3_BACKUP_S3_CONTROL_DISABLE_HOST_PREFIX) and that the failure is one line.
    const run = await world.run("backfill", ["--account", "222222222222"]);
    expect(run.status).toBe(1);
    expect(world.emulator.log()).toMatch(/"POST \/v20180820\/jobs HTTP\/1\.1" 404/);
    expect(run.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^CreateJob \(S3 Batch Replication\) in 222222222222 as .* failed: .*\(HTTP 404\)$/)]);
  });

  test("without the host-prefix option, an IP endpoint is one line naming the option (issue 26: a raw SDK stack trace)", async () => {
    const run = await world.run("backfill", ["--account", "222222222222"], { S3_BACKUP_S3_CONTROL_DISABLE_HOST_PREFIX: "" });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/^S3 Control cannot be reached at AWS_ENDPOINT_URL=.*Fix: set S3_BACKUP_S3_CONTROL_DISABLE_HOST_PREFIX=true/),
    ]);
  });
});

describe("npm run drift", () => {
  const drifted = "444444444444";
  test("right after the deploy: no drift in any stack, exit 0", async () => {
    expect(results(await world.ok("drift"))).toEqual(Object.fromEntries(STACKS.map((s) => [s, "no changes"])));
  });

  test("a hand-made change (versioning suspended on a source bucket) is drift in that stack only, exit 1; a deploy repairs it", async () => {
    const s3 = world.s3(drifted, "eu-central-1");
    await s3.send(new PutBucketVersioningCommand({ Bucket: sourceBucket(drifted), VersioningConfiguration: { Status: "Suspended" } }));
    const run = await world.run("drift");
    expect(run.status).toBe(1);
    expect(results(run.stdout)).toEqual(Object.fromEntries(STACKS.map((s) => [s, s === `member-${drifted}` ? "DRIFTED" : "no changes"])));
    expect(results(await world.ok("deploy", [`member-${drifted}`, "--auto-approve"]))).toEqual({ [`member-${drifted}`]: "applied" });
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: sourceBucket(drifted) }))).Status).toBe("Enabled");
  });
});
