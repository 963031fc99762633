/**
 * A progress line on stderr: rewritten in place on a terminal, otherwise (CI logs) one
 * line every `everyMs`, so hundreds of accounts neither flood a log nor sit silent.
 */
export function progressLine(label: string, options: { stream?: NodeJS.WriteStream; everyMs?: number; now?: () => number } = {}) {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const everyMs = options.everyMs ?? 5000;
  const started = now();
  let lastPrinted = started;
  let lastText = "";
  const text = (done: number, total: number, extra: string) =>
    `${label} ${done}/${total} ${extra} ${Math.round((now() - started) / 1000)} s`.replace(/ +/g, " ");
  return {
    update(done: number, total: number, extra = "") {
      lastText = text(done, total, extra);
      if (stream.isTTY) stream.write(`\r\x1b[2K${lastText}`);
      else if (now() - lastPrinted >= everyMs) {
        stream.write(`${lastText}\n`);
        lastPrinted = now();
      }
    },
    finish() {
      if (stream.isTTY) stream.write(lastText ? "\n" : "");
      else if (lastText) stream.write(`${lastText}\n`);
    },
  };
}
