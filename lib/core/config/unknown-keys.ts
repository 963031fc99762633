import { closestName } from "../closest-name";
import { CONFIG_KEYS } from "./key-schema";
import type { Problems } from "./problems";

type Schema = { readonly [key: string]: unknown };

/**
 * Reports every key of accounts.ts that is not an option, anywhere in it, with the closest
 * valid name: tsx runs the file without type-checking it, so a misspelt optional key would
 * otherwise be ignored and its default used without a word.
 */
export function checkUnknownKeys(config: unknown, problems: Problems): void {
  walk(config, CONFIG_KEYS, "", problems);
}

function walk(value: unknown, schema: Schema, path: string, problems: Problems): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return;
  const valid = Object.keys(schema);
  for (const [key, child] of Object.entries(value)) {
    const field = path ? `${path}.${key}` : key;
    const shape = schema[key];
    if (shape === undefined) {
      const closest = closestName(key, valid);
      problems.report(
        field,
        `is not an option${path ? ` of ${path}` : ""}`,
        closest ? `did you mean ${closest}?` : `remove it; the options are ${valid.join(", ")}`,
      );
    } else if (Array.isArray(shape) && Array.isArray(child)) {
      child.forEach((item, i) => walk(item, shape[0] as Schema, `${field}[${i}]`, problems));
    } else if (typeof shape === "object" && !Array.isArray(shape)) {
      walk(child, shape as Schema, field, problems);
    }
  }
}
