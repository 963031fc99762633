import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

/** The first line of a journal: which restore it belongs to, and the as-of time it resolved. */
export interface JournalHeader {
  readonly run: Readonly<Record<string, unknown>>;
  readonly asOf: string;
  readonly startedAt: string;
}

export interface JournalEntry {
  readonly key: string;
  readonly versionId: string;
  readonly outcome: string;
}

/**
 * What a restore has finished, as JSON lines, one per key: a re-run with the same arguments
 * reads it and skips those keys, so an interrupted restore resumes without copying twice.
 * The file is named after a digest of the arguments; a run that leaves nothing to do renames
 * it to `.done`, so the next run with those arguments starts afresh. Holds the finished keys
 * in memory (one string per key restored), not the bucket.
 */
export class Journal {
  private readonly done = new Set<string>();
  private constructor(
    readonly file: string,
    readonly header: JournalHeader,
    readonly resumed: boolean,
  ) {}

  /** Opens the journal of these arguments under `dir`: resumes an unfinished one (keeping its as-of time), else starts one. */
  static open(dir: string, run: Readonly<Record<string, unknown>>, asOf: Date, now = new Date()): Journal {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `restore-${runDigest(run)}.jsonl`);
    if (fs.existsSync(file)) {
      const [first, ...rest] = fs.readFileSync(file, "utf8").split("\n").filter(Boolean);
      const journal = new Journal(file, JSON.parse(first) as JournalHeader, true);
      for (const line of rest) {
        try {
          const entry = JSON.parse(line) as JournalEntry;
          journal.done.add(doneKey(entry.key, entry.versionId));
        } catch {
          // A line cut short by a crash: that key is simply done again (its content check skips it).
        }
      }
      return journal;
    }
    const header: JournalHeader = { run, asOf: asOf.toISOString(), startedAt: now.toISOString() };
    fs.writeFileSync(file, `${JSON.stringify(header)}\n`);
    return new Journal(file, header, false);
  }

  get doneCount(): number {
    return this.done.size;
  }

  has(key: string, versionId: string): boolean {
    return this.done.has(doneKey(key, versionId));
  }

  /** Appended synchronously: a crash right after a copy still finds it recorded. */
  record(entry: JournalEntry): void {
    fs.appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
    this.done.add(doneKey(entry.key, entry.versionId));
  }

  /** Nothing left to do: keep the journal as a record, out of the way of the next run. */
  complete(): string {
    const kept = `${this.file}.done`;
    fs.renameSync(this.file, kept);
    return kept;
  }
}

export function runDigest(run: Readonly<Record<string, unknown>>): string {
  return createHash("sha256").update(JSON.stringify(run)).digest("hex").slice(0, 16);
}

const doneKey = (key: string, versionId: string) => `${key}\u0000${versionId}`;
