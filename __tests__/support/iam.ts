import { runSimulation, runUnsafeSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import type { StackJson } from "./synth";

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

export interface IamRequest {
  /** ARN of the calling principal, or a service principal such as s3.amazonaws.com. */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** Account that owns the resource: requests from another account need both policies to allow. */
  readonly resourceAccount: string;
  /** Context keys AWS would set for this request; the engine fills none itself. */
  readonly context: Record<string, string | string[]>;
  readonly identityPolicies?: readonly StackJson[];
  readonly resourcePolicy?: StackJson;
  /** The principal's permissions boundary, if it has one: an allow must then be in it too. */
  readonly permissionsBoundary?: StackJson;
  /** A service control policy attached to the principal's account, beside AWS's default FullAWSAccess. */
  readonly serviceControlPolicy?: StackJson;
}

const FULL_AWS_ACCESS = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/**
 * Evaluates one request with @cloud-copilot/iam-simulate, the way AWS combines identity and
 * resource policies (same- and cross-account). Input is validated by runSimulation first;
 * a validation error fails the test.
 *
 * Engine limitation, worked around: runSimulation drops context keys of the form
 * `kms:EncryptionContext:<key>` whose key holds ':' (it recognises only '/'-style
 * variable keys), and S3's key is `aws:s3:arn`. Requests that carry such a key are
 * evaluated by runUnsafeSimulation (same engine, no key filtering) after the identical
 * input passed runSimulation's validation.
 */
export async function evaluate(request: IamRequest): Promise<Decision> {
  const simulation: Simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount },
      contextVariables: request.context,
    },
    identityPolicies: (request.identityPolicies ?? []).map((policy, i) => ({ name: `identity-${i}`, policy })),
    serviceControlPolicies: request.serviceControlPolicy
      ? [
          {
            orgIdentifier: request.principal.split(":")[4],
            policies: [
              { name: "FullAWSAccess", policy: FULL_AWS_ACCESS },
              { name: "guardrail", policy: request.serviceControlPolicy },
            ],
          },
        ]
      : [],
    resourceControlPolicies: [],
    resourcePolicy: request.resourcePolicy,
    ...(request.permissionsBoundary ? { permissionBoundaryPolicies: [{ name: "permissions-boundary", policy: request.permissionsBoundary }] } : {}),
  };
  const validated = await runSimulation(simulation, {});
  if (validated.resultType === "error") throw new Error(`invalid simulation: ${JSON.stringify(validated.errors)}`);
  const needsEncryptionContext = Object.keys(request.context).some((k) => /^kms:EncryptionContext:.*:/i.test(k));
  const decision = needsEncryptionContext ? runUnsafeSimulation(simulation, {}) : validated.overallResult;
  return decision;
}

/** Context AWS sets for a request made by an IAM principal (a role session, or an account's root), over TLS unless told otherwise. */
export function roleContext(principalArn: string, organizationId: string, extra: Record<string, string> = {}): Record<string, string> {
  const accountId = principalArn.split(":")[4];
  return {
    "aws:PrincipalAccount": accountId,
    "aws:PrincipalArn": principalArn,
    "aws:PrincipalOrgID": organizationId,
    "aws:PrincipalType": principalArn.endsWith(":root") ? "Account" : "AssumedRole",
    "aws:SecureTransport": "true",
    ...extra,
  };
}
