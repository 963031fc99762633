// The layers of the code and what each may import. Two chains share one core: the
// infrastructure chain (policies, constructs, stacks) and the tooling chain (terraform, ops,
// ci), which meet in the commands (cli). The rule below fails the lint on any relative
// import of a layer that is not in the importing layer's `uses` list.
const path = require("path");

/** Each layer: its folders (from the repo root) and the layers it may import besides itself. */
const LAYERS = {
  core: { dirs: ["lib/core"], uses: [] },
  policies: { dirs: ["lib/infra/policies"], uses: ["core"] },
  constructs: { dirs: ["lib/infra/constructs"], uses: ["core", "policies"] },
  stacks: { dirs: ["stacks"], uses: ["core", "policies", "constructs"] },
  terraform: { dirs: ["lib/tooling/terraform"], uses: ["core"] },
  ops: { dirs: ["lib/tooling/ops"], uses: ["core", "policies", "terraform"] },
  ci: { dirs: ["lib/tooling/ci"], uses: ["core", "policies", "stacks", "terraform"] },
  cli: { dirs: ["lib/cli"], uses: ["core", "policies", "constructs", "stacks", "terraform", "ops", "ci"] },
  bench: { dirs: ["lib/bench"], uses: ["core", "policies", "constructs", "stacks", "terraform", "ops", "ci", "cli"] },
  entry: { dirs: ["main.ts", "bootstrap.ts"], uses: ["core", "stacks", "cli"] },
};
/** What no layer imports: the user's config, the examples and the tests. */
const OUTSIDE = ["accounts.ts", "examples", "__tests__"];

function layerOf(relPath) {
  for (const [name, layer] of Object.entries(LAYERS)) {
    if (layer.dirs.some((d) => relPath === d || relPath.startsWith(`${d}/`))) return name;
  }
  return undefined;
}

/** The ESLint rule: resolves each relative import against the file and checks its layer. */
const importsInOrder = {
  meta: { type: "problem", schema: [] },
  create(context) {
    const root = context.cwd;
    const file = path.relative(root, context.filename).split(path.sep).join("/");
    const from = layerOf(file);
    if (!from) return {};
    const check = (node) => {
      const spec = node.source && node.source.value;
      if (typeof spec !== "string" || !spec.startsWith(".")) return;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
      if (OUTSIDE.some((o) => target === o.replace(/\.ts$/, "") || target === o || target.startsWith(`${o}/`))) {
        context.report({ node, message: `${file} imports ${target}: the code never imports the user's accounts.ts, the examples or the tests.` });
        return;
      }
      const to = layerOf(target) ?? layerOf(`${target}.ts`);
      if (!to || to === from || LAYERS[from].uses.includes(to)) return;
      const allowed = [from, ...LAYERS[from].uses].join(", ");
      context.report({
        node,
        message: `${from} (${file}) may not import ${to} (${target}): it imports only from ${allowed} (see the layer table in the README).`,
      });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

/** The config block that turns the rule on for every TypeScript file. */
function layerRules() {
  return [
    {
      files: ["**/*.ts"],
      plugins: { layers: { rules: { "imports-in-order": importsInOrder } } },
      rules: { "layers/imports-in-order": "error" },
    },
  ];
}

module.exports = { LAYERS, layerOf, layerRules };
