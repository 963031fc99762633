/**
 * npm run coverage -- --account <id> | --all [--json] [--summary FILE] [--concurrency N] [--max-list N]
 * Read-only, through each member's plan role: what is not backed up, whether replication
 * is configured as the stack defines it, and its health over the last 24 h. Exit 1 when any
 * account fails, 0 otherwise (warnings do not fail), 2 for a usage error.
 */
import * as fs from "fs";
import { requireAwsCredentials } from "../tooling/ci/credentials";
import { loadConfigFile } from "../core/config/load";
import { validateConfig } from "../core/config/validate";
import { UsageError } from "../core/errors";
import { assumeRoleClients } from "../tooling/ops/aws";
import { DEFAULT_CONCURRENCY, DEFAULT_MAX_LIST, coverMembers, verdictCounts } from "../tooling/ops/coverage";
import { coverageAnnotations, coverageJson, coverageMarkdown, coverageText } from "../tooling/ops/coverage-report";
import { ProgressLine, toStderr } from "../tooling/ops/progress-line";
import { sayIfSlow } from "./cli-options";
import { accountId, defineCommand, fileName, runCli, wholeNumber } from "./command";
import { membersOrUsage } from "./members";

const COVERAGE = defineCommand({
  name: "coverage",
  usage: "npm run coverage -- --account <id> | --all [options]",
  summary: [
    "Read-only report per member account, through its plan role (central.planRoleName):",
    "  - top-level prefixes of the source bucket outside the replicated prefixes (only <accountId>/ is replicated), with object counts and bytes;",
    "  - whether the replication configuration is present and as the stack defines it;",
    "  - replication health over the last 24 h (CloudWatch S3 Replication metrics).",
    "Verdict per account: ok, warn (data outside <accountId>/, no metric data, pending), fail (replication missing or different,",
    "failed operations, account denied or unreachable). Exit 1 when any account fails, 0 otherwise.",
  ].join("\n"),
  options: {
    account: { type: "string", valueName: "<id>", description: "one member of accounts.ts", parse: accountId },
    all: { type: "boolean", description: "every member" },
    json: { type: "boolean", description: "JSON on stdout instead of the table" },
    summary: { type: "string", valueName: "FILE", description: 'append a Markdown table to FILE (e.g. "$GITHUB_STEP_SUMMARY")', parse: fileName },
    concurrency: {
      type: "string",
      valueName: "N",
      description: `accounts read at once, 1-64 (default ${DEFAULT_CONCURRENCY})`,
      parse: wholeNumber(1, 64),
    },
    "max-list": {
      type: "string",
      valueName: "N",
      description: `most objects listed per unreplicated prefix, 1-10000000 (default ${DEFAULT_MAX_LIST}); past it the counts say "at least" and the bucket total comes from CloudWatch daily storage metrics`,
      parse: wholeNumber(1, 10_000_000),
    },
  },
  example: "npm run coverage -- --all --summary coverage.md",
});

runCli(COVERAGE, async ({ values: flags }) => {
  if (flags.account !== undefined && flags.all) throw new UsageError("coverage: give --account <id> or --all, not both.");
  if (flags.account === undefined && !flags.all) throw new UsageError("coverage: name the accounts: --account <12-digit id>, or --all.");
  const config = validateConfig(loadConfigFile());
  const members = membersOrUsage(config, { account: flags.account, all: flags.all });
  await sayIfSlow("AWS credentials (instance metadata?)", requireAwsCredentials("npm run coverage"));
  const progress = new ProgressLine({ ...toStderr(), everyMs: 5000 });
  let fail = 0;
  let warn = 0;
  const rows = await coverMembers(config, members, {
    clients: assumeRoleClients,
    concurrency: flags.concurrency ?? DEFAULT_CONCURRENCY,
    maxList: flags["max-list"] ?? DEFAULT_MAX_LIST,
    onProgress: (done, total, row) => {
      if (row.verdict === "fail") fail++;
      if (row.verdict === "warn") warn++;
      progress.update(() => `coverage ${done}/${total} accounts (${fail} fail, ${warn} warn) ${progress.elapsedSeconds()} s`);
    },
  });
  progress.finish();
  process.stdout.write(flags.json ? coverageJson(rows) : coverageText(rows));
  if (!flags.json && process.env.GITHUB_ACTIONS === "true") for (const line of coverageAnnotations(rows)) console.log(line);
  if (flags.summary) fs.appendFileSync(flags.summary, coverageMarkdown(rows));
  return verdictCounts(rows).fail > 0 ? 1 : 0;
});
