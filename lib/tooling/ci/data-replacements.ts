import { CENTRAL_STACK_NAME, VAULT_STACK_NAME } from "../../core/config/naming";

/**
 * Edits of accounts.ts that would replace or destroy something holding backup data or the
 * key that decrypts it, found in the synthesized Terraform of base and head (an offline plan
 * has no state to diff against). "Holds data" is what the stacks mark with prevent_destroy:
 * the central and source buckets and their keys. A force-new attribute that changed means
 * Terraform would replace the resource; a vanished logical ID means it would destroy it.
 */
export interface DataReplacement {
  readonly stack: string;
  /** The accounts.ts field(s) whose edit causes it. */
  readonly field: string;
  /** `aws_s3_bucket.central_bucket`. */
  readonly resource: string;
  readonly change: "replaced" | "destroyed";
  readonly before: string;
  readonly after?: string;
  /** What would be lost, in a few words. */
  readonly loss: string;
}

type Resource = { readonly lifecycle?: { readonly prevent_destroy?: boolean } } & Record<string, unknown>;
interface StackTerraform {
  readonly resource?: Record<string, Record<string, Resource>>;
}

/**
 * Attributes the AWS provider (5.100) marks ForceNew on the data-holding types: changing one
 * replaces the resource (checked against the provider's schema, `terraform providers schema`).
 */
const FORCE_NEW: Record<string, readonly string[]> = {
  aws_s3_bucket: ["bucket", "bucket_prefix", "object_lock_enabled"],
  aws_kms_key: ["customer_master_key_spec", "key_usage", "multi_region", "custom_key_store_id", "xks_key_id"],
};

const LOSS: Record<string, string> = {
  aws_s3_bucket: "the new bucket starts empty; every object version in the old one is left outside the backup (prevent_destroy stops the apply)",
  aws_kms_key: "objects encrypted with the old key cannot be decrypted once it is deleted (prevent_destroy stops the apply)",
};

function dataResources(tf: StackTerraform): Map<string, Resource> {
  const found = new Map<string, Resource>();
  for (const [type, resources] of Object.entries(tf.resource ?? {})) {
    if (!(type in FORCE_NEW)) continue;
    for (const [id, r] of Object.entries(resources)) if (r.lifecycle?.prevent_destroy === true) found.set(`${type}.${id}`, r);
  }
  return found;
}

/** The field of accounts.ts that names this resource, for the one stack kind that has it. */
function fieldOf(stack: string, type: string, attribute: string | undefined, before: string, after: string | undefined): string {
  const accountId = stack.replace(/^member-/, "");
  if (stack === CENTRAL_STACK_NAME) {
    if (type === "aws_s3_bucket") return attribute === "object_lock_enabled" ? "central.objectLock" : "central.bucketName";
    return "central.keyAlias or the code of the central key";
  }
  if (stack === VAULT_STACK_NAME) return type === "aws_s3_bucket" ? "vault.bucketName" : "vault.keyAlias or the code of the vault key";
  if (type === "aws_kms_key") return `existingBucket.kmsKeyArn of member ${accountId}`;
  const derived = (name: string | undefined) => name !== undefined && name.includes(`-${accountId}-`);
  return derived(before) && derived(after)
    ? `central.sourceBucketPrefix or the region of member ${accountId}`
    : `existingBucket.bucketName of member ${accountId}`;
}

const shown = (value: unknown) => (value === undefined ? "(unset)" : typeof value === "string" ? value : JSON.stringify(value));

/** Every data-holding resource of one stack that head would replace or destroy. */
export function stackDataReplacements(stack: string, baseJson: string, headJson: string): DataReplacement[] {
  const base = dataResources(JSON.parse(baseJson) as StackTerraform);
  const head = dataResources(JSON.parse(headJson) as StackTerraform);
  const found: DataReplacement[] = [];
  for (const [resource, before] of base) {
    const type = resource.split(".")[0];
    const name = shown(before.bucket ?? resource);
    const after = head.get(resource);
    if (!after) {
      found.push({ stack, field: fieldOf(stack, type, undefined, name, undefined), resource, change: "destroyed", before: name, loss: LOSS[type] });
      continue;
    }
    const changed = FORCE_NEW[type].find((a) => JSON.stringify(before[a]) !== JSON.stringify(after[a]));
    if (changed === undefined) continue;
    const [from, to] = [shown(before[changed]), shown(after[changed])];
    found.push({
      stack,
      field: fieldOf(stack, type, changed, from, to),
      resource,
      change: "replaced",
      before: `${changed} ${from}`,
      after: `${changed} ${to}`,
      loss: LOSS[type],
    });
  }
  return found;
}

/** One line per replacement: the field, the resource, and what would be lost. */
export function replacementLine(r: DataReplacement): string {
  const what = r.change === "replaced" ? `would be REPLACED (${r.before} -> ${r.after})` : `would be DESTROYED (${r.before})`;
  return `${r.stack}: ${r.field}: ${r.resource} ${what}: ${r.loss}.`;
}

/** The warning every command prints when an edit would replace or destroy data: one line per resource. */
export function dataLossWarning(replacements: readonly DataReplacement[]): string {
  return [
    `DATA AT RISK: this edit of accounts.ts would replace or destroy ${replacements.length} resource(s) holding backups or their keys:`,
    ...replacements.map((r) => `  - ${replacementLine(r)}`),
    "If that is what you want, read docs/configuration.md (Renaming a bucket or key); npm run check fails until it is acknowledged.",
  ].join("\n");
}
