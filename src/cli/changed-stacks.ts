/**
 * npm run changed-stacks -- --base <git-ref> [--json] [--max-shards N]
 * npm run changed-stacks -- --all [--json] [--max-shards N]     every stack (full plan, deploy or drift)
 * Lists the stacks whose Terraform differs between <git-ref> and the working tree: added,
 * changed, removed. When only accounts.ts changed, by fingerprints (a second or two at 1,000
 * accounts); otherwise by synthesizing both sides in full. --json adds the shards the
 * workflow's matrix jobs take (at most N per phase, default 20, never above 256).
 * Exit 0 whenever the comparison ran, removals included (they are reported loudly, on
 * stderr and in the JSON's `notices`); 1 when it could not run; 2 on bad usage.
 */
import * as path from "path";
import { ChangeReport, removalNotice } from "../ci/changed-stacks";
import { parseMaxShards, shardPlan } from "../ci/shards";
import { allStacks, changedStacksFast } from "../ci/stack-fingerprints";
import { optionValue, sayIfSlow } from "./cli-options";
import { reportFailure } from "./errors";

const all = process.argv.includes("--all");
const json = process.argv.includes("--json");
const base = optionValue("--base");
if ((!base || base.startsWith("--")) && !all) {
  console.error("Usage: npm run changed-stacks -- --base <git-ref> [--json] [--max-shards N]   e.g. --base origin/main   (or --all)");
  process.exit(2);
}

function print(changes: ChangeReport, maxShards: number): void {
  const toPlan = [...changes.added, ...changes.changed];
  const notices = changes.retired.map(removalNotice);
  if (json) {
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
        notices,
      }),
    );
  } else {
    const list = (names: string[]) => (names.length > 20 ? `${names.slice(0, 20).join(" ")} … (${names.length})` : names.join(" ") || "-");
    console.log(all ? "All stacks:" : `Stacks changed since ${base} (by ${changes.method}):`);
    console.log(`  added:   ${list(changes.added)}`);
    console.log(`  changed: ${list(changes.changed)}`);
    console.log(`  removed: ${list(changes.removed)}`);
    if (changes.dependencyChanges.length > 0) {
      console.log(`  (every stack counts as changed: ${changes.dependencyChanges.join("; ")})`);
    }
  }
  for (const notice of notices) console.error(`\n${notice}`);
}

async function main(): Promise<void> {
  const maxShards = parseMaxShards(optionValue("--max-shards"));
  const repo = path.resolve(__dirname, "..", "..");
  const comparison = all ? Promise.resolve(allStacks(repo)) : changedStacksFast(repo, base!);
  print(await sayIfSlow(`the comparison with ${base} (a code or dependency change synthesizes both sides in full)`, comparison), maxShards);
}

main().catch((error: unknown) => reportFailure(error, "changed-stacks"));
