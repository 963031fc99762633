import { DeleteObjectCommand, GetBucketAclCommand, GetObjectAclCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { randomBytes } from "crypto";
import { RTC_MINUTES } from "../config/defaults";
import type { ResolvedConfig, ResolvedMember } from "../config/resolved";
import { AwsClients, describeAwsError } from "./aws";

export type VerifyStatus = "OK" | "FAILED" | "TIMEOUT" | "ERROR";

export interface VerifyResult {
  readonly accountId: string;
  readonly name: string;
  readonly status: VerifyStatus;
  readonly seconds: number;
  readonly detail: string;
}

export interface VerifyOptions {
  readonly clients: AwsClients;
  /** Longest wait for the replica; default RTC's 15 minutes. */
  readonly timeoutMs?: number;
  /** Between two ReplicationStatus reads; default 15 s. */
  readonly pollMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  readonly log?: (line: string) => void;
  /** Marker key suffix; default a timestamp and random hex. */
  readonly markerId?: string;
}

export const DEFAULT_TIMEOUT_MS = RTC_MINUTES * 60_000;
export const DEFAULT_POLL_MS = 15_000;

/** Where verify puts its marker: under the account's prefix, so the default rule replicates it. */
export function markerKey(member: ResolvedMember, markerId: string): string {
  return `${member.accountId}/_replication-check/${markerId}.txt`;
}

/**
 * Seed 002's manual test as a command: put a marker under `<accountId>/` in the source
 * bucket, wait for S3 to replicate it, check the replica in the central bucket (same key,
 * SSE-KMS with a key of the central account, owned by the central account), then delete
 * the marker version it created, and nothing else. The replica stays in the central
 * bucket as evidence (the central bucket never lets members delete).
 */
export async function verifyMember(config: ResolvedConfig, member: ResolvedMember, options: VerifyOptions): Promise<VerifyResult> {
  const { central } = config;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const log = options.log ?? (() => undefined);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const started = now();
  const result = (status: VerifyStatus, detail: string): VerifyResult => ({
    accountId: member.accountId,
    name: member.name,
    status,
    seconds: Math.round((now() - started) / 1000),
    detail,
  });

  const source = options.clients.s3(member.region, member.deployRoleArn);
  const backup = options.clients.s3(central.region, central.deployRoleArn);
  const Key = markerKey(member, options.markerId ?? `${new Date(started).toISOString().replace(/[:.]/g, "-")}-${randomBytes(4).toString("hex")}`);
  let markerVersion: string | undefined;
  let step = `PutObject s3://${member.sourceBucketName}/${Key} as ${member.deployRoleArn}`;
  try {
    const put = await source.send(
      new PutObjectCommand({ Bucket: member.sourceBucketName, Key, Body: `replication check ${new Date(started).toISOString()}\n`, ContentType: "text/plain" }),
    );
    markerVersion = put.VersionId;
    if (!markerVersion) return result("FAILED", `the source bucket returned no version ID: versioning is off on ${member.sourceBucketName}`);
    log(`[${member.accountId}] marker ${Key} written (version ${markerVersion}), waiting for replication`);

    step = `HeadObject on the marker in ${member.sourceBucketName}`;
    for (;;) {
      const head = await source.send(new HeadObjectCommand({ Bucket: member.sourceBucketName, Key, VersionId: markerVersion }));
      const status = head.ReplicationStatus;
      if (status === "COMPLETED") break;
      if (status === "FAILED")
        return result("FAILED", `S3 reports replication FAILED for ${Key}: check the role, the key policies and the central bucket policy`);
      if (now() - started >= timeoutMs) {
        return result("TIMEOUT", `still ${status ?? "not tracked (no rule matched?)"} after ${Math.round(timeoutMs / 1000)} s`);
      }
      log(`[${member.accountId}] replication ${status ?? "not started"}, next check in ${Math.round(pollMs / 1000)} s`);
      await sleep(pollMs);
    }

    step = `HeadObject s3://${central.bucketName}/${Key} as ${central.deployRoleArn}`;
    const replica = await backup.send(new HeadObjectCommand({ Bucket: central.bucketName, Key }));
    const centralKeyPrefix = `arn:aws:kms:${central.region}:${central.accountId}:key/`;
    if (replica.ServerSideEncryption !== "aws:kms" || !replica.SSEKMSKeyId?.startsWith(centralKeyPrefix)) {
      return result(
        "FAILED",
        `replica is encrypted with ${replica.ServerSideEncryption ?? "nothing"} / ${replica.SSEKMSKeyId ?? "no key"}, not with a KMS key of ${central.accountId}`,
      );
    }
    if (central.replicaKmsKeyId.startsWith(centralKeyPrefix) && replica.SSEKMSKeyId !== central.replicaKmsKeyId) {
      return result("FAILED", `replica is encrypted with ${replica.SSEKMSKeyId}, not with the pinned central key ${central.replicaKmsKeyId}`);
    }
    step = `GetObjectAcl / GetBucketAcl in ${central.bucketName}`;
    const [objectAcl, bucketAcl] = await Promise.all([
      backup.send(new GetObjectAclCommand({ Bucket: central.bucketName, Key })),
      backup.send(new GetBucketAclCommand({ Bucket: central.bucketName })),
    ]);
    if (!objectAcl.Owner?.ID || objectAcl.Owner.ID !== bucketAcl.Owner?.ID) {
      return result("FAILED", `replica is owned by ${objectAcl.Owner?.ID ?? "unknown"}, not by the central bucket owner ${bucketAcl.Owner?.ID ?? "unknown"}`);
    }
    return result("OK", `replica s3://${central.bucketName}/${Key} encrypted with ${replica.SSEKMSKeyId}, owned by the central account`);
  } catch (error) {
    return result("ERROR", describeAwsError(error, step));
  } finally {
    if (markerVersion) {
      try {
        // Only the version this run created: a DeleteObject without VersionId would add a delete marker instead.
        await source.send(new DeleteObjectCommand({ Bucket: member.sourceBucketName, Key, VersionId: markerVersion }));
        log(`[${member.accountId}] marker version ${markerVersion} deleted from the source`);
      } catch (error) {
        log(`[${member.accountId}] could not delete the marker version ${markerVersion}: ${describeAwsError(error, "DeleteObject")}`);
      }
    }
  }
}
