import { planOnlyNotice } from "../lib/cli/stack-run";

describe("deploy without --auto-approve", () => {
  test("after plans that all succeeded it says how to apply them", () => {
    expect(planOnlyNotice([{ outcome: "changes" }, { outcome: "no changes" }])).toBe(
      "Nothing was applied: this was the plan. Run again with --auto-approve to apply it.",
    );
  });

  test("after a FAILED plan it never suggests --auto-approve as the next step", () => {
    const notice = planOnlyNotice([{ outcome: "changes" }, { outcome: "failed" }]);
    expect(notice).toBe("Nothing was applied: 1 plan(s) FAILED (above). Fix them first; --auto-approve applies only a plan that succeeded.");
    expect(notice).not.toMatch(/Run again with --auto-approve/);
  });
});
