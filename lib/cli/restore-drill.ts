/**
 * npm run restore:drill -- [--account <id> | --all | --sample N] [--objects K] [--from central|vault|all] [--summary FILE]
 * Restores K random objects per account from the central bucket (or the vault's) into the drill bucket beside it,
 * verifies them byte for byte, deletes the scratch copies, and reports per account.
 * Exit 0: every drill passed (or had nothing to restore); 1: any mismatch or error; 2: a usage error.
 */
import * as fs from "fs";
import { requireAwsCredentials } from "../tooling/ci/credentials";
import { loadConfigFile } from "../core/config/load";
import { validateConfig } from "../core/config/validate";
import { UsageError } from "../core/errors";
import { assumeRoleClients } from "../tooling/ops/aws";
import { DrillResult, drillAccount, drillMarkdown } from "../tooling/ops/restore/drill";
import { sayIfSlow } from "./cli-options";
import { defineCommand, oneOf, runCli, wholeNumber } from "./command";
import { membersOrUsage } from "./members";
import type { ResolvedMember } from "../core/config/resolved";
import { DrillFrom, RestoreOrigin, drillOrigins } from "./restore-access";

const DRILL = defineCommand({
  name: "restore:drill",
  usage: "npm run restore:drill -- [--account <id> | --all | --sample <n>] [--objects <k>] [--from central|vault|all] [--summary <file>]",
  summary: [
    "Restores <k> random current objects (default 3) of each chosen account from the central",
    "backup (or --from vault) into the drill bucket beside it, under drills/<runId>/<accountId>/,",
    "checks every byte against the backup's version (SHA-256), deletes the scratch copies it",
    "made, and prints a table: pass or fail, objects, bytes, seconds. Any mismatch exits 1.",
    "Credentials of a role in restore.assumableBy.",
  ].join("\n"),
  options: {
    account: { type: "string", valueName: "<id>", description: "one account" },
    all: { type: "boolean", description: "every member (the default)" },
    sample: { type: "string", valueName: "<n>", description: "n members drawn at random", parse: wholeNumber(1, 100_000) },
    objects: { type: "string", valueName: "<k>", description: "objects per account, 1-100, default 3", parse: wholeNumber(1, 100) },
    from: {
      type: "string",
      valueName: "central|vault|all",
      description:
        "the copy to drill: central (default), the vault's (docs/vault.md, its own restore role and drill bucket), or all: both when accounts.ts has a vault",
      parse: oneOf<DrillFrom>("central", "vault", "all"),
    },
    summary: { type: "string", valueName: "<file>", description: 'also write the table as Markdown (e.g. "$GITHUB_STEP_SUMMARY")' },
  },
  example: 'npm run restore:drill -- --sample 5 --objects 3 --summary "$GITHUB_STEP_SUMMARY"',
});

async function drillFrom(origin: RestoreOrigin, members: readonly ResolvedMember[], objects: number, runId: string): Promise<DrillResult[]> {
  const { access } = origin;
  const results: DrillResult[] = [];
  for (const member of members) {
    console.error(
      `[${member.accountId}] drill: ${objects} object(s) from s3://${origin.bucket}/${member.accountId}/ into s3://${access.drillBucketName}/drills/${runId}/`,
    );
    const options = { clients: assumeRoleClients, access, backupBucket: origin.bucket, backupRegion: origin.region, runId, objects };
    results.push(await drillAccount(member, options));
  }
  return results;
}

function printTable(origin: RestoreOrigin, results: readonly DrillResult[]): void {
  console.log(`Drill from ${origin.origin} (s3://${origin.bucket}):`);
  console.log(
    `${"account".padEnd(14)}${"name".padEnd(22)}${"result".padEnd(8)}${"objects".padStart(8)}${"bytes".padStart(14)}${"seconds".padStart(9)}  detail`,
  );
  for (const r of results)
    console.log(
      `${r.accountId.padEnd(14)}${r.name.padEnd(22)}${r.status.padEnd(8)}${String(r.objects).padStart(8)}${String(r.bytes).padStart(14)}${String(r.seconds).padStart(9)}  ${r.detail}`,
    );
}

runCli(DRILL, async ({ values: v }) => {
  if ([v.account !== undefined, v.all, v.sample !== undefined].filter(Boolean).length > 1)
    throw new UsageError("--account, --all and --sample exclude each other: give one.");
  const objects = v.objects ?? 3;
  const resolved = validateConfig(loadConfigFile());
  let members = membersOrUsage(resolved, v.account !== undefined ? { account: v.account } : { all: true });
  if (v.sample !== undefined) members = [...members].sort(() => Math.random() - 0.5).slice(0, v.sample);
  const origins = drillOrigins(resolved, v.from ?? "central");
  await sayIfSlow("AWS credentials (instance metadata?)", requireAwsCredentials("npm run restore:drill"));
  const runId = new Date().toISOString().replace(/[:.]/g, "-");
  let failed = false;
  for (const origin of origins) {
    const results = await drillFrom(origin, members, objects, runId);
    printTable(origin, results);
    if (v.summary) fs.appendFileSync(v.summary, drillMarkdown(`${runId} from ${origin.origin}`, results));
    failed ||= results.some((r) => r.status === "FAIL" || r.status === "ERROR");
  }
  return failed ? 1 : 0;
});
