import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

/** A function of lib/ that reads the user's accounts.ts unless given an argument at `index`. */
export interface DefaultReader {
  readonly name: string;
  readonly index: number;
}

const READS_USER_FILE = /\bACCOUNTS_FILE\b|\bloadConfigFile\(\s*\)/;

function sourceOf(file: string, text = fs.readFileSync(file, "utf8")): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
}

function visit(node: ts.Node, fn: (node: ts.Node) => void): void {
  fn(node);
  node.forEachChild((child) => visit(child, fn));
}

/** Every function of these files whose parameter defaults to reading accounts.ts (loadConfigFile() or ACCOUNTS_FILE). */
export function defaultReaders(files: readonly string[]): DefaultReader[] {
  const readers: DefaultReader[] = [];
  for (const file of files) {
    visit(sourceOf(file), (node) => {
      if (!ts.isFunctionDeclaration(node) || !node.name) return;
      const index = node.parameters.findIndex((p) => p.initializer && READS_USER_FILE.test(p.initializer.getText()));
      if (index >= 0) readers.push({ name: node.name.text, index });
    });
  }
  return readers;
}

/**
 * Where a test source reads the user's accounts.ts in its own process: an import of the root
 * accounts.ts, ACCOUNTS_FILE, or a call of a default reader (loadConfigFile among them) that
 * leaves out the argument that replaces the user's file. As `line: text`.
 */
export function userFileReads(root: string, file: string, readers: readonly DefaultReader[], text?: string): string[] {
  const source = sourceOf(file, text);
  const found: string[] = [];
  const at = (node: ts.Node) => `${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.getText().split("\n")[0]}`;
  const userFile = path.join(root, "accounts");
  const rootAccounts = (spec: string) => spec.startsWith(".") && path.resolve(path.dirname(file), spec).replace(/\.ts$/, "") === userFile;
  visit(source, (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && rootAccounts(node.moduleSpecifier.text)) found.push(at(node));
    if (ts.isIdentifier(node) && node.text === "ACCOUNTS_FILE") found.push(at(node));
    if (!ts.isCallExpression(node)) return;
    const callee = node.expression.getText();
    const [first] = node.arguments;
    if (callee === "require" && first && ts.isStringLiteral(first) && rootAccounts(first.text)) found.push(at(node));
    const reader = readers.find((r) => r.name === callee);
    if (reader && node.arguments.length <= reader.index) found.push(at(node));
  });
  return found;
}
