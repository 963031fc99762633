import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../lib/core/project-root";

/** The committed dependency lock file: hashicorp/aws pinned, with hashes for every platform. */
export const LOCK_FILE = path.join(PROJECT_ROOT, "terraform", ".terraform.lock.hcl");

/**
 * Puts the committed lock file into each synthesized stack directory (default: every one
 * under outdir), so `terraform init` installs exactly the pinned provider, verified by
 * hash, offline or online. Returns the stacks.
 */
export function installLockFiles(outdir: string, only?: readonly string[]): string[] {
  const stacksDir = path.join(outdir, "stacks");
  const stacks = only ? [...only] : fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir) : [];
  for (const stack of stacks) {
    fs.copyFileSync(LOCK_FILE, path.join(stacksDir, stack, ".terraform.lock.hcl"));
  }
  return stacks;
}
