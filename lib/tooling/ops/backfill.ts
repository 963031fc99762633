import { CreateJobCommand, CreateJobCommandInput } from "@aws-sdk/client-s3-control";
import { batchReportsPrefix } from "../../infra/policies/member-policies";
import type { ResolvedMember } from "../../core/config/resolved";
import { AwsClients, OpsError, describeAwsError } from "./aws";

export interface BackfillOptions {
  /** Where manifests and the completion report go in the source bucket; default `_batch-replication/`. */
  readonly reportPrefix?: string;
  /** Idempotency token: the same token never starts a second job. Default: one per account and day. */
  readonly token?: string;
  readonly today?: Date;
}

/**
 * The S3 Batch Replication job that replicates what the live rule never will (live
 * replication copies only objects written after the rule exists, and never retries a failure):
 * objects under `<accountId>/` that existed before the rule (status NONE) or failed
 * (FAILED), listed by S3's manifest generator, with a completion report.
 */
export function backfillJobRequest(member: ResolvedMember, options: BackfillOptions = {}): CreateJobCommandInput {
  if (!member.batchReplication) {
    throw new OpsError(
      `${member.stackName} has batchReplication: false, so it has no backfill role. Set batchReplication: true for ${member.accountId} in accounts.ts and deploy ${member.stackName} first.`,
    );
  }
  const prefix = (options.reportPrefix ?? batchReportsPrefix()).replace(/\/+$/, "");
  const day = (options.today ?? new Date()).toISOString().slice(0, 10);
  return {
    AccountId: member.accountId,
    ClientRequestToken: options.token ?? `backfill-${member.accountId}-${day}`,
    ConfirmationRequired: false,
    Description: `Backfill ${member.accountId}/ of ${member.sourceBucketName} into the central backup`,
    Priority: 10,
    RoleArn: member.batchReplicationRoleArn,
    Operation: { S3ReplicateObject: {} },
    ManifestGenerator: {
      S3JobManifestGenerator: {
        ExpectedBucketOwner: member.accountId,
        SourceBucket: member.sourceBucketArn,
        EnableManifestOutput: true,
        ManifestOutputLocation: {
          ExpectedManifestBucketOwner: member.accountId,
          Bucket: member.sourceBucketArn,
          ManifestPrefix: `${prefix}/manifests`,
          ManifestFormat: "S3InventoryReport_CSV_20211130",
        },
        Filter: {
          EligibleForReplication: true,
          ObjectReplicationStatuses: ["NONE", "FAILED"],
          KeyNameConstraint: { MatchAnyPrefix: [`${member.accountId}/`] },
        },
      },
    },
    Report: {
      Enabled: true,
      Bucket: member.sourceBucketArn,
      Prefix: `${prefix}/reports`,
      Format: "Report_CSV_20180820",
      ReportScope: "AllTasks",
    },
  };
}

export interface BackfillResult {
  readonly request: CreateJobCommandInput;
  /** Undefined for a dry run. */
  readonly jobId?: string;
  readonly followCommand?: string;
}

/** Starts the job (or, with dryRun, only builds it: no AWS call at all). */
export async function startBackfill(
  member: ResolvedMember,
  clients: AwsClients,
  options: BackfillOptions & { dryRun?: boolean } = {},
): Promise<BackfillResult> {
  const request = backfillJobRequest(member, options);
  if (options.dryRun) return { request };
  // Outside the try: a client that cannot be built says why in its own words.
  const s3Control = clients.s3Control(member.region, member.deployRoleArn);
  try {
    const response = await s3Control.send(new CreateJobCommand(request));
    const jobId = response.JobId!;
    return {
      request,
      jobId,
      followCommand: `aws s3control describe-job --account-id ${member.accountId} --job-id ${jobId} --region ${member.region}`,
    };
  } catch (error) {
    throw new OpsError(describeAwsError(error, `CreateJob (S3 Batch Replication) in ${member.accountId} as ${member.deployRoleArn}`));
  }
}
