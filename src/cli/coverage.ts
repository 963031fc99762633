/**
 * npm run coverage -- --account <id> | --all [--json] [--summary FILE] [--concurrency N] [--max-list N]
 * Read-only, through each member's plan role: what is not backed up, whether replication
 * is configured as the stack defines it, and its health over the last 24 h. Exit 1 when any
 * account fails, 0 otherwise (warnings do not fail), 2 for a usage error.
 */
import * as fs from "fs";
import { requireAwsCredentials } from "../ci/credentials";
import { loadConfigFile } from "../config/load";
import { validateConfig } from "../config/validate";
import { OpsError, assumeRoleClients, selectMembers } from "../ops/aws";
import { DEFAULT_CONCURRENCY, DEFAULT_MAX_LIST, coverMembers, verdictCounts } from "../ops/coverage";
import { coverageAnnotations, coverageJson, coverageMarkdown, coverageText } from "../ops/coverage-report";
import { sayIfSlow } from "./cli-options";
import { reportFailure } from "./errors";
import { UsageError, parseFlags, runCommand, wholeNumber } from "./parse-flags";
import { progressLine } from "./progress";

const HELP = `Usage: npm run coverage -- --account <id> | --all [options]

Read-only report per member account, through its plan role (central.planRoleName):
  - top-level prefixes of the source bucket outside the replicated prefixes (only <accountId>/ is replicated), with object counts and bytes;
  - whether the replication configuration is present and as the stack defines it;
  - replication health over the last 24 h (CloudWatch S3 Replication metrics).
Verdict per account: ok, warn (data outside <accountId>/, no metric data, pending), fail (replication missing or different,
failed operations, account denied or unreachable). Exit 1 when any account fails, 0 otherwise.

Options:
  --account <id>      one member of accounts.ts
  --all               every member
  --json              JSON on stdout instead of the table
  --summary FILE      append a Markdown table to FILE (e.g. "$GITHUB_STEP_SUMMARY")
  --concurrency N     accounts read at once, 1-64 (default ${DEFAULT_CONCURRENCY})
  --max-list N        most objects listed per unreplicated prefix, 1-10000000 (default ${DEFAULT_MAX_LIST});
                      past it the counts say "at least" and the bucket total comes from CloudWatch daily storage metrics
  --help              this text

Example:
  npm run coverage -- --all --summary coverage.md
`;

const FLAGS = {
  account: { type: "string" },
  all: { type: "boolean" },
  json: { type: "boolean" },
  summary: { type: "string" },
  concurrency: { type: "string" },
  "max-list": { type: "string" },
  help: { type: "boolean" },
} as const;

async function main(): Promise<number> {
  const flags = parseFlags(FLAGS, "coverage");
  if (flags.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (flags.account !== undefined && flags.all) throw new UsageError("coverage: give --account <id> or --all, not both.");
  if (flags.account === undefined && !flags.all) throw new UsageError("coverage: name the accounts: --account <12-digit id>, or --all.");
  if (flags.account !== undefined && !/^\d{12}$/.test(flags.account)) throw new UsageError(`--account must be a 12-digit account ID, not "${flags.account}".`);
  const concurrency = wholeNumber("--concurrency", flags.concurrency, DEFAULT_CONCURRENCY, 1, 64);
  const maxList = wholeNumber("--max-list", flags["max-list"], DEFAULT_MAX_LIST, 1, 10_000_000);
  if (flags.summary === "") throw new UsageError('--summary needs a file name, e.g. --summary "$GITHUB_STEP_SUMMARY".');
  const config = validateConfig(loadConfigFile());
  const members = selectOrUsage(config, flags.account, flags.all);
  await sayIfSlow("AWS credentials (instance metadata?)", requireAwsCredentials("npm run coverage"));
  const progress = progressLine("coverage");
  let fail = 0;
  let warn = 0;
  const rows = await coverMembers(config, members, {
    clients: assumeRoleClients,
    concurrency,
    maxList,
    onProgress: (done, total, row) => {
      if (row.verdict === "fail") fail++;
      if (row.verdict === "warn") warn++;
      progress.update(done, total, `accounts (${fail} fail, ${warn} warn)`);
    },
  });
  progress.finish();
  process.stdout.write(flags.json ? coverageJson(rows) : coverageText(rows));
  if (!flags.json && process.env.GITHUB_ACTIONS === "true") for (const line of coverageAnnotations(rows)) console.log(line);
  if (flags.summary) fs.appendFileSync(flags.summary, coverageMarkdown(rows));
  return verdictCounts(rows).fail > 0 ? 1 : 0;
}

function selectOrUsage(config: ReturnType<typeof validateConfig>, account: string | undefined, all: boolean | undefined) {
  try {
    return selectMembers(config, { account, all });
  } catch (error) {
    if (error instanceof OpsError) throw new UsageError(`--account: ${error.message}`);
    throw error;
  }
}

runCommand(main, (error) => reportFailure(error, "coverage"));
