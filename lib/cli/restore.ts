/**
 * npm run restore -- --account <id> [--prefix <p> | --key <k>] [--as-of <ISO time>] [--to <bucket>[/<prefix>]] [--from central|vault] [--dry-run] ...
 * Point-in-time restore of one account's data from the central backup, or with --from vault
 * from the vault's copy (docs/restore.md, docs/vault.md).
 * Exit 0: done; 1: work left (failed, waiting for a thaw, interrupted) or a failure; 2: a usage error.
 */
import * as fs from "fs";
import * as path from "path";
import { RESTORE_CREDENTIALS, requireAwsCredentials } from "../tooling/ci/credentials";
import { loadConfigFile } from "../core/config/load";
import { validateConfig } from "../core/config/validate";
import { assumeRoleClients } from "../tooling/ops/aws";
import { toStderr } from "../tooling/ops/progress-line";
import { Journal } from "../tooling/ops/restore/journal";
import { Progress } from "../tooling/ops/restore/progress";
import { RestoreReport, RestoreRequest, runRestore } from "../tooling/ops/restore/run";
import { bucketRegion } from "../tooling/ops/restore/target";
import { sayIfSlow } from "./cli-options";
import { runCli } from "./command";
import { RESTORE, RestoreArgs, restoreArgsOf } from "./restore-args";
import { checkRestoreTarget, restoreOriginOf, restoreSubject } from "./restore-access";
import { decisionLine, outcomeLine, planLines } from "./restore-output";

async function main(args: RestoreArgs): Promise<number> {
  const resolved = validateConfig(loadConfigFile());
  const subject = restoreSubject(resolved, args.account, args.retired);
  const origin = restoreOriginOf(resolved, args.from);
  const access = origin.access;
  if (args.to) checkRestoreTarget(resolved, subject, args.to.bucket, args.from);
  await sayIfSlow("AWS credentials (instance metadata?)", requireAwsCredentials("npm run restore", RESTORE_CREDENTIALS));
  // restoreArgsOf requires --to when the subject has no bucket of its own (--retired).
  const own = subject.ownBucket;
  const region = args.to ? await bucketRegion(assumeRoleClients.s3(origin.region, access.roleArn), args.to.bucket, access.roleArn) : own!.region;
  const target = { bucket: args.to?.bucket ?? own!.name, region, prefix: args.to?.prefix ?? "" };
  const journal = args.dryRun ? undefined : Journal.open(args.stateDir, args.runKey, args.asOf ?? new Date());
  const asOf = journal ? new Date(journal.header.asOf) : (args.asOf ?? new Date());
  if (journal?.resumed)
    console.log(`Resuming the run started ${journal.header.startedAt} (as of ${journal.header.asOf}): ${journal.doneCount} keys already done.`);
  const runId = new Date().toISOString().replace(/[:.]/g, "-");
  const request: RestoreRequest = {
    accountId: subject.accountId,
    centralAccountId: resolved.central.accountId,
    sourceBucket: origin.bucket,
    sourceRegion: origin.region,
    sourcePrefix: args.sourcePrefix,
    exactKey: args.exactKey,
    asOf,
    target,
    access,
    mode: args.dryRun ? "dry-run" : "copy",
    thaw: args.thaw,
    thawTier: args.thawTier,
    allowUnversionedTarget: args.allowUnversionedTarget,
    concurrency: args.concurrency,
  };
  console.log(
    `Restoring s3://${request.sourceBucket}/${request.sourcePrefix} as of ${asOf.toISOString()} into s3://${target.bucket}/${target.prefix} (${target.region}) as ${access.roleArn}${args.dryRun ? ": DRY RUN, nothing is written" : ""}.`,
  );
  const controller = new AbortController();
  process.once("SIGINT", () => (console.error("\nInterrupted: finishing the copies in flight; run the same command again to resume."), controller.abort()));
  const report = await runRestore(request, {
    clients: assumeRoleClients,
    journal,
    signal: controller.signal,
    log: (l) => console.error(l),
    progress: (plan) => progressFor(plan, args),
    onDecision: args.list ? (d) => console.log(decisionLine(d)) : undefined,
  });
  return finish(report, args, runId);
}

function progressFor(plan: { objects: number; bytes: number }, args: RestoreArgs): Progress | undefined {
  if (args.dryRun) return undefined;
  return new Progress(plan.objects, plan.bytes, { ...toStderr(), intervalMs: args.progressSeconds * 1000 });
}

function finish(report: RestoreReport, args: RestoreArgs, runId: string): number {
  for (const line of planLines(report.plan, report)) console.log(line);
  const file = path.resolve(args.report ?? `restore-report-${runId}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  if (report.fatal) console.error(report.fatal);
  if (!args.dryRun) console.log(outcomeLine(report));
  console.log(`Report: ${file}`);
  if (report.workLeft)
    console.log("Work is left: run the same command again (after the thaw, or once the cause is fixed); finished keys are not copied again.");
  return report.workLeft ? 1 : 0;
}

runCli(RESTORE, ({ values }) => main(restoreArgsOf(values)));
