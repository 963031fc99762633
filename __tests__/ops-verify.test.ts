import {
  DeleteObjectCommand,
  GetBucketAclCommand,
  GetObjectAclCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { S3ControlClient } from "@aws-sdk/client-s3-control";
import { mockClient } from "aws-sdk-client-mock";
import { config as example } from "./fixtures/example";
import { AwsClients, OpsError, selectMembers } from "../lib/tooling/ops/aws";
import { markerKey, verifyMember } from "../lib/tooling/ops/verify";
import { validateConfig } from "../lib/core/config/validate";

const resolved = validateConfig(example);
const member = resolved.members[0];
const SOURCE = member.sourceBucketName;
const CENTRAL = resolved.central.bucketName;
const KEY = markerKey(member, "test-marker");
const CENTRAL_KEY = "arn:aws:kms:eu-central-1:111111111111:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const CENTRAL_OWNER = "c0ffee0000000000000000000000000000000000000000000000000000000111";

/** Every client built by the command, with the region and role it was built for. */
const built: { service: string; region: string; roleArn: string; client: S3Client }[] = [];
const clients: AwsClients = {
  s3: (region, roleArn) => {
    const client = new S3Client({ region, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    built.push({ service: "s3", region, roleArn, client });
    return client;
  },
  s3Control: (region) => new S3ControlClient({ region, credentials: { accessKeyId: "test", secretAccessKey: "test" } }),
};

const s3 = mockClient(S3Client);
/** A fake clock: each sleep advances it, so timeouts are tested without waiting. */
let clock = 0;
const options = (extra: object = {}) => ({
  clients,
  markerId: "test-marker",
  now: () => clock,
  // A clock that advances instead of waiting: the poll loop awaits it like a real sleep.
  sleep: (ms: number) => {
    clock += ms;
    return Promise.resolve();
  },
  pollMs: 15_000,
  ...extra,
});

/** Calls made on the S3 client acting in one bucket's account, as [command, input]. */
function callsOn(bucket: string): [string, Record<string, unknown>][] {
  return s3
    .calls()
    .map((call) => call.args[0] as unknown as { constructor: { name: string }; input: Record<string, unknown> })
    .filter((command) => command.input.Bucket === bucket)
    .map((command) => [command.constructor.name, command.input]);
}

function accessDenied(): S3ServiceException {
  return new S3ServiceException({ name: "AccessDenied", $fault: "client", $metadata: { httpStatusCode: 403 }, message: "Access Denied" });
}

beforeEach(() => {
  s3.reset();
  built.length = 0;
  clock = 0;
  s3.on(PutObjectCommand).resolves({ VersionId: "marker-v1" });
  s3.on(DeleteObjectCommand).resolves({});
  s3.on(HeadObjectCommand, { Bucket: CENTRAL }).resolves({ ServerSideEncryption: "aws:kms", SSEKMSKeyId: CENTRAL_KEY });
  s3.on(GetObjectAclCommand).resolves({ Owner: { ID: CENTRAL_OWNER } });
  s3.on(GetBucketAclCommand).resolves({ Owner: { ID: CENTRAL_OWNER } });
});

describe("npm run verify", () => {
  test("success: marker replicated, replica checked, only the marker's own version deleted", async () => {
    s3.on(HeadObjectCommand, { Bucket: SOURCE }).resolvesOnce({ ReplicationStatus: "PENDING" }).resolves({ ReplicationStatus: "COMPLETED" });
    const result = await verifyMember(resolved, member, options());
    expect(result).toMatchObject({ accountId: "222222222222", status: "OK", seconds: 15 });
    expect(result.detail).toContain(CENTRAL_KEY);
    expect(callsOn(SOURCE)).toEqual([
      ["PutObjectCommand", expect.objectContaining({ Bucket: SOURCE, Key: KEY })],
      ["HeadObjectCommand", { Bucket: SOURCE, Key: KEY, VersionId: "marker-v1" }],
      ["HeadObjectCommand", { Bucket: SOURCE, Key: KEY, VersionId: "marker-v1" }],
      ["DeleteObjectCommand", { Bucket: SOURCE, Key: KEY, VersionId: "marker-v1" }],
    ]);
    expect(callsOn(CENTRAL).map(([name, input]) => [name, input.Key ?? null])).toEqual([
      ["HeadObjectCommand", KEY],
      ["GetObjectAclCommand", KEY],
      ["GetBucketAclCommand", null],
    ]);
    expect(KEY).toMatch(/^222222222222\//);
  });

  test("each bucket is reached through the deploy role of its own account and region", async () => {
    s3.on(HeadObjectCommand, { Bucket: SOURCE }).resolves({ ReplicationStatus: "COMPLETED" });
    await verifyMember(resolved, member, options());
    expect(built.map(({ region, roleArn }) => [region, roleArn])).toEqual([
      ["eu-central-1", "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole"],
      ["eu-central-1", "arn:aws:iam::111111111111:role/OrganizationAccountAccessRole"],
    ]);
  });

  test("replication FAILED: reported, marker still cleaned up, central bucket never touched", async () => {
    s3.on(HeadObjectCommand, { Bucket: SOURCE }).resolves({ ReplicationStatus: "FAILED" });
    const result = await verifyMember(resolved, member, options());
    expect(result.status).toBe("FAILED");
    expect(result.detail).toMatch(/replication FAILED/);
    expect(callsOn(SOURCE).at(-1)).toEqual(["DeleteObjectCommand", { Bucket: SOURCE, Key: KEY, VersionId: "marker-v1" }]);
    expect(callsOn(CENTRAL)).toEqual([]);
  });

  test("timeout: bounded by the configured ceiling, polling at the configured interval", async () => {
    s3.on(HeadObjectCommand, { Bucket: SOURCE }).resolves({ ReplicationStatus: "PENDING" });
    const result = await verifyMember(resolved, member, options({ timeoutMs: 60_000, pollMs: 20_000 }));
    expect(result).toMatchObject({ status: "TIMEOUT", seconds: 60 });
    expect(result.detail).toMatch(/still PENDING after 60 s/);
    expect(callsOn(SOURCE).filter(([name]) => name === "HeadObjectCommand")).toHaveLength(4);
    expect(callsOn(SOURCE).filter(([name]) => name === "DeleteObjectCommand")).toEqual([
      ["DeleteObjectCommand", { Bucket: SOURCE, Key: KEY, VersionId: "marker-v1" }],
    ]);
  });

  test("the default ceiling is RTC's 15 minutes", async () => {
    s3.on(HeadObjectCommand, { Bucket: SOURCE }).resolves({ ReplicationStatus: "PENDING" });
    expect(await verifyMember(resolved, member, options({ timeoutMs: undefined }))).toMatchObject({ status: "TIMEOUT", seconds: 900 });
  });

  test("access denied on the put: one clear line, nothing to clean up", async () => {
    s3.on(PutObjectCommand).rejects(accessDenied());
    const result = await verifyMember(resolved, member, options());
    expect(result.status).toBe("ERROR");
    expect(result.detail).toBe(`access denied: PutObject s3://${SOURCE}/${KEY} as arn:aws:iam::222222222222:role/OrganizationAccountAccessRole`);
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
  });

  test("access denied reading the replica: named, and the marker is still cleaned up", async () => {
    s3.on(HeadObjectCommand, { Bucket: SOURCE }).resolves({ ReplicationStatus: "COMPLETED" });
    s3.on(HeadObjectCommand, { Bucket: CENTRAL }).rejects(accessDenied());
    const result = await verifyMember(resolved, member, options());
    expect(result.detail).toBe(`access denied: HeadObject s3://${CENTRAL}/${KEY} as arn:aws:iam::111111111111:role/OrganizationAccountAccessRole`);
    expect(s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input)).toEqual([{ Bucket: SOURCE, Key: KEY, VersionId: "marker-v1" }]);
  });

  test("missing credentials: says what to set", async () => {
    const error = Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });
    s3.on(PutObjectCommand).rejects(error);
    const result = await verifyMember(resolved, member, options());
    expect(result.detail).toMatch(/^no AWS credentials: .* \(set AWS_PROFILE, or AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY, or run in CI with OIDC\)$/);
  });

  test("a replica encrypted with a key outside the central account fails the check", async () => {
    s3.on(HeadObjectCommand, { Bucket: SOURCE }).resolves({ ReplicationStatus: "COMPLETED" });
    s3.on(HeadObjectCommand, { Bucket: CENTRAL }).resolves({ ServerSideEncryption: "aws:kms", SSEKMSKeyId: "arn:aws:kms:eu-central-1:222222222222:key/x" });
    expect(await verifyMember(resolved, member, options())).toMatchObject({
      status: "FAILED",
      detail: expect.stringMatching(/not with a KMS key of 111111111111/),
    });
  });

  test("a replica not owned by the central bucket owner fails the check", async () => {
    s3.on(HeadObjectCommand, { Bucket: SOURCE }).resolves({ ReplicationStatus: "COMPLETED" });
    s3.on(GetObjectAclCommand).resolves({ Owner: { ID: "member-canonical-id" } });
    expect(await verifyMember(resolved, member, options())).toMatchObject({ status: "FAILED", detail: expect.stringMatching(/owned by member-canonical-id/) });
  });

  test("an unversioned source bucket is reported and nothing is deleted", async () => {
    s3.on(PutObjectCommand).resolves({});
    expect(await verifyMember(resolved, member, options())).toMatchObject({ status: "FAILED", detail: expect.stringMatching(/versioning is off/) });
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
  });

  test("an account that is not in accounts.ts is refused before any call", () => {
    expect(() => selectMembers(resolved, { account: "999999999999" })).toThrow(OpsError);
    expect(() => selectMembers(resolved, { account: "999999999999" })).toThrow(
      /Account 999999999999 is not in accounts\.ts \(members: 222222222222, 333333333333, 444444444444\)/,
    );
    expect(selectMembers(resolved, { all: true })).toHaveLength(3);
    expect(s3.calls()).toHaveLength(0);
  });
});
