/**
 * npm run changed-stacks -- --base <git-ref> [--json]
 * npm run changed-stacks -- --all [--json]      every stack (manual full plan/deploy)
 * Synthesizes <git-ref> (with its own code) and the working tree, and lists the stacks
 * whose Terraform differs: added, changed, removed. CI plans and deploys only these.
 * Exit 0 whenever the comparison ran, removals included (they are reported loudly, on
 * stderr and in the JSON's `notices`); 1 when it could not run; 2 on bad usage.
 */
import * as path from "path";
import { ChangeReport, allStacks, changedStacks, removalNotice } from "../lib/ci/changed-stacks";
import { optionValue } from "./cli-options";

const all = process.argv.includes("--all");
const json = process.argv.includes("--json");
const base = optionValue("--base");
if ((!base || base.startsWith("--")) && !all) {
  console.error("Usage: npm run changed-stacks -- --base <git-ref> [--json]   e.g. --base origin/main   (or --all)");
  process.exit(2);
}

function print(changes: ChangeReport): void {
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
        dependencyChanges: changes.dependencyChanges,
        retired: changes.retired,
        notices,
      }),
    );
  } else {
    console.log(all ? "All stacks:" : `Stacks changed since ${base}:`);
    console.log(`  added:   ${changes.added.join(" ") || "-"}`);
    console.log(`  changed: ${changes.changed.join(" ") || "-"}`);
    console.log(`  removed: ${changes.removed.join(" ") || "-"}`);
    if (changes.dependencyChanges.length > 0) {
      console.log(`  (every stack counts as changed: ${changes.dependencyChanges.join("; ")})`);
    }
  }
  for (const notice of notices) console.error(`\n${notice}`);
}

async function main(): Promise<void> {
  const repo = path.resolve(__dirname, "..");
  print(all ? await allStacks(repo) : await changedStacks(repo, base!));
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`changed-stacks failed: ${message.split("\n").slice(0, 5).join(" ")}`);
  process.exit(1);
});
