/**
 * What lib/bench/bench.ts reads from a synthesized outdir: policy sizes as AWS counts them,
 * stacks that differ between two synths, and how the stack directories hold the provider.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { UNRESOLVED_REFERENCE_LENGTH } from "../infra/policies/size-limits";

/** A synthesized stack's cdk.tf.json, parsed only as far as the bench needs. */
export interface SynthesizedStack {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
}

export const stackFile = (outdir: string, stack: string) => path.join(outdir, "stacks", stack, "cdk.tf.json");
export const readStackText = (outdir: string, stack: string) => fs.readFileSync(stackFile(outdir, stack), "utf8");
export const readStack = (outdir: string, stack: string) => JSON.parse(readStackText(outdir, stack)) as SynthesizedStack;
export const stacksOf = (outdir: string) => fs.readdirSync(path.join(outdir, "stacks")).sort();

/**
 * Size of a policy attribute of a synthesized stack as AWS will count it: compact JSON, in
 * bytes (IAM counts characters; all ASCII here). Terraform's `$${` escape is what AWS sees as
 * `${` (an IAM policy variable); a remaining `${...}` is a Terraform reference, resolved at
 * apply, counted at its worst-case length as the synth-time check does.
 */
export function awsPolicySize(policyAttribute: string): number {
  const IAM_VARIABLE = "\u0000";
  const json = JSON.stringify(JSON.parse(policyAttribute))
    .replace(/\$\$\{/g, IAM_VARIABLE)
    .replace(/\$\{[^}]*\}/g, "x".repeat(UNRESOLVED_REFERENCE_LENGTH))
    .split(IAM_VARIABLE)
    .join("${");
  return Buffer.byteLength(json, "utf8");
}

/** The policy attributes of a stack whose size can matter, by what they are. */
export function policiesOf(stack: SynthesizedStack): {
  bucketPolicies: string[];
  keyPolicies: string[];
  /** Inline policies by role reference, each role's list (AWS's limit is per role, all together). */
  inlineByRole: Map<string, { name: string; policy: string }[]>;
} {
  const values = <T>(type: string) => Object.values(stack.resource[type] ?? {}) as T[];
  const inlineByRole = new Map<string, { name: string; policy: string }[]>();
  for (const p of values<{ role: string; name: string; policy: string }>("aws_iam_role_policy")) {
    inlineByRole.set(p.role, [...(inlineByRole.get(p.role) ?? []), p]);
  }
  return {
    bucketPolicies: values<{ policy: string }>("aws_s3_bucket_policy").map((p) => p.policy),
    keyPolicies: values<{ policy: string }>("aws_kms_key").map((k) => k.policy),
    inlineByRole,
  };
}

/** Stacks whose synthesized JSON differs between two outdirs (added, removed or changed). */
export function changedStacks(before: string, after: string): string[] {
  const a = stacksOf(before);
  const b = stacksOf(after);
  return [...new Set([...a, ...b])].filter((s) => !a.includes(s) || !b.includes(s) || readStackText(before, s) !== readStackText(after, s));
}

/** Disk used by a directory tree (du, allocated blocks), symbolic links followed or not. */
export function diskUsageBytes(dir: string, followLinks: boolean): number {
  const out = execFileSync("du", [followLinks ? "-sL" : "-s", "--block-size=1", dir], { encoding: "utf8" });
  return Number(out.split("\t")[0]);
}

/** How the initialized stack directories under outdir hold provider binaries. */
export interface ProviderCopies {
  /** Provider plugin directories or files that are symbolic links. */
  readonly links: number;
  /** Provider binaries stored as regular files inside outdir (a copy per stack would show here). */
  readonly regularBinaries: number;
  /** Distinct real paths the links resolve to: 1 means one shared copy. */
  readonly realTargets: readonly string[];
}

export function providerCopies(outdir: string): ProviderCopies {
  let links = 0;
  let regularBinaries = 0;
  const targets = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        if (full.includes(`${path.sep}.terraform${path.sep}providers${path.sep}`)) {
          links++;
          const real = fs.realpathSync(full);
          const binary = fs.statSync(real).isDirectory() ? fs.readdirSync(real).find((f) => f.startsWith("terraform-provider-")) : path.basename(real);
          targets.add(binary && fs.statSync(real).isDirectory() ? path.join(real, binary) : real);
        }
      } else if (entry.isDirectory()) {
        walk(full);
      } else if (entry.isFile() && entry.name.startsWith("terraform-provider-")) {
        regularBinaries++;
      }
    }
  };
  walk(outdir);
  return { links, regularBinaries, realTargets: [...targets] };
}
