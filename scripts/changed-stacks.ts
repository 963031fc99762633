/**
 * npm run changed-stacks -- --base <git-ref> [--json]
 * npm run changed-stacks -- --all [--json]      every stack (manual full plan/deploy)
 * Synthesizes <git-ref> (with its own code) and the working tree, and lists the stacks
 * whose Terraform differs: added, changed, removed. CI plans and deploys only these.
 */
import * as path from "path";
import { allStacks, changedStacks, removalNotice } from "../lib/ci/changed-stacks";
import { optionValue } from "./cli-options";

const all = process.argv.includes("--all");
const base = optionValue("--base");
if (!base && !all) {
  console.error("Usage: npm run changed-stacks -- --base <git-ref> [--json]   e.g. --base origin/main   (or --all)");
  process.exit(2);
}
try {
  const repo = path.resolve(__dirname, "..");
  const changes = all ? allStacks(repo) : changedStacks(repo, base!);
  if (process.argv.includes("--json")) {
    const toPlan = [...changes.added, ...changes.changed];
    console.log(JSON.stringify({ ...changes, toPlan, central: toPlan.includes("central"), members: toPlan.filter((s) => s !== "central") }));
  } else {
    console.log(all ? "All stacks:" : `Stacks changed since ${base}:`);
    console.log(`  added:   ${changes.added.join(" ") || "-"}`);
    console.log(`  changed: ${changes.changed.join(" ") || "-"}`);
    console.log(`  removed: ${changes.removed.join(" ") || "-"}`);
  }
  for (const stack of changes.removed) console.error(removalNotice(stack));
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`changed-stacks failed: ${message.split("\n").slice(0, 5).join(" ")}`);
  process.exit(1);
}
