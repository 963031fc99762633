import { CENTRAL_STACK_NAME } from "../../core/config/naming";

/** GitHub Actions refuses a matrix of more than 256 jobs. */
export const MATRIX_LIMIT = 256;
/** Jobs per phase when the repository variable MAX_SHARDS is not set. */
export const DEFAULT_MAX_SHARDS = 20;

/** One matrix job's share of the stacks. `stacks` is space-separated, ready for a command line. */
export interface Shard {
  /** 1-based, for job names ("plan 3/20"). */
  readonly index: number;
  readonly of: number;
  readonly stacks: string;
  readonly count: number;
}

/** What the plan and deploy jobs of one workflow run get: never more than maxShards jobs per phase. */
export interface ShardPlan {
  readonly maxShards: number;
  readonly plan: Shard[];
  /** Central deploys alone, before any member. */
  readonly deployCentral: boolean;
  readonly deployMembers: Shard[];
}

/**
 * --max-shards as given: the workflow passes the repository variable MAX_SHARDS, which may be
 * empty (then the default). Throws what the value must be; the command line names the flag.
 */
export function parseMaxShards(raw: string): number {
  if (raw.trim() === "") return DEFAULT_MAX_SHARDS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MATRIX_LIMIT) throw new Error(`must be a whole number from 1 to ${MATRIX_LIMIT}`);
  return n;
}

/**
 * Splits stacks, in the given order (deploy order), into at most maxShards contiguous shards
 * whose sizes differ by at most one. A re-run of a job gets the same shard: the matrix comes
 * from the run's changes job, not from a new computation.
 */
export function shardStacks(stacks: readonly string[], maxShards: number): Shard[] {
  const count = Math.min(maxShards, stacks.length);
  const shards: Shard[] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const size = Math.floor(stacks.length / count) + (i < stacks.length % count ? 1 : 0);
    const part = stacks.slice(start, start + size);
    shards.push({ index: i + 1, of: count, stacks: part.join(" "), count: part.length });
    start += size;
  }
  return shards;
}

/** The shards of one run: plans take every stack to plan; deploys take central alone, then the members. */
export function shardPlan(toPlan: readonly string[], maxShards: number): ShardPlan {
  return {
    maxShards,
    plan: shardStacks(toPlan, maxShards),
    deployCentral: toPlan.includes(CENTRAL_STACK_NAME),
    deployMembers: shardStacks(
      toPlan.filter((s) => s !== CENTRAL_STACK_NAME),
      maxShards,
    ),
  };
}
