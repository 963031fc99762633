import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import type { ResolvedCentral, ResolvedMember } from "../../core/config/resolved";
import { memberBusArn, replicationWatchPattern, watchRolePolicy, watchTrustPolicy } from "../policies/detection-policies";
import { ServiceRole } from "./service-role";

export interface ReplicationWatchProps {
  readonly provider: TerraformProvider;
  readonly member: ResolvedMember;
  readonly central: ResolvedCentral;
  /** The source key (references): its changes stop replication as surely as the bucket's. */
  readonly sourceKey: { readonly keyId: string; readonly keyArn: string };
  /** The boundary the role carries (with `ci`, as every role the deploy role creates). */
  readonly permissionsBoundary?: string;
}

/**
 * Forwards, within minutes, every change in a member account that stops its replication
 * (REPLICATION_STOPPING_EVENTS) to the central account's member bus, where it alerts the
 * central topic: the people watching the backups learn of it without waiting for the nightly
 * drift run, whatever the member's own alerts are set to. EventBridge sees these events only
 * while a CloudTrail trail logs the account (an organization trail does): docs/policies.md.
 */
export class ReplicationWatch extends Construct {
  /** The watch rule's ARN (a reference). */
  readonly ruleArn: string;

  constructor(scope: Construct, id: string, props: ReplicationWatchProps) {
    super(scope, id);
    const { provider, member, central } = props;
    const role = new ServiceRole(this, "Role", {
      provider,
      roleName: member.watchName,
      description: `EventBridge forwards changes that stop replication of ${member.sourceBucketName} to ${central.accountId}`,
      trustPolicy: watchTrustPolicy(member),
      permissions: watchRolePolicy(central),
      permissionsBoundary: props.permissionsBoundary,
    });
    const rule = new CloudwatchEventRule(this, "Rule", {
      provider,
      name: member.watchName,
      description: `Changes that stop replication of ${member.sourceBucketName} into the central backup`,
      eventPattern: JSON.stringify(replicationWatchPattern(member, props.sourceKey)),
    });
    new CloudwatchEventTarget(this, "ToCentral", {
      provider,
      rule: rule.name,
      arn: memberBusArn(central),
      roleArn: role.roleArn,
      dependsOn: [role.permissionsAttached],
    });
    this.ruleArn = rule.arn;
  }
}
