import { synthStacks } from "../__tests__/support/synth";
import { config as a } from "../accounts";
import { config as b } from "../examples/all-options";
import * as fs from "fs";
const out: Record<string, unknown> = {};
for (const [n, c] of [["ex", a], ["all", b]] as const) for (const off of [false, true]) for (const [s, j] of synthStacks(c, { offline: off })) out[`${n}/${off}/${s}`] = j;
fs.writeFileSync(process.argv[2], JSON.stringify(out, null, 1));
