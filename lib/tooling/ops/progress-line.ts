/**
 * One progress line on a stream: on a terminal it is rewritten in place, in a log (CI) a new
 * line is written every `everyMs`, so a long run neither floods a log nor sits silent. Both
 * the restore (objects and bytes) and the coverage report (accounts) show their progress so.
 */
export interface ProgressLineOptions {
  readonly write: (text: string) => void;
  readonly isTTY: boolean;
  /** Not a terminal: a line every this many milliseconds. */
  readonly everyMs: number;
  /** A terminal: repainted at most this often (a repaint per copied object would cost more than the copy). Default: every update. */
  readonly ttyEveryMs?: number;
  readonly now?: () => number;
}

/** Where a command's progress goes: its stderr, so that stdout stays the report. */
export function toStderr(): Pick<ProgressLineOptions, "write" | "isTTY"> {
  return { write: (text) => process.stderr.write(text), isTTY: process.stderr.isTTY === true };
}

export class ProgressLine {
  readonly started: number;
  private lastShown: number;
  private latest?: () => string;
  private readonly now: () => number;

  constructor(private readonly options: ProgressLineOptions) {
    this.now = options.now ?? Date.now;
    this.started = this.now();
    this.lastShown = this.started;
  }

  /** `render` is called only when the line is shown; `final` (the last step) is always shown on a terminal. */
  update(render: () => string, final = false): void {
    this.latest = render;
    const now = this.now();
    if (this.options.isTTY) {
      if (!final && now - this.lastShown < (this.options.ttyEveryMs ?? 0)) return;
      this.lastShown = now;
      this.options.write(`\r${render()}\u001b[K`);
    } else if (now - this.lastShown >= this.options.everyMs) {
      this.lastShown = now;
      this.options.write(`${render()}\n`);
    }
  }

  /** The latest line (or `render`'s), shown once more and ended; nothing when there was never an update and no `render`. */
  finish(render = this.latest): void {
    if (!render) return;
    const text = render();
    this.options.write(this.options.isTTY ? `\r${text}\u001b[K\n` : `${text}\n`);
  }

  elapsedSeconds(): number {
    return Math.round((this.now() - this.started) / 1000);
  }
}
