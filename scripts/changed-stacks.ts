/**
 * npm run changed-stacks -- --base <git-ref> [--json]
 * Synthesizes <git-ref> (with its own code) and the working tree, and lists the stacks
 * whose Terraform differs: added, changed, removed. CI plans and deploys only these.
 */
import * as path from "path";
import { changedStacks, removalNotice } from "../lib/ci/changed-stacks";

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const base = argument("--base");
if (!base) {
  console.error("Usage: npm run changed-stacks -- --base <git-ref> [--json]   e.g. --base origin/main");
  process.exit(2);
}
try {
  const changes = changedStacks(path.resolve(__dirname, ".."), base);
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify({ ...changes, toPlan: [...changes.added, ...changes.changed] }));
  } else {
    console.log(`Stacks changed since ${base}:`);
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
