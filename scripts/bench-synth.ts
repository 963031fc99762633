/**
 * One synth of a synthetic config, in its own process so that the benchmark measures the
 * whole synth process (start-up included) and its peak RSS. Used by scripts/bench.ts.
 *   tsx scripts/bench-synth.ts <members> <outdir> [offline]
 */
import { buildApp } from "../lib/app";
import { syntheticConfig } from "../lib/bench/synthetic-config";
import { installLockFiles } from "../lib/terraform/lock-file";

const [members, outdir, mode] = process.argv.slice(2);
const started = process.hrtime.bigint();
const app = buildApp(syntheticConfig(Number(members)), { outdir, offline: mode === "offline" });
const built = process.hrtime.bigint();
app.synth();
installLockFiles(outdir);
const done = process.hrtime.bigint();
process.stdout.write(
  JSON.stringify({
    buildMs: Number(built - started) / 1e6,
    synthMs: Number(done - built) / 1e6,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  }),
);
