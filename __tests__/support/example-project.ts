import * as fs from "fs";
import * as path from "path";
import { projectCopy } from "../../lib/bench/temp-repo";

export const ROOT = path.resolve(__dirname, "../..");

/** The example fixture (accounts.ts as shipped). Spawned commands read it through S3_BACKUP_CONFIG, never the user's accounts.ts. */
export const EXAMPLE_CONFIG_FILE = path.join(ROOT, "__tests__/fixtures/example.ts");

/** The example fixture as the text of a top-level accounts.ts. */
export function exampleAccountsTs(): string {
  return fs.readFileSync(EXAMPLE_CONFIG_FILE, "utf8").replace(/from "\.\.\/\.\.\/lib\//g, 'from "./lib/');
}

/** A temporary git copy of the project whose accounts.ts is the example fixture, or the given text. */
export function exampleProjectCopy(prefix: string, accountsTs: string = exampleAccountsTs()): ReturnType<typeof projectCopy> {
  return projectCopy(ROOT, prefix, accountsTs);
}
