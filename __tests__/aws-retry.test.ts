/**
 * Every AWS client the commands build retries the same way: the SDK's standard strategy with
 * the attempts of lib/core/aws-retry.ts, whatever AWS_MAX_ATTEMPTS or AWS_RETRY_MODE say.
 * (What that strategy retries, and that a restore rides it out, is in restore-run.test.ts.)
 */
import { assumeRoleClients } from "../lib/tooling/ops/aws";
import { stateBucketClient } from "../lib/tooling/ci/remote-state";

const ROLE = "arn:aws:iam::111111111111:role/s3-central-backup-plan";

const clients = () => ({
  s3: assumeRoleClients.s3("eu-central-1", ROLE),
  s3Control: assumeRoleClients.s3Control("eu-central-1", ROLE),
  cloudwatch: assumeRoleClients.cloudwatch("eu-central-1", ROLE),
  organizations: assumeRoleClients.organizations(ROLE),
  organizationsAsCaller: assumeRoleClients.organizations(undefined),
  stateBucket: stateBucketClient({ bucket: "states", region: "eu-central-1", keyPrefix: "stacks", roleArn: ROLE }),
  stateBucketAsCaller: stateBucketClient({ bucket: "states", region: "eu-central-1", keyPrefix: "stacks" }),
});

test.each(Object.keys(clients()))("%s: the standard retry strategy, 8 attempts, even with AWS_MAX_ATTEMPTS=1 and AWS_RETRY_MODE=legacy", async (name) => {
  const saved = { ...process.env };
  Object.assign(process.env, { AWS_MAX_ATTEMPTS: "1", AWS_RETRY_MODE: "legacy" });
  try {
    const client = clients()[name as keyof ReturnType<typeof clients>];
    const config = client.config as { maxAttempts: () => Promise<number>; retryStrategy: () => Promise<{ mode?: string }> };
    expect(await config.maxAttempts()).toBe(8);
    expect((await config.retryStrategy()).mode).toBe("standard");
  } finally {
    process.env = saved;
  }
});
