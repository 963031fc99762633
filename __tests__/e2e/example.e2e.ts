/**
 * The README's example config (with restore access), deployed to the emulator with the
 * product's own commands, then operated. One world for the file: the tests run in order and
 * each builds on what the earlier ones deployed.
 */
import { GetBucketEncryptionCommand, GetBucketReplicationCommand, GetBucketVersioningCommand } from "@aws-sdk/client-s3";
import { exampleAccountsTs } from "../support/example-project";
import { World, exampleWithRestore } from "./support/world";

const CENTRAL = { accountId: "111111111111", region: "eu-central-1", bucket: "acme-org-central-backup" };
const MEMBERS = ["222222222222", "333333333333", "444444444444"];
const sourceBucket = (accountId: string) => `s3-backup-source-${accountId}-eu-central-1`;
const STACKS = ["central", ...MEMBERS.map((m) => `member-${m}`)];

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
    expect(results(await world.ok("deploy", ["central", "--auto-approve"]))).toEqual({ central: "applied" });
    const members = await world.ok("deploy", ["member-*", "--auto-approve"]);
    expect(results(members)).toEqual(Object.fromEntries(MEMBERS.map((m) => [`member-${m}`, "applied"])));
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
