import { DEFAULTS } from "../defaults";
import { defaultRuleId, sourceBucketName } from "../naming";
import { KEY_ARN, RULE_ID, TAG_VALUE } from "../patterns";
import type { MemberAccountConfig } from "../types";
import { ConfigChecks } from "./config-checks";

/** The rules of `members`: one method per rule, each run for every member. */
export class MemberChecks extends ConfigChecks {
  private get members(): readonly MemberAccountConfig[] {
    const members: unknown = this.config.members;
    return Array.isArray(members) ? (members as readonly MemberAccountConfig[]) : [];
  }

  run(): void {
    this.notEmpty();
    this.members.forEach((m, i) => {
      const field = `members[${i}]`;
      this.identity(m, field);
      this.notCentral(m, field);
      this.options(m, field);
      this.sourceBucket(m, field);
      this.extraRules(m, field);
    });
    this.uniqueAccounts();
    this.uniqueNames();
  }

  notEmpty(): void {
    if (this.members.length === 0)
      this.problems.report(
        "members",
        "the list is empty, so there is nothing to back up",
        'add at least one member account: { accountId: "123456789012", name: "workloads-prod" }',
      );
  }

  identity(m: MemberAccountConfig, field: string): void {
    this.fields.accountId(`${field}.accountId`, m.accountId);
    if (typeof m.name !== "string" || m.name.trim() === "")
      this.problems.report(`${field}.name`, "is empty", 'give the account a readable name, e.g. "workloads-prod"');
    else if (!TAG_VALUE.test(m.name))
      this.problems.report(
        `${field}.name`,
        `"${m.name}" cannot be an AWS tag value (it tags the member's resources)`,
        "use up to 256 letters, digits, spaces and _ . : / = + - @",
      );
    if (m.region !== undefined) this.fields.region(`${field}.region`, m.region);
  }

  notCentral(m: MemberAccountConfig, field: string): void {
    if (m.accountId === this.config.central?.accountId)
      this.problems.report(
        `${field}.accountId`,
        `${m.accountId} is the central account`,
        "remove it from members: the central account owns the central bucket and does not replicate into it",
      );
  }

  options(m: MemberAccountConfig, field: string): void {
    this.fields.storageClass(`${field}.storageClass`, m.storageClass);
    this.fields.emails(`${field}.monitoring.emails`, m.monitoring?.emails);
  }

  sourceBucket(m: MemberAccountConfig, field: string): void {
    const region = m.region ?? this.config.central?.region;
    const derivedFrom = [`${field}.accountId`, `${field}.region`, "central.region"];
    if (m.existingBucket) {
      this.fields.bucketName(`${field}.existingBucket.bucketName`, m.existingBucket.bucketName, "write the exact name of the bucket to adopt");
      const keyArn = m.existingBucket.kmsKeyArn;
      const outside = this.problems.isValid(...derivedFrom) && !keyArn?.startsWith(`arn:aws:kms:${region}:${m.accountId}:key/`);
      if (keyArn !== undefined && (!KEY_ARN.test(keyArn) || outside))
        this.problems.report(
          `${field}.existingBucket.kmsKeyArn`,
          `"${keyArn}" is not a KMS key ARN of account ${m.accountId} in ${region}`,
          "copy the key ARN from the KMS console of that account and region, or remove the field",
        );
    } else if (this.problems.isValid(...derivedFrom)) {
      this.fields.bucketName(
        `${field} source bucket`,
        sourceBucketName(this.config.central.sourceBucketPrefix ?? DEFAULTS.sourceBucketPrefix, m.accountId, region),
        "shorten central.sourceBucketPrefix, or name the bucket with existingBucket",
      );
    }
  }

  extraRules(m: MemberAccountConfig, field: string): void {
    const ids = new Set([defaultRuleId(m.accountId)]);
    const priorities = new Set([0]);
    (m.extraRules ?? []).forEach((rule, j) => {
      const rf = `${field}.extraRules[${j}]`;
      if (!RULE_ID.test(rule.id) || ids.has(rule.id))
        this.problems.report(
          `${rf}.id`,
          `"${rule.id}" is not a unique rule ID`,
          "use letters, digits, '-' or '_', different from every other rule of this member",
        );
      ids.add(rule.id);
      if (this.problems.isValid(`${field}.accountId`) && (typeof rule.prefix !== "string" || !rule.prefix.startsWith(`${m.accountId}/`)))
        this.problems.report(
          `${rf}.prefix`,
          `"${String(rule.prefix)}" is outside the account's prefix`,
          `start it with "${m.accountId}/": the central bucket accepts this account only there`,
        );
      if (!Number.isInteger(rule.priority) || rule.priority < 1 || priorities.has(rule.priority))
        this.problems.report(
          `${rf}.priority`,
          `${rule.priority} is not a unique positive priority`,
          "use a whole number of 1 or more that no other rule of this member uses (the default rule has 0)",
        );
      priorities.add(rule.priority);
      this.fields.storageClass(`${rf}.storageClass`, rule.storageClass);
      if (rule.tag && (m.replicateDeleteMarkers ?? false))
        this.problems.report(
          `${rf}.tag`,
          "S3 cannot replicate delete markers for tag-filtered rules",
          "remove the tag filter or set replicateDeleteMarkers to false for this member",
        );
    });
  }

  uniqueAccounts(): void {
    const seen = new Map<string, number>();
    this.members.forEach((m, i) => {
      const first = seen.get(m.accountId);
      if (first !== undefined)
        this.problems.report(`members[${i}].accountId`, `${m.accountId} is listed twice (also members[${first}])`, "keep one entry per account");
      else seen.set(m.accountId, i);
    });
  }

  /** Names tag each member's resources and label it in reports, so two members with one name could not be told apart. */
  uniqueNames(): void {
    const seen = new Map<string, number>();
    this.members.forEach((m, i) => {
      if (typeof m.name !== "string" || m.name.trim() === "") return;
      const first = seen.get(m.name);
      if (first !== undefined)
        this.problems.report(
          `members[${i}].name`,
          `"${m.name}" is also the name of members[${first}]`,
          "give every member its own name, e.g. the account's name in AWS Organizations",
        );
      else seen.set(m.name, i);
    });
  }
}
