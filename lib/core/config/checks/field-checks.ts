import { closestName } from "../../closest-name";
import { AWS_REGIONS } from "../regions";
import { ACCOUNT_ID, EMAIL, KEY_ALIAS, KEY_ARN, ROLE_NAME } from "../patterns";
import type { Problems } from "../problems";
import { REPLICA_STORAGE_CLASSES, ReplicaStorageClass } from "../types";

/** Why a bucket name breaks S3's naming rules, or undefined when it is valid. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `"${name}" has ${name.length} characters, S3 allows 3 to 63`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name))
    return `"${name}" may hold only lowercase letters, digits, dots and hyphens, and must start and end with a letter or digit`;
  if (name.includes("..")) return `"${name}" has two adjacent dots`;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return `"${name}" is formatted like an IP address`;
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name)) return `"${name}" starts with a prefix S3 reserves`;
  if (/(-s3alias|--ol-s3|--x-s3|--table-s3)$/.test(name)) return `"${name}" ends with a suffix S3 reserves`;
  return undefined;
}

/** The checks of single values that several parts of accounts.ts share, each reporting into one Problems. */
export class FieldChecks {
  constructor(private readonly problems: Problems) {}

  accountId(field: string, value: unknown): void {
    // A bare number passes TypeScript's loader (tsx does not type-check) and loses nothing
    // visible, so the message must say that the quotes are what is missing.
    if (typeof value === "number")
      this.problems.report(field, `${value} is a number, not a string`, `put the account ID in quotes: "${String(value).padStart(12, "0")}"`);
    else if (typeof value !== "string" || !ACCOUNT_ID.test(value))
      this.problems.report(
        field,
        `"${String(value)}" is not a 12-digit AWS account ID`,
        'write the account ID as a string of exactly 12 digits, e.g. "123456789012"',
      );
  }

  region(field: string, value: unknown): void {
    if (typeof value === "string" && AWS_REGIONS.has(value)) return;
    const closest = typeof value === "string" ? closestName(value, [...AWS_REGIONS]) : undefined;
    this.problems.report(
      field,
      `"${String(value)}" is not a known AWS region`,
      closest ? `did you mean "${closest}"?` : `use a region code such as "eu-central-1" (known: ${[...AWS_REGIONS].join(", ")})`,
    );
  }

  storageClass(field: string, value: unknown): void {
    if (value !== undefined && !REPLICA_STORAGE_CLASSES.includes(value as ReplicaStorageClass))
      this.problems.report(field, `${JSON.stringify(value)} is not a storage class S3 replication accepts`, `use one of ${REPLICA_STORAGE_CLASSES.join(", ")}`);
  }

  bucketName(field: string, value: unknown, fix: string): void {
    const problem = typeof value === "string" ? bucketNameProblem(value) : "is missing";
    if (problem) this.problems.report(field, problem, fix);
  }

  keyAlias(field: string, value: unknown): void {
    if (typeof value !== "string" || !KEY_ALIAS.test(value) || value.startsWith("alias/aws/"))
      this.problems.report(
        field,
        `"${String(value)}" is not a valid customer KMS alias`,
        "write it as \"alias/<name>\" with letters, digits, '/', '_' or '-', not starting with alias/aws/",
      );
  }

  /** A `keyArn` that pins a stack's key (central's, the vault's): a key ARN in that stack's account and Region (`owner`, when those are valid). */
  pinnedKeyArn(field: string, value: string | undefined, stack: string, owner: { accountId: string; region: string } | undefined): void {
    if (value === undefined) return;
    if (!KEY_ARN.test(value))
      this.problems.report(
        field,
        `"${value}" is not a KMS key ARN`,
        `copy the ${stack} stack's ${stack}_key_arn output (arn:aws:kms:<region>:<account>:key/<id>), or remove the field`,
      );
    else if (owner && !value.startsWith(`arn:aws:kms:${owner.region}:${owner.accountId}:key/`))
      this.problems.report(
        field,
        `"${value}" is not in the ${stack} account and region`,
        `use the key in ${owner.accountId} / ${owner.region} that the ${stack} stack created`,
      );
  }

  emails(field: string, emails: readonly string[] | undefined): void {
    (emails ?? []).forEach((email, i) => {
      if (!EMAIL.test(email))
        this.problems.report(`${field}[${i}]`, `"${email}" is not an email address`, 'write an address such as "platform-team@example.com"');
    });
  }

  roleName(field: string, value: unknown, fix: string, options: { maxLength?: number; what?: string } = {}): void {
    if (typeof value !== "string" || !ROLE_NAME.test(value) || value.length > (options.maxLength ?? 64))
      this.problems.report(field, `"${String(value)}" is not ${options.what ?? "an IAM role name"}`, fix);
  }

  wholeDays(field: string, value: unknown, min: number, fix: string): void {
    if (value !== undefined && (!Number.isInteger(value) || (value as number) < min))
      this.problems.report(field, `${JSON.stringify(value)} is not a number of days`, fix);
  }
}
