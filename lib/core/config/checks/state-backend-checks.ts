import { ROLE_ARN } from "../patterns";

import { ConfigChecks } from "./config-checks";

/** The rules of `stateBackend` and of the retired `ciRoleArn`. */
export class StateBackendChecks extends ConfigChecks {
  run(): void {
    this.stateBackend();
    this.noSharedCiRole();
  }

  stateBackend(): void {
    const s = this.config.stateBackend;
    if (!s) return;
    this.fields.bucketName("stateBackend.bucket", s.bucket, "name the existing S3 bucket that holds Terraform state");
    this.fields.region("stateBackend.region", s.region);
    if (s.keyPrefix !== undefined && !/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/.test(s.keyPrefix))
      this.problems.report(
        "stateBackend.keyPrefix",
        `"${s.keyPrefix}" is not a usable key prefix`,
        "use path segments of letters, digits and -_.!*'() separated by '/', with no leading or trailing '/'",
      );
    if (s.roleArn !== undefined && !ROLE_ARN.test(s.roleArn))
      this.problems.report("stateBackend.roleArn", `"${s.roleArn}" is not an IAM role ARN`, "write arn:aws:iam::<account>:role/<name>, or remove the field");
  }

  noSharedCiRole(): void {
    if (this.config.ciRoleArn !== undefined)
      this.problems.report(
        "ciRoleArn",
        "one role for plans and deploys lets any pull request deploy, so it is no longer supported",
        "remove it and set ci (a plan CI role and a deploy CI role, created by npm run bootstrap:deploy); the workflow then uses CI_PLAN_ROLE_ARN and CI_DEPLOY_ROLE_ARN",
      );
  }
}
