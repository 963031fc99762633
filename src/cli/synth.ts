/**
 * npm run synth -- [stack...] [--offline] [--role plan|deploy]
 * Synthesizes the stacks (names or globs; none means all) into cdktf.out (or CDKTF_OUTDIR),
 * each with the pinned provider lock file, without the cdktf CLI (which phones home).
 */
import * as path from "path";
import { synthesize } from "../apps/backup-app";
import { loadConfigFile } from "../config/load";
import { positionalArgs, roleOption } from "./cli-options";
import { reportFailure } from "./errors";

try {
  const outdir = path.resolve(process.env.CDKTF_OUTDIR ?? path.join(__dirname, "..", "..", "cdktf.out"));
  const offline = process.argv.includes("--offline");
  const role = roleOption("deploy");
  const stacks = synthesize(loadConfigFile(), { outdir, offline, role, stacks: positionalArgs(["--role"]) });
  console.log(
    `Synthesized ${stacks.length} stack(s)${offline ? " in offline mode" : ` assuming the ${role} role`} into ${path.relative(process.cwd(), outdir) || "."}/stacks: ${stacks.length > 8 ? `${stacks.slice(0, 8).join(" ")} …` : stacks.join(" ")}`,
  );
} catch (error) {
  reportFailure(error, "synth");
}
