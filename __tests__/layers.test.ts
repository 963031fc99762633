/**
 * The layers of src/ point down only: the lint rule of eslint.layers.cjs fails on an import
 * that runs up, and lets one that runs down through. (The lint of the whole tree, in npm test,
 * shows that the tree has none.)
 */
import { ESLint } from "eslint";
import * as fs from "fs";
import * as path from "path";
import tseslint from "typescript-eslint";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { LAYERS, layerRules } = require("../eslint.layers.cjs") as { LAYERS: string[]; layerRules: () => object[] };

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
  ["src/config/example.ts", 'import { CentralStack } from "../stacks/central-stack";'],
  ["src/policies/example.ts", 'import { buildApp } from "../apps/backup-app";'],
  ["src/stacks/example.ts", 'import type { StackResult } from "../terraform/stack-runner";'],
  ["src/ops/example.ts", 'import { runCommand } from "../cli/errors";'],
  ["src/cli/example.ts", 'import { config } from "../../examples/all-options";'],
])("an up-import fails the lint: %s %s", async (file, source) => {
  expect(await messagesOf(file, `${source}\n`)).toEqual([expect.stringMatching(/^no-restricted-imports: .*(is below|never imports)/)]);
});

test.each([
  ["src/stacks/example.ts", 'import { CENTRAL_STACK_NAME } from "../config/naming";'],
  ["src/cli/example.ts", 'import { runStacks } from "../terraform/stack-runner";'],
  ["src/ops/example.ts", 'import { UserError } from "../config/errors";'],
])("a down-import passes: %s %s", async (file, source) => {
  expect(await messagesOf(file, `${source}\n`)).toEqual([]);
});

test("every folder of src/ is a layer of the rule", () => {
  const folders = fs.readdirSync(path.join(ROOT, "src"));
  expect([...folders].sort()).toEqual([...LAYERS].sort());
});
