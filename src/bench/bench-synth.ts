/**
 * One synth of a synthetic config, in its own process, so that src/bench/bench.ts measures the
 * whole synth process (start-up included) and its peak RSS. Does what src/apps/backup-app.ts synthesize()
 * (main.ts) does, with the build and the write timed apart.
 *   tsx src/bench/bench-synth.ts <members> <outdir> [--offline] [--listed-accounts] [--source-maps]
 * --source-maps keeps Node's source maps on, as before the fix in src/apps/backup-app.ts (for comparison).
 * Prints one JSON line; a config refused at synth (PolicySizeError) is reported in it, not thrown.
 */
import { buildApp, withoutSourceMaps } from "../apps/backup-app";
import { syntheticConfig } from "./synthetic-config";
import { PolicySizeError } from "../policies/size-limits";
import { installLockFiles } from "../apps/lock-file";

const [members, outdir] = process.argv.slice(2);
const flag = (name: string) => process.argv.includes(name);
const phase = <T>(fn: () => T): T => (flag("--source-maps") ? fn() : withoutSourceMaps(fn));
const config = syntheticConfig(Number(members), flag("--listed-accounts") ? { accessMode: "listed-accounts" } : {});

const started = process.hrtime.bigint();
const ms = (from: bigint, to: bigint) => Number(to - from) / 1e6;
try {
  const app = phase(() => buildApp(config, { outdir, offline: flag("--offline") }));
  const built = process.hrtime.bigint();
  phase(() => {
    app.synth();
    installLockFiles(outdir);
  });
  const done = process.hrtime.bigint();
  process.stdout.write(JSON.stringify({ buildMs: ms(started, built), synthMs: ms(built, done), maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
} catch (error) {
  if (!(error instanceof PolicySizeError)) throw error;
  process.stdout.write(JSON.stringify({ refused: error.message, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
}
