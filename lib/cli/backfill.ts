/**
 * npm run backfill -- --account <id> [--dry-run] [--report-prefix <prefix>]
 * Starts an S3 Batch Replication job for the objects the live rule never replicated
 * (they existed before it, or failed). --dry-run prints the request and calls nothing.
 */
import { loadConfigFile } from "../core/config/load";
import { assumeRoleClients, selectMembers } from "../tooling/ops/aws";
import { startBackfill } from "../tooling/ops/backfill";
import { validateConfig } from "../core/config/validate";
import { UsageError } from "../core/errors";
import { sayIfSlow } from "./cli-options";
import { defineCommand, runCli } from "./command";
import { requireAwsCredentials } from "../tooling/ci/credentials";

const BACKFILL = defineCommand({
  name: "backfill",
  usage: "npm run backfill -- --account <id> [--dry-run] [--report-prefix <prefix>]",
  summary: "Starts an S3 Batch Replication job for the objects of one member that the live rule never replicated (they existed before it, or failed).",
  options: {
    account: { type: "string", valueName: "<id>", description: "the member account (12 digits, as in accounts.ts)" },
    "dry-run": { type: "boolean", description: "print the CreateJob request and call nothing" },
    "report-prefix": { type: "string", valueName: "<prefix>", description: "where in the source bucket the job writes its manifest and report" },
  },
  example: "npm run backfill -- --account 222222222222 --dry-run",
});

runCli(BACKFILL, async ({ values }) => {
  if (!values.account) throw new UsageError(`backfill needs --account <id>. Usage: ${BACKFILL.usage}`);
  const [member] = selectMembers(validateConfig(loadConfigFile()), { account: values.account });
  const dryRun = values["dry-run"];
  if (!dryRun) await sayIfSlow("AWS credentials (instance metadata?)", requireAwsCredentials("npm run backfill"));
  const result = await startBackfill(member, assumeRoleClients, { dryRun, reportPrefix: values["report-prefix"] });
  if (dryRun) {
    console.log(`DRY RUN: would call S3Control CreateJob in ${member.accountId} (${member.region}) with:`);
    console.log(JSON.stringify(result.request, null, 2));
    return;
  }
  console.log(`Started S3 Batch Replication job ${result.jobId} for ${member.accountId}/ of ${member.sourceBucketName}.`);
  console.log(`Follow it: ${result.followCommand}`);
  console.log(`Completion report: s3://${member.sourceBucketName}/${result.request.Report!.Prefix}/`);
});
