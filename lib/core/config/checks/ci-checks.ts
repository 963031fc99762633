import { CI_DEFAULTS, DEFAULTS } from "../defaults";
import { batchRoleName, watchName } from "../naming";
import { GITHUB_ENVIRONMENT, GITHUB_REPOSITORY, ORGANIZATION_TARGET, ROLE_ARN_PATTERN, ROLE_NAME } from "../patterns";
import type { CiConfig, OrganizationRolloutConfig } from "../types";

import { ConfigChecks } from "./config-checks";

/** Exists in every account AWS Organizations creates, trusting only the management account. */
const ORGANIZATIONS_ROLE = "OrganizationAccountAccessRole";

/** The rules of `ci` (the GitHub repository and environment, role names, where the bootstrap rolls the roles out), and of role names across the config. */
export class CiChecks extends ConfigChecks {
  run(): void {
    const ci = this.config.ci;
    if (ci !== undefined) {
      this.repository(ci);
      this.environment(ci);
      this.ciRoleNames(ci);
      this.dedicatedDeployRole();
      this.roleArns(ci);
      this.fields.wholeDays("ci.stateNoncurrentVersionDays", ci.stateNoncurrentVersionDays, 1, "use a whole number of days, 1 or more (90 recommended)");
      this.rollout(ci.organization ?? ({} as OrganizationRolloutConfig));
      this.remoteState();
    }
    this.roleNamesDiffer();
  }

  /** CI runners are thrown away after each job: state kept on them would be lost, and the next deploy would try to create everything again. */
  remoteState(): void {
    if (this.config.stateBackend === undefined)
      this.problems.report(
        "stateBackend",
        "is not set, but ci is: CI would keep Terraform state on its runners and lose it after every job",
        'add stateBackend: { bucket: "<org>-terraform-state", region: "<central region>" }; npm run bootstrap:deploy creates that bucket',
      );
  }

  repository(ci: CiConfig): void {
    if (typeof ci.githubRepository !== "string" || !GITHUB_REPOSITORY.test(ci.githubRepository))
      this.problems.report(
        "ci.githubRepository",
        `"${String(ci.githubRepository)}" is not a GitHub repository "owner/repo"`,
        'write it exactly as GitHub shows it, e.g. "acme/org-s3-central-backup" (OIDC subjects are case-sensitive)',
      );
  }

  environment(ci: CiConfig): void {
    if (ci.deployEnvironment !== undefined && !GITHUB_ENVIRONMENT.test(ci.deployEnvironment))
      this.problems.report(
        "ci.deployEnvironment",
        `"${ci.deployEnvironment}" is not a usable GitHub environment name`,
        "use letters, digits, '.', '_' or '-' (it becomes part of the OIDC subject), or remove the field for \"production\"",
      );
  }

  ciRoleNames(ci: CiConfig): void {
    for (const key of ["planRoleName", "deployRoleName", "bootstrapRoleName"] as const) {
      const name = ci[key];
      if (name !== undefined && !ROLE_NAME.test(name))
        this.problems.report(`ci.${key}`, `"${name}" is not an IAM role name`, "use up to 64 letters, digits or +=,.@_-, or remove the field for the default");
    }
  }

  dedicatedDeployRole(): void {
    if (this.config.central?.deployRoleName === ORGANIZATIONS_ROLE)
      this.problems.report(
        "central.deployRoleName",
        `${ORGANIZATIONS_ROLE} already exists in the accounts AWS Organizations created and trusts only the management account, so the bootstrap cannot create it for CI`,
        'name a dedicated role, e.g. "s3-central-backup-deploy": the bootstrap creates it in every account, trusted only by the deploy CI role',
      );
  }

  roleArns(ci: CiConfig): void {
    for (const key of ["stateAdminRoleArns", "operatorRoleArns"] as const) {
      (ci[key] ?? []).forEach((arn, i) => {
        if (!ROLE_ARN_PATTERN.test(arn))
          this.problems.report(
            `ci.${key}[${i}]`,
            `"${arn}" is not an IAM role ARN`,
            "write arn:aws:iam::<account>:role/<path/name>; '*' may stand for a generated suffix",
          );
      });
    }
  }

