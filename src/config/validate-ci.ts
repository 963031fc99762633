import type { BackupConfig, CiConfig } from "./types";
import { GITHUB_ENVIRONMENT, GITHUB_REPOSITORY, ORGANIZATION_TARGET, ROLE_ARN_PATTERN, ROLE_NAME } from "./patterns";
import type { ResolvedCentral, ResolvedCi } from "./resolved";

/** Defaults of `ci` (src/config/types.ts CiConfig). */
export const CI_DEFAULTS = {
  planRoleName: "s3-central-backup-ci-plan",
  deployRoleName: "s3-central-backup-ci-deploy",
  deployEnvironment: "production",
  bootstrapRoleName: "OrganizationAccountAccessRole",
  stateNoncurrentVersionDays: 90,
};

/** Exists in every account AWS Organizations creates, trusting only the management account. */
const ORGANIZATIONS_ROLE = "OrganizationAccountAccessRole";

type Report = (field: string, problem: string, fix: string) => void;

/** Every role name that can share an account (plan, deploy, replication, and with ci the CI roles) must differ. */
export function checkRoleNamesDiffer(config: BackupConfig, planRoleName: string, replicationRoleName: string, report: Report): void {
  const named: [string, string | undefined][] = [
    ["central.deployRoleName", config.central?.deployRoleName],
    ["central.planRoleName", planRoleName],
    ["central.replicationRoleName", replicationRoleName],
    ["central.replicationRoleName", `${replicationRoleName}-batch`],
    ...(config.ci
      ? ([
          ["ci.planRoleName", config.ci.planRoleName ?? CI_DEFAULTS.planRoleName],
          ["ci.deployRoleName", config.ci.deployRoleName ?? CI_DEFAULTS.deployRoleName],
        ] as [string, string][])
      : []),
  ];
  const seen = new Map<string, string>();
  for (const [field, name] of named) {
    if (name === undefined) continue;
    const first = seen.get(name);
    if (first !== undefined)
      report(field, `"${name}" is also the name of ${first}`, "give every role its own name: they are created side by side in the same accounts");
    else seen.set(name, field);
  }
}

/** Checks `ci`: the GitHub repository and environment, role names, and where the bootstrap rolls the roles out. */
export function checkCi(config: BackupConfig, ci: CiConfig, report: Report, checkAccountId: (field: string, value: unknown) => void): void {
  if (typeof ci.githubRepository !== "string" || !GITHUB_REPOSITORY.test(ci.githubRepository))
    report(
      "ci.githubRepository",
      `"${String(ci.githubRepository)}" is not a GitHub repository "owner/repo"`,
      'write it exactly as GitHub shows it, e.g. "acme/org-s3-central-backup" (OIDC subjects are case-sensitive)',
    );
  if (ci.deployEnvironment !== undefined && !GITHUB_ENVIRONMENT.test(ci.deployEnvironment))
    report(
      "ci.deployEnvironment",
      `"${ci.deployEnvironment}" is not a usable GitHub environment name`,
      "use letters, digits, '.', '_' or '-' (it becomes part of the OIDC subject), or remove the field for \"production\"",
    );
  for (const key of ["planRoleName", "deployRoleName", "bootstrapRoleName"] as const) {
    const name = ci[key];
    if (name !== undefined && !ROLE_NAME.test(name))
      report(`ci.${key}`, `"${name}" is not an IAM role name`, "use up to 64 letters, digits or +=,.@_-, or remove the field for the default");
  }
  if (config.central?.deployRoleName === ORGANIZATIONS_ROLE)
    report(
      "central.deployRoleName",
      `${ORGANIZATIONS_ROLE} already exists in the accounts AWS Organizations created and trusts only the management account, so the bootstrap cannot create it for CI`,
      'name a dedicated role, e.g. "s3-central-backup-deploy": the bootstrap creates it in every account, trusted only by the deploy CI role',
    );
  for (const key of ["stateAdminRoleArns", "operatorRoleArns"] as const) {
    (ci[key] ?? []).forEach((arn, i) => {
      if (!ROLE_ARN_PATTERN.test(arn))
        report(`ci.${key}[${i}]`, `"${arn}" is not an IAM role ARN`, "write arn:aws:iam::<account>:role/<path/name>; '*' may stand for a generated suffix");
    });
  }
  const days = ci.stateNoncurrentVersionDays;
  if (days !== undefined && (!Number.isInteger(days) || days < 1))
    report("ci.stateNoncurrentVersionDays", `${days} is not a number of days`, "use a whole number of days, 1 or more (90 recommended)");

  const org = ci.organization ?? ({} as CiConfig["organization"]);
  checkAccountId("ci.organization.managementAccountId", org.managementAccountId);
  if (org.delegatedAdminAccountId !== undefined) {
    checkAccountId("ci.organization.delegatedAdminAccountId", org.delegatedAdminAccountId);
    if (org.delegatedAdminAccountId === org.managementAccountId)
      report(
        "ci.organization.delegatedAdminAccountId",
        `${org.delegatedAdminAccountId} is the management account`,
        "remove the field: the StackSet then runs from the management account",
      );
  }
  const targets: readonly string[] = Array.isArray(org.organizationalUnitIds) ? org.organizationalUnitIds : [];
  if (targets.length === 0)
    report(
      "ci.organization.organizationalUnitIds",
      "the list is empty, so no account would get the plan and deploy roles",
      'list the root ("r-...") or the OUs ("ou-...") that hold the central account and every member',
    );
  targets.forEach((target, i) => {
    if (!ORGANIZATION_TARGET.test(target))
      report(
        `ci.organization.organizationalUnitIds[${i}]`,
        `"${target}" is neither a root ID nor an OU ID`,
        'copy it from AWS Organizations: "r-" and 4-32 characters, or "ou-<root>-<8-32 characters>"',
      );
  });
  // StackSets never deploy into the management account, so an account there would get no roles.
  const accounts: [string, string | undefined][] = [
    ["central.accountId", config.central?.accountId],
    ...(config.members ?? []).map((m, i): [string, string] => [`members[${i}].accountId`, m.accountId]),
  ];
  const stranded = accounts.filter(([, id]) => id === org.managementAccountId);
  for (const [field] of stranded)
    report(
      field,
      `${org.managementAccountId} is the organization's management account, where StackSets never deploy the plan and deploy roles`,
      "keep workloads and the central bucket out of the management account; if you cannot, deploy the StackSet's template there once as a plain CloudFormation stack",
    );
}

