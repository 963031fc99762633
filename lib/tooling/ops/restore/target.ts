import { GetBucketLocationCommand, GetBucketVersioningCommand, S3Client } from "@aws-sdk/client-s3";
import { OpsError } from "../aws";
import { Endpoint, send } from "./copy";

/** Where restored objects go: a bucket, its Region, and a prefix put before each source key ("" = same keys). */
export interface RestoreTarget {
  readonly bucket: string;
  readonly region: string;
  readonly prefix: string;
}

/**
 * A bucket's Region from GetBucketLocation: an empty constraint is us-east-1 and the legacy
 * "EU" is eu-west-1 (GetBucketLocation, S3 API Reference; checked against the documentation,
 * not against AWS). Works from any Region's endpoint.
 */
export async function bucketRegion(client: S3Client, bucket: string, roleArn: string): Promise<string> {
  const endpoint: Endpoint = { client, bucket, roleArn };
  const location = await send(endpoint, `GetBucketLocation s3://${bucket}`, () => client.send(new GetBucketLocationCommand({ Bucket: bucket })));
  const constraint = location.LocationConstraint as string | undefined;
  if (!constraint) return "us-east-1";
  return constraint === "EU" ? "eu-west-1" : constraint;
}

/**
 * Refuses a target without versioning: there a copy over an existing key destroys the
 * object it replaces, for good. --allow-unversioned-target accepts that.
 */
export async function checkTargetVersioning(target: Endpoint, allowUnversioned: boolean): Promise<string> {
  const versioning = await send(target, `GetBucketVersioning s3://${target.bucket}`, () =>
    target.client.send(new GetBucketVersioningCommand({ Bucket: target.bucket })),
  );
  const status = versioning.Status ?? "never enabled";
  if (status !== "Enabled" && !allowUnversioned) {
    throw new OpsError(
      `s3://${target.bucket} has versioning ${status}: a restore there would overwrite current objects for good. ` +
        `Enable versioning on it, or pass --allow-unversioned-target if overwriting is what you want.`,
    );
  }
  return status;
}
