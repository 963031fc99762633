/** The command-line declaration every command is parsed with (lib/cli/command.ts), without spawning. */
import { UsageError } from "../lib/core/errors";
import { closestName } from "../lib/core/closest-name";
import { CommandSpec, defineCommand, helpText, oneOf, parseCommand, positiveSeconds, wholeNumber, withArgs } from "../lib/cli/command";

const DEMO = defineCommand({
  name: "demo",
  usage: "npm run demo -- [stack...] [--offline] [--role plan|deploy] [--parallelism N] [--tag T]...",
  summary: "A command shaped like the project's own.",
  options: {
    offline: { type: "boolean", description: "offline mode" },
    role: { type: "string", valueName: "plan|deploy", description: "the role", parse: oneOf("plan", "deploy") },
    parallelism: { type: "string", valueName: "N", description: "at once", parse: wholeNumber(1, 64) },
    "timeout-seconds": { type: "string", valueName: "N", description: "how long", parse: positiveSeconds },
    summary: { type: "string", valueName: "FILE", description: "a file" },
    tag: { type: "string", valueName: "T", description: "a tag", multiple: true },
  },
  positionals: { valueName: "[stack...]", description: "stacks", max: 2 },
  example: "npm run demo -- central --role plan",
});

const NONE = defineCommand({
  name: "none",
  usage: "npm run none -- [--all]",
  summary: "No positionals.",
  options: { all: { type: "boolean", description: "all" } },
  example: "npm run none -- --all",
});

