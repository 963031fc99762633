import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { changedStacks, removalNotice } from "../lib/ci/changed-stacks";

const PROJECT = path.resolve(__dirname, "..");

/** A temporary git repository holding this project's tracked files, one commit per edit. */
function tempRepo(): { dir: string; commit: (message: string, edit: (accounts: string) => string) => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-repo-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
  const tracked = execFileSync("git", ["ls-files"], { cwd: PROJECT, encoding: "utf8" }).split("\n").filter(Boolean);
  for (const file of tracked) {
    const source = path.join(PROJECT, file);
    if (!fs.existsSync(source)) continue;
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(source, path.join(dir, file));
  }
  fs.symlinkSync(path.join(PROJECT, "node_modules"), path.join(dir, "node_modules"), "dir");
  fs.writeFileSync(path.join(dir, ".gitignore"), "node_modules\ncdktf.out/\n");
  git("init", "-q", "-b", "main");
  git("-c", "user.name=t", "-c", "user.email=t@example.com", "add", "-A");
  git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base");
  return {
    dir,
    commit: (message, edit) => {
      const file = path.join(dir, "accounts.ts");
      fs.writeFileSync(file, edit(fs.readFileSync(file, "utf8")));
      git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qam", message);
    },
  };
}

describe("changed-stacks on real git history", () => {
  const repo = tempRepo();
  afterAll(() => fs.rmSync(repo.dir, { recursive: true, force: true }));

  test("adding one member lists exactly that one stack", () => {
    repo.commit("add an account", (a) =>
      a.replace(`{ accountId: "444444444444", name: "data-lake" },`, `{ accountId: "444444444444", name: "data-lake" },\n    { accountId: "555555555555", name: "new-team" },`),
    );
    expect(changedStacks(repo.dir, "HEAD~1")).toEqual({ added: ["member-555555555555"], changed: [], removed: [] });
  });

  test("editing a central option lists central and the members it affects", () => {
    repo.commit("colder replicas", (a) => a.replace(`storageClass: "STANDARD_IA"`, `storageClass: "GLACIER_IR"`));
    expect(changedStacks(repo.dir, "HEAD~1")).toEqual({
      added: [],
      changed: ["member-222222222222", "member-333333333333", "member-444444444444", "member-555555555555"],
      removed: [],
    });
    repo.commit("rename the central bucket", (a) => a.replace(`"acme-org-central-backup"`, `"acme-org-central-backup-2"`));
    expect(changedStacks(repo.dir, "HEAD~1").changed).toEqual(["central", "member-222222222222", "member-333333333333", "member-444444444444", "member-555555555555"]);
  });

  test("removing a member is reported as removed, with the retention notice", () => {
    repo.commit("retire an account", (a) => a.replace(`    { accountId: "333333333333", name: "workloads-staging" },\n`, ""));
    const changes = changedStacks(repo.dir, "HEAD~1");
    expect(changes).toEqual({ added: [], changed: [], removed: ["member-333333333333"] });
    const notice = removalNotice("member-333333333333");
    expect(notice).toMatch(/REMOVED from accounts\.ts\. Nothing is destroyed/);
    expect(notice).toMatch(/replication KEEPS RUNNING/);
    expect(notice).toMatch(/delete-bucket-replication/);
  });

  test("the working tree is compared too, not only commits", () => {
    fs.writeFileSync(path.join(repo.dir, "accounts.ts"), fs.readFileSync(path.join(repo.dir, "accounts.ts"), "utf8").replace(`name: "new-team"`, `name: "new-team", replicationTimeControl: false`));
    expect(changedStacks(repo.dir, "HEAD")).toEqual({ added: [], changed: ["member-555555555555"], removed: [] });
  });
});
