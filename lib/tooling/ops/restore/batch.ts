import { PutObjectCommand } from "@aws-sdk/client-s3";
import { CreateJobCommand, CreateJobCommandInput } from "@aws-sdk/client-s3-control";
import { createHash } from "crypto";
import * as fs from "fs";
import { AwsClients, OpsError, describeAwsError } from "../aws";
import { isAccessDenied } from "./access-denied";

/**
 * A key as a manually written Batch Operations CSV manifest needs it: "Object keys must be
 * URL-encoded" ("Creating a manifest file" in "Creating an S3 Batch Operations job", S3
 * User Guide, https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-create-job.html).
 * Encoded like Python's quote_plus(key, safe="/"): "/" kept, space as "+", every other
 * reserved or non-ASCII byte as %XX. Checked against the documentation, not against AWS.
 */
export function manifestKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2F/g, "/")
    .replace(/%20/g, "+");
}

/** One manifest line: bucket,key,versionId (Fields Bucket, Key, VersionId). */
export function manifestLine(bucket: string, key: string, versionId: string): string {
  return `${bucket},${manifestKey(key)},${versionId}\n`;
}

export interface BatchJobInput {
  readonly manifestFile: string;
  readonly manifestBucket: string;
  readonly manifestKey: string;
  readonly centralAccountId: string;
  readonly roleArn: string;
  /** The role S3 Batch Operations assumes (trusted by batchoperations.s3.amazonaws.com). */
  readonly batchRoleArn: string;
  readonly target: { readonly bucket: string; readonly region: string; readonly prefix: string };
  readonly description: string;
  readonly reportPrefix: string;
}

export interface BatchJobResult {
  readonly request: CreateJobCommandInput;
  readonly jobId: string;
  readonly followCommand: string;
}

/**
 * Uploads the manifest, then creates an S3PutObjectCopy job in the TARGET's Region (a Batch
 * Copy job "must be created in the destination Region"; objects up to 5 GB only: "Copy
 * objects" in the S3 User Guide, https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-copy-object.html).
 * Tags and metadata are copied by default (no NewObjectTagging, MetadataDirective COPY);
 * no encryption parameter, so the target's default key applies. The token is a digest of
 * the manifest and target: the same manifest never starts two jobs.
 */
export async function startBatchCopy(clients: AwsClients, manifestRegion: string, input: BatchJobInput): Promise<BatchJobResult> {
  const body = fs.readFileSync(input.manifestFile);
  const manifest = clients.s3(manifestRegion, input.roleArn);
  let eTag: string;
  try {
    const put = await manifest.send(new PutObjectCommand({ Bucket: input.manifestBucket, Key: input.manifestKey, Body: body, ContentType: "text/csv" }));
    eTag = (put.ETag ?? "").replace(/"/g, "");
  } catch (error) {
    throw new OpsError(describeAwsError(error, `PutObject of the manifest s3://${input.manifestBucket}/${input.manifestKey} as ${input.roleArn}`));
  }
  const request: CreateJobCommandInput = {
    AccountId: input.centralAccountId,
    ConfirmationRequired: false,
    ClientRequestToken: createHash("sha256").update(body).update(JSON.stringify(input.target)).digest("hex").slice(0, 64),
    Description: input.description.slice(0, 256),
    Priority: 10,
    RoleArn: input.batchRoleArn,
    Operation: {
      S3PutObjectCopy: {
        TargetResource: `arn:aws:s3:::${input.target.bucket}`,
        // The documentation's example names the folder without a trailing slash ("Folder1").
        TargetKeyPrefix: input.target.prefix ? input.target.prefix.replace(/\/+$/, "") : undefined,
        MetadataDirective: "COPY",
      },
    },
    Manifest: {
      Spec: { Format: "S3BatchOperations_CSV_20180820", Fields: ["Bucket", "Key", "VersionId"] },
      Location: { ObjectArn: `arn:aws:s3:::${input.manifestBucket}/${input.manifestKey}`, ETag: eTag },
    },
    Report: {
      Enabled: true,
      Bucket: `arn:aws:s3:::${input.manifestBucket}`,
      Prefix: input.reportPrefix,
      Format: "Report_CSV_20180820",
      ReportScope: "AllTasks",
    },
  };
  try {
    const response = await clients.s3Control(input.target.region, input.roleArn).send(new CreateJobCommand(request));
    const jobId = response.JobId!;
    return {
      request,
      jobId,
      followCommand: `aws s3control describe-job --account-id ${input.centralAccountId} --job-id ${jobId} --region ${input.target.region}`,
    };
  } catch (error) {
    const what = `CreateJob (S3 Batch Operations copy) in ${input.centralAccountId}, ${input.target.region}, as ${input.roleArn}`;
    throw new OpsError(
      isAccessDenied(error)
        ? `access denied: ${what} (the job's role is ${input.batchRoleArn}; the caller needs iam:PassRole on it)`
        : describeAwsError(error, what),
    );
  }
}
