/**
 * npm run synth -- [stack...] [--offline] [--role plan|deploy|break-glass]
 * Synthesizes the stacks (names or globs; none means all) into cdktf.out (or CDKTF_OUTDIR),
 * each with the pinned provider lock file, without the cdktf CLI (which phones home).
 */
import * as path from "path";
import { loadConfigFile } from "../core/config/load";
import { outdirFromEnv, roleOption, STACK_PATTERNS } from "./cli-options";
import { defineCommand, runCli } from "./command";
import { backupApp } from "./lazy-modules";

const SYNTH = defineCommand({
  name: "synth",
  usage: "npm run synth -- [stack...] [--offline] [--role plan|deploy|break-glass]",
  summary: "Synthesizes the stacks into cdktf.out/stacks/<stack>/cdk.tf.json (or CDKTF_OUTDIR), each with the pinned provider lock file.",
  options: {
    offline: { type: "boolean", description: "offline mode: fake credentials, nothing assumed (what plan:offline plans)" },
    role: roleOption("deploy"),
  },
  positionals: STACK_PATTERNS,
  example: "npm run synth -- 'member-*' --role plan",
});

runCli(SYNTH, ({ values, positionals }) => {
  const outdir = outdirFromEnv();
  const role = values.role ?? "deploy";
  const config = loadConfigFile();
  const { synthesize } = backupApp();
  const stacks = synthesize(config, { outdir, offline: values.offline, role, stacks: positionals });
  const listed = stacks.length > 8 ? `${stacks.slice(0, 8).join(" ")} …` : stacks.join(" ");
  console.log(
    `Synthesized ${stacks.length} stack(s)${values.offline ? " in offline mode" : ` assuming the ${role} role`} into ${path.relative(process.cwd(), outdir) || "."}/stacks: ${listed}`,
  );
});
