import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runStacks } from "../lib/tooling/terraform/stack-runner";

/**
 * A stand-in terraform that logs when each command of a stack starts and ends, and fails the
 * apply of the stack named by FAIL_STACK: the order runStacks deploys in, without AWS.
 */
const FAKE_TERRAFORM = `#!/bin/bash
stack=$(basename "$PWD")
echo "start $stack $1" >> "$RUN_LOG"
sleep 0.2
echo "end $stack $1" >> "$RUN_LOG"
if [ "$1" = plan ]; then echo "Plan: 1 to add, 0 to change, 0 to destroy."; exit 2; fi
if [ "$1" = apply ] && [ "$stack" = "$FAIL_STACK" ]; then echo "Error: refused" >&2; exit 1; fi
if [ "$1" = apply ]; then echo "Apply complete! Resources: 1 added, 0 changed, 0 destroyed."; fi
exit 0
`;

const STACKS = ["member-222222222222", "member-333333333333", "vault", "central"];

async function deploy(failStack = ""): Promise<{ log: string[]; outcomes: Record<string, string> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vault-deploy-order-"));
  const saved = process.env.TERRAFORM_BINARY;
  try {
    for (const stack of STACKS) {
      fs.mkdirSync(path.join(dir, "stacks", stack), { recursive: true });
      fs.writeFileSync(path.join(dir, "stacks", stack, "cdk.tf.json"), "{}");
    }
    const binary = path.join(dir, "terraform");
    fs.writeFileSync(binary, FAKE_TERRAFORM, { mode: 0o755 });
    process.env.TERRAFORM_BINARY = binary;
    const runLog = path.join(dir, "run.log");
    const results = await runStacks(STACKS, { outdir: dir, action: "deploy", parallelism: 4, env: { RUN_LOG: runLog, FAIL_STACK: failStack } });
    return { log: fs.readFileSync(runLog, "utf8").trim().split("\n"), outcomes: Object.fromEntries(results.map((r) => [r.stack, r.outcome])) };
  } finally {
    if (saved === undefined) delete process.env.TERRAFORM_BINARY;
    else process.env.TERRAFORM_BINARY = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("deploy order with a vault", () => {
  test("central, then the vault, each finished before any member starts", async () => {
    const { log, outcomes } = await deploy();
    const lastOf = (stack: string) => log.map((l) => l.split(" ")[1]).lastIndexOf(stack);
    const firstMember = log.findIndex((l) => l.startsWith("start member-"));
    expect(lastOf("central")).toBeLessThan(log.indexOf("start vault init"));
    expect(lastOf("vault")).toBeLessThan(firstMember);
    expect(outcomes).toEqual({ central: "changes", vault: "changes", "member-222222222222": "changes", "member-333333333333": "changes" });
  });

  test("a vault that fails to deploy skips the members, saying why", async () => {
    const { log, outcomes } = await deploy("vault");
    expect(outcomes).toEqual({ central: "changes", vault: "failed", "member-222222222222": "skipped", "member-333333333333": "skipped" });
    expect(log.some((l) => l.includes("member-"))).toBe(false);
  });
});
