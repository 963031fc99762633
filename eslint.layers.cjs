// The layers of src/, lowest first. A file may import its own layer and the layers before it,
// never one after it: the rule below fails the lint on any import that runs up.
const LAYERS = ["config", "policies", "constructs", "stacks", "apps", "terraform", "ci", "ops", "cli", "bench"];

/** One ESLint config block per layer, forbidding relative imports of every layer above it. */
function layerRules() {
  return LAYERS.slice(0, -1).map((layer, i) => ({
    files: [`src/${layer}/**/*.ts`],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: `^\\.\\./(${LAYERS.slice(i + 1).join("|")})(/|$)`,
              message: `src/${layer} is below ${LAYERS.slice(i + 1).join(", ")}: import only from ${LAYERS.slice(0, i + 1).join(", ")} (see the layer table in the README).`,
            },
            { regex: "^(\\.\\./)+(accounts|examples|__tests__)(/|$)", message: "src/ never imports the user's accounts.ts, the examples or the tests." },
          ],
        },
      ],
    },
  }));
}

module.exports = { LAYERS, layerRules };
