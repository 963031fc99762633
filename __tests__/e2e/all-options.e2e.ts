/**
 * examples/all-options.ts, every option of accounts.ts, deployed to the emulator: two Regions,
 * Object Lock, lifecycle, the S3 state backend behind a role, an adopted bucket and key.
 * What a user's AWS would already hold is created first by the test: the state bucket (the
 * bootstrap creates it; the bootstrap itself is not applied here: its StackSet apply never
 * completes in the emulator, and its provider acts as the management account's own
 * credentials, which the emulator cannot stand in for) and the adopted bucket with its key.
 */
import { execFileSync } from "child_process";
import {
  CreateBucketCommand,
  GetBucketLifecycleConfigurationCommand,
  GetObjectLockConfigurationCommand,
  PutBucketEncryptionCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../support/example-project";
import { EMULATOR_KEYS, Emulator } from "./support/emulator";
import { World, clientIn, outcome, results, withRestoreAccess } from "./support/world";

const STACKS = ["central", "vault", "member-666666666666", "member-777777777777", "member-888888888888"];
const ADOPTED = {
  accountId: "888888888888",
  bucket: "legacy-media-assets-prod",
  keyArn: "arn:aws:kms:us-east-1:888888888888:key/11111111-2222-4333-8444-555555555555",
};

/** The state bucket the bootstrap would have created, in the account the backend's role is in. */
async function createStateBucket(emulator: Emulator): Promise<void> {
  const s3 = new S3Client(clientIn(emulator, "555555555555", "us-east-1"));
  await s3.send(new CreateBucketCommand({ Bucket: "example-org-terraform-state" }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: "example-org-terraform-state", VersioningConfiguration: { Status: "Enabled" } }));
}

/**
 * The member's existing bucket and key, set up as a bucket made today is (versioned, SSE-KMS,
 * public access blocked, owner-enforced, a policy of its own). The emulator numbers keys
 * itself, so accounts.ts names the key it made, as a user's names theirs. KeyUsage is given
 * explicitly: the emulator leaves it empty otherwise, where AWS answers ENCRYPT_DECRYPT.
 */
