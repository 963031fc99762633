/**
 * Synthesize only what is asked: the named stacks are built, nothing else, while the whole
 * accounts.ts (and every policy size a config could break) is still checked.
 */
import { TerraformStack } from "cdktf";
import { config as example } from "./fixtures/example";
import { buildApp } from "../stacks/apps/backup-app";
import { syntheticMembers } from "../lib/bench/synthetic-config";
import { PolicySizeError } from "../lib/infra/policies/size-limits";
import { UnknownStackError, selectStacks, stacksFromEnv } from "../lib/core/stack-selection";
import { ConfigError } from "../lib/core/config/problems";

const built = (stacks?: string[], config = example) =>
  buildApp(config, { stacks })
    .node.children.filter((c) => c instanceof TerraformStack)
    .map((c) => c.node.id);

describe("stack selection", () => {
  test("names and globs select stacks in deploy order; none selects all", () => {
    const known = ["central", "member-222222222222", "member-333333333333"];
    expect(selectStacks(known)).toEqual(known);
    expect(selectStacks(known, ["member-333333333333", "central"])).toEqual(["central", "member-333333333333"]);
    expect(selectStacks(known, ["member-*"])).toEqual(known.slice(1));
    expect(selectStacks(known, ["member-2?2222222222"])).toEqual(["member-222222222222"]);
  });

  test("a name that matches nothing is one clear error, never an empty selection", () => {
    expect(() => selectStacks(["central", "member-222222222222"], ["member-22222222222"])).toThrow(
      'No stack "member-22222222222" in accounts.ts. Stacks are central and member-<accountId> (here: central, member-222222222222).',
    );
    expect(() => selectStacks(["central"], ["cent.al"])).toThrow(UnknownStackError);
  });

  test("the app builds only the named stacks", () => {
    expect(built(["member-333333333333"])).toEqual(["member-333333333333"]);
    expect(built()).toEqual(["central", "member-222222222222", "member-333333333333", "member-444444444444"]);
  });

  test("the whole accounts.ts is validated even when one stack is built", () => {
    const broken = { ...example, members: [...example.members, { accountId: "12345", name: "typo" }] };
    expect(() => built(["member-222222222222"], broken)).toThrow(ConfigError);
  });

  test("central's growing policies are checked even when only a member is built (listed-accounts mode)", () => {
    const listed = { ...example, central: { ...example.central, accessMode: "listed-accounts" as const }, members: syntheticMembers(700) };
    const member = `member-${listed.members[0].accountId}`;
    expect(() => built([member], listed)).toThrow(PolicySizeError);
    expect(() => built([member], listed)).toThrow(/^central\/CentralBucket: bucket acme-org-central-backup: the S3 bucket policy would be \d+ bytes/);
    expect(built([member], { ...listed, members: listed.members.slice(0, 100) })).toEqual([member]);
  });

  test("S3_BACKUP_STACKS: space- or comma-separated, empty means all", () => {
    expect(stacksFromEnv({ S3_BACKUP_STACKS: "central, member-222222222222  member-3*" })).toEqual(["central", "member-222222222222", "member-3*"]);
    expect(stacksFromEnv({ S3_BACKUP_STACKS: " " })).toBeUndefined();
    expect(stacksFromEnv({})).toBeUndefined();
  });
});
