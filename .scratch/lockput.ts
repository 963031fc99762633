import { CreateBucketCommand, PutBucketEncryptionCommand, PutObjectCommand, PutObjectLockConfigurationCommand, PutBucketVersioningCommand, S3Client } from "@aws-sdk/client-s3";
import { EMULATOR_KEYS, startEmulator } from "/work/main/__tests__/e2e/support/emulator";
import { clientIn } from "/work/main/__tests__/e2e/support/world";
(async () => {
  const emu = await startEmulator();
  try {
    const s3 = new S3Client(clientIn(emu, "121212121212", "us-west-2"));
    const Bucket = "vault-test-bucket";
    await s3.send(new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: "us-west-2" }, ObjectLockEnabledForBucket: true }));
    await s3.send(new PutObjectLockConfigurationCommand({ Bucket, ObjectLockConfiguration: { ObjectLockEnabled: "Enabled", Rule: { DefaultRetention: { Mode: "COMPLIANCE", Days: 35 } } } }));
    const { execFileSync } = await import("child_process");

    const script = ["import boto3, sys","url, account, key, secret = sys.argv[1:5]","sts = boto3.client('sts', endpoint_url=url, region_name='us-west-2', aws_access_key_id=key, aws_secret_access_key=secret)","c = sts.assume_role(RoleArn=f'arn:aws:iam::{account}:role/e2e-test', RoleSessionName='e2e')['Credentials']","kms = boto3.client('kms', endpoint_url=url, region_name='us-west-2', aws_access_key_id=c['AccessKeyId'], aws_secret_access_key=c['SecretAccessKey'], aws_session_token=c['SessionToken'])","print(kms.create_key(Description='v', KeyUsage='ENCRYPT_DECRYPT', KeySpec='SYMMETRIC_DEFAULT')['KeyMetadata']['Arn'])"].join("\n");
    const keyArn = execFileSync("/usr/bin/python3", ["-c", script, emu.url, "121212121212", EMULATOR_KEYS.accessKeyId, EMULATOR_KEYS.secretAccessKey], { encoding: "utf8" }).trim();
    await s3.send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: keyArn } }] } }));
    const r = await s3.send(new PutObjectCommand({ Bucket, Key: "a/b", Body: "x" }));
    console.log("OK", r.VersionId);
  } catch (e) { console.log("ERR", e); console.log(emu.log().slice(-3000)); }
  await emu.close?.();
  process.exit(0);
})();
