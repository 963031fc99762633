/**
 * The bootstrap: what CI needs before the first pipeline run, applied ONCE by an
 * organization admin (docs/ci-and-state.md). Built from `ci` and `stateBackend` of
 * accounts.ts; its state is local (terraform-state/bootstrap/).
 *   npm run bootstrap:plan:offline [-- --config examples/all-options.ts]
 *                                          synth + real terraform init/plan, offline, no AWS
 *   npm run bootstrap:plan [-- <stack>]    plan against AWS, as the admin
 *   npm run bootstrap:deploy -- [<stack>...] --auto-approve   (bootstrap-ci, bootstrap-account-roles)
 * Without a command it only synthesizes (as the cdktf CLI does through --app).
 */
import { bootstrapMain } from "./lib/cli/bootstrap";

bootstrapMain(process.argv.slice(2));
