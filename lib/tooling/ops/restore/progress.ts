import type { S3Client } from "@aws-sdk/client-s3";
import { humanBytes } from "../../../core/units";
import { ProgressLine } from "../progress-line";

/** Where progress goes: a terminal (one line rewritten in place) or a log (a line every interval). */
export interface ProgressOptions {
  readonly write: (text: string) => void;
  readonly isTTY: boolean;
  /** Non-TTY: a line every this many milliseconds. Default 30 s. */
  readonly intervalMs?: number;
  readonly now?: () => number;
}

/** Objects and bytes done out of the totals of the counting pass, with the rate and an ETA. */
export class Progress {
  private objects = 0;
  private bytes = 0;
  private retries = 0;
  private readonly display: ProgressLine;
  private readonly now: () => number;

  constructor(
    private readonly totalObjects: number,
    private readonly totalBytes: number,
    options: ProgressOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.display = new ProgressLine({ write: options.write, isTTY: options.isTTY, everyMs: options.intervalMs ?? 30_000, ttyEveryMs: 250, now: this.now });
  }

  advance(bytes: number): void {
    this.objects++;
    this.bytes += bytes;
    this.display.update(() => this.line(), this.objects >= this.totalObjects);
  }

  /** Counts the retries the client's own retry strategy makes (the SDK's `$metadata.attempts` of each request). */
  watchRetries(client: S3Client): void {
    const count = (failedOrDone: unknown) => {
      const attempts = (failedOrDone as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts ?? 1;
      this.retries += Math.max(0, attempts - 1);
    };
    client.middlewareStack.add(
      (next) => async (args) => {
        try {
          const result = await next(args);
          count(result.output);
          return result;
        } catch (error) {
          count(error);
          throw error;
        }
      },
      { step: "initialize", name: "restoreProgressRetries", override: true },
    );
  }

  line(): string {
    const seconds = Math.max((this.now() - this.display.started) / 1000, 0.001);
    const rate = this.bytes / seconds;
    const objectRate = this.objects / seconds;
    const left =
      this.totalBytes > 0 && rate > 0 ? (this.totalBytes - this.bytes) / rate : objectRate > 0 ? (this.totalObjects - this.objects) / objectRate : NaN;
    return (
      `${this.objects}/${this.totalObjects} objects, ${humanBytes(this.bytes)}/${humanBytes(this.totalBytes)}, ` +
      `${humanBytes(rate)}/s (${objectRate.toFixed(1)} objects/s), ETA ${Number.isFinite(left) ? duration(left) : "?"}` +
      (this.retries ? `, ${this.retries} retries` : "")
    );
  }

  finish(): void {
    this.display.finish(() => this.line());
  }
}

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  if (seconds < 3600) return `${Math.ceil(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
