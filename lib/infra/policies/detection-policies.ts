import type { ResolvedCentral, ResolvedMember } from "../../core/config/resolved";
import { ALARM_NAME_PREFIX } from "./monitoring-policies";
import { Condition, PolicyDocument, assumableOnlyBy, denyInsecureTransport, policyDocument } from "./policy-document";

/** Names of what watches the central account: fixed, so the guardrail and the roles can name them. */
export const DETECTION = {
  topicName: "s3-central-backup-central-alerts",
  trailName: "s3-central-backup-audit",
  rulePrefix: "s3-central-backup-",
  /** The bus the members' watch rules forward to: its own, so its policy is the project's alone. */
  memberBusName: "s3-central-backup-member-changes",
} as const;

/** The bucket the audit trail writes into, beside the central bucket. */
export function auditBucketName(central: ResolvedCentral): string {
  return `${central.bucketName}-audit`;
}

export function trailArn(central: ResolvedCentral): string {
  return `arn:aws:cloudtrail:${central.region}:${central.accountId}:trail/${DETECTION.trailName}`;
}

export function memberBusArn(central: ResolvedCentral): string {
  return `arn:aws:events:${central.region}:${central.accountId}:event-bus/${DETECTION.memberBusName}`;
}

export function centralTopicArn(central: ResolvedCentral): string {
  return `arn:aws:sns:${central.region}:${central.accountId}:${DETECTION.topicName}`;
}

/**
 * One alert per event, each an EventBridge rule on CloudTrail's "AWS API Call via CloudTrail"
 * events of the central account (EventBridge User Guide, "AWS service events delivered via
 * AWS CloudTrail": a trail with logging on is required, which the construct creates). Denied
 * attempts are events too, so an attack that the policies stop still alerts.
 */
