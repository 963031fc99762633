import * as ts from "typescript";
import { OpsError } from "./aws";

export interface NewMember {
  readonly accountId: string;
  readonly name: string;
}

/**
 * A member name from an Organizations account name: lowercase letters, digits and single
 * hyphens, at most 40 characters; `account-<id>` when nothing is left.
 */
export function memberSlug(accountName: string, accountId: string): string {
  const slug = accountName
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // accents, split off by NFKD: "É" becomes "e", not "e-"
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return slug || `account-${accountId}`;
}

/**
 * The file's text with one line per new member at the end of the `members` array of the
 * `config` export, found with the TypeScript parser (so a `members: [` inside a comment
 * or a string is never taken for it). Every other byte stays as it was, except one comma
 * after the last entry when it had none. New lines take the indentation of the last entry.
 */
export function appendMembers(text: string, additions: readonly NewMember[], file = "accounts.ts"): string {
  if (additions.length === 0) return text;
  const array = membersArray(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true), file);
  const close = array.getEnd() - 1;
  const last = array.elements.at(-1);
  const lineStart = (pos: number) => text.lastIndexOf("\n", pos - 1) + 1;
  const indentAt = (pos: number) => /^[ \t]*/.exec(text.slice(lineStart(pos)))![0];
  const closeLineIndent = indentAt(close);
  const indent = last ? indentAt(last.getStart()) : `${indentAt(array.getStart())}  `;
  const entry = (m: NewMember) => `${indent}{ accountId: ${JSON.stringify(m.accountId)}, name: ${JSON.stringify(m.name)} },`;
  const lines = additions.map(entry).join("\n");
  const bracketOwnsLine = text.slice(lineStart(close), close).trim() === "";
  const insertion = bracketOwnsLine ? { at: lineStart(close), text: `${lines}\n` } : { at: close, text: `\n${lines}\n${closeLineIndent}` };
  const needsComma = last !== undefined && !array.elements.hasTrailingComma;
  let out = text.slice(0, insertion.at) + insertion.text + text.slice(insertion.at);
  if (needsComma) out = out.slice(0, last.getEnd()) + "," + out.slice(last.getEnd());
  return out;
}

function membersArray(source: ts.SourceFile, file: string): ts.ArrayLiteralExpression {
  let found: ts.ArrayLiteralExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === "config" && node.initializer) {
      const object = unwrap(node.initializer);
      const members = object && ts.isObjectLiteralExpression(object) ? object.properties.find(isMembersProperty) : undefined;
      if (members && ts.isPropertyAssignment(members) && ts.isArrayLiteralExpression(unwrap(members.initializer) ?? members.initializer)) {
        found = unwrap(members.initializer) as ts.ArrayLiteralExpression;
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (!found) throw new OpsError(`${file} has no \`members: [ ... ]\` array in \`export const config\`: add the accounts by hand.`);
  return found;
}

function isMembersProperty(p: ts.ObjectLiteralElementLike): boolean {
  return ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === "members";
}

/** The expression inside `x as T`, `x satisfies T`, `(x)`. */
function unwrap(node: ts.Expression): ts.Expression | undefined {
  let current = node;
  while (ts.isAsExpression(current) || ts.isSatisfiesExpression(current) || ts.isParenthesizedExpression(current)) current = current.expression;
  return current;
}
