/**
 * npm run check -- [--base <git-ref>] [--allow-replace <stack>/<resource>|all]...
 * The fast, offline check of accounts.ts that every pull request runs: valid, every policy
 * within AWS's limits, and no bucket or key replaced or destroyed without saying so.
 */
import { CENTRAL_STACK_NAME } from "../core/config/naming";
import { bootstrapNotice } from "../tooling/ci/bootstrap-changes";
import { replacementLine } from "../tooling/ci/data-replacements";
import { defineCommand, runCli } from "./command";
import { configCheck } from "./lazy-modules";
import { PROJECT_ROOT } from "../core/project-root";

const CHECK = defineCommand({
  name: "check",
  usage: "npm run check -- [--base <git-ref>] [--allow-replace <stack>/<resource> | all]...",
  summary:
    "Checks accounts.ts offline in seconds: valid, every policy within AWS's size limits, and, against --base, the stacks the edit changes and any bucket or key it would replace or destroy (the check fails until each is acknowledged).",
  options: {
    base: { type: "string", valueName: "<git-ref>", description: "compare with this commit (pull requests: the target branch); omit to check the file alone" },
    "allow-replace": {
      type: "string",
      valueName: "<stack>/<resource>",
      multiple: true,
      description: "acknowledge one replacement the check printed (or all of them: all); the pull request label allow-data-replacement does this in CI",
    },
  },
  example: "npm run check -- --base origin/main",
});

runCli(CHECK, async ({ values }) => {
  const { acknowledgement, checkConfig } = configCheck();
  const repo = PROJECT_ROOT;
  const base = values.base?.trim() || undefined;
  const result = await checkConfig({ repo, base, allowReplace: values["allow-replace"] });
  console.log(
    `accounts.ts is valid: ${result.members} member(s), ${result.stacks} stack(s); every policy fits AWS's limits (${((result.validateMs + result.buildMs) / 1000).toFixed(1)} s).`,
  );
  for (const warning of result.warnings) console.log(`WARNING: ${warning}`);
  const changes = result.changes;
  if (!changes) console.log("No --base given: the edit was not compared with a base, so replaced buckets or keys were not looked for.");
  else {
    const count = (names: string[]) => String(names.length);
    console.log(
      `Compared with ${base} (by ${changes.method}): ${count(changes.added)} added, ${count(changes.changed)} changed, ${count(changes.removed)} removed.`,
    );
    for (const r of changes.replacements) console.log(`${result.unacknowledged.includes(r) ? "NOT ACKNOWLEDGED" : "acknowledged"}: ${replacementLine(r)}`);
    for (const stack of changes.removed) console.log(`removed: ${stack} (npm run changed-stacks -- --base ${base} says what it leaves in AWS)`);
    if ([...changes.added, ...changes.changed].includes(CENTRAL_STACK_NAME)) console.log(BREAK_GLASS_NOTICE);
  }
  if (result.bootstrap) console.log(bootstrapNotice(result.bootstrap));
  if (result.unacknowledged.length === 0) return 0;
  console.error(
    `The check fails: ${result.unacknowledged.length} bucket(s) or key(s) holding backups would be replaced or destroyed. ` +
      `If that is intended, pass ${result.unacknowledged.map((r) => `--allow-replace ${acknowledgement(r)}`).join(" ")} ` +
      "(in CI: add the label allow-data-replacement to the pull request); otherwise undo the edit.",
  );
  return 1;
});

/**
 * Central's policies, key, lifecycle, versioning, restore role and detection change only by
 * break glass (docs/ci-and-state.md): CI's deploy of central would be refused, so say it first.
 */
const BREAK_GLASS_NOTICE =
  "BREAK GLASS: this edit changes the central stack, which only the break-glass role (central.breakGlassRoleName) may apply: " +
  "CI's deploy of central will be refused. Apply central as docs/ci-and-state.md#break-glass says; CI deploys the members.";
