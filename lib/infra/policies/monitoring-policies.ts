import type { ResolvedMember } from "../../core/config/resolved";
import { Condition, PolicyDocument, keyAdministrationByAccount, policyDocument } from "./policy-document";

/** Every replication-failure alarm's name starts with it (lib/infra/constructs/replication-alerts.ts). */
export const ALARM_NAME_PREFIX = "s3-replication-failed-";

/** Services that publish replication alerts: S3 event notifications and CloudWatch alarms. */
const ALERT_PUBLISHERS = ["s3.amazonaws.com", "cloudwatch.amazonaws.com"];

/**
 * Key of the alerts topic: administered by the account; S3 and CloudWatch may use it only
 * to publish this account's alerts (SNS encrypts each message with a data key).
 */
export function alertsKeyPolicy(member: ResolvedMember): PolicyDocument {
  return policyDocument(
    keyAdministrationByAccount(member.accountId),
    ...ALERT_PUBLISHERS.map((service) => ({
      Sid: service.startsWith("s3.") ? "SourceBucketEncryptsAlerts" : "AlarmsEncryptAlerts",
      Effect: "Allow" as const,
      Principal: { Service: service },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: "*",
      Condition: publishedBy(member, service),
    })),
  );
}

/**
 * Confused-deputy conditions of a publishing service: this account, and
 * the resource it acts for, by aws:SourceArn: the source bucket for S3, this member's failure
 * alarms for CloudWatch ("Amazon SNS topic policies and the confused deputy problem", SNS
 * Developer Guide; checked against the documentation, not against AWS).
 */
function publishedBy(member: ResolvedMember, service: string): Condition {
  const sourceArn = service.startsWith("s3.") ? member.sourceBucketArn : `arn:aws:cloudwatch:${member.region}:${member.accountId}:alarm:${ALARM_NAME_PREFIX}*`;
  return { StringEquals: { "aws:SourceAccount": member.accountId }, ArnLike: { "aws:SourceArn": sourceArn } };
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
      Condition: publishedBy(member, "cloudwatch.amazonaws.com"),
    },
  );
}
