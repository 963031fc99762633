/**
 * npm run verify -- --account <id> | --all [--timeout-seconds N] [--poll-seconds N]
 * With real AWS credentials: put a marker under <accountId>/, wait for its replica,
 * check it in the central bucket, delete the marker version. Exit 1 on any failure.
 */
import { loadConfigFile } from "../config/load";
import { assumeRoleClients, selectMembers } from "../ops/aws";
import { DEFAULT_POLL_MS, DEFAULT_TIMEOUT_MS, VerifyResult, verifyMember } from "../ops/verify";
import { validateConfig } from "../config/validate";
import { reportFailure } from "./errors";
import { optionValue, sayIfSlow, secondsOption } from "./cli-options";
import { requireAwsCredentials } from "../ci/credentials";

async function main(): Promise<number> {
  const resolved = validateConfig(loadConfigFile());
  const members = selectMembers(resolved, { account: optionValue("--account"), all: process.argv.includes("--all") });
  const timeoutMs = secondsOption("--timeout-seconds", DEFAULT_TIMEOUT_MS);
  const pollMs = secondsOption("--poll-seconds", DEFAULT_POLL_MS);
  await sayIfSlow("AWS credentials (instance metadata?)", requireAwsCredentials("npm run verify"));
  const results: VerifyResult[] = [];
  for (const member of members) {
    console.log(`[${member.accountId}] verifying ${member.name}: ${member.sourceBucketName} -> ${resolved.central.bucketName}`);
    const result = await verifyMember(resolved, member, { clients: assumeRoleClients, timeoutMs, pollMs, log: console.log });
    console.log(`[${member.accountId}] ${result.status}: ${result.detail}`);
    results.push(result);
    if (result.status === "ERROR" && result.detail.startsWith("no AWS credentials")) break;
  }
  console.log(`\n${"account".padEnd(14)}${"name".padEnd(22)}${"status".padEnd(9)}${"seconds".padStart(8)}  detail`);
  for (const r of results) console.log(`${r.accountId.padEnd(14)}${r.name.padEnd(22)}${r.status.padEnd(9)}${String(r.seconds).padStart(8)}  ${r.detail}`);
  return results.every((r) => r.status === "OK") && results.length === members.length ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => reportFailure(error, "verify"),
);
