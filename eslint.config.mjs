// ESLint: the recommended and type-checked rules of typescript-eslint over every TypeScript
// file (the scripts, the app, the tests). Formatting is Prettier's job (npm run format).
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import layers from "./eslint.layers.cjs";

const { layerRules } = layers;

export default tseslint.config(
  { ignores: ["node_modules/", "cdktf.out/", "terraform-state/", ".gen/", "**/*.js", "**/*.mjs", "**/*.cjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // `_name` marks a parameter a callback must accept but does not use.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // A function that no longer fits on a screen is two functions (the tests' describe blocks are exempt below).
      "max-lines-per-function": ["error", { max: 60, skipBlankLines: true, skipComments: true }],
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  ...layerRules(),
  {
    // The tests read JSON whose shape is the thing under test: synthesized Terraform
    // (cdk.tf.json), `terraform show -json`, the workflows' YAML. They walk it as `any` and
    // assert every value with expect() at run time, so the any-tracking rules would only
    // demand casts that check nothing. Every other rule, the promise rules included, applies.
    files: ["__tests__/**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      // A describe block holds its tests; each test is its own function.
      "max-lines-per-function": "off",
    },
  },
);
