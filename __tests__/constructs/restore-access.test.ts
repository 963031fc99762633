import { DRILL_EXPIRY_DAYS, RestoreAccess } from "../../lib/infra/constructs/restore-access";
import { centralRestoreSource, restoreRolePolicy, restoreTrustPolicy } from "../../lib/infra/policies/restore-policies";
import { resolvedWithRestore } from "../support/construct-fixtures";
import { exposed, resource, synthConstruct } from "../support/construct-synth";
import { StackJson, onlyResource, parsePolicy } from "../support/synth";

const { central } = resolvedWithRestore;
const restore = resolvedWithRestore.restore!;
const CENTRAL_KEY = "arn:aws:kms:eu-central-1:111111111111:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const targets = { sourceBucketPattern: "arn:aws:s3:::acme-backup-src-*", adoptedBuckets: [] };
const BOUNDARY = "arn:aws:iam::111111111111:policy/restore-boundary";
const source = centralRestoreSource(central, CENTRAL_KEY);
const drillBucketName = restore.drillBucketName;

function synthRestore(): StackJson {
  return synthConstruct((scope, provider) => {
    const access = new RestoreAccess(scope, "Restore", { provider, source, restore, targets, drillBucketName, boundaryArn: BOUNDARY });
    return { roleArn: access.roleArn, drillBucketName: access.drillBucketName };
  });
}

describe("RestoreAccess", () => {
  test("the restore role: assumable by restore.assumableBy only, its permissions, capped by the boundary", () => {
    const stack = synthRestore();
    const role = onlyResource(stack, "aws_iam_role");
    expect(role).toMatchObject({ name: restore.roleName, permissions_boundary: BOUNDARY });
    expect(parsePolicy(role.assume_role_policy)).toEqual(restoreTrustPolicy(restore));
    expect(parsePolicy(onlyResource(stack, "aws_iam_role_policy").policy)).toEqual(restoreRolePolicy({ source, restore, targets, drillBucketName }));
  });

  test("the drill bucket: encrypted with the central key, TLS only, everything in it expired after a day", () => {
    const stack = synthRestore();
    expect(resource(stack, "aws_s3_bucket", "drill_bucket").bucket).toBe(restore.drillBucketName);
    const encryption = onlyResource(stack, "aws_s3_bucket_server_side_encryption_configuration");
    expect(encryption.rule[0].apply_server_side_encryption_by_default.kms_master_key_id).toBe(CENTRAL_KEY);
    const [statement] = parsePolicy(onlyResource(stack, "aws_s3_bucket_policy").policy).Statement;
    expect(statement).toMatchObject({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Resource: [`arn:aws:s3:::${restore.drillBucketName}`, `arn:aws:s3:::${restore.drillBucketName}/*`],
    });
    expect(onlyResource(stack, "aws_s3_bucket_lifecycle_configuration").rule[0].expiration).toEqual([{ days: DRILL_EXPIRY_DAYS }]);
    expect(DRILL_EXPIRY_DAYS).toBe(1);
  });

  test("exposes the role's ARN and the drill bucket's name, and outputs both for the restore commands", () => {
    const stack = synthRestore();
    const [roleId] = Object.keys(stack.resource.aws_iam_role);
    expect(exposed(stack, "roleArn")).toBe(`\${aws_iam_role.${roleId}.arn}`);
    expect(exposed(stack, "drillBucketName")).toBe("${aws_s3_bucket.drill_bucket.bucket}");
    expect(stack.output.restore_role_arn.value).toBe(exposed(stack, "roleArn"));
    expect(stack.output.drill_bucket_name.value).toBe(exposed(stack, "drillBucketName"));
  });
});
