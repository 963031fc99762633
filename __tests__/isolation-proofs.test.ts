/**
 * Tenant isolation, exhaustively: EVERY S3, KMS and SNS action iam-data knows is simulated
 * with @cloud-copilot/iam-simulate, for principals of other tenants that hold full-admin
 * identity policies, against the central bucket, its objects and key, and against each
 * member's source bucket, key and alert topic. Only the resource policies the stacks
 * synthesize stand between those principals and the data, and the requests they allow must
 * be exactly the allowlists below. A new permissive statement, or a wildcard creeping into a
 * policy, adds allowed requests and fails the comparison; an entry that no longer matches
 * anything throws.
 *
 * Scope: an action is simulated against a resource when iam-data says it takes that
 * resource's type (bucket, object, key, topic); the others (access points, jobs, Storage Lens,
 * wildcard-only actions) cannot name these resources, so their resource policies are never
 * consulted for them. The coverage test below accounts for every action either way.
 */

import { config as example } from "./fixtures/example";
import { config as allOptions } from "./fixtures/all-options";
import type { BackupConfig } from "../lib/core/config/types";
import {
  CENTRAL_BACKUP_READ_ACTIONS,
  CENTRAL_BUCKET_BREAK_GLASS_ACTIONS,
  CENTRAL_KEY_BREAK_GLASS_ACTIONS,
  centralEncryptionContext,
} from "../lib/infra/policies/central-policies";
import { validateConfig } from "../lib/core/config/validate";
import { defaultsWithCi, withRestore } from "./fixtures/configs";
import { AlertPolicies, alertPolicies } from "./support/alert-policies";
import {
  ActionInfo,
  Caller,
  Grant,
  Outcome,
  Target,
  actionsFor,
  actionsNotApplicable,
  adminCaller,
  allowedKeys,
  expectedKeys,
  kmsDirect,
  kmsThroughS3,
  listingPrefix,
  resourceTypeArnPattern,
  serviceActions,
  serviceCaller,
  simulateAll,
} from "./support/exhaustive-iam";
import { synthStacks } from "./support/synth";
import { MemberPolicies, synthesizedPolicies } from "./support/synthesized-policies";

const OTHER_ORG = "o-0therorg000";
const OUTSIDER_ACCOUNT = "999999999999";

// Caller labels. "A" is the member whose data is looked at from outside, "B" another member.
const A_REPLICATION = "member A's replication role";
const A_ADMIN = "member A's Admin role";
const A_ROOT = "member A's root";
const B_REPLICATION = "member B's replication role";
const B_ADMIN = "member B's Admin role";
const B_ROOT = "member B's root";
const OUTSIDER = "replication role's name in another organization";
const CENTRAL_ADMIN = "central account's Admin role";
const S3_FOR_A = "s3.amazonaws.com for member A's source bucket";
const CLOUDWATCH_FOR_A = "cloudwatch.amazonaws.com for member A's alarms";
const S3_FOR_B = "s3.amazonaws.com for member B's source bucket";
const CLOUDWATCH_FOR_B = "cloudwatch.amazonaws.com for member B's alarms";
// Confused deputy: the same services acting for another resource of member A (aws:SourceArn).
const S3_FOR_A_OTHER_BUCKET = "s3.amazonaws.com for another bucket of member A";
const CLOUDWATCH_FOR_A_OTHER_ALARM = "cloudwatch.amazonaws.com for another alarm of member A";

// Target labels.
const CENTRAL_BUCKET = "central bucket";
const listing = (owner: string) => `central bucket, listing ${owner}'s prefix`;
const centralObject = (owner: string) => `central object under ${owner}'s prefix`;
const CENTRAL_KEY_DIRECT = "central key, called directly";
const centralKeyViaS3 = (owner: string) => `central key through S3, for ${owner}'s prefix`;
const SOURCE_BUCKET = "member A's source bucket";
const SOURCE_LISTING = "member A's source bucket, listing A's prefix";
const SOURCE_OBJECT = "object under A's prefix in member A's source bucket";
const SOURCE_KEY_DIRECT = "member A's source key, called directly";
const SOURCE_KEY_VIA_S3 = "member A's source key through S3, for A's prefix";
const ALERTS_TOPIC = "member A's alerts topic";
const ALERTS_KEY = "member A's alerts key";