export function resolveCi(ci: CiConfig, central: ResolvedCentral): ResolvedCi {
  const roleArn = (name: string) => `arn:aws:iam::${central.accountId}:role/${name}`;
  const planRoleName = ci.planRoleName ?? CI_DEFAULTS.planRoleName;
  const deployRoleName = ci.deployRoleName ?? CI_DEFAULTS.deployRoleName;
  const deployEnvironment = ci.deployEnvironment ?? CI_DEFAULTS.deployEnvironment;
  const bootstrapRoleName = ci.bootstrapRoleName ?? CI_DEFAULTS.bootstrapRoleName;
  const bootstrapRoleArn = roleArn(bootstrapRoleName);
  const delegatedAdmin = ci.organization.delegatedAdminAccountId;
  const repo = `repo:${ci.githubRepository}`;
  return {
    githubRepository: ci.githubRepository,
    deployEnvironment,
    accountId: central.accountId,
    oidcProviderArn: `arn:aws:iam::${central.accountId}:oidc-provider/token.actions.githubusercontent.com`,
    createOidcProvider: !(ci.useExistingOidcProvider ?? false),
    planRoleName,
    planRoleArn: roleArn(planRoleName),
    deployRoleName,
    deployRoleArn: roleArn(deployRoleName),
    planSubjects: [`${repo}:pull_request`, `${repo}:ref:refs/heads/main`],
    deploySubject: `${repo}:environment:${deployEnvironment}`,
    bootstrapRoleArn,
    stateAdminRoleArns: ci.stateAdminRoleArns ?? [bootstrapRoleArn],
    operatorRoleArns: ci.operatorRoleArns ?? [],
    stateNoncurrentVersionDays: ci.stateNoncurrentVersionDays ?? CI_DEFAULTS.stateNoncurrentVersionDays,
    organization: {
      managementAccountId: ci.organization.managementAccountId,
      stackSetAccountId: delegatedAdmin ?? ci.organization.managementAccountId,
      delegatedAdmin: delegatedAdmin !== undefined,
      stackSetBootstrapRoleArn: delegatedAdmin && `arn:aws:iam::${delegatedAdmin}:role/${bootstrapRoleName}`,
      organizationalUnitIds: ci.organization.organizationalUnitIds,
    },
  };
}