  rollout(org: OrganizationRolloutConfig): void {
    this.fields.accountId("ci.organization.managementAccountId", org.managementAccountId);
    if (org.delegatedAdminAccountId !== undefined) {
      this.fields.accountId("ci.organization.delegatedAdminAccountId", org.delegatedAdminAccountId);
      if (org.delegatedAdminAccountId === org.managementAccountId)
        this.problems.report(
          "ci.organization.delegatedAdminAccountId",
          `${org.delegatedAdminAccountId} is the management account`,
          "remove the field: the StackSet then runs from the management account",
        );
    }
    this.rolloutTargets(org);
    this.nothingInManagementAccount(org);
  }

  rolloutTargets(org: OrganizationRolloutConfig): void {
    const targets: readonly string[] = Array.isArray(org.organizationalUnitIds) ? org.organizationalUnitIds : [];
    if (targets.length === 0)
      this.problems.report(
        "ci.organization.organizationalUnitIds",
        "the list is empty, so no account would get the plan and deploy roles",
        'list the root ("r-...") or the OUs ("ou-...") that hold the central account and every member',
      );
    targets.forEach((target, i) => {
      if (!ORGANIZATION_TARGET.test(target))
        this.problems.report(
          `ci.organization.organizationalUnitIds[${i}]`,
          `"${target}" is neither a root ID nor an OU ID`,
          'copy it from AWS Organizations: "r-" and 4-32 characters, or "ou-<root>-<8-32 characters>"',
        );
    });
  }

  /** StackSets never deploy into the management account, so an account there would get no roles. */
  nothingInManagementAccount(org: OrganizationRolloutConfig): void {
    const accounts: [string, string | undefined][] = [
      ["central.accountId", this.config.central?.accountId],
      ...(this.config.members ?? []).map((m, i): [string, string] => [`members[${i}].accountId`, m.accountId]),
    ];
    for (const [field] of accounts.filter(([, id]) => id === org.managementAccountId))
      this.problems.report(
        field,
        `${org.managementAccountId} is the organization's management account, where StackSets never deploy the plan and deploy roles`,
        "keep workloads and the central bucket out of the management account; if you cannot, deploy the StackSet's template there once as a plain CloudFormation stack",
      );
  }

  /** Every role name that can share an account (plan, deploy, replication, and with ci the CI roles) must differ. */
  roleNamesDiffer(): void {
    const c = this.config.central;
    const replicationRoleName = c?.replicationRoleName ?? DEFAULTS.replicationRoleName;
    const ci = this.config.ci;
    const named: [string, string | undefined][] = [
      ["central.deployRoleName", c?.deployRoleName],
      ["central.planRoleName", c?.planRoleName ?? DEFAULTS.planRoleName],
      ["central.replicationRoleName", replicationRoleName],
      ["central.replicationRoleName", batchRoleName(replicationRoleName)],
      ["central.replicationRoleName", watchName(replicationRoleName)],
      ...(this.config.restore ? ([["restore.roleName", this.config.restore.roleName ?? DEFAULTS.restoreRoleName]] as [string, string][]) : []),
      ...(ci
        ? ([
            ["ci.planRoleName", ci.planRoleName ?? CI_DEFAULTS.planRoleName],
            ["ci.deployRoleName", ci.deployRoleName ?? CI_DEFAULTS.deployRoleName],
          ] as [string, string][])
        : []),
    ];
    const seen = new Map<string, string>();
    for (const [field, name] of named) {
      if (name === undefined) continue;
      const first = seen.get(name);
      if (first !== undefined)
        this.problems.report(
          field,
          `"${name}" is also the name of ${first}`,
          "give every role its own name: they are created side by side in the same accounts",
        );
      else seen.set(name, field);
    }
  }
}
