/** IAM/KMS/S3 policy documents as typed objects, rendered to JSON only at the edge. */

export type ConditionOperator =
  | "StringEquals"
  | "StringNotEquals"
  | "StringLike"
  | "StringNotLike"
  | "StringNotEqualsIfExists"
  | "StringNotLikeIfExists"
  | "Null"
  | "ArnLike"
  | "ArnNotLike"
  | "ArnEquals"
  | "ArnNotEquals"
  | "Bool"
  | "NumericLessThan"
  | "ForAnyValue:StringEquals"
  | "ForAnyValue:StringLike";

export type Condition = Partial<Record<ConditionOperator, Record<string, string | readonly string[]>>>;

/** Who a resource or trust policy admits: IAM principals, AWS services, or an OIDC provider (Federated). */
export type Principal = "*" | { readonly AWS?: string | readonly string[]; readonly Service?: string | readonly string[]; readonly Federated?: string };

interface StatementBase {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: Principal;
  readonly Condition?: Condition;
}

/** The resources a statement names, or (denies with exceptions) the ones it does not. */
type StatementResources =
  { readonly Resource?: string | readonly string[]; readonly NotResource?: never } | { readonly NotResource: readonly string[]; readonly Resource?: never };

/** One statement: the actions it names, or (deny-everything-else statements) the ones it does not. */
export type PolicyStatement = StatementBase &
  StatementResources &
  ({ readonly Action: string | readonly string[]; readonly NotAction?: never } | { readonly NotAction: readonly string[]; readonly Action?: never });

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

export function policyDocument(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/** The deny that makes a bucket reachable only over TLS (used on every bucket). */
/** A trust policy: only this AWS service, under these conditions, may assume the role. */
export function assumableOnlyBy(sid: string, service: string, condition: Condition): PolicyDocument {
  return policyDocument({ Sid: sid, Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", Condition: condition });
}

export function denyInsecureTransport(bucketArn: string): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/** The statement that keeps a KMS key administrable by its own account (and only it). */
export function keyAdministrationByAccount(accountId: string): PolicyStatement {
  return {
    Sid: "KeyAdministrationByOwningAccount",
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${accountId}:root` },
    Action: "kms:*",
    Resource: "*",
  };
}

/** S3's KMS calls come through this service name, per region. */
export function s3ViaService(region: string): string {
  return `s3.${region}.amazonaws.com`;
}

/**
 * Policy JSON for a Terraform string attribute. IAM policy variables such as
 * `${aws:PrincipalAccount}` are escaped to `$${...}` so that Terraform passes them to AWS
 * literally instead of reading them as its own interpolation; cdktf tokens
 * (`${TfToken[...]}`) are left for cdktf to resolve.
 */
export function toTerraformJson(doc: PolicyDocument): string {
  return JSON.stringify(doc).replace(/\$\{(?!TfToken\[)/g, () => "$${");
}
