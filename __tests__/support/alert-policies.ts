import { StackJson, parsePolicy, resourcesOf } from "./synth";

/**
 * The alert topic's and the alert key's policies of a member stack, as synthesized, with the
 * references Terraform resolves at apply (the topic's and the key's ARNs) replaced by made-up
 * ARNs of the right shape.
 */
export interface AlertPolicies {
  readonly topicArn: string;
  readonly topicPolicy: StackJson;
  readonly keyArn: string;
  readonly keyPolicy: StackJson;
}

/** Undefined when the member has monitoring off (the stack then has no topic). */
export function alertPolicies(memberStack: StackJson, accountId: string): AlertPolicies | undefined {
  const topics = Object.entries<StackJson>(memberStack.resource?.aws_sns_topic ?? {});
  if (topics.length === 0) return undefined;
  if (topics.length !== 1) throw new Error(`expected at most one SNS topic, found ${topics.length}`);
  const [topicId, topic] = topics[0];
  const region = memberStack.provider.aws[0].region as string;
  const topicArn = `arn:aws:sns:${region}:${accountId}:${topic.name}`;
  const keyArn = `arn:aws:kms:${region}:${accountId}:key/${accountId.slice(0, 8)}-0000-4000-8000-a1e575000000`;
  const [topicPolicy] = resourcesOf(memberStack, "aws_sns_topic_policy");
  const resolveTopic = (json: string) => json.split(`\${aws_sns_topic.${topicId}.arn}`).join(topicArn);
  if (resolveTopic(topicPolicy.policy).includes("${aws_")) throw new Error(`unresolved reference in the topic policy: ${topicPolicy.policy}`);
  return {
    topicArn,
    topicPolicy: parsePolicy(resolveTopic(topicPolicy.policy)),
    keyArn,
    keyPolicy: parsePolicy(memberStack.resource.aws_kms_key.alerts_key.policy),
  };
}
