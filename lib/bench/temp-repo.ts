import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const GIT_USER = ["-c", "user.name=bench", "-c", "user.email=bench@example.com"];

/**
 * A temporary git repository holding the project's tracked files as they are in the working
 * tree (node_modules linked, not copied), committed once: where changed-stacks can be run on
 * real history without touching the project's own. `accountsTs` replaces accounts.ts in the
 * copy (the tests put their fixture there: the project's own accounts.ts is the user's).
 */
export function projectCopy(project: string, prefix = "s3-backup-repo-", accountsTs?: string): { dir: string; git: (...args: string[]) => string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const git = (...args: string[]) => execFileSync("git", [...GIT_USER, ...args], { cwd: dir, encoding: "utf8", stdio: "pipe" });
  const tracked = execFileSync("git", ["ls-files"], { cwd: project, encoding: "utf8" }).split("\n").filter(Boolean);
  for (const file of tracked) {
    const source = path.join(project, file);
    if (!fs.existsSync(source)) continue;
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(source, path.join(dir, file));
  }
  if (accountsTs !== undefined) fs.writeFileSync(path.join(dir, "accounts.ts"), accountsTs);
  fs.symlinkSync(path.join(project, "node_modules"), path.join(dir, "node_modules"), "dir");
  git("init", "-q", "-b", "main");
  // .gitignore's "node_modules/" matches directories only, and this one is a link.
  fs.appendFileSync(path.join(dir, ".git", "info", "exclude"), "node_modules\n");
  git("add", "-A");
  git("commit", "-qm", "base");
  return { dir, git };
}
