import { config as example } from "./fixtures/example";
import { config as allOptions } from "./fixtures/all-options";
import { synthStacks } from "./support/synth";
import { TerraformStack, Testing } from "cdktf";
import { buildBootstrapApp } from "../stacks/apps/bootstrap-app";
import { endpointProviderSettings, s3ControlEndpointProblem, s3ControlWithoutAccountHost } from "../lib/core/aws-endpoint";

/** Synthesizes with AWS_ENDPOINT_URL set to `url` (or unset), restoring the environment after. */
function synthWithEndpoint(config: typeof example, url: string | undefined, offline = false) {
  const saved = process.env.AWS_ENDPOINT_URL;
  if (url === undefined) delete process.env.AWS_ENDPOINT_URL;
  else process.env.AWS_ENDPOINT_URL = url;
  try {
    return synthStacks(config, { offline });
  } finally {
    if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
    else process.env.AWS_ENDPOINT_URL = saved;
  }
}

const URL = "http://127.0.0.1:4599";
const SERVICES = ["cloudformation", "cloudtrail", "cloudwatch", "events", "iam", "kms", "organizations", "s3", "s3control", "sns", "sts"];

describe("AWS_ENDPOINT_URL: every stack's provider and backend at one endpoint (an emulator)", () => {
  test("set: each provider sends every service it uses to the endpoint, path-style, still assuming the role in its own account", () => {
    for (const [name, stack] of synthWithEndpoint(example, URL)) {
      const provider = stack.provider.aws[0];
      expect([name, provider.endpoints]).toEqual([name, [Object.fromEntries(SERVICES.map((s) => [s, URL]))]]);
      expect(provider.s3_use_path_style).toBe(true);
      // Real-mode safety stays: the emulator's STS answers with the role's account.
      expect(provider.assume_role[0].role_arn).toMatch(/^arn:aws:iam::\d{12}:role\//);
      expect(provider.allowed_account_ids).toHaveLength(1);
    }
  });

  test("set: the S3 state backend reads and writes state at the endpoint too", () => {
    const central = synthWithEndpoint(allOptions, URL).get("central")!;
    expect(central.terraform.backend.s3).toMatchObject({ endpoints: { s3: URL, sts: URL }, use_path_style: true, use_lockfile: true });
  });

  test("unset or blank: no endpoint anywhere, byte for byte what a synth without the variable writes", () => {
    const unset = synthWithEndpoint(allOptions, undefined);
    for (const [, stack] of unset) {
      expect(stack.provider.aws[0].endpoints).toBeUndefined();
      expect(stack.provider.aws[0].s3_use_path_style).toBeUndefined();
    }
    expect(unset.get("central")!.terraform.backend.s3.endpoints).toBeUndefined();
    expect(JSON.stringify([...synthWithEndpoint(allOptions, "  ")])).toEqual(JSON.stringify([...unset]));
  });

  test("the bootstrap's providers (real mode) get the endpoint too", () => {
    const saved = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = URL;
    try {
      const stacks = buildBootstrapApp(allOptions).node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);
      expect(stacks.length).toBeGreaterThan(0);
      for (const stack of stacks)
        expect(JSON.parse(Testing.synth(stack)).provider.aws[0]).toMatchObject({
          endpoints: [{ s3: URL, sts: URL, cloudformation: URL }],
          s3_use_path_style: true,
        });
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = saved;
    }
  });

  test("offline mode ignores it: offline plans never call anything", () => {
    expect(JSON.stringify([...synthWithEndpoint(example, URL, true)])).toEqual(JSON.stringify([...synthWithEndpoint(example, undefined, true)]));
  });

  test("S3 Control's account-id host prefix is turned off only on request, and only with an endpoint", () => {
    const ip = { AWS_ENDPOINT_URL: URL };
    expect([s3ControlWithoutAccountHost({}), s3ControlWithoutAccountHost(ip)]).toEqual([false, false]);
    expect(s3ControlWithoutAccountHost({ ...ip, S3_BACKUP_S3_CONTROL_DISABLE_HOST_PREFIX: "true" })).toBe(true);
    expect(s3ControlWithoutAccountHost({ S3_BACKUP_S3_CONTROL_DISABLE_HOST_PREFIX: "true" })).toBe(false);
    // AWS itself and host names are fine; an IP address cannot take "<account>." in front.
    expect([s3ControlEndpointProblem("222222222222", {}), s3ControlEndpointProblem("222222222222", { AWS_ENDPOINT_URL: "http://moto.internal:5000" })]).toEqual(
      [undefined, undefined],
    );
    expect(s3ControlEndpointProblem("222222222222", ip)).toMatch(
      /here 222222222222\.127\.0\.0\.1:4599\), which is no valid address\. Fix: set S3_BACKUP_S3_CONTROL_DISABLE_HOST_PREFIX=true/,
    );
    expect(endpointProviderSettings({})).toEqual({});
  });
});
