import type { ResolvedMember } from "../config/resolved";
import { PolicyDocument, keyAdministrationByAccount, policyDocument } from "./policy-document";

/** Services that publish replication alerts: S3 event notifications and CloudWatch alarms. */
const ALERT_PUBLISHERS = ["s3.amazonaws.com", "cloudwatch.amazonaws.com"];

/**
 * Key of the alerts topic: administered by the account; S3 and CloudWatch may use it only
 * to publish this account's alerts (SNS encrypts each message with a data key).
 */
export function alertsKeyPolicy(member: ResolvedMember): PolicyDocument {
  return policyDocument(keyAdministrationByAccount(member.accountId), {
    Sid: "AlertPublishersEncryptForThisAccount",
    Effect: "Allow",
    Principal: { Service: ALERT_PUBLISHERS },
    Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
    Resource: "*",
    Condition: { StringEquals: { "aws:SourceAccount": member.accountId } },
  });
}

/** Alerts topic policy: the source bucket's notifications and this account's alarms may publish. */
export function alertsTopicPolicy(member: ResolvedMember, topicArn: string): PolicyDocument {
  return policyDocument(
    {
      Sid: "SourceBucketReplicationEvents",
      Effect: "Allow",
      Principal: { Service: "s3.amazonaws.com" },
      Action: "sns:Publish",
      Resource: topicArn,
      Condition: {
        StringEquals: { "aws:SourceAccount": member.accountId },
        ArnLike: { "aws:SourceArn": member.sourceBucketArn },
      },
    },
    {
      Sid: "ThisAccountsAlarms",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: "sns:Publish",
      Resource: topicArn,
      Condition: { StringEquals: { "aws:SourceAccount": member.accountId } },
    },
  );
}
