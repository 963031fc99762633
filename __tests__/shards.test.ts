/**
 * Shards: however many accounts, no phase of a workflow run has more than maxShards jobs
 * (GitHub refuses a matrix of more than 256), and every stack lands in exactly one shard.
 */
import { syntheticMembers } from "../lib/bench/synthetic-config";
import { MATRIX_LIMIT, parseMaxShards, shardPlan } from "../lib/tooling/ci/shards";

const stacksFor = (n: number) => ["central", ...syntheticMembers(n).map((m) => `member-${m.accountId}`)];

describe("shards", () => {
  test.each([
    [1, 20],
    [10, 20],
    [256, 20],
    [1000, 20],
    [5000, 20],
    [5000, 256],
    [5000, 1],
  ])("%i members, max %i shards: at most max jobs per phase, each stack once, sizes within one", (n, max) => {
    const stacks = stacksFor(n);
    const plan = shardPlan(stacks, max);
    for (const shards of [plan.plan, plan.deployMembers]) {
      expect(shards.length).toBeLessThanOrEqual(max);
      expect(shards.length).toBeLessThanOrEqual(MATRIX_LIMIT);
      const sizes = shards.map((s) => s.count);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      expect(shards.every((s, i) => s.index === i + 1 && s.of === shards.length && s.stacks.split(" ").length === s.count)).toBe(true);
    }
    expect(plan.plan.flatMap((s) => s.stacks.split(" "))).toEqual(stacks);
    // Central deploys alone, first; the member shards never hold it.
    expect(plan.deployCentral).toBe(true);
    expect(plan.deployMembers.flatMap((s) => s.stacks.split(" "))).toEqual(stacks.slice(1));
  });

  test("no stack, no job; a members-only change deploys no central", () => {
    expect(shardPlan([], 20)).toEqual({ maxShards: 20, plan: [], deployCentral: false, deployMembers: [] });
    expect(shardPlan(["member-222222222222"], 20)).toMatchObject({
      deployCentral: false,
      deployMembers: [{ index: 1, of: 1, stacks: "member-222222222222", count: 1 }],
    });
  });

  test("MAX_SHARDS: empty means 20; 1-256 are taken; anything else is one clear error", () => {
    expect(parseMaxShards("")).toBe(20);
    expect(parseMaxShards(" ")).toBe(20);
    expect(parseMaxShards("256")).toBe(256);
    for (const bad of ["0", "257", "1000", "2.5", "many"]) {
      expect(() => parseMaxShards(bad)).toThrow("must be a whole number from 1 to 256");
    }
  });
});