/** The requests the design allows on the central bucket and key to principals outside the central account, and to it. */
function centralAllowlist(bucketKey: boolean): Grant[] {
  const replica = (action: string, reason: string): Grant => ({ caller: A_REPLICATION, action, target: centralObject("member A"), reason });
  const encrypt = (action: string, owner: string, reason: string): Grant => ({ caller: A_REPLICATION, action, target: centralKeyViaS3(owner), reason });
  // The key policy admits S3 encryption for any object of the central bucket (with Bucket
  // Keys S3 names only the bucket): the prefix confinement is the bucket policy's. Encrypting
  // neither reads nor writes another account's replicas.
  const anyPrefix = "the key policy lets S3 encrypt for any object of the central bucket; the bucket policy confines the write, and encrypting reveals nothing";
  return [
    replica("s3:ReplicateObject", "replication writes replicas under the member's own prefix"),
    replica("s3:ReplicateDelete", "replication writes delete markers under the member's own prefix"),
    replica("s3:ReplicateTags", "replication copies object tags onto the replicas"),
    replica("s3:ObjectOwnerOverrideToBucketOwner", "the rule's owner override hands the replicas to the central account"),
    {
      caller: A_REPLICATION,
      action: "s3:GetBucketVersioning",
      target: CENTRAL_BUCKET,
      reason: "replication needs a versioned destination; the versioning state shows no key name",
    },
    encrypt("kms:Encrypt", "member A", "S3 encrypts the member's replicas with the central key"),
    encrypt("kms:GenerateDataKey", "member A", "S3 asks the central key for a data key to encrypt the member's replicas"),
    encrypt("kms:Encrypt", "member B", anyPrefix),
    encrypt("kms:GenerateDataKey", "member B", anyPrefix),
    encrypt("kms:Encrypt", "the outsider", anyPrefix),
    encrypt("kms:GenerateDataKey", "the outsider", anyPrefix),
    // With S3 Bucket Keys S3 decrypts the bucket-level data key for the
    // replication role's writes ("Replicating encrypted objects", S3 Bucket Keys and
    // replication). Only through S3 (kms:ViaService is set by S3 alone), and the role has no
    // s3:GetObject anywhere in the central bucket, so no replica is ever decrypted for it.
    ...(bucketKey
      ? (["member A", "member B", "the outsider"] as const).map((owner) =>
          encrypt("kms:Decrypt", owner, "S3 Bucket Keys: S3 decrypts the bucket key to encrypt replicas; no object read is possible (no s3:GetObject)"),
        )
      : []),
    {
      caller: CENTRAL_ADMIN,
      action: "*",
      target: "*",
      reason:
        "by design: the central account owns bucket and key; in its own account its identity policy suffices, the key policy delegates kms:* to it, and only the TLS deny could stop it",
      except: {
        actions: [...CENTRAL_BUCKET_BREAK_GLASS_ACTIONS, ...CENTRAL_BACKUP_READ_ACTIONS, ...CENTRAL_KEY_BREAK_GLASS_ACTIONS],
        reason: "only the break-glass role changes or destroys the backups and the key; only it and the restore role read backups",
      },
    },
  ];
}

/** The requests the design allows on a member's alert topic and key: the two AWS services publishing that member's alerts. */
function alertsAllowlist(): Grant[] {
  const publishers = [S3_FOR_A, CLOUDWATCH_FOR_A];
  // The alerts key policy grants kms:GenerateDataKey* and kms:Decrypt, the pair SNS needs
  // from a publishing service to encrypt a message on an encrypted topic; the wildcard also
  // covers the data key pair actions, still only for the services acting for member A.
  const keyActions: [string, string][] = [
    ["kms:GenerateDataKey", "SNS encrypts each alert with a data key generated for the publishing service"],
    ["kms:Decrypt", "SNS decrypts the alert's data key for the publishing service"],
    ["kms:GenerateDataKeyWithoutPlaintext", "matched by kms:GenerateDataKey* in the alerts key policy"],
    ["kms:GenerateDataKeyPair", "matched by kms:GenerateDataKey* in the alerts key policy"],
    ["kms:GenerateDataKeyPairWithoutPlaintext", "matched by kms:GenerateDataKey* in the alerts key policy"],
  ];
  return publishers.flatMap((caller) => [
    {
      caller,
      action: "sns:Publish",
      target: ALERTS_TOPIC,
      reason: caller === S3_FOR_A ? "the source bucket's replication-failure notifications" : "the failed-replication alarms",
    },
    ...keyActions.map(([action, reason]) => ({ caller, action, target: ALERTS_KEY, reason })),
  ]);
}

