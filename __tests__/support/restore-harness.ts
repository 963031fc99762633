import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { AwsClients } from "../../lib/tooling/ops/aws";
import type { RestoreRequest } from "../../lib/tooling/ops/restore/run";
import { s3Client, s3ControlClient } from "./through-sdk";
import { S3World } from "./versioned-bucket";

export const CENTRAL = "restore-test-central";
export const SOURCE = "s3-backup-source-222222222222-eu-central-1";
export const DRILLS = "restore-test-central-drills";
export const ROLE = "arn:aws:iam::111111111111:role/s3-central-backup-restore";
export const at = (seconds: number) => new Date(Date.parse("2026-02-01T00:00:00Z") + seconds * 1000);

/**
 * Clients that record the Region and role each was built for; the mock serves them all,
 * behind the SDK's own middleware and the product's retry strategy (support/through-sdk.ts).
 */
export function recordingClients(): AwsClients & { built: [string, string, string][] } {
  const built: [string, string, string][] = [];
  return {
    built,
    s3: (region, roleArn) => (built.push(["s3", region, roleArn]), s3Client(region)),
    s3Control: (region, roleArn) => (built.push(["s3control", region, roleArn]), s3ControlClient(region)),
  };
}

export function world(): S3World {
  const w = new S3World();
  w.bucket(CENTRAL, "eu-central-1");
  w.bucket(SOURCE, "eu-central-1");
  w.bucket(DRILLS, "eu-central-1");
  return w;
}

export function request(extra: Partial<RestoreRequest> = {}): RestoreRequest {
  return {
    accountId: "222222222222",
    centralAccountId: "111111111111",
    sourceBucket: CENTRAL,
    sourceRegion: "eu-central-1",
    sourcePrefix: "222222222222/",
    asOf: at(100),
    target: { bucket: SOURCE, region: "eu-central-1", prefix: "" },
    access: { roleArn: ROLE, drillBucketName: DRILLS, drillRegion: "eu-central-1" },
    mode: "copy",
    concurrency: 4,
    maxKeys: 2,
    ...extra,
  };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Names of the S3 commands sent, in order. */
export function commandNames(mock: { calls(): { args: unknown[] }[] }): string[] {
  return mock.calls().map((c) => (c.args[0] as { constructor: { name: string } }).constructor.name);
}

export const WRITE_COMMANDS = [
  "CopyObjectCommand",
  "PutObjectCommand",
  "DeleteObjectCommand",
  "CreateMultipartUploadCommand",
  "UploadPartCopyCommand",
  "CompleteMultipartUploadCommand",
  "AbortMultipartUploadCommand",
  "RestoreObjectCommand",
];
