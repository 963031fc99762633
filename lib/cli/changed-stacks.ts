/**
 * npm run changed-stacks -- --base <git-ref> [--json] [--max-shards N]
 * npm run changed-stacks -- --all [--json] [--max-shards N]     every stack (full plan, deploy or drift)
 * Lists the stacks whose Terraform differs between <git-ref> and the working tree: added,
 * changed, removed. When only accounts.ts changed, by fingerprints (a second or two at 1,000
 * accounts); otherwise by synthesizing both sides in full. --json adds the shards the
 * workflow's matrix jobs take (at most N per phase, default 20, never above 256).
 * Exit 0 whenever the comparison ran, removals included (they are reported loudly, on
 * stderr and in the JSON's `notices`); 1 when it could not run; 2 on bad usage (before any work).
 */
import { ChangeReport, removalNotice } from "../tooling/ci/changed-stacks";
import { dataLossWarning } from "../tooling/ci/data-replacements";
import { DEFAULT_MAX_SHARDS, MATRIX_LIMIT, parseMaxShards, shardPlan } from "../tooling/ci/shards";
import { UsageError } from "../core/errors";
import { sayIfSlow } from "./cli-options";
import { defineCommand, runCli } from "./command";
import { stackFingerprints } from "./lazy-modules";
import { PROJECT_ROOT } from "../core/project-root";

const CHANGED_STACKS = defineCommand({
  name: "changed-stacks",
  usage: "npm run changed-stacks -- --base <git-ref> | --all [--json] [--max-shards N]",
  summary: "Lists the stacks whose Terraform differs between <git-ref> and the working tree (added, changed, removed), or every stack with --all.",
  options: {
    base: { type: "string", valueName: "<git-ref>", description: "compare the working tree with this commit, branch or tag" },
    all: { type: "boolean", description: "every stack (a full plan, deploy or drift run)" },
    json: { type: "boolean", description: "one JSON object, with the shards the workflow's matrix jobs take" },
    "max-shards": {
      type: "string",
      valueName: "N",
      description: `at most N shards per phase, 1 to ${MATRIX_LIMIT} (default ${DEFAULT_MAX_SHARDS}; empty: the default, as the repository variable MAX_SHARDS may be)`,
      parse: parseMaxShards,
    },
  },
  example: "npm run changed-stacks -- --base origin/main",
});

interface Listing {
  readonly base: string | undefined;
  readonly json: boolean;
  readonly maxShards: number;
}

function printJson(changes: ChangeReport, toPlan: string[], maxShards: number): void {
  console.log(
    JSON.stringify({
      added: changes.added,
      changed: changes.changed,
      removed: changes.removed,
      toPlan,
      central: toPlan.includes("central"),
      members: toPlan.filter((s) => s !== "central"),
      method: changes.method,
      shards: shardPlan(toPlan, maxShards),
      dependencyChanges: changes.dependencyChanges,
      retired: changes.retired,
      notices: changes.retired.map(removalNotice),
      replacements: changes.replacements,
    }),
  );
}

function print(changes: ChangeReport, listing: Listing): void {
  const toPlan = [...changes.added, ...changes.changed];
  if (listing.json) {
    printJson(changes, toPlan, listing.maxShards);
  } else {
    const list = (names: string[]) => (names.length > 20 ? `${names.slice(0, 20).join(" ")} … (${names.length})` : names.join(" ") || "-");
    console.log(listing.base === undefined ? "All stacks:" : `Stacks changed since ${listing.base} (by ${changes.method}):`);
    console.log(`  added:   ${list(changes.added)}`);
    console.log(`  changed: ${list(changes.changed)}`);
    console.log(`  removed: ${list(changes.removed)}`);
    if (changes.dependencyChanges.length > 0) {
      console.log(`  (every stack counts as changed: ${changes.dependencyChanges.join("; ")})`);
    }
  }
  for (const notice of changes.retired.map(removalNotice)) console.error(`\n${notice}`);
  if (changes.replacements.length > 0) console.error(`\n${dataLossWarning(changes.replacements)}`);
}

runCli(CHANGED_STACKS, async ({ values }) => {
  // An empty --base "$BASE" (a workflow variable not set) is no base at all.
  const base = values.base?.trim() || undefined;
  if (base === undefined && !values.all)
    throw new UsageError(`changed-stacks needs --base <git-ref> (e.g. --base origin/main) or --all. Usage: ${CHANGED_STACKS.usage}`);
  if (base !== undefined && values.all) throw new UsageError(`changed-stacks takes --base <git-ref> or --all, not both. Usage: ${CHANGED_STACKS.usage}`);
  const repo = PROJECT_ROOT;
  const { allStacks, changedStacksFast } = stackFingerprints();
  const comparison = base === undefined ? Promise.resolve(allStacks(repo)) : changedStacksFast(repo, base);
  const changes = await sayIfSlow(`the comparison with ${base} (a code or dependency change synthesizes both sides in full)`, comparison);
  print(changes, { base, json: values.json, maxShards: values["max-shards"] ?? DEFAULT_MAX_SHARDS });
});