const CONFIGS: [string, BackupConfig][] = [
  ["example (organization mode)", example],
  ["all-options (listed-accounts, bucket keys, cross-region)", allOptions],
  // Restore access changes nothing in these allowlists (the restore role is
  // in the central account; restore-proofs.test.ts proves what it may do).
  ["all-options with restore", withRestore(allOptions, { assumableBy: ["arn:aws:iam::555555555555:role/BackupOperator"] })],
  ["defaults with ci and restore", withRestore(defaultsWithCi)],
];

let actions: ActionInfo[];
beforeAll(async () => {
  actions = (await Promise.all(["s3", "kms", "sns"].map(serviceActions))).flat();
});

describe.each(CONFIGS)("%s", (_name, config) => {
  const resolved = validateConfig(config);
  const { central } = resolved;
  const org = resolved.organizationId;
  const stacks = synthStacks(config);
  const policies = synthesizedPolicies(config, stacks);
  const members = [...policies.members.values()];
  const [a, b] = members;
  /** A tenant's own principals, each with full admin of its own: its replication role, an Admin role, its root; then the outsider and the central admin. */
  const tenantCallers = (tenant: MemberPolicies, [replication, admin, root]: [string, string, string]): Caller[] => [
    adminCaller(replication, tenant.replicationRoleArn, org),
    adminCaller(admin, `arn:aws:iam::${tenant.accountId}:role/Admin`, org),
    adminCaller(root, `arn:aws:iam::${tenant.accountId}:root`, org),
    adminCaller(OUTSIDER, `arn:aws:iam::${OUTSIDER_ACCOUNT}:role/${central.replicationRoleName}`, OTHER_ORG),
    adminCaller(CENTRAL_ADMIN, `arn:aws:iam::${central.accountId}:role/Admin`, org),
  ];

  describe("the central bucket and key", () => {
    const owners: [string, string][] = [
      ["member A", a.accountId],
      ["member B", b.accountId],
      ["the outsider", OUTSIDER_ACCOUNT],
    ];
    const bucketTarget = { service: "s3", account: central.accountId, resourcePolicy: policies.centralBucketPolicy };
    const keyTarget = {
      service: "kms",
      resourceType: "key",
      arn: policies.centralKeyArn,
      account: central.accountId,
      resourcePolicy: policies.centralKeyPolicy,
    };
    const targets: Target[] = [
      { ...bucketTarget, label: CENTRAL_BUCKET, resourceType: "bucket", arn: central.bucketArn },
      ...owners.map(([owner, account]) => ({
        ...bucketTarget,
        label: listing(owner),
        resourceType: "bucket",
        arn: central.bucketArn,
        onlyActionsWithConditionKey: "s3:prefix",
        context: listingPrefix(`${account}/`),
      })),
      ...owners.map(([owner, account]) => ({ ...bucketTarget, label: centralObject(owner), resourceType: "object", arn: `${central.bucketArn}/${account}/x` })),
      { ...keyTarget, label: CENTRAL_KEY_DIRECT, context: kmsDirect() },
      ...owners.map(([owner, account]) => ({
        ...keyTarget,
        label: centralKeyViaS3(owner),
        context: kmsThroughS3(central.region, centralEncryptionContext(central, `${account}/x`)),
      })),
    ];
    const callers = tenantCallers(a, [A_REPLICATION, A_ADMIN, A_ROOT]);
    let outcomes: Outcome[];
    beforeAll(async () => {
      outcomes = await simulateAll(callers, targets, actions);
    });

    test("every S3 and KMS action of iam-data is simulated here, unless none of its resource types can name these resources", async () => {
      await expectEveryActionCovered(["s3", "kms"], targets);
      const simulated = new Set(outcomes.map((o) => o.action));
      for (const action of [
        "s3:GetObject",
        "s3:GetObjectVersion",
        "s3:ListBucket",
        "s3:ListBucketVersions",
        "s3:PutObject",
        "s3:DeleteObjectVersion",
        "s3:PutBucketPolicy",
        "kms:Decrypt",
        "kms:PutKeyPolicy",
      ]) {
        expect([action, simulated.has(action)]).toEqual([action, true]);
      }
    });

    test("the allowed requests are exactly the allowlist", () => {
      expect(allowedKeys(outcomes)).toEqual(expectedKeys(centralAllowlist(central.bucketKey), outcomes));
    });

    test("no principal of another tenant lists the bucket, or reads, writes or deletes under another account's prefix", () => {
      const crossTenant = outcomes.filter((o) => o.caller !== CENTRAL_ADMIN && o.decision === "Allowed");
      const onOthers = [listing("member B"), centralObject("member B"), listing("the outsider"), centralObject("the outsider")];
      expect(crossTenant.filter((o) => onOthers.includes(o.target))).toEqual([]);
      expect(crossTenant.filter((o) => o.action.startsWith("s3:") && o.accessLevel === "List")).toEqual([]);
      // Decrypt only through S3 and only with Bucket Keys (see the allowlist); never directly, never ReEncrypt.
      expect(
        crossTenant.filter(
          (o) =>
            /^kms:(Decrypt|ReEncrypt)/.test(o.action) && !(central.bucketKey && o.action === "kms:Decrypt" && o.target.startsWith("central key through S3")),
        ),
      ).toEqual([]);
      expect(crossTenant.filter((o) => /^kms:/.test(o.action) && o.target === CENTRAL_KEY_DIRECT)).toEqual([]);
      expect(crossTenant.filter((o) => o.caller !== A_REPLICATION)).toEqual([]);
      // Not vacuous: those requests were made, and the same listing is allowed in the central account.
      expect(outcomes.filter((o) => o.caller === A_REPLICATION && onOthers.includes(o.target)).length).toBeGreaterThan(0);
      expect(outcomes.find((o) => o.caller === CENTRAL_ADMIN && o.action === "s3:ListBucket" && o.target === listing("member B"))?.decision).toBe("Allowed");
    });
  });

  describe.each(members.map((member, i) => [member.accountId, member, members[(i + 1) % members.length]] as [string, MemberPolicies, MemberPolicies]))(
    "member %s seen from another member",
    (_accountId, owner, other) => {
      const stack = stacks.get(`member-${owner.accountId}`)!;
      const alerts: AlertPolicies | undefined = alertPolicies(stack, owner.accountId);
      const monitored = resolved.members.find((m) => m.accountId === owner.accountId)!.monitoring.enabled;
      const ownerPrefix = `${owner.accountId}/`;
      const sourceBucket = { service: "s3", account: owner.accountId, resourcePolicy: owner.sourceBucketPolicy };
      const sourceKey = { service: "kms", resourceType: "key", arn: owner.sourceKeyArn, account: owner.accountId, resourcePolicy: owner.sourceKeyPolicy };
      const dataTargets: Target[] = [
        { ...sourceBucket, label: SOURCE_BUCKET, resourceType: "bucket", arn: owner.sourceBucketArn },
        {
          ...sourceBucket,
          label: SOURCE_LISTING,
          resourceType: "bucket",
          arn: owner.sourceBucketArn,
          onlyActionsWithConditionKey: "s3:prefix",
          context: listingPrefix(ownerPrefix),
        },
        { ...sourceBucket, label: SOURCE_OBJECT, resourceType: "object", arn: `${owner.sourceBucketArn}/${ownerPrefix}x` },
        { ...sourceKey, label: SOURCE_KEY_DIRECT, context: kmsDirect() },
        { ...sourceKey, label: SOURCE_KEY_VIA_S3, context: kmsThroughS3(owner.region, `${owner.sourceBucketArn}/${ownerPrefix}x`) },
      ];
      const alertTargets: Target[] = alerts
        ? [
            { label: ALERTS_TOPIC, service: "sns", resourceType: "topic", arn: alerts.topicArn, account: owner.accountId, resourcePolicy: alerts.topicPolicy },
            {
              label: ALERTS_KEY,
              service: "kms",
              resourceType: "key",
              arn: alerts.keyArn,
              account: owner.accountId,
              resourcePolicy: alerts.keyPolicy,
              context: kmsDirect(),
            },
          ]
        : [];
      const iamCallers = tenantCallers(other, [B_REPLICATION, B_ADMIN, B_ROOT]);
      const alarmArn = (member: MemberPolicies) =>
        `arn:aws:cloudwatch:${member.region}:${member.accountId}:alarm:s3-replication-failed-central-backup-${member.accountId}`;
      const serviceCallers: Caller[] = [
        serviceCaller(S3_FOR_A, "s3.amazonaws.com", owner.accountId, owner.sourceBucketArn),
        serviceCaller(CLOUDWATCH_FOR_A, "cloudwatch.amazonaws.com", owner.accountId, alarmArn(owner)),
        serviceCaller(S3_FOR_B, "s3.amazonaws.com", other.accountId, other.sourceBucketArn),
        serviceCaller(CLOUDWATCH_FOR_B, "cloudwatch.amazonaws.com", other.accountId, alarmArn(other)),
        serviceCaller(S3_FOR_A_OTHER_BUCKET, "s3.amazonaws.com", owner.accountId, "arn:aws:s3:::some-other-bucket-of-a"),
        serviceCaller(
          CLOUDWATCH_FOR_A_OTHER_ALARM,
          "cloudwatch.amazonaws.com",
          owner.accountId,
          `arn:aws:cloudwatch:${owner.region}:${owner.accountId}:alarm:billing`,
        ),
      ];
      let outcomes: Outcome[];
      beforeAll(async () => {
        outcomes = [
          ...(await simulateAll(iamCallers, [...dataTargets, ...alertTargets], actions)),
          ...(await simulateAll(serviceCallers, alertTargets, actions)),
        ];
      });

      test("its alert topic exists exactly when monitoring is on", () => {
        expect(alerts !== undefined).toBe(monitored);
      });

      test("nobody outside the member reads, lists, writes or administers its source bucket, objects or key", () => {
        const dataLabels = dataTargets.map((t) => t.label);
        const requests = outcomes.filter((o) => dataLabels.includes(o.target));
        expect(requests.length).toBeGreaterThan(0);
        expect(requests.filter((o) => o.decision === "Allowed")).toEqual([]);
      });

      test("its alert topic and key: only S3 and CloudWatch acting for this member, only to publish", () => {
        const alertOutcomes = outcomes.filter((o) => o.target === ALERTS_TOPIC || o.target === ALERTS_KEY);
        expect(allowedKeys(alertOutcomes)).toEqual(monitored ? expectedKeys(alertsAllowlist(), alertOutcomes) : []);
      });
    },
  );

  test("every SNS action of iam-data is simulated on the alert topics, unless it cannot name a topic", async () => {
    const monitored = members.map((m) => alertPolicies(stacks.get(`member-${m.accountId}`)!, m.accountId)).find((x) => x !== undefined);
    expect(monitored).toBeDefined();
    const topic: Target = {
      label: ALERTS_TOPIC,
      service: "sns",
      resourceType: "topic",
      arn: monitored!.topicArn,
      account: "",
      resourcePolicy: monitored!.topicPolicy,
    };
    await expectEveryActionCovered(["sns"], [topic]);
    expect(actionsFor(topic, actions).map((x) => x.action)).toContain("sns:Publish");
  });
});

/**
 * The actions left out of a simulation are left out for a reason iam-data shows: each of
 * their resource types has an ARN format that none of the targets' ARNs fits (or they take
 * no resource at all). The targets' own types must fit, or the check proves nothing.
 */
async function expectEveryActionCovered(services: string[], targets: readonly Target[]): Promise<void> {
  for (const target of targets) {
    expect([target.label, (await resourceTypeArnPattern(target.service, target.resourceType)).test(target.arn)]).toEqual([target.label, true]);
  }
  for (const service of services) {
    const arns = targets.filter((t) => t.service === service).map((t) => t.arn);
    for (const { action, resourceTypes } of actionsNotApplicable(service, targets, actions)) {
      for (const type of resourceTypes) {
        const pattern = await resourceTypeArnPattern(service, type);
        expect([action, type, arns.filter((arn) => pattern.test(arn))]).toEqual([action, type, []]);
      }
    }
  }
}
