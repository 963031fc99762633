import { DeleteObjectCommand, GetBucketAclCommand, GetObjectAclCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { randomBytes } from "crypto";
import { RTC_MINUTES } from "../../core/config/defaults";
import type { ResolvedConfig, ResolvedMember } from "../../core/config/resolved";
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

type Verdict = readonly [VerifyStatus, string];

/** Which request is under way: an AWS error is reported with it. */
interface Step {
  current: string;
}

interface Waiting {
  readonly started: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly log: (line: string) => void;
  readonly timeoutMs: number;
  readonly pollMs: number;
}

/** Polls the marker's ReplicationStatus until COMPLETED (undefined), FAILED or the timeout. */
async function waitForReplication(source: S3Client, member: ResolvedMember, Key: string, VersionId: string, wait: Waiting): Promise<Verdict | undefined> {
  for (;;) {
    const head = await source.send(new HeadObjectCommand({ Bucket: member.sourceBucketName, Key, VersionId }));
    const status = head.ReplicationStatus;
    if (status === "COMPLETED") return undefined;
    if (status === "FAILED") return ["FAILED", `S3 reports replication FAILED for ${Key}: check the role, the key policies and the central bucket policy`];
    if (wait.now() - wait.started >= wait.timeoutMs) {
      return ["TIMEOUT", `still ${status ?? "not tracked (no rule matched?)"} after ${Math.round(wait.timeoutMs / 1000)} s`];
    }
    wait.log(`[${member.accountId}] replication ${status ?? "not started"}, next check in ${Math.round(wait.pollMs / 1000)} s`);
    await wait.sleep(wait.pollMs);
  }
}

/** The replica in the central bucket: SSE-KMS with a key of the central account (the pinned one if any), owned by the bucket owner. */
async function checkReplica(backup: S3Client, central: ResolvedConfig["central"], Key: string, step: Step): Promise<Verdict> {
  step.current = `HeadObject s3://${central.bucketName}/${Key} as ${central.deployRoleArn}`;
  const replica = await backup.send(new HeadObjectCommand({ Bucket: central.bucketName, Key }));
  const centralKeyPrefix = `arn:aws:kms:${central.region}:${central.accountId}:key/`;
  if (replica.ServerSideEncryption !== "aws:kms" || !replica.SSEKMSKeyId?.startsWith(centralKeyPrefix)) {
    return [
      "FAILED",
      `replica is encrypted with ${replica.ServerSideEncryption ?? "nothing"} / ${replica.SSEKMSKeyId ?? "no key"}, not with a KMS key of ${central.accountId}`,
    ];
  }
  if (central.replicaKmsKeyId.startsWith(centralKeyPrefix) && replica.SSEKMSKeyId !== central.replicaKmsKeyId) {
    return ["FAILED", `replica is encrypted with ${replica.SSEKMSKeyId}, not with the pinned central key ${central.replicaKmsKeyId}`];
  }
  step.current = `GetObjectAcl / GetBucketAcl in ${central.bucketName}`;
  const [objectAcl, bucketAcl] = await Promise.all([
    backup.send(new GetObjectAclCommand({ Bucket: central.bucketName, Key })),
    backup.send(new GetBucketAclCommand({ Bucket: central.bucketName })),
  ]);
  if (!objectAcl.Owner?.ID || objectAcl.Owner.ID !== bucketAcl.Owner?.ID) {
    return ["FAILED", `replica is owned by ${objectAcl.Owner?.ID ?? "unknown"}, not by the central bucket owner ${bucketAcl.Owner?.ID ?? "unknown"}`];
  }
  return ["OK", `replica s3://${central.bucketName}/${Key} encrypted with ${replica.SSEKMSKeyId}, owned by the central account`];
}

/** Deletes only the version this run created: a DeleteObject without VersionId would add a delete marker instead. */
async function deleteMarker(source: S3Client, member: ResolvedMember, Key: string, VersionId: string, log: (line: string) => void): Promise<void> {
  try {
    await source.send(new DeleteObjectCommand({ Bucket: member.sourceBucketName, Key, VersionId }));
    log(`[${member.accountId}] marker version ${VersionId} deleted from the source`);
  } catch (error) {
    log(`[${member.accountId}] could not delete the marker version ${VersionId}: ${describeAwsError(error, "DeleteObject")}`);
  }
}

/**
 * The end-to-end check of one member's replication: put a marker under `<accountId>/` in the source
 * bucket, wait for S3 to replicate it, check the replica in the central bucket (same key,
 * SSE-KMS with a key of the central account, owned by the central account), then delete
 * the marker version it created, and nothing else. The replica stays in the central
 * bucket as evidence (the central bucket never lets members delete).
 */
export async function verifyMember(config: ResolvedConfig, member: ResolvedMember, options: VerifyOptions): Promise<VerifyResult> {
  const { central } = config;
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  const started = now();
  const wait: Waiting = {
    started,
    now,
    log,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    pollMs: options.pollMs ?? DEFAULT_POLL_MS,
  };
  const result = ([status, detail]: Verdict): VerifyResult => ({
    accountId: member.accountId,
    name: member.name,
    status,
    seconds: Math.round((now() - started) / 1000),
    detail,
  });

  const source = options.clients.s3(member.region, member.deployRoleArn);
  const Key = markerKey(member, options.markerId ?? `${new Date(started).toISOString().replace(/[:.]/g, "-")}-${randomBytes(4).toString("hex")}`);
  let markerVersion: string | undefined;
  const step: Step = { current: `PutObject s3://${member.sourceBucketName}/${Key} as ${member.deployRoleArn}` };
  try {
    const put = await source.send(
      new PutObjectCommand({ Bucket: member.sourceBucketName, Key, Body: `replication check ${new Date(started).toISOString()}\n`, ContentType: "text/plain" }),
    );
    markerVersion = put.VersionId;
    if (!markerVersion) return result(["FAILED", `the source bucket returned no version ID: versioning is off on ${member.sourceBucketName}`]);
    log(`[${member.accountId}] marker ${Key} written (version ${markerVersion}), waiting for replication`);
    step.current = `HeadObject on the marker in ${member.sourceBucketName}`;
    const notReplicated = await waitForReplication(source, member, Key, markerVersion, wait);
    if (notReplicated) return result(notReplicated);
    return result(await checkReplica(options.clients.s3(central.region, central.deployRoleArn), central, Key, step));
  } catch (error) {
    return result(["ERROR", describeAwsError(error, step.current)]);
  } finally {
    if (markerVersion) await deleteMarker(source, member, Key, markerVersion, log);
  }
}
