import type { ResolvedCentral, ResolvedConfig } from "../../core/config/resolved";
import { CENTRAL_BUCKET_BREAK_GLASS_ACTIONS, CENTRAL_KEY_BREAK_GLASS_ACTIONS } from "./central-policies";
import { DETECTION, centralTopicArn, memberBusArn, trailArn } from "./detection-policies";
import { Condition, PolicyDocument, PolicyStatement, policyDocument } from "./policy-document";

/** What would blind the central account's detection: stop or re-scope the trail, mute a rule, drop the topic. */
export const DETECTION_TAMPER_ACTIONS = [
  "cloudtrail:StopLogging",
  "cloudtrail:DeleteTrail",
  "cloudtrail:UpdateTrail",
  "cloudtrail:PutEventSelectors",
  "events:DeleteRule",
  "events:DisableRule",
  "events:PutRule",
  "events:RemoveTargets",
  "events:PutTargets",
  "events:DeleteEventBus",
  "sns:DeleteTopic",
  "sns:SetTopicAttributes",
  "sns:RemovePermission",
] as const;

/**
 * What sets an event bus's policy. IAM names no resource for them (Service Authorization
 * Reference, Amazon EventBridge), so the guardrail denies them on every bus of central: an
 * account that only keeps backups opens no bus but the project's, and that one by break glass.
 */
export const BUS_POLICY_ACTIONS = ["events:PutPermission", "events:RemovePermission"] as const;

/** IAM actions that would let someone become, or rewrite, a role the backups depend on. */
export const GUARDED_ROLE_ACTIONS = [
  "iam:UpdateAssumeRolePolicy",
  "iam:PutRolePolicy",
  "iam:DeleteRolePolicy",
  "iam:AttachRolePolicy",
  "iam:DetachRolePolicy",
  "iam:PutRolePermissionsBoundary",
  "iam:DeleteRolePermissionsBoundary",
  "iam:DeleteRole",
  "iam:CreateRole",
] as const;

/** The trail, the rules, the member bus and the topic that report attacks stay as deployed. */
function detectionGuards(central: ResolvedCentral, notBreakGlass: Condition): PolicyStatement[] {
  return [
    {
      Sid: "OnlyBreakGlassChangesDetection",
      Effect: "Deny",
      Action: [...DETECTION_TAMPER_ACTIONS],
      Resource: [
        trailArn(central),
        `arn:aws:events:${central.region}:${central.accountId}:rule/${DETECTION.rulePrefix}*`,
        memberBusArn(central),
        centralTopicArn(central),
      ],
      Condition: notBreakGlass,
    },
    { Sid: "OnlyBreakGlassOpensOrClosesBuses", Effect: "Deny", Action: [...BUS_POLICY_ACTIONS], Resource: "*", Condition: notBreakGlass },
  ];
}

/**
 * The service control policy the bootstrap attaches to the central account. It repeats
 * central's bucket and key locks for every principal of that account, the root user included:
 * S3 lets the bucket owner's root change a bucket policy whatever the policy says, and an SCP
 * binds a member account's root. Reads need no repeat: the root's bypass covers only the
 * bucket policy itself. It also keeps everyone but break glass from creating or rewriting the
 * break-glass role and the restore role (whose trust decides who reads every backup), and from
 * blinding the detection (trail, rules, topic) that reports all of the above.
 * SCPs never apply to the management account nor to service-linked roles (AWS Organizations
 * User Guide, "Service control policies"): checked against the documentation, not against AWS.
 */
export function centralGuardrailPolicy(config: ResolvedConfig): PolicyDocument {
  const { central } = config;
  const notBreakGlass: Condition = { ArnNotEquals: { "aws:PrincipalArn": [central.breakGlassRoleArn] } };
  const guardedRoles = [central.breakGlassRoleArn, ...(config.restore ? [config.restore.roleArn] : [])];
  const keyByArn = central.replicaKmsKeyId.includes(":key/") ? [central.replicaKmsKeyId] : [];
  const statements: PolicyStatement[] = [
    {
      Sid: "OnlyBreakGlassChangesOrDestroysBackups",
      Effect: "Deny",
      Action: [...CENTRAL_BUCKET_BREAK_GLASS_ACTIONS],
      Resource: [central.bucketArn, `${central.bucketArn}/*`],
      Condition: notBreakGlass,
    },
    {
      Sid: "OnlyBreakGlassAdministersTheCentralKey",
      Effect: "Deny",
      Action: [...CENTRAL_KEY_BREAK_GLASS_ACTIONS],
      Resource: "*",
      Condition: { ...notBreakGlass, "ForAnyValue:StringEquals": { "kms:ResourceAliases": central.keyAlias } },
    },
    ...(keyByArn.length > 0
      ? [
          {
            Sid: "OnlyBreakGlassAdministersThePinnedKey",
            Effect: "Deny" as const,
            Action: [...CENTRAL_KEY_BREAK_GLASS_ACTIONS],
            Resource: keyByArn,
            Condition: notBreakGlass,
          },
        ]
      : []),
    {
      // Until central.keyArn pins it, central's bucket accepts replicas under any key of the
      // central account: no one but break glass may create another one there.
      Sid: "OnlyBreakGlassCreatesKeysInCentral",
      Effect: "Deny",
      Action: "kms:CreateKey",
      Resource: "*",
      Condition: notBreakGlass,
    },
    ...detectionGuards(central, notBreakGlass),
    {
      Sid: "OnlyBreakGlassRewritesTheRolesBackupsDependOn",
      Effect: "Deny",
      Action: [...GUARDED_ROLE_ACTIONS],
      Resource: guardedRoles,
      Condition: notBreakGlass,
    },
  ];
  return policyDocument(...statements);
}
