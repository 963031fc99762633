/**
 * The README cannot go stale: every command it shows is run here as written (or, for
 * `npm ci` and `npm test`, by .ci/run), on a copy of the project, following the README's own
 * steps, and the outputs it shows are compared with what the commands print.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { exampleAccountsTs, exampleProjectCopy } from "./support/example-project";
import { loadRecordedPlanCommand } from "./support/offline-plan-fixture";
import { userShell } from "./support/spawn-collect";

const ROOT = path.resolve(__dirname, "..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const CI_RUN = fs.readFileSync(path.join(ROOT, ".ci/run"), "utf8");

/** The fenced blocks of one language, in order. */
const blocks = (language: string) => [...README.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]);
/** Every command the README shows: each line of its sh blocks, split at `&&`. */
const COMMANDS = blocks("sh").flatMap((b) =>
  b
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.trim().startsWith("#"))
    .flatMap((l) => l.split("&&").map((c) => c.trim())),
);
/** Commands .ci/run itself runs: CI fails when they do. */
const RUN_BY_CI = ["npm ci", "npm test"];
/** Commands jest's global setup runs as written, on the example (__tests__/global-setup.ts). */
const RUN_BY_SETUP = ["npm run plan:offline"];
/** Commands the tests below run, each in the test that names it. */
const RUN_HERE = [
  "npm run check -- --base HEAD",
  "npm run plan:offline -- member-555555555555",
  "npm run changed-stacks -- --base HEAD",
  "npm run state -- summary",
];
/** What a command says on stderr only when a step takes long: how long depends on the machine. */
const withoutSlowNotices = (stderr: string) =>
  stderr
    .split("\n")
    .filter((l) => !l.startsWith("… "))
    .join("\n");

