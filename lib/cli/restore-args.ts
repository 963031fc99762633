import { bucketNameProblem } from "../core/config/checks/field-checks";
import { UsageError } from "../core/errors";
import type { ThawTier } from "../tooling/ops/restore/thaw";
import type { BackupOrigin } from "./restore-access";
import { OptionValues, accountId, defineCommand, oneOf, parseCommand, wholeNumber } from "./command";

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/*
 * The values of --as-of and --to keep the text as typed: it is part of the journal's key
 * (runKey), so a run interrupted by an earlier version of this command still resumes.
 */

/** parse for --as-of: an ISO 8601 time with a zone (whether it is in the future is checked against the run's `now`, in restoreArgsOf). */
export function isoTime(raw: string): { text: string; time: Date } {
  const time = Date.parse(raw);
  if (!ISO_WITH_ZONE.test(raw) || Number.isNaN(time)) throw new Error("must be an ISO 8601 time with a zone, e.g. 2026-03-01T12:00:00Z");
  return { text: raw, time: new Date(time) };
}

/** parse for --to: `<bucket>[/<prefix>]`, with or without s3://; the prefix always ends in `/` (or is empty). */
export function restoreTarget(raw: string): { text: string; bucket: string; prefix: string } {
  const value = raw.replace(/^s3:\/\//, "");
  const slash = value.indexOf("/");
  const bucket = slash < 0 ? value : value.slice(0, slash);
  const prefix = slash < 0 ? "" : value.slice(slash + 1).replace(/^\/+|\/+$/g, "");
  if (bucketNameProblem(bucket)) throw new Error("must be <bucket>[/<prefix>] with a valid bucket name");
  return { text: raw, bucket, prefix: prefix ? `${prefix}/` : "" };
}

export const RESTORE = defineCommand({
  name: "restore",
  usage:
    "npm run restore -- --account <id> [--prefix <p> | --key <k>] [--as-of <ISO time>] [--to <bucket>[/<prefix>]] [--from central|vault] [--dry-run] [options]",
  summary: [
    "Restores the account's data from the central backup (or --from vault) as it was at --as-of",
    "(default now): for each key under <id>/ the newest version at or before that time, skipping",
    "keys that were deleted then. Run with credentials of a role in restore.assumableBy.",
    "Default target: the member's own source bucket, same keys, as new current versions.",
    "Never deletes; never rewrites a key whose current object already has that content.",
  ].join("\n"),
  options: {
    account: { type: "string", valueName: "<id>", description: "member account to restore (12 digits, in accounts.ts)", parse: accountId },
    prefix: { type: "string", valueName: "<p>", description: "only keys under <id>/<p> (<p> may also be given as <id>/<p>)" },
    key: { type: "string", valueName: "<k>", description: "only this key (<id>/<k>, or <k>)" },
    "as-of": { type: "string", valueName: "<time>", description: "ISO 8601 with a zone, e.g. 2026-03-01T12:00:00Z; not in the future", parse: isoTime },
    to: {
      type: "string",
      valueName: "<bucket>[/<prefix>]",
      description: "restore into another bucket (any Region), keys under <prefix>/<id>/...",
      parse: restoreTarget,
    },
    from: {
      type: "string",
      valueName: "central|vault",
      description: "the copy to read: central (default), or the vault's locked copy when central is lost (docs/vault.md); with the vault's restore role",
      parse: oneOf<BackupOrigin>("central", "vault"),
    },
    retired: {
      type: "boolean",
      description: "the account was removed from accounts.ts (its backups remain in central): restore it --to the drill bucket or an extra target",
    },
    "dry-run": { type: "boolean", description: "counts, bytes, storage classes, thaws needed, estimated cost; writes nothing" },
    list: { type: "boolean", description: "with --dry-run: one line per key, the version that would come back (or why not)" },
    thaw: { type: "boolean", description: "start RestoreObject for GLACIER / DEEP_ARCHIVE objects (copy them on a later run)" },
    "thaw-tier": {
      type: "string",
      valueName: "Standard|Bulk",
      description: "default Standard (GLACIER 3-5 h, DEEP_ARCHIVE 12 h; Bulk 5-12 h / 48 h)",
      parse: oneOf<ThawTier>("Standard", "Bulk"),
    },
    "thaw-days": { type: "string", valueName: "<n>", description: "days the thawed copy stays readable, 1-365, default 7", parse: wholeNumber(1, 365) },
    "allow-unversioned-target": { type: "boolean", description: "restore into a bucket without versioning (overwrites for good)" },
    concurrency: { type: "string", valueName: "<n>", description: "copies in flight, 1-256, default 16", parse: wholeNumber(1, 256) },
    report: { type: "string", valueName: "<file>", description: "JSON report (default restore-report-<time>.json in the current directory)" },
    "state-dir": { type: "string", valueName: "<dir>", description: "journals for resuming (default restore-state/)" },
    "progress-seconds": {
      type: "string",
      valueName: "<n>",
      description: "without a terminal, a progress line every n seconds, 1-3600 (default 30)",
      parse: wholeNumber(1, 3600),
    },
  },
  example: "npm run restore -- --account 222222222222 --prefix reports/ --as-of 2026-03-01T12:00:00Z --dry-run",
});

export interface RestoreArgs {
  readonly account: string;
  /** --from: which copy is read (central unless --from vault). */
  readonly from: BackupOrigin;
  /** The listing prefix in the backup bucket, always starting with `<id>/`. */
  readonly sourcePrefix: string;
  readonly exactKey?: string;
  /** As given, or undefined for "now" (a resumed run keeps its first run's time). */
  readonly asOf?: Date;
  readonly to?: { readonly bucket: string; readonly prefix: string };
  readonly dryRun: boolean;
  /** --retired: an account removed from accounts.ts, restored into --to. */
  readonly retired: boolean;
  /** --list: print each key's decision (dry runs only). */
  readonly list: boolean;
  readonly thaw?: { readonly days: number; readonly tier: ThawTier };
  readonly thawTier: ThawTier;
  readonly allowUnversionedTarget: boolean;
  readonly concurrency: number;
  readonly report?: string;
  readonly stateDir: string;
  readonly progressSeconds: number;
  /** What identifies the run for its journal: the arguments that change what is restored. */
  readonly runKey: Readonly<Record<string, unknown>>;
}

/** `<id>/x` or `x` as the full key or prefix `<id>/x`; another account's prefix is refused. */
export function underAccount(flag: string, account: string, raw: string): string {
  const value = raw.replace(/^\/+/, "");
  if (value.startsWith(`${account}/`)) return value;
  const other = /^(\d{12})\//.exec(value);
  if (other) throw new UsageError(`${flag} "${raw}" is under account ${other[1]}, not ${account}: restore one account at a time (--account ${other[1]}).`);
  return `${account}/${value}`;
}

/** The rules between the flags, checked once each flag's own value is valid. */
function checkCombinations(v: OptionValues<typeof RESTORE.options>, now: number): string {
  if (v.account === undefined) throw new UsageError(`--account <id> is required: the 12-digit member account to restore. Usage: ${RESTORE.usage}`);
  if (v.prefix !== undefined && v.key !== undefined) throw new UsageError("--prefix and --key exclude each other: give one.");
  if (v.retired && !v.to)
    throw new UsageError(
      "--retired needs --to <bucket>[/<prefix>]: a removed account has no bucket of the project's; use the drill bucket or one of restore.extraTargetBuckets.",
    );
  if (v.list && !v["dry-run"])
    throw new UsageError("--list goes with --dry-run: add --dry-run to see the keys first; a restore reports each key it could not restore.");
  if (v["as-of"] && v["as-of"].time.getTime() > now) {
    throw new UsageError(`--as-of ${v["as-of"].text} is in the future: the backup holds nothing newer than now. Omit --as-of to restore the latest state.`);
  }
  return v.account;
}

/** The restore request of a parsed command line; `now` is when the run starts (--as-of may not be later). */
export function restoreArgsOf(v: OptionValues<typeof RESTORE.options>, now = Date.now()): RestoreArgs {
  const account = checkCombinations(v, now);
  const exactKey = v.key !== undefined ? underAccount("--key", account, v.key) : undefined;
  const sourcePrefix = exactKey ?? (v.prefix !== undefined ? underAccount("--prefix", account, v.prefix) : `${account}/`);
  const tier = v["thaw-tier"] ?? "Standard";
  const from = v.from ?? "central";
  return {
    account,
    from,
    sourcePrefix,
    exactKey,
    asOf: v["as-of"]?.time,
    to: v.to && { bucket: v.to.bucket, prefix: v.to.prefix },
    dryRun: v["dry-run"],
    list: v.list,
    retired: v.retired,
    thaw: v.thaw ? { days: v["thaw-days"] ?? 7, tier } : undefined,
    thawTier: tier,
    allowUnversionedTarget: v["allow-unversioned-target"],
    concurrency: v.concurrency ?? 16,
    report: v.report,
    stateDir: v["state-dir"] ?? "restore-state",
    progressSeconds: v["progress-seconds"] ?? 30,
    // `from` only when it is the vault: a run started before --from existed still resumes.
    runKey: { account, sourcePrefix, exactKey, asOf: v["as-of"]?.text ?? "now", to: v.to?.text ?? "source", ...(from === "vault" ? { from } : {}) },
  };
}

/** A restore command line (not a --help request) as the request it makes; every mistake is a UsageError. */
export function parseRestoreArgs(argv: readonly string[], now = Date.now()): RestoreArgs {
  const parsed = parseCommand(RESTORE, argv);
  if (parsed === "help") throw new UsageError(`--help asks for the help, not a restore. Usage: ${RESTORE.usage}`);
  return restoreArgsOf(parsed.values, now);
}
