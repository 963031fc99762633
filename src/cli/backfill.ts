/**
 * npm run backfill -- --account <id> [--dry-run] [--report-prefix <prefix>]
 * Starts an S3 Batch Replication job for the objects the live rule never replicated
 * (they existed before it, or failed). --dry-run prints the request and calls nothing.
 */
import { loadConfigFile } from "../config/load";
import { assumeRoleClients, selectMembers } from "../ops/aws";
import { startBackfill } from "../ops/backfill";
import { validateConfig } from "../config/validate";
import { reportFailure } from "./errors";
import { optionValue, sayIfSlow } from "./cli-options";
import { requireAwsCredentials } from "../ci/credentials";

async function main(): Promise<void> {
  const [member] = selectMembers(validateConfig(loadConfigFile()), { account: optionValue("--account") });
  const dryRun = process.argv.includes("--dry-run");
  if (!dryRun) await sayIfSlow("AWS credentials (instance metadata?)", requireAwsCredentials("npm run backfill"));
  const result = await startBackfill(member, assumeRoleClients, { dryRun, reportPrefix: optionValue("--report-prefix") });
  if (dryRun) {
    console.log(`DRY RUN: would call S3Control CreateJob in ${member.accountId} (${member.region}) with:`);
    console.log(JSON.stringify(result.request, null, 2));
    return;
  }
  console.log(`Started S3 Batch Replication job ${result.jobId} for ${member.accountId}/ of ${member.sourceBucketName}.`);
  console.log(`Follow it: ${result.followCommand}`);
  console.log(`Completion report: s3://${member.sourceBucketName}/${result.request.Report!.Prefix}/`);
}

main().catch((error: unknown) => reportFailure(error, "backfill"));
