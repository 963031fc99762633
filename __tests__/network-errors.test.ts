/**
 * A failed connection is named as one, with its host, on both paths that talk to AWS: the
 * SDK (verify, backfill: describeAwsError) and Terraform (plan, deploy: the stack runner's
 * failure detail). The texts are what Node, the SDK v3 and Terraform print for these failures.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { networkFailure, unreachableMessage } from "../lib/core/network-errors";
import { describeAwsError } from "../lib/tooling/ops/aws";
import { failureDetail } from "../lib/tooling/terraform/stack-runner";
import { NO_SUCH_HOST } from "./support/terraform-errors";

/** An error as Node's dns and net modules raise it (the SDK passes them through, with $metadata). */
function nodeError(message: string, props: Record<string, unknown>): Error {
  return Object.assign(new Error(message), { $metadata: { attempts: 3 } }, props);
}

describe("networkFailure", () => {
  test("Terraform's boxed, wrapped diagnostic: the host and the Go error, not the IAM causes", () => {
    expect(networkFailure(NO_SUCH_HOST)).toEqual({
      host: "sts.eu-central-1.amazonaws.com",
      evidence: "dial tcp: lookup sts.eu-central-1.amazonaws.com on 127.0.0.53:53: no such host",
    });
  });

  test.each([
    ['Post "https://s3.eu-west-1.amazonaws.com/": dial tcp 52.218.1.1:443: i/o timeout', "s3.eu-west-1.amazonaws.com", "dial tcp 52.218.1.1:443: i/o timeout"],
    ["dial tcp 10.0.0.5:443: connect: connection refused", "10.0.0.5:443", "dial tcp 10.0.0.5:443: connect: connection refused"],
    ["getaddrinfo EAI_AGAIN sts.us-east-1.amazonaws.com", "sts.us-east-1.amazonaws.com", "getaddrinfo EAI_AGAIN sts.us-east-1.amazonaws.com"],
    ["connect ECONNREFUSED 127.0.0.1:3128", "127.0.0.1:3128", "connect ECONNREFUSED 127.0.0.1:3128"],
    ["socket hang up", "an AWS endpoint", "socket hang up"],
  ])("%s", (text, host, evidence) => {
    expect(networkFailure(text)).toEqual({ host, evidence });
  });

  test("errors that are not about the network are left alone", () => {
    for (const text of [
      "AccessDenied: User: arn:aws:iam::111111111111:user/ci is not authorized to perform: sts:AssumeRole",
      "Error: creating S3 Bucket (acme-org-central-backup): BucketAlreadyExists",
      "Error: Unsupported argument",
    ]) {
      expect(networkFailure(text)).toBeUndefined();
    }
  });

  test("the sentence", () => {
    expect(unreachableMessage("sts.eu-central-1.amazonaws.com")).toBe(
      "could not reach AWS (sts.eu-central-1.amazonaws.com): check the network, proxy or VPC endpoint",
    );
  });
});

describe("describeAwsError (verify, backfill)", () => {
  const what = "PutObject in 222222222222";

  test("DNS, refused, reset and timed-out connections say AWS could not be reached, and the host", () => {
    const dns = nodeError("getaddrinfo ENOTFOUND sts.eu-central-1.amazonaws.com", {
      code: "ENOTFOUND",
      syscall: "getaddrinfo",
      hostname: "sts.eu-central-1.amazonaws.com",
    });
    expect(describeAwsError(dns, what)).toBe(
      "could not reach AWS (sts.eu-central-1.amazonaws.com): check the network, proxy or VPC endpoint (PutObject in 222222222222: getaddrinfo ENOTFOUND sts.eu-central-1.amazonaws.com)",
    );
    const refused = nodeError("connect ECONNREFUSED 10.1.2.3:443", { code: "ECONNREFUSED", address: "10.1.2.3", port: 443 });
    expect(describeAwsError(refused, what)).toMatch(/^could not reach AWS \(10\.1\.2\.3:443\): check the network, proxy or VPC endpoint/);
    expect(describeAwsError(nodeError("read ECONNRESET", { code: "ECONNRESET" }), what)).toMatch(/^could not reach AWS \(an AWS endpoint\): /);
    expect(describeAwsError(nodeError("connect ETIMEDOUT 52.219.1.1:443", { code: "ETIMEDOUT" }), what)).toMatch(
      /^could not reach AWS \(52\.219\.1\.1:443\): /,
    );
  });

  test("the SDK's own TimeoutError and a hung-up socket are network failures too", () => {
    const timeout = Object.assign(new Error("Connection timed out after 1000 ms"), { name: "TimeoutError" });
    expect(describeAwsError(timeout, what)).toMatch(/^could not reach AWS \(an AWS endpoint\): check the network, proxy or VPC endpoint/);
    expect(describeAwsError(nodeError("socket hang up", { code: "ECONNRESET" }), what)).toMatch(/^could not reach AWS/);
  });

  test("access denied and missing credentials keep their own messages", () => {
    expect(describeAwsError({ name: "AccessDenied", message: "Access Denied", $metadata: { httpStatusCode: 403 } }, what)).toBe(`access denied: ${what}`);
    expect(describeAwsError({ name: "CredentialsProviderError", message: "Could not load credentials from any providers" }, what)).toMatch(
      /^no AWS credentials: /,
    );
  });
});

describe("the stack runner's failure detail (plan, deploy)", () => {
  test("a failed STS connection is the first line, with the host; the provider's list of IAM causes is dropped", () => {
    expect(failureDetail({ code: 1, stdout: "", stderr: NO_SUCH_HOST }).split("\n")).toEqual([
      "Terraform could not reach AWS (sts.eu-central-1.amazonaws.com): check the network, proxy or VPC endpoint.",
      "dial tcp: lookup sts.eu-central-1.amazonaws.com on 127.0.0.53:53: no such host",
    ]);
  });

  test("any other failure keeps Terraform's last lines", () => {
    const stderr = 'Error: Unsupported argument\n\n  on cdk.tf.json line 3:\n   3: "bogus": true\n\nAn argument named "bogus" is not expected here.';
    expect(failureDetail({ code: 1, stdout: "", stderr })).toBe(
      'Error: Unsupported argument\n  on cdk.tf.json line 3:\n   3: "bogus": true\nAn argument named "bogus" is not expected here.',
    );
  });
});

describe("the last-resort failure line of every command", () => {
  test("a network failure no command caught (restore's role assumption, say) gets the shared sentence, in one line", () => {
    const script =
      "require('./lib/cli/errors').reportFailure(Object.assign(new Error('getaddrinfo ENOTFOUND sts.eu-central-1.amazonaws.com'), { code: 'ENOTFOUND' }), 'restore')";
    const result = spawnSync(process.execPath, ["--require", "tsx/cjs", "-e", script], { cwd: path.join(__dirname, ".."), encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([
      `restore failed: ${unreachableMessage("sts.eu-central-1.amazonaws.com")} (getaddrinfo ENOTFOUND sts.eu-central-1.amazonaws.com)`,
    ]);
  });
});
