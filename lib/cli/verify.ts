/**
 * npm run verify -- --account <id> | --all [--timeout-seconds N] [--poll-seconds N]
 * With real AWS credentials: put a marker under <accountId>/, wait for its replica,
 * check it in the central bucket, delete the marker version. Exit 1 on any failure.
 */
import { loadConfigFile } from "../core/config/load";
import { assumeRoleClients, selectMembers } from "../tooling/ops/aws";
import { DEFAULT_POLL_MS, DEFAULT_TIMEOUT_MS, VerifyResult, verifyMember } from "../tooling/ops/verify";
import { validateConfig } from "../core/config/validate";
import { sayIfSlow } from "./cli-options";
import { defineCommand, positiveSeconds, runCli } from "./command";
import { requireAwsCredentials } from "../tooling/ci/credentials";
import { UsageError } from "../core/errors";

const VERIFY = defineCommand({
  name: "verify",
  usage: "npm run verify -- --account <id> | --all [--timeout-seconds N] [--poll-seconds N]",
  summary: "Puts a marker object under <accountId>/ in the member's source bucket, waits for its replica in the central bucket, checks it, cleans up.",
  options: {
    account: { type: "string", valueName: "<id>", description: "the member account to verify (12 digits, as in accounts.ts)" },
    all: { type: "boolean", description: "verify every member, one after the other" },
    "timeout-seconds": {
      type: "string",
      valueName: "N",
      description: `how long to wait for the replica (default ${DEFAULT_TIMEOUT_MS / 1000})`,
      parse: positiveSeconds,
    },
    "poll-seconds": { type: "string", valueName: "N", description: `how often to look for it (default ${DEFAULT_POLL_MS / 1000})`, parse: positiveSeconds },
  },
  example: "npm run verify -- --account 222222222222",
});

/** Errors after which the next member would fail the same way. */
const STOPS_EVERY_MEMBER = /^(no AWS credentials|could not reach AWS)/;

runCli(VERIFY, async ({ values }) => {
  if (!values.account === !values.all) throw new UsageError(`verify needs one of --account <id> or --all. Usage: ${VERIFY.usage}`);
  const resolved = validateConfig(loadConfigFile());
  const members = selectMembers(resolved, { account: values.account, all: values.all });
  const timeoutMs = values["timeout-seconds"] ?? DEFAULT_TIMEOUT_MS;
  const pollMs = values["poll-seconds"] ?? DEFAULT_POLL_MS;
  await sayIfSlow("AWS credentials (instance metadata?)", requireAwsCredentials("npm run verify"));
  const results: VerifyResult[] = [];
  for (const member of members) {
    console.log(`[${member.accountId}] verifying ${member.name}: ${member.sourceBucketName} -> ${resolved.central.bucketName}`);
    const result = await verifyMember(resolved, member, { clients: assumeRoleClients, timeoutMs, pollMs, log: console.log });
    console.log(`[${member.accountId}] ${result.status}: ${result.detail}`);
    results.push(result);
    if (result.status === "ERROR" && STOPS_EVERY_MEMBER.test(result.detail)) break;
  }
  console.log(`\n${"account".padEnd(14)}${"name".padEnd(22)}${"status".padEnd(9)}${"seconds".padStart(8)}  detail`);
  for (const r of results) console.log(`${r.accountId.padEnd(14)}${r.name.padEnd(22)}${r.status.padEnd(9)}${String(r.seconds).padStart(8)}  ${r.detail}`);
  return results.every((r) => r.status === "OK") && results.length === members.length ? 0 : 1;
});
