import { TerraformOutput, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import type { ResolvedRestore } from "../../core/config/resolved";
import { denyInsecureTransport, policyDocument } from "../policies/policy-document";
import { RestoreSource, RestoreTargets, restoreRolePolicy, restoreTrustPolicy } from "../policies/restore-policies";
import { EncryptedBucket } from "./encrypted-bucket";
import { ServiceRole } from "./service-role";

/** Drill copies are scratch: everything in the drill bucket expires after this many days. */
export const DRILL_EXPIRY_DAYS = 1;

export interface RestoreAccessProps {
  readonly provider: TerraformProvider;
  /** The backup it restores from; its key (a reference) decrypts the backups and encrypts the drill bucket. */
  readonly source: RestoreSource;
  readonly restore: ResolvedRestore;
  readonly targets: RestoreTargets;
  /** `<source bucket>-drills`. */
  readonly drillBucketName: string;
  readonly boundaryArn?: string;
}

/**
 * A restore role and its drill scratch bucket, beside a backup bucket (central's, or the
 * vault's for the day central is lost): the bucket is encrypted with the backup's key,
 * versioned, public access blocked, and emptied by lifecycle after a day (current and
 * noncurrent versions alike).
 */
export class RestoreAccess extends Construct {
  /** The restore role's ARN (a reference). */
  readonly roleArn: string;
  /** The drill bucket's name (a reference). */
  readonly drillBucketName: string;

  constructor(scope: Construct, id: string, props: RestoreAccessProps) {
    super(scope, id);
    const { provider, restore, source, drillBucketName } = props;
    const role = new ServiceRole(this, "RestoreRole", {
      provider,
      roleName: restore.roleName,
      description: `Restores from ${source.bucketArn.replace("arn:aws:s3:::", "")}; assumable by restore.assumableBy only`,
      trustPolicy: restoreTrustPolicy(restore),
      permissions: restoreRolePolicy({ source, restore, targets: props.targets, drillBucketName }),
      permissionsBoundary: props.boundaryArn,
    });
    const drills = new EncryptedBucket(this, "DrillBucket", {
      provider,
      logicalId: "drill_bucket",
      bucketName: drillBucketName,
      kmsKeyArn: source.keyArn,
      policy: policyDocument(denyInsecureTransport(`arn:aws:s3:::${drillBucketName}`)),
      expireEverythingAfterDays: DRILL_EXPIRY_DAYS,
    });
    this.roleArn = role.roleArn;
    this.drillBucketName = drills.bucketName;
    new TerraformOutput(scope, "restore_role_arn", { value: this.roleArn });
    new TerraformOutput(scope, "drill_bucket_name", { value: this.drillBucketName });
  }
}
