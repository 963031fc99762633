import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { INIT_ARGS, initStack, runTerraform } from "../lib/tooling/terraform/cli";

/**
 * Found by the e2e suite (issue 26): with stateBackend.roleArn, a plan synthesizes another
 * backend block than a deploy (only deploys assume the state role), and `npm run plan` after
 * `npm run deploy` in the same checkout stopped at Terraform's "A change in the backend
 * configuration has been detected". Shown here with a local backend whose block changes.
 */
describe("terraform init of a stack directory whose backend block changed since its last init", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-init-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const backend = (file: string) => fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify({ terraform: { backend: { local: { path: file } } } }));

  test("initializes again with the new block (the state's location comes from accounts.ts), where a plain init stops", async () => {
    backend(path.join(dir, "a.tfstate"));
    await initStack(dir);
    backend(path.join(dir, "b.tfstate"));
    const plain = await runTerraform(
      INIT_ARGS.filter((a) => a !== "-reconfigure"),
      dir,
    );
    expect([plain.code, plain.stderr]).toEqual([1, expect.stringContaining("Backend configuration changed")]);
    await expect(initStack(dir)).resolves.toBeUndefined();
    expect(INIT_ARGS).toContain("-reconfigure");
  });
});
