import { S3Client } from "@aws-sdk/client-s3";
import { CreateJobCommand, S3ControlClient, S3ControlServiceException } from "@aws-sdk/client-s3-control";
import { mockClient } from "aws-sdk-client-mock";
import { config as example } from "./fixtures/example";
import { config as allOptions } from "./fixtures/all-options";
import { AwsClients, assumeRoleClients } from "../lib/tooling/ops/aws";
import { backfillJobRequest, startBackfill } from "../lib/tooling/ops/backfill";
import { validateConfig } from "../lib/core/config/validate";
import * as path from "path";
import { EXAMPLE_CONFIG_FILE } from "./support/example-project";
import { runEntry } from "./support/spawn-collect";

const member = validateConfig(example).members[0];
const roles: [string, string][] = [];
const clients: AwsClients = {
  s3: (region) => new S3Client({ region }),
  s3Control: (region, roleArn) => {
    roles.push([region, roleArn]);
    return new S3ControlClient({ region, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  },
};
const s3control = mockClient(S3ControlClient);
const today = new Date("2026-11-24T10:00:00Z");

beforeEach(() => {
  s3control.reset();
  roles.length = 0;
});

describe("npm run backfill", () => {
  test("starts one Batch Replication job for the account's objects that never replicated", async () => {
    s3control.on(CreateJobCommand).resolves({ JobId: "job-123" });
    const result = await startBackfill(member, clients, { today });
    expect(result.jobId).toBe("job-123");
    expect(result.followCommand).toBe("aws s3control describe-job --account-id 222222222222 --job-id job-123 --region eu-central-1");
    expect(roles).toEqual([["eu-central-1", "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole"]]);
    expect(s3control.commandCalls(CreateJobCommand).map((c) => c.args[0].input)).toEqual([
      {
        AccountId: "222222222222",
        ClientRequestToken: "backfill-222222222222-2026-11-24",
        ConfirmationRequired: false,
        Description: "Backfill 222222222222/ of s3-backup-source-222222222222-eu-central-1 into the central backup",
        Priority: 10,
        RoleArn: "arn:aws:iam::222222222222:role/s3-central-backup-replication-batch",
        Operation: { S3ReplicateObject: {} },
        ManifestGenerator: {
          S3JobManifestGenerator: {
            ExpectedBucketOwner: "222222222222",
            SourceBucket: "arn:aws:s3:::s3-backup-source-222222222222-eu-central-1",
            EnableManifestOutput: true,
            ManifestOutputLocation: {
              ExpectedManifestBucketOwner: "222222222222",
              Bucket: "arn:aws:s3:::s3-backup-source-222222222222-eu-central-1",
              ManifestPrefix: "_batch-replication/manifests",
              ManifestFormat: "S3InventoryReport_CSV_20211130",
            },
            Filter: { EligibleForReplication: true, ObjectReplicationStatuses: ["NONE", "FAILED"], KeyNameConstraint: { MatchAnyPrefix: ["222222222222/"] } },
          },
        },
        Report: {
          Enabled: true,
          Bucket: "arn:aws:s3:::s3-backup-source-222222222222-eu-central-1",
          Prefix: "_batch-replication/reports",
          Format: "Report_CSV_20180820",
          ReportScope: "AllTasks",
        },
      },
    ]);
  });

  test("the report prefix is configurable", () => {
    expect(backfillJobRequest(member, { reportPrefix: "ops/backfill/", today }).Report!.Prefix).toBe("ops/backfill/reports");
  });

  test("--dry-run builds the same request and makes no AWS call at all", async () => {
    const result = await startBackfill(member, clients, { dryRun: true, today });
    expect(result.jobId).toBeUndefined();
    expect(result.request).toEqual(backfillJobRequest(member, { today }));
    expect(s3control.calls()).toHaveLength(0);
    expect(roles).toEqual([]);
  });

  test("access denied is one clear line naming the account and role", async () => {
    s3control
      .on(CreateJobCommand)
      .rejects(new S3ControlServiceException({ name: "AccessDenied", $fault: "client", $metadata: { httpStatusCode: 403 }, message: "denied" }));
    await expect(startBackfill(member, clients, { today })).rejects.toThrow(
      "access denied: CreateJob (S3 Batch Replication) in 222222222222 as arn:aws:iam::222222222222:role/OrganizationAccountAccessRole",
    );
  });

  test("a member without the backfill role is refused before any call, with the fix", async () => {
    const legacy = validateConfig(allOptions).members.find((m) => m.accountId === "888888888888")!;
    await expect(startBackfill(legacy, clients)).rejects.toThrow(
      /batchReplication: false.*Set batchReplication: true for 888888888888 in accounts\.ts and deploy member-888888888888 first/,
    );
    expect(s3control.calls()).toHaveLength(0);
  });
});

describe("backfill against a custom endpoint (AWS_ENDPOINT_URL, issue 26)", () => {
  const endpoint = { AWS_ENDPOINT_URL: "http://127.0.0.1:9" };
  const env = (extra: NodeJS.ProcessEnv) => {
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_")));
    return {
      ...base,
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      S3_BACKUP_CONFIG: EXAMPLE_CONFIG_FILE,
      ...extra,
    };
  };

  test("an IP endpoint S3 Control cannot prefix with the account: one line naming the fix, not the SDK's stack trace", async () => {
    const run = await runEntry("lib/cli/backfill.ts", ["--account", "222222222222"], { cwd: path.resolve(__dirname, ".."), env: env(endpoint) });
    expect([run.status, run.stdout]).toEqual([1, ""]);
    // Before the fix: "Failed to construct URL with http://222222222222.127.0.0.1:9/ TypeError: Invalid URL" and a dozen "at" lines.
    expect(run.stderr.trim().split("\n")).toEqual([
      "S3 Control cannot be reached at AWS_ENDPOINT_URL=http://127.0.0.1:9: it calls <accountId>.<host> (here 222222222222.127.0.0.1:9), which is no valid address. Fix: set S3_BACKUP_S3_CONTROL_DISABLE_HOST_PREFIX=true to call the endpoint itself, or give AWS_ENDPOINT_URL a host name.",
    ]);
  });

  test("S3_BACKUP_S3_CONTROL_DISABLE_HOST_PREFIX=true: requests go to the endpoint itself; unset, to <account>.<host>", () => {
    const resolve = (extra: NodeJS.ProcessEnv) => {
      const saved = { ...process.env };
      Object.assign(process.env, extra);
      try {
        const client = assumeRoleClients.s3Control("eu-central-1", "arn:aws:iam::222222222222:role/deploy");
        const params = {
          Region: "eu-central-1",
          AccountId: "222222222222",
          RequiresAccountId: true,
          Endpoint: "http://backup.example:9",
          UseFIPS: false,
          UseDualStack: false,
        };
        return client.config.endpointProvider(params, {}).url.host;
      } finally {
        for (const key of Object.keys(extra)) if (saved[key] === undefined) delete process.env[key];
      }
    };
    expect(resolve({ AWS_ENDPOINT_URL: "http://backup.example:9" })).toBe("222222222222.backup.example:9");
    expect(resolve({ AWS_ENDPOINT_URL: "http://backup.example:9", S3_BACKUP_S3_CONTROL_DISABLE_HOST_PREFIX: "true" })).toBe("backup.example:9");
  });

  test("an SDK error with a multi-line message (an HTML answer where XML was expected) is still one line", async () => {
    s3control.on(CreateJobCommand).rejects(
      Object.assign(new Error("@aws-sdk XML parse error: mismatched tags.\n  Deserialization error: inspect $response"), {
        name: "Error",
        $metadata: { httpStatusCode: 404 },
      }),
    );
    await expect(startBackfill(member, clients, { today })).rejects.toThrow(
      /^CreateJob \(S3 Batch Replication\) in 222222222222 as arn:aws:iam::222222222222:role\/OrganizationAccountAccessRole failed: Error: @aws-sdk XML parse error: mismatched tags\. \(HTTP 404\)$/,
    );
  });
});