describe("README", () => {
  const copy = exampleProjectCopy("s3-backup-readme-");
  afterAll(() => fs.rmSync(copy.dir, { recursive: true, force: true }));
  const accounts = path.join(copy.dir, "accounts.ts");
  const runCommand = (command: string) => {
    expect(RUN_HERE).toContain(command);
    return userShell(copy.dir, command);
  };

  test("the first command plans every stack offline and prints what the README shows", () => {
    const plan = loadRecordedPlanCommand();
    expect([plan.status, withoutSlowNotices(plan.stderr)]).toEqual([0, expect.not.stringMatching(/\S/)]);
    const shown = blocks("text")[0].split("\n").filter(Boolean);
    const printed = plan.stdout.split("\n").filter((l) => !l.startsWith(">") && l.trim() !== "");
    // The same lines, in the same order of stacks; only the seconds may differ.
    const shape = (l: string) =>
      l
        .replace(/\d+\.\d s/g, "N s")
        .replace(/\s+\d+\.\d$/, "")
        .replace(/\s+/g, " ")
        .trim();
    const sorted = (ls: string[]) => [ls[0], ls[1], ...ls.slice(2, -2).sort(), ...ls.slice(-2)];
    expect(sorted(printed.map(shape))).toEqual(sorted(shown.map(shape)));
  });

  test("adding an account as the README says: one line, then only that stack is planned and listed", () => {
    const line = blocks("ts")[0].trimEnd();
    const before = fs.readFileSync(accounts, "utf8");
    const lastMember = /^ {4}\{ accountId: "\d{12}", name: "[^"]+" \},$/gm;
    const anchor = [...before.matchAll(lastMember)].at(-1)![0];
    fs.writeFileSync(accounts, before.replace(anchor, `${anchor}\n${line}`));

    const check = runCommand("npm run check -- --base HEAD");
    expect([check.status, check.stdout]).toEqual([0, expect.stringContaining("Compared with HEAD (by fingerprints): 1 added, 0 changed, 0 removed.")]);
    const plan = runCommand("npm run plan:offline -- member-555555555555");
    expect(plan.status).toBe(0);
    expect(plan.stdout).toMatch(/^member-555555555555\s+changes\s+19\s+0\s+0\s+0/m);
    expect(plan.stdout).toContain("1 stack: 1 changes.");
    const changed = runCommand("npm run changed-stacks -- --base HEAD");
    expect(changed.status).toBe(0);
    expect(changed.stdout).toContain("added:   member-555555555555\n  changed: -\n  removed: -");

    // The mistake the README shows is the one its own line makes without quotes, word for word.
    fs.writeFileSync(accounts, before.replace(anchor, `${anchor}\n${line.replace('"555555555555"', "555555555555")}`));
    const wrong = userShell(copy.dir, "npm run --silent synth");
    expect(wrong.status).toBe(1);
    expect(wrong.stderr.trim()).toBe(blocks("text")[1].trim());
    fs.writeFileSync(accounts, before);
  });

  test("state -- summary prints what the README shows (nothing deployed in a fresh copy)", () => {
    fs.writeFileSync(accounts, exampleAccountsTs());
    const summary = runCommand("npm run state -- summary");
    expect(summary.status).toBe(0);
    const printed = summary.stdout.split("\n").filter((l) => !l.startsWith(">") && l.trim() !== "");
    expect(printed).toEqual(blocks("text")[2].split("\n").filter(Boolean));
  });

  test("every command the README shows is run by a test, by the global setup or by .ci/run", () => {
    for (const command of RUN_BY_CI) expect(CI_RUN).toMatch(new RegExp(`^${command}\\b`, "m"));
    const setup = fs.readFileSync(path.join(ROOT, "__tests__/global-setup.ts"), "utf8");
    for (const command of RUN_BY_SETUP) expect(setup).toContain(`"${command}"`);
    expect(COMMANDS.filter((c) => ![...RUN_HERE, ...RUN_BY_SETUP, ...RUN_BY_CI].includes(c))).toEqual([]);
    expect([...RUN_HERE, ...RUN_BY_SETUP].filter((c) => !COMMANDS.includes(c))).toEqual([]);
    expect(COMMANDS.length).toBeGreaterThanOrEqual(5);
  });

  test("npm test lints first, and the lint fails on what the type-checked rules catch (a floating promise) and on a function over 60 lines", () => {
    const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    // The lint and the type check side by side, both before any test.
    expect(scripts.test).toBe("run-p --aggregate-output lint typecheck && jest");
    expect(scripts.lint).toBe("eslint . && prettier --check .");
    expect(scripts.typecheck).toBe("tsc --noEmit");
    // The project's lint and TypeScript configs over one file of it, with a floating promise added: the
    // type-checked rules see only that file's program, a third of the time of the whole project's.
    const project = fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-lint-"));
    try {
      for (const file of ["eslint.config.mjs", "eslint.layers.cjs", "tsconfig.json", "package.json"])
        fs.copyFileSync(path.join(ROOT, file), path.join(project, file));
      fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(project, "node_modules"));
      fs.mkdirSync(path.join(project, "lib/core/config"), { recursive: true });
      const longFunction = `export function tooLong(): number {\n${Array.from({ length: 61 }, (_, i) => `  const v${i} = ${i};`).join("\n")}\n  return v0;\n}\n`;
      const source = `${fs.readFileSync(path.join(ROOT, "lib/core/config/regions.ts"), "utf8")}\nexport function forget(): void {\n  Promise.resolve(1);\n}\n${longFunction}`;
      fs.writeFileSync(path.join(project, "lib/core/config/regions.ts"), source);
      const eslint = spawnSync(process.execPath, [path.join(ROOT, "node_modules/eslint/bin/eslint.js"), "lib/core/config/regions.ts"], {
        cwd: project,
        encoding: "utf8",
      });
      expect(eslint.status).toBe(1);
      expect(eslint.stdout).toContain("@typescript-eslint/no-floating-promises");
      expect(eslint.stdout).toContain("max-lines-per-function");
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });

  test("it stands alone: no path outside the repository, every linked file exists, two Mermaid diagrams", () => {
    expect(README).not.toMatch(/\.\.\/|shared\/seeds/);
    const links = [...README.matchAll(/\]\(([^)#]+)(#[^)]*)?\)/g)].map((m) => m[1]).filter((l) => !/^https?:/.test(l));
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) expect([link, fs.existsSync(path.join(ROOT, link))]).toEqual([link, true]);
    expect(blocks("mermaid")).toHaveLength(2);
  });
});