export function detectionRules(
  central: ResolvedCentral,
  restoreRoleArn?: string,
): { readonly id: string; readonly description: string; readonly pattern: object }[] {
  const api = (source: string, eventNames: string[], detail: object = {}) => ({
    source: [source],
    "detail-type": ["AWS API Call via CloudTrail"],
    detail: { eventName: eventNames, ...detail },
  });
  const onCentral = { requestParameters: { bucketName: [central.bucketName] } };
  const watchedRoles = [central.breakGlassRoleArn, ...(restoreRoleArn ? [restoreRoleArn] : [])];
  return [
    {
      id: "key-changes",
      description: `The central key was disabled, scheduled for deletion, re-policied, granted or re-aliased (or someone tried)`,
      pattern: api("aws.kms", ["DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy", "CreateGrant", "UpdateAlias", "DeleteAlias", "DisableKeyRotation"]),
    },
    {
      id: "bucket-changes",
      description: `The protection of ${central.bucketName} changed (policy, lifecycle, versioning, ownership, ACL, public access, encryption, replication, Object Lock)`,
      pattern: api(
        "aws.s3",
        [
          "PutBucketPolicy",
          "DeleteBucketPolicy",
          "PutBucketLifecycle",
          "DeleteBucketLifecycle",
          "PutBucketVersioning",
          "PutBucketOwnershipControls",
          "DeleteBucketOwnershipControls",
          "PutBucketAcl",
          "PutBucketPublicAccessBlock",
          "DeleteBucketPublicAccessBlock",
          "PutBucketEncryption",
          "DeleteBucketEncryption",
          "PutBucketReplication",
          "DeleteBucketReplication",
          "PutObjectLockConfiguration",
        ],
        onCentral,
      ),
    },
    {
      id: "version-deletes",
      description: `A version, delete marker or retention of ${central.bucketName} was deleted, written or changed outside replication (or someone tried)`,
      pattern: api("aws.s3", ["DeleteObject", "DeleteObjects", "PutObject", "PutObjectRetention", "PutObjectLegalHold", "PutObjectAcl"], onCentral),
    },
    {
      id: "role-assumed",
      description: "The break-glass or the restore role was assumed",
      pattern: api("aws.sts", ["AssumeRole"], { requestParameters: { roleArn: watchedRoles } }),
    },
    {
      id: "trail-changes",
      description: `The audit trail ${DETECTION.trailName} was stopped, changed or deleted (or someone tried)`,
      pattern: api("aws.cloudtrail", ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors"]),
    },
  ];
}

/** CloudTrail may write the trail's logs and read the bucket's ACL, for this trail only (confused deputy: aws:SourceArn). */
export function auditBucketPolicy(central: ResolvedCentral): PolicyDocument {
  const bucketArn = `arn:aws:s3:::${auditBucketName(central)}`;
  const fromTheTrail: Condition = { StringEquals: { "aws:SourceArn": trailArn(central) } };
  return policyDocument(
    denyInsecureTransport(bucketArn),
    {
      Sid: "OnlyBreakGlassDeletesOrRepoliciesLogs",
      Effect: "Deny",
      Principal: "*",
      Action: [
        "s3:DeleteObject",
        "s3:DeleteObjectVersion",
        "s3:PutBucketPolicy",
        "s3:DeleteBucketPolicy",
        "s3:PutLifecycleConfiguration",
        "s3:PutBucketVersioning",
        "s3:DeleteBucket",
      ],
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { ArnNotEquals: { "aws:PrincipalArn": [central.breakGlassRoleArn] } },
    },
    {
      Sid: "CloudTrailReadsTheAcl",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:GetBucketAcl",
      Resource: bucketArn,
      Condition: fromTheTrail,
    },
    {
      Sid: "CloudTrailWritesThisAccountsLogs",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${bucketArn}/AWSLogs/${central.accountId}/*`,
      Condition: { StringEquals: { ...fromTheTrail.StringEquals, "s3:x-amz-acl": "bucket-owner-full-control" } },
    },
  );
}

/** EventBridge rules of this account publish to the alerts topic. */
export function centralTopicPolicy(central: ResolvedCentral): PolicyDocument {
  return policyDocument({
    Sid: "ThisAccountsDetectionRules",
    Effect: "Allow",
    Principal: { Service: "events.amazonaws.com" },
    Action: "sns:Publish",
    Resource: centralTopicArn(central),
    Condition: {
      StringEquals: { "aws:SourceAccount": central.accountId },
      ArnLike: { "aws:SourceArn": `arn:aws:events:${central.region}:${central.accountId}:rule/${DETECTION.rulePrefix}*` },
    },
  });
}

/**
 * The member-side changes that stop replication, as CloudTrail reports them: the source
 * bucket's replication, versioning, policy, encryption or the bucket itself, and the source
 * key's disabling, scheduled deletion or policy. IAM changes to the replication role are not
 * here: CloudTrail delivers IAM's events to EventBridge in us-east-1 only (EventBridge User
 * Guide, "AWS service events delivered via AWS CloudTrail"; checked against the documentation,
 * not against AWS); the nightly drift run reports them (docs/policies.md).
 */
export const REPLICATION_STOPPING_EVENTS = {
  bucket: [
    "PutBucketReplication",
    "DeleteBucketReplication",
    "PutBucketVersioning",
    "PutBucketPolicy",
    "DeleteBucketPolicy",
    "PutBucketEncryption",
    "DeleteBucketEncryption",
    "DeleteBucket",
  ],
  key: ["DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy"],
} as const;

/** CloudWatch's event for an alarm changing state (EventBridge Events Reference, Amazon CloudWatch). */
const ALARM_STATE_CHANGE = "CloudWatch Alarm State Change";

/**
 * The member's watch rule: those events on its own bucket and key, and its replication
 * failure alarms going off, so that every account's alerts also arrive in one place. A key is
 * named by ID or by ARN in the request (AWS KMS API Reference: these three operations take no
 * alias), so both.
 */
export function replicationWatchPattern(member: ResolvedMember, sourceKey: { readonly keyId: string; readonly keyArn: string }): object {
  const detailType = ["AWS API Call via CloudTrail"];
  return {
    $or: [
      {
        source: ["aws.s3"],
        "detail-type": detailType,
        detail: { eventName: [...REPLICATION_STOPPING_EVENTS.bucket], requestParameters: { bucketName: [member.sourceBucketName] } },
      },
      {
        source: ["aws.kms"],
        "detail-type": detailType,
        detail: { eventName: [...REPLICATION_STOPPING_EVENTS.key], requestParameters: { keyId: [sourceKey.keyId, sourceKey.keyArn] } },
      },
      {
        source: ["aws.cloudwatch"],
        "detail-type": [ALARM_STATE_CHANGE],
        detail: { alarmName: [{ prefix: ALARM_NAME_PREFIX }], state: { value: ["ALARM"] } },
      },
    ],
  };
}

/** Central's rule on the member bus: every forwarded event alerts (the members' rules chose them). */
export function memberChangesPattern(): object {
  return { source: ["aws.s3", "aws.kms", "aws.cloudwatch"], "detail-type": ["AWS API Call via CloudTrail", ALARM_STATE_CHANGE] };
}

/** Only EventBridge, for this member's watch rule, forwards as the watch role. */
export function watchTrustPolicy(member: ResolvedMember): PolicyDocument {
  return assumableOnlyBy("EventBridgeForThisAccountsWatchRule", "events.amazonaws.com", {
    StringEquals: { "aws:SourceAccount": member.accountId },
    ArnEquals: { "aws:SourceArn": watchRuleArn(member) },
  });
}

export function watchRuleArn(member: ResolvedMember): string {
  return `arn:aws:events:${member.region}:${member.accountId}:rule/${member.watchName}`;
}

/** The watch role puts events on the central member bus, and does nothing else. */
export function watchRolePolicy(central: ResolvedCentral): PolicyDocument {
  return policyDocument({ Sid: "ForwardToTheCentralMemberBus", Effect: "Allow", Action: "events:PutEvents", Resource: memberBusArn(central) });
}

/**
 * Who may put events on the member bus: a watch role of an account of the organization. A
 * member admin could forward noise, never silence another account's alerts nor pose as AWS
 * to another rule (a bus keeps the sending account in every event).
 */
export function memberBusPolicy(central: ResolvedCentral, organizationId: string, watchRoleName: string): PolicyDocument {
  return policyDocument({
    Sid: "WatchRolesOfTheOrganization",
    Effect: "Allow",
    Principal: "*",
    Action: "events:PutEvents",
    Resource: memberBusArn(central),
    Condition: {
      StringEquals: { "aws:PrincipalOrgID": organizationId },
      ArnLike: { "aws:PrincipalArn": `arn:aws:iam::*:role/${watchRoleName}` },
    },
  });
}
