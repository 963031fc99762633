import { UsageError, parseStrict, wholeNumber } from "./usage";
import type { ThawTier } from "../ops/restore/thaw";

export const RESTORE_USAGE = `npm run restore -- --account <id> [--prefix <p> | --key <k>] [--as-of <ISO time>] [--to <bucket>[/<prefix>]] [--dry-run] [options]

Restores the account's data from the central backup as it was at --as-of (default now):
for each key under <id>/ the newest version at or before that time, skipping keys that
were deleted then. Run with central-account credentials that may assume the restore role.
Default target: the member's own source bucket, same keys, as new current versions.
Never deletes; never rewrites a key whose current object already has that content.

Options:
  --account <id>              member account to restore (12 digits, in accounts.ts)
  --prefix <p>                only keys under <id>/<p> (<p> may also be given as <id>/<p>)
  --key <k>                   only this key (<id>/<k>, or <k>)
  --as-of <time>              ISO 8601 with a zone, e.g. 2026-03-01T12:00:00Z; not in the future
  --to <bucket>[/<prefix>]    restore into another bucket (any Region), keys under <prefix>/<id>/...
  --dry-run                   counts, bytes, storage classes, thaws needed, estimated cost; writes nothing
  --thaw                      start RestoreObject for GLACIER / DEEP_ARCHIVE objects (copy them on a later run)
  --thaw-tier Standard|Bulk   default Standard (GLACIER 3-5 h, DEEP_ARCHIVE 12 h; Bulk 5-12 h / 48 h)
  --thaw-days <n>             days the thawed copy stays readable, default 7
  --batch                     S3 Batch Operations copy job from a CSV manifest instead of copying here (<= 5 GB each)
  --manifest-bucket <bucket>  where --batch writes the manifest and report (default: the drill bucket)
  --batch-role-arn <arn>      role S3 Batch Operations assumes (default: the restore role)
  --allow-unversioned-target  restore into a bucket without versioning (overwrites for good)
  --concurrency <n>           copies in flight, 1-256, default 16
  --report <file>             JSON report (default restore-report-<time>.json in the current directory)
  --state-dir <dir>           journals for resuming (default restore-state/)
  --progress-seconds <n>      without a terminal, a progress line every n seconds (default 30)
  --help                      this text

Example:
  npm run restore -- --account 222222222222 --prefix reports/ --as-of 2026-03-01T12:00:00Z --dry-run`;

const OPTIONS = {
  account: { type: "string" },
  prefix: { type: "string" },
  key: { type: "string" },
  "as-of": { type: "string" },
  to: { type: "string" },
  "dry-run": { type: "boolean" },
  thaw: { type: "boolean" },
  "thaw-tier": { type: "string" },
  "thaw-days": { type: "string" },
  batch: { type: "boolean" },
  "manifest-bucket": { type: "string" },
  "batch-role-arn": { type: "string" },
  "allow-unversioned-target": { type: "boolean" },
  concurrency: { type: "string" },
  report: { type: "string" },
  "state-dir": { type: "string" },
  "progress-seconds": { type: "string" },
  help: { type: "boolean" },
} as const;