async function createAdoptedBucket(emulator: Emulator): Promise<string> {
  const keyArn = createKey(emulator, ADOPTED.accountId);
  const s3 = new S3Client(clientIn(emulator, ADOPTED.accountId, "us-east-1"));
  const Bucket = ADOPTED.bucket;
  await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
  const sse = { SSEAlgorithm: "aws:kms" as const, KMSMasterKeyID: keyArn };
  await s3.send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: sse }] } }));
  const block = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
  await s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: block }));
  await s3.send(new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] } }));
  const tlsOnly = {
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [`arn:aws:s3:::${Bucket}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
  await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify({ Version: "2012-10-17", Statement: [tlsOnly] }) }));
  return keyArn;
}

/**
 * A KMS key in an account, made with the emulator's own boto3 (installed with it): the
 * project has no KMS client among its dependencies, and this test adds none.
 */
function createKey(emulator: Emulator, accountId: string): string {
  const script = [
    "import boto3, sys",
    "url, account, key, secret = sys.argv[1:5]",
    "sts = boto3.client('sts', endpoint_url=url, region_name='us-east-1', aws_access_key_id=key, aws_secret_access_key=secret)",
    "c = sts.assume_role(RoleArn=f'arn:aws:iam::{account}:role/e2e-test', RoleSessionName='e2e')['Credentials']",
    "kms = boto3.client('kms', endpoint_url=url, region_name='us-east-1', aws_access_key_id=c['AccessKeyId'], aws_secret_access_key=c['SecretAccessKey'], aws_session_token=c['SessionToken'])",
    "print(kms.create_key(Description='legacy media', KeyUsage='ENCRYPT_DECRYPT', KeySpec='SYMMETRIC_DEFAULT')['KeyMetadata']['Arn'])",
  ].join("\n");
  const args = ["-c", script, emulator.url, accountId, EMULATOR_KEYS.accessKeyId, EMULATOR_KEYS.secretAccessKey];
  return execFileSync("/usr/bin/python3", args, { encoding: "utf8" }).trim();
}

let world: World;
beforeAll(async () => {
  world = await World.create(async (emulator) => {
    await createStateBucket(emulator);
    const keyArn = await createAdoptedBucket(emulator);
    const example = fs.readFileSync(path.join(ROOT, "examples/all-options.ts"), "utf8").replace(/from "\.\.\/lib\//g, 'from "./lib/');
    if (!example.includes(ADOPTED.keyArn)) throw new Error("examples/all-options.ts no longer adopts the key this test creates: update it");
    return withRestoreAccess(example.replace(ADOPTED.keyArn, keyArn));
  });
});
afterAll(async () => {
  await world?.close();
});

describe("every option of accounts.ts, deployed", () => {
  test("npm run deploy: central first (by break glass, as docs/terraform.md says), the vault, then the members, the adopted bucket and key imported", async () => {
    expect(results(await world.ok("deploy", ["central", "--role", "break-glass", "--auto-approve"]))).toEqual({ central: "applied" });
    // The members' vault rules name the vault bucket: it exists before them.
    expect(results(await world.ok("deploy", ["vault", "--auto-approve"]))).toEqual({ vault: "applied" });
    const members = await world.ok("deploy", ["member-*", "--auto-approve"]);
    expect(results(members)).toEqual(Object.fromEntries(STACKS.filter((s) => s.startsWith("member-")).map((s) => [s, "applied"])));
    // The seven import blocks of an adopted bucket (bucket, key, versioning, encryption, block, ownership, policy).
    expect(members).toMatch(/^member-888888888888\s+applied\s+\d+\s+\d+\s+0\s+7\s/m);
  });

  test("what was applied is in the emulator: Object Lock and lifecycle on the central bucket, state in the S3 backend", async () => {
    const central = world.s3("555555555555", "us-east-1");
    const lock = await central.send(new GetObjectLockConfigurationCommand({ Bucket: "example-org-backup-all-options" }));
    expect(lock.ObjectLockConfiguration!.Rule!.DefaultRetention).toMatchObject({ Mode: "GOVERNANCE", Days: 30 });
    const lifecycle = await central.send(new GetBucketLifecycleConfigurationCommand({ Bucket: "example-org-backup-all-options" }));
    expect(lifecycle.Rules!.map((r) => r.ID).sort()).toEqual(["expire-noncurrent-versions", "transition-to-colder-storage"]);
    // Terraform's lock files (<stack>.tfstate.tflock) come and go beside the states.
    const states = (await world.versions(central, "example-org-terraform-state", "s3-central-backup/"))
      .map((v) => v.Key!)
      .filter((k) => k.endsWith(".tfstate"));
    expect([...new Set(states)].sort()).toEqual(STACKS.map((s) => `s3-central-backup/${s}.tfstate`).sort());
  });

  test("npm run plan right after: no changes in any stack", async () => {
    expect(results(await world.ok("plan"))).toEqual(Object.fromEntries(STACKS.map((s) => [s, "no changes"])));
  });

  test("npm run state -- summary reads every stack's state through the S3 backend", async () => {
    const out = await world.ok("state", ["summary"]);
    const rows = [...out.matchAll(/^(central|vault|member-\d{12})\s+(\d+)\s+(\d+)\s/gm)].map((m) => [m[1], Number(m[2]) > 0]);
    expect(rows.sort()).toEqual(STACKS.map((s) => [s, true]).sort());
  });
});

describe("when central is lost: restore and drill from the vault, with the vault's own restore role", () => {
  // The emulator never replicates, and the vault's bucket policy denies s3:PutObject to
  // everyone: the test writes into the member's source bucket, and the suite's launcher does
  // what the member's deployed vault rule would (moto-e2e.py, fix 6).
  const VAULT = { accountId: "121212121212", region: "us-west-2", bucket: "example-org-backup-vault" };
  const account = "666666666666";
  const sourceBucket = "org-backup-src-666666666666-us-east-1";
  const vault = () => world.s3(VAULT.accountId, VAULT.region);
  const write = async (key: string, body: string) => {
    await world.put(world.s3(account, "us-east-1"), sourceBucket, `${account}/${key}`, body);
    expect(await world.replicate(sourceBucket, `${account}/${key}`, VAULT.bucket)).toEqual([`vault-backup-${account}`]);
  };
  let asOf = "";

  beforeAll(async () => {
    await write("ledger/2026.csv", "ledger-then");
    await write("ledger/notes.txt", "notes");
    // S3 (and the emulator) keep LastModified to the second: clear gaps on both sides of the as-of time.
    await new Promise((r) => setTimeout(r, 1500));
    asOf = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 1500));
    await write("ledger/2026.csv", "ledger-now");
  });

  test("the vault refuses a direct write, as it does in AWS: only replication reaches it", async () => {
    await expect(world.put(vault(), VAULT.bucket, `${account}/forged.txt`, "x")).rejects.toThrow();
    expect(await world.versions(vault(), VAULT.bucket, `${account}/`)).toHaveLength(3);
  });

  test("the vault stack made the restore role's scratch bucket beside the vault", async () => {
    const outputs = JSON.parse(await world.ok("state", ["vault", "outputs"])) as Record<string, { value: string }>;
    expect(outputs.drill_bucket_name.value).toBe(`${VAULT.bucket}-drills`);
    expect(outputs.restore_role_arn.value).toBe(`arn:aws:iam::${VAULT.accountId}:role/s3-central-backup-restore`);
  });

  test("restore --from vault --as-of: the vault's versions of that time come back into the member's own bucket; a second run, without the journal, copies nothing", async () => {
    const args = ["--account", account, "--from", "vault", "--as-of", asOf];
    const dry = await world.ok("restore", [...args, "--dry-run"]);
    expect(dry).toMatch(new RegExp(`^Restoring s3://${VAULT.bucket}/${account}/ .* as arn:aws:iam::${VAULT.accountId}:role/`, "m"));
    expect(dry).toMatch(/To restore: 2 objects, 16 B\./);
    // notes.txt is in the member's bucket with that content already: left alone.
    expect(outcome(await world.ok("restore", args))).toMatchObject({ copied: 1, unchanged: 1 });
    const member = world.s3(account, "us-east-1");
    expect(await world.read(member, sourceBucket, `${account}/ledger/2026.csv`)).toBe("ledger-then");
    expect(await world.read(member, sourceBucket, `${account}/ledger/notes.txt`)).toBe("notes");
    expect(outcome(await world.ok("restore", [...args, "--state-dir", "fresh-journal"]))).toMatchObject({ copied: 0, unchanged: 2 });
  });

  test("restore --from vault --to central's drill bucket is refused in one line: the vault's role writes into the vault's drill bucket", async () => {
    const run = await world.run("restore", ["--account", account, "--from", "vault", "--to", "example-org-backup-all-options-drills"]);
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(
        /^--to example-org-backup-all-options-drills: not a bucket a restore of 666666666666 from the vault may write into\. Use one of .*example-org-backup-vault-drills/,
      ),
    ]);
  });

  test("restore:drill --from vault: random objects restored into the vault's drill bucket, checked byte for byte, then removed", async () => {
    const out = await world.ok("restore:drill", ["--account", account, "--objects", "2", "--from", "vault"]);
    expect(out).toMatch(new RegExp(`^${account}\\s+payments\\s+PASS\\s+2\\s`, "m"));
    expect(await world.versions(vault(), `${VAULT.bucket}-drills`, "drills/")).toEqual([]);
  });
});
