import { S3Client, paginateListObjectsV2 } from "@aws-sdk/client-s3";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { AWS_RETRY } from "../../core/aws-retry";
import type { ResolvedConfig } from "../../core/config/resolved";

export type ResolvedStateBackend = NonNullable<ResolvedConfig["stateBackend"]>;

/** One stack's state file in a backend: `<stack>.tfstate`. */
export interface StoredState {
  readonly stack: string;
  readonly lastModified: Date | null;
}

/** Lists the state files a backend holds. Injected in tests. */
export type RemoteStateLister = (backend: ResolvedStateBackend) => Promise<StoredState[]>;

/** An S3 client for the state bucket: the caller's credentials, through stateBackend.roleArn when set (as Terraform does). */
export function stateBucketClient(backend: ResolvedStateBackend): S3Client {
  return new S3Client({
    region: backend.region,
    ...(backend.roleArn
      ? { credentials: fromTemporaryCredentials({ params: { RoleArn: backend.roleArn, RoleSessionName: "s3-central-backup-state" }, clientConfig: AWS_RETRY }) }
      : {}),
    ...AWS_RETRY,
  });
}

/**
 * Every `<keyPrefix>/<stack>.tfstate` of the S3 backend, with S3's LastModified (Terraform
 * writes the object on every state change). One level only: `<keyPrefix>/retired/` (where
 * retired stacks' states are archived) and the `.tflock` objects are not states of stacks.
 */
export async function listS3States(backend: ResolvedStateBackend, client: S3Client = stateBucketClient(backend)): Promise<StoredState[]> {
  const prefix = `${backend.keyPrefix}/`;
  const states: StoredState[] = [];
  for await (const page of paginateListObjectsV2({ client }, { Bucket: backend.bucket, Prefix: prefix, Delimiter: "/" })) {
    for (const object of page.Contents ?? []) {
      const key = object.Key ?? "";
      if (key.endsWith(".tfstate") && !key.slice(prefix.length).includes("/")) {
        states.push({ stack: key.slice(prefix.length, -".tfstate".length), lastModified: object.LastModified ?? null });
      }
    }
  }
  return states;
}