export interface RestoreArgs {
  readonly help: boolean;
  readonly account: string;
  /** The listing prefix in the central bucket, always starting with `<id>/`. */
  readonly sourcePrefix: string;
  readonly exactKey?: string;
  /** As given, or undefined for "now" (a resumed run keeps its first run's time). */
  readonly asOf?: Date;
  readonly to?: { readonly bucket: string; readonly prefix: string };
  readonly dryRun: boolean;
  readonly thaw?: { readonly days: number; readonly tier: ThawTier };
  readonly thawTier: ThawTier;
  readonly batch: boolean;
  readonly manifestBucket?: string;
  readonly batchRoleArn?: string;
  readonly allowUnversionedTarget: boolean;
  readonly concurrency: number;
  readonly report?: string;
  readonly stateDir: string;
  readonly progressSeconds: number;
  /** What identifies the run for its journal: the arguments that change what is restored. */
  readonly runKey: Readonly<Record<string, unknown>>;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** `<id>/x` or `x` as the full key or prefix `<id>/x`; another account's prefix is refused. */
export function underAccount(flag: string, account: string, raw: string): string {
  const value = raw.replace(/^\/+/, "");
  if (value.startsWith(`${account}/`)) return value;
  const other = /^(\d{12})\//.exec(value);
  if (other) throw new UsageError(`${flag} "${raw}" is under account ${other[1]}, not ${account}: restore one account at a time (--account ${other[1]}).`);
  return `${account}/${value}`;
}

export function parseAsOf(raw: string, now = Date.now()): Date {
  const time = Date.parse(raw);
  if (!ISO_WITH_ZONE.test(raw) || Number.isNaN(time))
    throw new UsageError(`--as-of must be an ISO 8601 time with a zone, e.g. 2026-03-01T12:00:00Z, not "${raw}".`);
  if (time > now) throw new UsageError(`--as-of ${raw} is in the future: the backup holds nothing newer than now. Omit --as-of to restore the latest state.`);
  return new Date(time);
}

export function parseTo(raw: string): { bucket: string; prefix: string } {
  const value = raw.replace(/^s3:\/\//, "");
  const slash = value.indexOf("/");
  const bucket = slash < 0 ? value : value.slice(0, slash);
  const prefix = slash < 0 ? "" : value.slice(slash + 1).replace(/^\/+|\/+$/g, "");
  if (!BUCKET.test(bucket)) throw new UsageError(`--to must be <bucket>[/<prefix>] with a valid bucket name, not "${raw}".`);
  return { bucket, prefix: prefix ? `${prefix}/` : "" };
}

export function parseRestoreArgs(argv: readonly string[], now = Date.now()): RestoreArgs {
  const v = parseStrict(argv, OPTIONS, "npm run restore");
  const help = v.help === true;
  if (help) return { help } as RestoreArgs;
  const account = v.account ?? "";
  if (!/^\d{12}$/.test(account)) throw new UsageError(`--account must be a 12-digit account ID${account ? `, not "${account}"` : ""}.`);
  if (v.prefix !== undefined && v.key !== undefined) throw new UsageError("--prefix and --key exclude each other: give one.");
  const exactKey = v.key !== undefined ? underAccount("--key", account, v.key) : undefined;
  const sourcePrefix = exactKey ?? (v.prefix !== undefined ? underAccount("--prefix", account, v.prefix) : `${account}/`);
  const tier = v["thaw-tier"] ?? "Standard";
  if (tier !== "Standard" && tier !== "Bulk") throw new UsageError(`--thaw-tier must be Standard or Bulk, not "${tier}".`);
  if (v["dry-run"] && v.batch) throw new UsageError("--dry-run and --batch exclude each other: a dry run creates no job.");
  if (!v.batch && (v["manifest-bucket"] || v["batch-role-arn"])) throw new UsageError("--manifest-bucket and --batch-role-arn need --batch.");
  const to = v.to !== undefined ? parseTo(v.to) : undefined;
  const asOf = v["as-of"] !== undefined ? parseAsOf(v["as-of"], now) : undefined;
  return {
    help,
    account,
    sourcePrefix,
    exactKey,
    asOf,
    to,
    dryRun: v["dry-run"] === true,
    thaw: v.thaw ? { days: wholeNumber("--thaw-days", v["thaw-days"], 7, 1, 365), tier } : undefined,
    thawTier: tier,
    batch: v.batch === true,
    manifestBucket: v["manifest-bucket"],
    batchRoleArn: v["batch-role-arn"],
    allowUnversionedTarget: v["allow-unversioned-target"] === true,
    concurrency: wholeNumber("--concurrency", v.concurrency, 16, 1, 256),
    report: v.report,
    stateDir: v["state-dir"] ?? "restore-state",
    progressSeconds: wholeNumber("--progress-seconds", v["progress-seconds"], 30, 1, 3600),
    runKey: { account, sourcePrefix, exactKey, asOf: v["as-of"] ?? "now", to: v.to ?? "source", batch: v.batch === true },
  };
}
