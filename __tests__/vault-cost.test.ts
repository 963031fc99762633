import { VAULT_COPY_PRICES, batchFromCentralCost, liveRuleCost } from "../lib/tooling/ops/vault-cost";

describe("what the vault's copy costs (US East list prices)", () => {
  test("a live rule: $5 of requests and $3 of KMS per million objects; per GB, RTC and the inter-Region transfer when they apply", () => {
    const cost = liveRuleCost({ crossRegion: true, replicationTimeControl: true });
    expect(cost.perMillionObjects).toBeCloseTo(8, 6);
    expect(cost.perGB).toBeCloseTo(0.035, 6);
    expect(cost.rpo).toMatch(/15 minutes/);
    expect(liveRuleCost({ crossRegion: false, replicationTimeControl: false }).perGB).toBe(0);
  });

  test("Batch Replication from central: central's decrypt and Batch Operations' fee on top, and an RPO of its schedule", () => {
    const cost = batchFromCentralCost({ crossRegion: true, intervalHours: 24 });
    expect(cost.perMillionObjects).toBeCloseTo(5 + 6 + 1, 6);
    expect(cost.perGB).toBe(VAULT_COPY_PRICES.interRegionPerGB);
    expect(cost.rpo).toMatch(/^24 hours/);
    expect(cost.perMillionObjects).toBeGreaterThan(liveRuleCost({ crossRegion: true, replicationTimeControl: true }).perMillionObjects);
  });
});
