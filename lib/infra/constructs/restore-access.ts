import { TerraformOutput, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import type { ResolvedCentral, ResolvedRestore } from "../../core/config/resolved";
import { denyInsecureTransport, policyDocument } from "../policies/policy-document";
import { RestoreTargets, restoreRolePolicy, restoreTrustPolicy } from "../policies/restore-policies";
import { EncryptedBucket } from "./encrypted-bucket";
import { ServiceRole } from "./service-role";

/** Drill copies are scratch: everything in the drill bucket expires after this many days. */
export const DRILL_EXPIRY_DAYS = 1;

export interface RestoreAccessProps {
  readonly provider: TerraformProvider;
  readonly central: ResolvedCentral;
  readonly restore: ResolvedRestore;
  readonly targets: RestoreTargets;
  /** The central key (a reference): it decrypts the backups and encrypts the drill bucket. */
  readonly centralKeyArn: string;
  readonly boundaryArn?: string;
}

/**
 * The central account's restore role and the drill scratch bucket
 * `<central.bucketName>-drills`: encrypted with the central key, versioned, public access
 * blocked, and emptied by lifecycle after a day (current and noncurrent versions alike).
 */
export class RestoreAccess extends Construct {
  /** The restore role's ARN (a reference). */
  readonly roleArn: string;
  /** The drill bucket's name (a reference). */
  readonly drillBucketName: string;

  constructor(scope: Construct, id: string, props: RestoreAccessProps) {
    super(scope, id);
    const { provider, restore } = props;
    const role = new ServiceRole(this, "RestoreRole", {
      provider,
      roleName: restore.roleName,
      description: `Restores from ${props.central.bucketName}; assumable by restore.assumableBy only`,
      trustPolicy: restoreTrustPolicy(restore),
      permissions: restoreRolePolicy({ central: props.central, restore, targets: props.targets, centralKeyArn: props.centralKeyArn }),
      permissionsBoundary: props.boundaryArn,
    });
    const drills = new EncryptedBucket(this, "DrillBucket", {
      provider,
      logicalId: "drill_bucket",
      bucketName: restore.drillBucketName,
      kmsKeyArn: props.centralKeyArn,
      policy: policyDocument(denyInsecureTransport(`arn:aws:s3:::${restore.drillBucketName}`)),
      expireEverythingAfterDays: DRILL_EXPIRY_DAYS,
    });
    this.roleArn = role.roleArn;
    this.drillBucketName = drills.bucketName;
    new TerraformOutput(scope, "restore_role_arn", { value: this.roleArn });
    new TerraformOutput(scope, "drill_bucket_name", { value: this.drillBucketName });
  }
}
