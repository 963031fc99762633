/**
 * Terraform's output on failures that cannot be produced here (no AWS, no network to lose),
 * written as Terraform 1.11 and hashicorp/aws 5.x print them: the provider's "Cannot assume
 * IAM Role" diagnostic wraps the underlying STS error (aws-sdk-go-base), and -no-color output
 * keeps the box and wraps long lines.
 */
/** A failed deploy's stderr, as terraform prints it with -no-color (boxed, wrapped at 78 columns). */
export const NO_SUCH_HOST = `╷
│ Error: Cannot assume IAM Role
│
│   with provider["registry.terraform.io/hashicorp/aws"].central,
│   on cdk.tf.json line 38, in provider.aws[0]:
│   38:       }
│
│ IAM Role (arn:aws:iam::111111111111:role/OrganizationAccountAccessRole)
│ cannot be assumed.
│
│ There are a number of possible causes of this - the most common are:
│   * The credentials used in order to assume the role are invalid
│   * The credentials do not have appropriate permission to assume the role
│   * The role ARN is not valid
│
│ Error: operation error STS: AssumeRole, exceeded maximum number of
│ attempts, 25, https response error StatusCode: 0, RequestID: , request send
│ failed, Post "https://sts.eu-central-1.amazonaws.com/": dial tcp: lookup
│ sts.eu-central-1.amazonaws.com on 127.0.0.53:53: no such host
╵
`;
