import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";

/**
 * The local AWS emulator (moto 5.2.3 and its launcher, ../shared/emulator beside the clone;
 * E2E_EMULATOR_DIR elsewhere). `.ci/run` installs its Debian packages; the suite installs
 * nothing. What it does not do (replicate objects, evaluate IAM, run Batch Operations jobs)
 * is said in each test that would otherwise need it.
 */
export const EMULATOR_DIR = process.env.E2E_EMULATOR_DIR ?? path.resolve(__dirname, "../../../../shared/emulator");

/** Any keys: the emulator accepts them, and they are this suite's, never a machine's real ones. */
export const EMULATOR_KEYS = { accessKeyId: "e2e-test-key", secretAccessKey: "e2e-test-secret" } as const;

export interface Emulator {
  readonly url: string;
  /** What the emulator logged (one line per request): proof that a command reached it. */
  log(): string;
  stop(): Promise<void>;
}

/** A free loopback port: the OS picks one, we release it and hand it to the emulator. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the emulator exited (${child.exitCode}) before answering:\n${output()}`);
    try {
      if ((await fetch(`${url}/moto-api/`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the emulator did not answer ${url}/moto-api/ within 60 s:\n${output()}`);
}

/**
 * Starts the emulator on a free loopback port. It runs under a watchdog shell that kills it
 * when this jest process is gone, so that even a killed test run leaves no server behind;
 * stop() ends it (the tests call it in afterAll, which jest runs whatever happened).
 */
export async function startEmulator(): Promise<Emulator> {
  if (!fs.existsSync(path.join(EMULATOR_DIR, "moto-server.py")))
    throw new Error(`no emulator in ${EMULATOR_DIR}: set E2E_EMULATOR_DIR to the folder holding moto-server.py`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // The shared launcher's fixes and the suite's own (moto-e2e.py says which and why).
  const launcher = path.join(__dirname, "moto-e2e.py");
  const watchdog = `/usr/bin/python3 "$0" "$1" -H 127.0.0.1 -p ${port} & m=$!; trap 'kill $m 2>/dev/null; exit 0' TERM; trap 'kill $m 2>/dev/null' EXIT; while kill -0 ${process.pid} 2>/dev/null && kill -0 $m 2>/dev/null; do sleep 1; done`;
  const child = spawn("bash", ["-c", watchdog, launcher, EMULATOR_DIR], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("close", () => resolve());
      child.kill("SIGTERM");
    });
  try {
    await waitUntilUp(url, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, log: () => output, stop };
}
