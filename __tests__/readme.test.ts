/**
 * The README cannot go stale: every command it shows is run here as written (or, for
 * `npm ci`, `npm test` and `npm run test:e2e`, by .ci/run), on a copy of the project, following the README's own
 * steps, and the outputs it shows are compared with what the commands print.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { exampleAccountsTs, exampleProjectCopy } from "./support/example-project";
import * as yaml from "js-yaml";
import { config as example } from "./fixtures/example";
import { loadRecordedPlanCommand } from "./support/offline-plan-fixture";
import { userShell } from "./support/spawn-collect";
import { onlyResource, resourcesOf, synthStacks } from "./support/synth";

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
const RUN_BY_CI = ["npm ci", "npm test", "npm run test:e2e"];
/** Commands jest's global setup runs as written, on the example (__tests__/global-setup.ts). */
const RUN_BY_SETUP = ["npm run plan:offline"];
/** Commands the tests below run, each in the test that names it. */
const RUN_HERE = [
  "npm run check -- --base HEAD",
  "npm run plan:offline -- member-555555555555",
  "npm run changed-stacks -- --base HEAD",
  "npm run state -- summary",
];
/** The Mermaid block under a `## heading` of the README. */
function diagramUnder(heading: string): string {
  const section = README.split(`\n## ${heading}\n`)[1] ?? "";
  const block = /```mermaid\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error(`no Mermaid diagram under "## ${heading}"`);
  return block[1];
}

/** A flowchart's arrows as [from label, to label]: `A[x] --> B`, `A -->|y| B`, `A & B --> C`, chains. */
function mermaidEdges(diagram: string): [string, string][] {
  const labels = new Map<string, string>();
  for (const [, id, label] of diagram.matchAll(/\b([A-Z][A-Z0-9]*)(?:\[\(?|\{\{)"?([^\]"}]+)"?(?:\)?\]|\}\})/g)) labels.set(id, label);
  const edges: [string, string][] = [];
  for (const line of diagram.split("\n").filter((l) => l.includes("-->"))) {
    const groups = line.split(/\s*-->(?:\|[^|]*\|)?\s*/).map((part) => part.split(/\s*&\s*/).map((node) => /^\s*([A-Z][A-Z0-9]*)/.exec(node)![1]));
    for (let i = 1; i < groups.length; i++)
      for (const from of groups[i - 1]) for (const to of groups[i]) edges.push([labels.get(from) ?? from, labels.get(to) ?? to]);
  }
  return edges;
}

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
    // The example sets no alert address: check says so, and still passes.
    expect(check.stdout).toContain("WARNING: central.monitoring.emails: no alert reaches a person");
    // Central is untouched in organization mode: no break glass needed to add an account.
    expect(check.stdout).not.toContain("BREAK GLASS");
    const plan = runCommand("npm run plan:offline -- member-555555555555");
    expect(plan.status).toBe(0);
    expect(plan.stdout).toMatch(/^member-555555555555\s+changes\s+24\s+0\s+0\s+0/m);
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

  describe("npm test stops before any test runs", () => {
    // A project of one source file under the project's own package.json, lint and TypeScript
    // configs, where `npm test` must fail in its lint or its type check and never start jest.
    // The type checker's cache stays in the copy (the project's tsconfig puts it in
    // node_modules, which is linked to the project's own).
    const npmTestWith = (appended: string) => {
      const project = fs.mkdtempSync(path.join(os.tmpdir(), "s3-backup-lint-"));
      try {
        for (const file of ["eslint.config.mjs", "eslint.layers.cjs", "package.json"]) fs.copyFileSync(path.join(ROOT, file), path.join(project, file));
        const tsconfig = JSON.parse(fs.readFileSync(path.join(ROOT, "tsconfig.json"), "utf8"));
        const compilerOptions = { ...tsconfig.compilerOptions, tsBuildInfoFile: "tsbuildinfo" };
        fs.writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify({ ...tsconfig, compilerOptions }));
        fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(project, "node_modules"));
        fs.mkdirSync(path.join(project, "lib/core/config"), { recursive: true });
        const source = `${fs.readFileSync(path.join(ROOT, "lib/core/config/regions.ts"), "utf8")}\n${appended}`;
        fs.writeFileSync(path.join(project, "lib/core/config/regions.ts"), source);
        const run = userShell(project, "npm test");
        expect(run.stdout + run.stderr).not.toMatch(/Test Suites:|No tests found/);
        return { status: run.status, output: run.stdout + run.stderr };
      } finally {
        fs.rmSync(project, { recursive: true, force: true });
      }
    };

    test("on what the type-checked lint rules catch (a floating promise) and on a function over 60 lines", () => {
      const longFunction = `export function tooLong(): number {\n  let total = 0;\n${"  total += 1;\n".repeat(61)}  return total;\n}\n`;
      const lint = npmTestWith(`export function forget(): void {\n  Promise.resolve(1);\n}\n${longFunction}`);
      expect(lint.status).not.toBe(0);
      expect(lint.output).toContain("@typescript-eslint/no-floating-promises");
      expect(lint.output).toContain("max-lines-per-function");
    });

    test("on a type error", () => {
      const typecheck = npmTestWith('export const wrong: number = "one";\n');
      expect(typecheck.status).not.toBe(0);
      expect(typecheck.output).toMatch(/error TS2322: Type 'string' is not assignable to type 'number'/);
    });
  });

  test("it stands alone: no path outside the repository, every linked file exists", () => {
    expect(README).not.toMatch(/\.\.\/|shared\/seeds/);
    const links = [...README.matchAll(/\]\(([^)#]+)(#[^)]*)?\)/g)].map((m) => m[1]).filter((l) => !/^https?:/.test(l));
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) expect([link, fs.existsSync(path.join(ROOT, link))]).toEqual([link, true]);
  });

  test("the topology diagram shows what the example builds: its stacks, bucket names, prefixes and alerts", () => {
    const diagram = diagramUnder("Topology");
    const stacks = synthStacks(example, { offline: true });
    for (const [, stack] of diagram.matchAll(/\(stack ([\w-]+)\)/g)) expect([stack, stacks.has(stack)]).toEqual([stack, true]);
    const member = stacks.get("member-222222222222")!;
    const [sourcePrefix] = /s3-backup-source-222222222222-/.exec(diagram)!;
    expect(onlyResource(member, "aws_s3_bucket").bucket.startsWith(sourcePrefix)).toBe(true);
    const [, rulePrefix, rtcMinutes] = /prefix (\d{12}\/), RTC (\d+) min/.exec(diagram)!;
    const [rule] = onlyResource(member, "aws_s3_bucket_replication_configuration").rule;
    expect([rule.filter.prefix, rule.destination.replication_time.time.minutes]).toEqual([rulePrefix, Number(rtcMinutes)]);
    const [, centralBucket] = /CB\[\("([\w-]+)<br/.exec(diagram)!;
    expect(stacks.get("central")!.resource.aws_s3_bucket.central_bucket.bucket).toBe(centralBucket);
    expect(diagram).toMatch(/S3 events → SNS → email<br\/>CloudWatch alarm/);
    // Emails subscribe when monitoring.emails lists some; the example lists none.
    expect(["aws_s3_bucket_notification", "aws_sns_topic", "aws_cloudwatch_metric_alarm"].map((t) => resourcesOf(member, t).length > 0)).toEqual([
      true,
      true,
      true,
    ]);
  });

  test("the CI diagram's arrows between jobs are the workflow's needs", () => {
    const diagram = diagramUnder("CI flow");
    const jobs = (
      yaml.safeLoad(fs.readFileSync(path.join(ROOT, ".github/workflows/backup.yml"), "utf8")) as { jobs: Record<string, { needs?: string | string[] }> }
    ).jobs;
    const edges = mermaidEdges(diagram);
    // A node drawn for a job is labelled with the job's name (dashes or spaces), or its first words: the longest that fits.
    const words = (text: string) => text.replace(/<br\/>.*/, "").replace(/-/g, " ");
    const jobOf = (label: string) =>
      Object.keys(jobs)
        .filter((job) => words(label).startsWith(words(job).replace(/s$/, "")))
        .sort((a, b) => b.length - a.length)[0];
    const betweenJobs = edges.map(([from, to]) => [jobOf(from), jobOf(to)]).filter(([from, to]) => from && to) as [string, string][];
    expect(betweenJobs.length).toBeGreaterThanOrEqual(6);
    for (const [from, to] of betweenJobs) expect([from, to, [jobs[to].needs ?? []].flat().includes(from)]).toEqual([from, to, true]);
  });
});
