import { DeleteObjectCommand, GetObjectCommand } from "@aws-sdk/client-s3";
import { createHash } from "crypto";
import { markdownTable } from "../../../core/text-table";
import { AwsClients, describeAwsError } from "../aws";
import type { RestoreAccess } from "./access";
import { CopyContext, Endpoint, copyVersion, send } from "./copy";
import { SelectedVersion, listVersionPages, selectAsOf } from "./select";
import { isArchived } from "./thaw";

export interface DrillOptions {
  readonly clients: AwsClients;
  readonly access: RestoreAccess;
  /** The backup read: the central bucket, or the vault's (`--from vault`), and its Region. */
  readonly backupBucket: string;
  readonly backupRegion: string;
  readonly runId: string;
  /** Objects restored per account. Default 3. */
  readonly objects?: number;
  /** Larger objects are not drawn: a drill reads every byte twice. Default 256 MiB. */
  readonly maxObjectBytes?: number;
  readonly random?: () => number;
  readonly now?: () => number;
  readonly maxKeys?: number;
}

export interface DrillResult {
  readonly accountId: string;
  readonly name: string;
  readonly status: "PASS" | "FAIL" | "ERROR" | "EMPTY";
  readonly objects: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly detail: string;
}

/** Where a drill puts an account's scratch copies in the drill bucket. */
export function drillKey(runId: string, accountId: string, sourceKey: string): string {
  return `drills/${runId}/${accountId}/${sourceKey.slice(accountId.length + 1)}`;
}

/**
 * K versions drawn uniformly from the account's current objects (reservoir sampling over
 * the streamed listing: constant memory), leaving out archived ones (they need a thaw) and
 * those above the size cap.
 */
export async function sampleCurrent(
  source: Endpoint,
  prefix: string,
  k: number,
  options: Pick<DrillOptions, "random" | "maxObjectBytes" | "maxKeys">,
): Promise<SelectedVersion[]> {
  const random = options.random ?? Math.random;
  const cap = options.maxObjectBytes ?? 256 * 1024 ** 2;
  const sample: SelectedVersion[] = [];
  let seen = 0;
  for await (const d of selectAsOf(listVersionPages(source, { prefix, maxKeys: options.maxKeys }), new Date(8.64e15))) {
    if (d.kind !== "restore" || isArchived(d.version.storageClass) || d.version.size > cap) continue;
    seen++;
    if (sample.length < k) sample.push(d.version);
    else {
      const j = Math.floor(random() * seen);
      if (j < k) sample[j] = d.version;
    }
  }
  return sample;
}

/** SHA-256 of an object version's bytes, streamed. */
async function sha256Of(endpoint: Endpoint, key: string, versionId: string | undefined): Promise<string> {
  const got = await send(endpoint, `GetObject s3://${endpoint.bucket}/${key}`, () =>
    endpoint.client.send(new GetObjectCommand({ Bucket: endpoint.bucket, Key: key, VersionId: versionId })),
  );
  const hash = createHash("sha256");
  for await (const chunk of got.Body as AsyncIterable<Uint8Array>) hash.update(chunk);
  return hash.digest("hex");
}

/**
 * One account's drill: restore K random objects from the backup bucket into the drill
 * bucket, compare every byte (SHA-256 of both), then delete exactly the scratch versions
 * it made (by version ID). PASS only when every copy matches.
 */
export async function drillAccount(member: { accountId: string; name: string }, options: DrillOptions): Promise<DrillResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const roleArn = options.access.roleArn;
  const source: Endpoint = { client: options.clients.s3(options.backupRegion, roleArn), bucket: options.backupBucket, roleArn };
  const target: Endpoint = { client: options.clients.s3(options.access.drillRegion, roleArn), bucket: options.access.drillBucketName, roleArn };
  const ctx: CopyContext = { source, target };
  const made: { key: string; versionId?: string }[] = [];
  let bytes = 0;
  const mismatches: string[] = [];
  const result = (status: DrillResult["status"], detail: string): DrillResult => ({
    accountId: member.accountId,
    name: member.name,
    status,
    objects: made.length,
    bytes,
    seconds: Math.round((now() - started) / 100) / 10,
    detail,
  });
  try {
    const sample = await sampleCurrent(source, `${member.accountId}/`, options.objects ?? 3, options);
    if (sample.length === 0) return result("EMPTY", `no current object under ${member.accountId}/ to restore`);
    for (const v of sample) {
      const key = drillKey(options.runId, member.accountId, v.key);
      const copy = await copyVersion(ctx, { key: v.key, versionId: v.versionId, size: v.size }, key);
      made.push({ key, versionId: copy.versionId });
      bytes += v.size;
      const [expected, got] = await Promise.all([sha256Of(source, v.key, v.versionId), sha256Of(target, key, copy.versionId)]);
      if (expected !== got) mismatches.push(`${v.key} (version ${v.versionId}): sha256 ${got} != ${expected}`);
    }
    if (mismatches.length) return result("FAIL", `${mismatches.length} mismatch(es): ${mismatches.join("; ")}`);
    return result("PASS", `${made.length} object(s) restored and verified byte for byte (SHA-256)`);
  } catch (error) {
    return result("ERROR", error instanceof Error && error.name === "AccessDeniedError" ? error.message : describeAwsError(error, "drill"));
  } finally {
    for (const copy of made) {
      // Only what this drill wrote: by version ID in a versioned drill bucket (a plain delete would leave a marker).
      await target.client.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: copy.key, VersionId: copy.versionId })).catch(() => undefined);
    }
  }
}

/** The drill as a Markdown table (for $GITHUB_STEP_SUMMARY). */
export function drillMarkdown(runId: string, results: readonly DrillResult[]): string {
  const result = (r: DrillResult) => (r.status === "PASS" ? "✅ PASS" : r.status === "EMPTY" ? "➖ EMPTY" : `❌ ${r.status}`);
  const rows = results.map((r) => [r.accountId, r.name, result(r), r.objects, r.bytes, r.seconds, r.detail]);
  const failed = results.filter((r) => r.status === "FAIL" || r.status === "ERROR").length;
  const header = ["account", "name", "result", "objects", "bytes", "seconds", "detail"];
  return `### Restore drill ${runId}: ${failed ? `${failed} account(s) failed` : "every account passed"}\n\n${markdownTable(header, rows, [3, 4, 5])}`;
}
