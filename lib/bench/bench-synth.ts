/**
 * One synth of a synthetic config, in its own process, so that lib/bench/bench.ts measures the
 * whole synth process (start-up included) and its peak RSS. Does what stacks/apps/backup-app.ts synthesize()
 * (main.ts) does, with the build and the write timed apart.
 *   tsx lib/bench/bench-synth.ts <members> <outdir> [--offline] [--listed-accounts] [--source-maps]
 * --source-maps keeps Node's source maps on, as before the fix in stacks/apps/backup-app.ts (for comparison).
 * Prints one JSON line; a config refused at synth (PolicySizeError) is reported in it, not thrown.
 */
import { buildApp, withoutSourceMaps } from "../../stacks/apps/backup-app";
import { syntheticConfig } from "./synthetic-config";
import { PolicySizeError } from "../infra/policies/size-limits";
import { installLockFiles } from "../../stacks/apps/lock-file";
import { defineCommand, runCli, wholeNumber } from "../cli/command";

const BENCH_SYNTH = defineCommand({
  name: "bench-synth",
  usage: "tsx lib/bench/bench-synth.ts <members> <outdir> [--offline] [--listed-accounts] [--source-maps]   (spawned by npm run bench)",
  summary: "One synth of a synthetic config with <members> members into <outdir>; prints one JSON line of timings and peak RSS.",
  options: {
    offline: { type: "boolean", description: "offline mode" },
    "listed-accounts": { type: "boolean", description: "central policies list every member (accessMode listed-accounts)" },
    "source-maps": { type: "boolean", description: "keep Node's source maps on, as before the fix in stacks/apps/backup-app.ts" },
  },
  positionals: { valueName: "<members> <outdir>", description: "how many members, and where to synthesize", min: 2, max: 2 },
  example: "tsx lib/bench/bench-synth.ts 100 /tmp/out --offline",
});

const ms = (from: bigint, to: bigint) => Number(to - from) / 1e6;

runCli(BENCH_SYNTH, ({ values, positionals: [members, outdir] }) => {
  const phase = <T>(fn: () => T): T => (values["source-maps"] ? fn() : withoutSourceMaps(fn));
  const config = syntheticConfig(wholeNumber(1, 100_000)(members), values["listed-accounts"] ? { accessMode: "listed-accounts" } : {});
  const started = process.hrtime.bigint();
  try {
    const app = phase(() => buildApp(config, { outdir, offline: values.offline }));
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
});
