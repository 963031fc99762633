/**
 * A member-side change that stops replication alerts in central (issue: "detection in
 * minutes"): the member's watch rule forwards it as the watch role onto central's member bus,
 * whose rule publishes to the alerts topic. Each hop is a request AWS authorizes; each is
 * proven here on the synthesized policies (watch role, replication boundary from the
 * bootstrap, bus policy, topic policy), and so is who may not use or change the path.
 */

import type { BackupConfig } from "../lib/core/config/types";
import { validateBootstrapConfig } from "../stacks/apps/bootstrap-app";
import { DETECTION } from "../lib/infra/policies/detection-policies";
import { allOptions, defaultsWithCi, withRestore } from "./fixtures/configs";
import { bootstrapPolicies } from "./support/bootstrap-synth";
import { evaluate, roleContext } from "./support/iam";
import { synthStacks } from "./support/synth";
import { synthesizedPolicies } from "./support/synthesized-policies";

const ALLOW_ALL = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

describe.each([
  ["defaults with ci and restore", withRestore(defaultsWithCi)],
  ["all-options (listed-accounts, another Region, adopted bucket)", allOptions],
] as [string, BackupConfig][])("%s", (_name, config) => {
  const resolved = validateBootstrapConfig(config);
  const { central, organizationId: org } = resolved;
  const synthesized = synthesizedPolicies(config, synthStacks(config));
  const boundaries = bootstrapPolicies(config);
  const bus = `arn:aws:events:${central.region}:${central.accountId}:event-bus/${DETECTION.memberBusName}`;
  const putOnBus = (principal: string, identityPolicies: object[], options: { boundary?: object; orgId?: string } = {}) =>
    evaluate({
      principal,
      action: "events:PutEvents",
      resource: bus,
      resourceAccount: central.accountId,
      context: roleContext(principal, options.orgId ?? org),
      identityPolicies,
      permissionsBoundary: options.boundary,
      resourcePolicy: synthesized.memberBusPolicy,
    });

  test("every member's watch role may forward onto central's member bus, through its policy, its boundary and the bus policy", async () => {
    for (const member of synthesized.members.values()) {
      const decision = await putOnBus(member.watchRoleArn, [member.watchRolePolicy], { boundary: boundaries.replicationBoundary.document });
      expect([member.accountId, decision]).toEqual([member.accountId, "Allowed"]);
    }
  });

  test("only EventBridge, for that member's own watch rule, may act as the watch role", async () => {
    const member = [...synthesized.members.values()][0];
    const assume = (principal: string, sourceArn: string, sourceAccount = member.accountId) =>
      evaluate({
        principal,
        action: "sts:AssumeRole",
        resource: member.watchRoleArn,
        resourceAccount: member.accountId,
        context: { "aws:SourceArn": sourceArn, "aws:SourceAccount": sourceAccount },
        resourcePolicy: member.watchTrustPolicy,
      });
    expect(await assume("events.amazonaws.com", member.watchRuleArn)).toBe("Allowed");
    expect(await assume("events.amazonaws.com", member.watchRuleArn.replace(/rule\/.*/, "rule/someone-elses"))).toBe("ImplicitlyDenied");
    expect(await assume("lambda.amazonaws.com", member.watchRuleArn)).toBe("ImplicitlyDenied");
  });

  test("nobody else puts events on the bus: another role of a member, even an admin, or a watch-named role outside the organization", async () => {
    const member = [...synthesized.members.values()][0];
    const admin = `arn:aws:iam::${member.accountId}:role/AWSReservedSSO_AdministratorAccess_0123456789abcdef`;
    expect(await putOnBus(admin, [ALLOW_ALL])).toBe("ImplicitlyDenied");
    const outsider = `arn:aws:iam::999999999999:role/${member.watchRoleArn.split("/").pop()}`;
    expect(await putOnBus(outsider, [ALLOW_ALL], { orgId: "o-outsider123" })).toBe("ImplicitlyDenied");
  });

  test("the watch role can do nothing but forward: not read a backup, not put events anywhere else", async () => {
    const member = [...synthesized.members.values()][0];
    const asWatch = (action: string, resource: string, resourceAccount: string) =>
      evaluate({
        principal: member.watchRoleArn,
        action,
        resource,
        resourceAccount,
        context: roleContext(member.watchRoleArn, org),
        identityPolicies: [member.watchRolePolicy],
        permissionsBoundary: boundaries.replicationBoundary.document,
      });
    expect(await asWatch("events:PutEvents", `arn:aws:events:${member.region}:${member.accountId}:event-bus/default`, member.accountId)).toBe(
      "ImplicitlyDenied",
    );
    expect(await asWatch("s3:GetObject", `${member.sourceBucketArn}/${member.accountId}/x`, member.accountId)).toBe("ImplicitlyDenied");
  });

  test("central's member-changes rule may publish to the alerts topic; a rule of another account may not", async () => {
    const rule = `arn:aws:events:${central.region}:${central.accountId}:rule/${DETECTION.memberBusName}/${DETECTION.rulePrefix}member-changes`;
    const publish = (sourceArn: string, sourceAccount: string) =>
      evaluate({
        principal: "events.amazonaws.com",
        action: "sns:Publish",
        resource: `arn:aws:sns:${central.region}:${central.accountId}:${DETECTION.topicName}`,
        resourceAccount: central.accountId,
        context: { "aws:SourceArn": sourceArn, "aws:SourceAccount": sourceAccount },
        resourcePolicy: synthesized.centralTopicPolicy,
      });
    expect(await publish(rule, central.accountId)).toBe("Allowed");
    const member = [...synthesized.members.values()][0];
    expect(await publish(member.watchRuleArn, member.accountId)).toBe("ImplicitlyDenied");
  });

  test("the pipeline keeps the member watch but cannot open, retarget or delete the central end: the deploy role in a member and in central", async () => {
    const member = resolved.members[0];
    const asDeploy = (account: string, action: string, resource: string, extra: Record<string, string> = {}) => {
      const principal = `arn:aws:iam::${account}:role/${central.deployRoleName}`;
      return evaluate({
        principal,
        action,
        resource,
        resourceAccount: account,
        context: { ...roleContext(principal, org), ...extra },
        identityPolicies: [boundaries.deployRole.policy],
      });
    };
    const watchRule = `arn:aws:events:${member.region}:${member.accountId}:rule/${member.watchName}`;
    for (const action of ["events:PutRule", "events:PutTargets", "events:DeleteRule"]) {
      expect([action, await asDeploy(member.accountId, action, watchRule)]).toEqual([action, "Allowed"]);
    }
    expect(await asDeploy(member.accountId, "iam:PassRole", member.watchRoleArn, { "iam:PassedToService": "events.amazonaws.com" })).toBe("Allowed");
    expect(await asDeploy(member.accountId, "iam:PassRole", member.watchRoleArn, { "iam:PassedToService": "lambda.amazonaws.com" })).toBe("ImplicitlyDenied");
    const centralRule = `arn:aws:events:${central.region}:${central.accountId}:rule/${DETECTION.memberBusName}/${DETECTION.rulePrefix}member-changes`;
    for (const [action, resource] of [
      ["events:PutPermission", "*"],
      ["events:DeleteEventBus", bus],
      ["events:RemoveTargets", centralRule],
      ["events:PutRule", centralRule],
    ]) {
      expect([action, await asDeploy(central.accountId, action, resource)]).toEqual([action, "ImplicitlyDenied"]);
    }
  });
});