/** The UsageError a command line raises, or a failure of this test when it raises none. */
function refusal(argv: string[], spec: CommandSpec = DEMO): UsageError {
  try {
    parseCommand(spec, argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    return error as UsageError;
  }
  throw new Error(`accepted: ${argv.join(" ")}`);
}

describe("parseCommand", () => {
  test("typed values: booleans false when absent, parsed values converted, multiple kept in order, positionals", () => {
    expect(parseCommand(DEMO, ["central", "--offline", "--role", "plan", "--parallelism=8", "--timeout-seconds", "1.5", "--tag", "a", "--tag", "b"])).toEqual({
      values: { offline: true, role: "plan", parallelism: 8, "timeout-seconds": 1500, summary: undefined, tag: ["a", "b"] },
      positionals: ["central"],
    });
    expect(parseCommand(DEMO, [])).toEqual({
      values: { offline: false, role: undefined, parallelism: undefined, "timeout-seconds": undefined, summary: undefined, tag: [] },
      positionals: [],
    });
  });

  test("-h or --help anywhere asks for help, even next to a mistake; after -- it is a word like any other", () => {
    expect(parseCommand(DEMO, ["--help"])).toBe("help");
    expect(parseCommand(DEMO, ["central", "-h"])).toBe("help");
    expect(parseCommand(DEMO, ["--offlne", "--help"])).toBe("help");
    expect(parseCommand(DEMO, ["--", "--help"])).toEqual(expect.objectContaining({ positionals: ["--help"] }));
  });

  test("an unknown flag names the closest valid one and lists them all", () => {
    expect(refusal(["--offlne"]).message).toBe(
      "--offlne is not an option of demo. Did you mean --offline? Options: --offline, --role, --parallelism, --timeout-seconds, --summary, --tag, --help",
    );
    expect(refusal(["--parallelsim", "2"]).message).toMatch(/^--parallelsim is not an option of demo\. Did you mean --parallelism\? Options: /);
    expect(refusal(["--zzz"]).message).toMatch(/^--zzz is not an option of demo\. Options: --offline, /);
    expect(refusal(["-x"]).message).toMatch(/^-x is not an option of demo\. Options: /);
  });

  test("a missing value, a value that looks like a flag, a value given to a boolean", () => {
    expect(refusal(["--role"]).message).toBe(`--role needs a value: --role plan|deploy. Usage: ${DEMO.usage}`);
    expect(refusal(["--summary", "--offline"]).message).toMatch(/^--summary needs a value: --summary FILE \(it is followed by --offline; /);
    expect(refusal(["--offline=yes"]).message).toBe(`--offline takes no value (not --offline=yes). Usage: ${DEMO.usage}`);
  });

  test("a bad value names the flag, what is valid and what was given", () => {
    expect(refusal(["--role", "admin"]).message).toBe(`--role must be plan or deploy, not "admin". Usage: ${DEMO.usage}`);
    expect(refusal(["--parallelism", "abc"]).message).toBe(`--parallelism must be a whole number from 1 to 64, not "abc". Usage: ${DEMO.usage}`);
    expect(refusal(["--parallelism", "65"]).message).toMatch(/^--parallelism must be a whole number from 1 to 64, not "65"\./);
    expect(refusal(["--parallelism="]).message).toMatch(/^--parallelism must be a whole number from 1 to 64, not ""\./);
    expect(refusal(["--timeout-seconds=0"]).message).toMatch(/^--timeout-seconds must be a positive number of seconds, not "0"\./);
  });

  test("stray or too many positionals", () => {
    expect(refusal(["stray"], NONE).message).toBe('none takes no arguments, not "stray". Options: --all, --help');
    expect(refusal(["a", "b", "c"]).message).toBe(`demo takes at most 2 argument(s) ([stack...]), not "a b c". Usage: ${DEMO.usage}`);
  });

  test("--help cannot be declared: it is built in", () => {
    expect(() => defineCommand({ name: "x", usage: "x", summary: "x", options: { help: { type: "boolean", description: "mine" } }, example: "x" })).toThrow(
      "x: --help is built in",
    );
  });
});

describe("help and withArgs", () => {
  test("the help shows usage, summary, arguments, every option with its value name, and the example", () => {
    expect(helpText(DEMO).split("\n")).toEqual([
      `Usage: ${DEMO.usage}`,
      "",
      "A command shaped like the project's own.",
      "",
      "Arguments:",
      "  [stack...]            stacks",
      "",
      "Options:",
      "  --offline             offline mode",
      "  --role plan|deploy    the role",
      "  --parallelism N       at once",
      "  --timeout-seconds N   how long",
      "  --summary FILE        a file",
      "  --tag T (repeatable)  a tag",
      "  -h, --help            show this help and exit",
      "",
      "Example:",
      "  npm run demo -- central --role plan",
    ]);
  });

  test("withArgs prints the help and runs nothing, or runs main with the parsed line and returns its code", async () => {
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    const main = jest.fn(() => 3);
    try {
      await expect(withArgs(NONE, ["-h"], main)).resolves.toBe(0);
      expect(main).not.toHaveBeenCalled();
      expect(log).toHaveBeenCalledWith(helpText(NONE));
      await expect(withArgs(NONE, ["--all"], main)).resolves.toBe(3);
      expect(main).toHaveBeenCalledWith({ values: { all: true }, positionals: [] });
      await expect(withArgs(NONE, ["--al"], main)).rejects.toThrow("--al is not an option of none. Did you mean --all?");
      expect(main).toHaveBeenCalledTimes(1);
    } finally {
      log.mockRestore();
    }
  });
});

describe("closestName", () => {
  test("a typo of a known name, case-insensitive; nothing for a word unlike any", () => {
    expect(closestName("offlne", ["offline", "role", "help"])).toBe("offline");
    expect(closestName("rol", ["offline", "role", "help"])).toBe("role");
    expect(closestName("ROLE", ["offline", "role"])).toBe("role");
    expect(closestName("replicateDeleteMarker", ["replicateDeleteMarkers", "storageClass"])).toBe("replicateDeleteMarkers");
    expect(closestName("x", ["h", "all"])).toBeUndefined();
    expect(closestName("bogus", ["offline", "role", "help"])).toBeUndefined();
    expect(closestName("anything", [])).toBeUndefined();
  });
});
