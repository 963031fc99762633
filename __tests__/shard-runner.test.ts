/**
 * The shard runner as CI runs it (npm run plan/deploy -- --skip-synth <shard's stacks>), on a
 * generated config of 50 members, in a spawned process: every stack of the shard gets a
 * result, a broken stack is reported as failed without hiding the others, and the exit code
 * says so. The plan runs the real terraform and provider, offline.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { writeConfigFile } from "../lib/bench/config-file";
import { syntheticConfig } from "../lib/bench/synthetic-config";
import { config as example } from "./fixtures/example";
import { DEFAULT_MAX_SHARDS, shardPlan } from "../lib/tooling/ci/shards";
import { typescriptEntryArgs } from "../lib/tooling/ci/typescript-entry";

const ROOT = path.resolve(__dirname, "..");
const MEMBERS = 50;

function run(script: string, args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, typescriptEntryArgs(script, args), { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });
}

describe(`the shard runner on a generated config of ${MEMBERS} members`, () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-shard-"));
  const env = {
    S3_BACKUP_CONFIG: writeConfigFile(path.join(work, "accounts.ts"), syntheticConfig(MEMBERS, {}, example)),
    CDKTF_OUTDIR: path.join(work, "out"),
  };
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test("one synth of every stack, then a shard planned offline: a broken stack fails, the others are still reported", () => {
    const synth = run("lib/cli/synth.ts", ["--offline"], env);
    expect([synth.status, synth.stderr]).toEqual([0, ""]);
    expect(synth.stdout).toMatch(new RegExp(`^Synthesized ${MEMBERS + 1} stack\\(s\\) in offline mode`));
    const stacks = fs.readdirSync(path.join(env.CDKTF_OUTDIR, "stacks")).sort();
    expect(stacks).toHaveLength(MEMBERS + 1);

    // 51 stacks in at most DEFAULT_MAX_SHARDS (20) shards, as the workflow plans them: the first shard has 3 stacks, central among them.
    const shard = shardPlan(["central", ...stacks.filter((s) => s !== "central")], DEFAULT_MAX_SHARDS).plan[0];
    const shardStacks = shard.stacks.split(" ");
    expect(shardStacks).toHaveLength(3);
    const broken = shardStacks[2];
    const file = path.join(env.CDKTF_OUTDIR, "stacks", broken, "cdk.tf.json");
    const tf = JSON.parse(fs.readFileSync(file, "utf8"));
    tf.resource.aws_s3_bucket.source_bucket.no_such_argument = "breaks the plan";
    fs.writeFileSync(file, JSON.stringify(tf));

    const summary = path.join(work, "summary.md");
    const plan = run("lib/cli/run-stacks.ts", ["plan:offline", "--skip-synth", "--parallelism", "2", "--summary", summary, ...shardStacks], env);
    expect(plan.status).toBe(1);
    for (const stack of shardStacks) {
      expect([stack, plan.stdout]).toEqual([stack, expect.stringMatching(new RegExp(`^${stack}\\s+${stack === broken ? "FAILED" : "changes"}`, "m"))]);
    }
    expect(plan.stdout).toContain("3 stacks: 2 changes, 1 FAILED.");
    expect(plan.stderr).toContain(`${broken} failed:`);
    expect(plan.stderr).toContain('No argument or block type is named "no_such_argument".');
    expect(plan.stderr.split("\n").every((line) => line.length <= 201 + broken.length)).toBe(true);
    expect(plan.stdout + plan.stderr).not.toMatch(/^\s+at /m);
    const table = fs.readFileSync(summary, "utf8");
    expect(table).toContain("| stack | result | add | change | destroy | import | seconds |");
    expect(table.match(/^\| (central|member-\d+) \|/gm)).toHaveLength(3);
    expect(table).toMatch(new RegExp(`^\\| ${broken} \\| FAILED \\|`, "m"));
    // Stacks outside the shard were not touched.
    const outside = stacks.find((s) => !shardStacks.includes(s))!;
    expect(fs.existsSync(path.join(env.CDKTF_OUTDIR, "stacks", outside, ".terraform"))).toBe(false);
  });
});

/**
 * Deploy bookkeeping (central first, a retried deploy redoes no stack that succeeded). A real
 * apply needs AWS, so here TERRAFORM_BINARY points at a stand-in script that answers init,
 * plan and apply like Terraform and records each apply: what is tested is the runner's
 * ordering and its done file, not Terraform.
 */
describe("deploy: central first, and a retry skips what already succeeded", () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-deploy-"));
  const outdir = path.join(work, "out");
  const applies = path.join(work, "applies.log");
  const fakeTerraform = path.join(work, "terraform");
  const stacks = ["central", "member-100000000000", "member-100000007919", "member-100000015838"];
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
  fs.writeFileSync(
    fakeTerraform,
    [
      "#!/usr/bin/env bash",
      'stack=$(basename "$PWD")',
      'case "$1" in',
      '  version) echo \'{"terraform_version":"1.11.4"}\' ;;',
      "  init) echo initialized ;;",
      '  plan) echo "Plan: 1 to add, 0 to change, 0 to destroy."; exit 2 ;;',
      '  apply) if [ "$stack" = "$FAIL_STACK" ]; then echo "Error: apply failed in $stack" >&2; exit 1; fi',
      '         echo "$stack" >> "$APPLIES"; echo "Apply complete! Resources: 1 added, 0 changed, 0 destroyed." ;;',
      "esac",
    ].join("\n"),
    { mode: 0o755 },
  );
  for (const stack of stacks) {
    fs.mkdirSync(path.join(outdir, "stacks", stack), { recursive: true });
    fs.writeFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "{}");
  }
  const deploy = (failStack: string) =>
    run("lib/cli/run-stacks.ts", ["deploy", "--skip-synth", "--auto-approve", "--parallelism", "2", "--done-file", path.join(work, "done.txt"), ...stacks], {
      CDKTF_OUTDIR: outdir,
      TERRAFORM_BINARY: fakeTerraform,
      APPLIES: applies,
      FAIL_STACK: failStack,
      AWS_ACCESS_KEY_ID: "AKIAFAKEFORTHETEST00",
      AWS_SECRET_ACCESS_KEY: "fake",
    });

  test("a failed central skips every member; a failed member fails alone; the retry applies only what had not succeeded", () => {
    const centralFails = deploy("central");
    expect(centralFails.status).toBe(1);
    expect(centralFails.stdout).toContain("4 stacks: 1 FAILED, 3 skipped.");
    expect(fs.existsSync(applies)).toBe(false);

    const memberFails = deploy(stacks[2]);
    expect(memberFails.status).toBe(1);
    expect(fs.readFileSync(applies, "utf8").split("\n")[0]).toBe("central");
    expect(fs.readFileSync(applies, "utf8").trim().split("\n").sort()).toEqual([stacks[0], stacks[1], stacks[3]]);
    expect(memberFails.stdout).toMatch(new RegExp(`^${stacks[2]}\\s+FAILED`, "m"));

    fs.rmSync(applies);
    const retry = deploy("");
    expect(retry.status).toBe(0);
    expect(fs.readFileSync(applies, "utf8").trim().split("\n")).toEqual([stacks[2]]);
    expect(retry.stdout).toContain("4 stacks: 3 skipped, 1 applied.");
  });
});
