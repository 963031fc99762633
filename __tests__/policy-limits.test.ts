import { config as example } from "./fixtures/example";
import type { BackupConfig } from "../lib/core/config/types";
import { syntheticConfig } from "../lib/bench/synthetic-config";
import type { PolicyDocument } from "../lib/infra/policies/policy-document";
import { POLICY_LIMITS, PolicySizeError, policySize } from "../lib/infra/policies/size-limits";
import { StackJson, parsePolicy, resourcesOf, synthStacks, centralBucketResource } from "./support/synth";

const withMembers = (n: number, central: Partial<BackupConfig["central"]> = {}) => syntheticConfig(n, central, example);

const centralPolicies = (stack: StackJson) => ({
  bucket: centralBucketResource(stack, "aws_s3_bucket_policy").policy as string,
  key: stack.resource.aws_kms_key.central_key.policy as string,
});

describe("policy size limits, checked at synth", () => {
  test("organization mode: the central policies are byte-identical for 3 and for 1,000 members", () => {
    const small = synthStacks(withMembers(3), { only: ["central"] }).get("central")!;
    const large = synthStacks(withMembers(1000), { only: ["central"] }).get("central")!;
    expect(centralPolicies(large)).toEqual(centralPolicies(small));
    const bucketBytes = policySize(parsePolicy(centralPolicies(large).bucket) as PolicyDocument);
    // Constant and small: the break-glass locks added a fixed ~1 KB.
    expect(bucketBytes).toBeLessThan(POLICY_LIMITS.bucketPolicy.limit / 5);
  });

  test("listed-accounts mode: synth stops with a clear error before the bucket policy passes 20 KB", () => {
    expect(() => synthStacks(withMembers(100, { accessMode: "listed-accounts" }), { only: ["central"] })).not.toThrow();
    let error: unknown;
    try {
      synthStacks(withMembers(2000, { accessMode: "listed-accounts" }), { only: ["central"] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicySizeError);
    const message = (error as Error).message;
    expect(message).toMatch(/central\/CentralBucket: bucket acme-org-central-backup: the S3 bucket policy would be \d+ bytes, over AWS's limit of 20480/);
    expect(message).toMatch(/Use accessMode "organization"/);
  });

  test("a member's policies stay far under their limits", () => {
    const member = synthStacks(example).get("member-222222222222")!;
    for (const role of resourcesOf(member, "aws_iam_role")) {
      expect(policySize(parsePolicy(role.assume_role_policy) as PolicyDocument)).toBeLessThan(POLICY_LIMITS.trustPolicy.limit / 2);
    }
    for (const inline of resourcesOf(member, "aws_iam_role_policy")) {
      expect(policySize(parsePolicy(inline.policy) as PolicyDocument)).toBeLessThan(POLICY_LIMITS.roleInlinePolicies.limit / 4);
    }
  });

  test("unresolved references count at their worst-case length", () => {
    const withToken = {
      Version: "2012-10-17" as const,
      Statement: [{ Sid: "x", Effect: "Allow" as const, Action: "kms:Decrypt", Resource: "${TfToken[TOKEN.42]}" }],
    };
    const withArn = { ...withToken, Statement: [{ ...withToken.Statement[0], Resource: "x".repeat(128) }] };
    expect(policySize(withToken)).toBe(policySize(withArn));
  });
});

describe("hardening", () => {
  const stacks = synthStacks(example);

  test.each([...stacks.keys()])("%s: Block Public Access on every bucket", (name) => {
    const stack = stacks.get(name)!;
    const buckets = resourcesOf(stack, "aws_s3_bucket");
    const blocks = resourcesOf(stack, "aws_s3_bucket_public_access_block");
    expect(blocks).toHaveLength(buckets.length);
    for (const block of blocks) {
      expect(block).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    }
  });

  test.each([...stacks.keys()])("%s: every bucket and every data key has prevent_destroy, rotation and a 30-day window", (name) => {
    const stack = stacks.get(name)!;
    for (const bucket of resourcesOf(stack, "aws_s3_bucket")) expect(bucket.lifecycle).toEqual({ prevent_destroy: true });
    const dataKey = stack.resource.aws_kms_key[name === "central" ? "central_key" : "source_key"];
    expect(dataKey).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
    for (const key of resourcesOf(stack, "aws_kms_key")) expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
  });

  test("removing a member leaves the central stack byte-identical (its data stays)", () => {
    const fewer = synthStacks({ ...example, members: example.members.slice(1) });
    expect(JSON.stringify(fewer.get("central"))).toBe(JSON.stringify(stacks.get("central")));
    expect(fewer.has("member-222222222222")).toBe(false);
  });
});
