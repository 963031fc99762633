import { ListObjectVersionsCommandOutput } from "@aws-sdk/client-s3";
import { forEachLimit } from "../../../core/pool";
import { AwsClients } from "../aws";
import type { RestoreAccess } from "./access";
import { CopyContext, Endpoint } from "./copy";
import { estimateCost, CostLine } from "./cost";
import type { Journal } from "./journal";
import { Outcome, restoreOne } from "./object";
import { RestorePlan, count, emptyPlan } from "./plan";
import { Progress } from "./progress";
import { AccessDeniedError } from "./access-denied";
import { KeyDecision, SelectedVersion, listVersionPages, selectAsOf } from "./select";
import { RestoreTarget, checkTargetVersioning } from "./target";
import type { ThawTier } from "./thaw";

export interface RestoreRequest {
  readonly accountId: string;
  readonly centralAccountId: string;
  readonly sourceBucket: string;
  readonly sourceRegion: string;
  /** Listing prefix: `<accountId>/` and the --prefix, or the --key. */
  readonly sourcePrefix: string;
  /** --key: only this exact key (the listing prefix may match longer keys). */
  readonly exactKey?: string;
  readonly asOf: Date;
  readonly target: RestoreTarget;
  readonly access: RestoreAccess;
  readonly mode: "copy" | "dry-run";
  readonly thaw?: { readonly days: number; readonly tier: ThawTier };
  readonly thawTier?: ThawTier;
  readonly allowUnversionedTarget?: boolean;
  readonly concurrency?: number;
  /** ListObjectVersions page size; default 1,000. */
  readonly maxKeys?: number;
}

export interface RestoreEnv {
  readonly clients: AwsClients;
  readonly journal?: Journal;
  readonly progress?: (plan: RestorePlan) => Progress | undefined;
  /** Aborted: no new key is started; those in flight finish. */
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
  readonly now?: () => number;
  /** Each key's decision as the counting pass makes it (--dry-run --list prints them). */
  readonly onDecision?: (decision: KeyDecision) => void;
}

export interface RestoreReport {
  readonly request: Omit<RestoreRequest, "access"> & { roleArn: string };
  readonly targetVersioning?: string;
  readonly plan: RestorePlan;
  readonly cost: { lines: CostLine[]; totalUsd: number };
  readonly outcomes: Record<Outcome | "journal", number>;
  /** Keys that were not restored and why (at most 1,000 listed; the counts are complete). */
  readonly problems: { key: string; versionId: string; outcome: Outcome; detail: string }[];
  readonly fatal?: string;
  readonly interrupted: boolean;
  readonly seconds: number;
  /** Keys still to do: failed, waiting for a thaw, or not reached (interrupted, stopped). */
  readonly workLeft: boolean;
}

const LEFT: readonly Outcome[] = ["failed", "needs-thaw", "thaw-started", "thaw-in-progress"];

function versions(request: RestoreRequest, source: Endpoint, plan?: RestorePlan): AsyncGenerator<KeyDecision> {
  const pages = listVersionPages(source, { prefix: request.sourcePrefix, maxKeys: request.maxKeys });
  async function* counted(): AsyncGenerator<ListObjectVersionsCommandOutput> {
    for await (const page of pages) {
      if (plan) {
        plan.listPages++;
        plan.versionsListed += (page.Versions?.length ?? 0) + (page.DeleteMarkers?.length ?? 0);
      }
      yield page;
    }
  }
  async function* only(): AsyncGenerator<KeyDecision> {
    for await (const d of selectAsOf(counted(), request.asOf)) if (!request.exactKey || d.key === request.exactKey) yield d;
  }
  return only();
}

/** The counting pass: lists once, decides every key, and prices the restore. Reads only. */
export async function planRestore(
  request: RestoreRequest,
  source: Endpoint,
  onDecision?: (decision: KeyDecision) => void,
): Promise<{ plan: RestorePlan; cost: { lines: CostLine[]; totalUsd: number } }> {
  const plan = emptyPlan();
  for await (const decision of versions(request, source, plan)) {
    count(plan, decision);
    onDecision?.(decision);
  }
  const cost = estimateCost({
    listPages: plan.listPages,
    objects: plan.objects,
    bytes: plan.bytes,
    multipartObjects: plan.multipartObjects,
    multipartParts: plan.multipartParts,
    glacier: plan.needThaw.GLACIER,
    deepArchive: plan.needThaw.DEEP_ARCHIVE,
    thawTier: request.thaw?.tier ?? request.thawTier ?? "Standard",
    crossRegion: request.sourceRegion !== request.target.region,
  });
  return { plan, cost };
}

/**
 * A restore: check the target, count (the dry run stops there), then copy each selected
 * version with bounded concurrency, recording each finished key in the journal. Never
 * deletes; never rewrites a key whose current object already has the selected content.
 */
export async function runRestore(request: RestoreRequest, env: RestoreEnv): Promise<RestoreReport> {
  const now = env.now ?? Date.now;
  const started = now();
  const roleArn = request.access.roleArn;
  const source: Endpoint = { client: env.clients.s3(request.sourceRegion, roleArn), bucket: request.sourceBucket, roleArn };
  const target: Endpoint = { client: env.clients.s3(request.target.region, roleArn), bucket: request.target.bucket, roleArn };
  const outcomes = Object.fromEntries([...LEFT, "copied", "unchanged", "vanished", "journal"].map((o) => [o, 0])) as RestoreReport["outcomes"];
  const problems: RestoreReport["problems"] = [];
  const { access: _access, ...shown } = request;
  const report = (extra: Partial<RestoreReport> & Pick<RestoreReport, "plan" | "cost">): RestoreReport => {
    const left = LEFT.some((o) => outcomes[o] > 0) || Boolean(extra.fatal) || Boolean(extra.interrupted);
    return { request: { ...shown, roleArn }, outcomes, problems, interrupted: false, seconds: (now() - started) / 1000, workLeft: left, ...extra };
  };
  let targetVersioning: string | undefined;
  try {
    targetVersioning = await checkTargetVersioning(target, request.allowUnversionedTarget === true || request.mode === "dry-run");
    const { plan, cost } = await planRestore(request, source, env.onDecision);
    if (request.mode === "dry-run") return report({ plan, cost, targetVersioning, workLeft: false });
    const result = await copyPass(request, env, { source, target }, plan, outcomes, problems);
    const final = report({ plan, cost, targetVersioning, ...result });
    if (!final.workLeft) env.journal?.complete();
    return final;
  } catch (error) {
    if (error instanceof AccessDeniedError) return report({ plan: emptyPlan(), cost: { lines: [], totalUsd: 0 }, targetVersioning, fatal: error.message });
    throw error;
  }
}

async function copyPass(
  request: RestoreRequest,
  env: RestoreEnv,
  ctx: CopyContext,
  plan: RestorePlan,
  outcomes: RestoreReport["outcomes"],
  problems: RestoreReport["problems"],
): Promise<{ fatal?: string; interrupted: boolean }> {
  const progress = env.progress?.(plan);
  for (const client of new Set([ctx.source.client, ctx.target.client])) progress?.watchRetries(client);
  let fatal: string | undefined;
  const work = async (decision: KeyDecision) => {
    if (decision.kind !== "restore") return;
    const v = decision.version;
    if (env.journal?.has(v.key, v.versionId)) {
      outcomes.journal++;
      return progress?.advance(v.size);
    }
    try {
      const result = await restoreOne(ctx, v, request.target.prefix + v.key, { thaw: request.thaw });
      record(env, outcomes, problems, v, result.outcome, result.detail);
    } catch (error) {
      if (error instanceof AccessDeniedError) fatal ??= error.message;
      else record(env, outcomes, problems, v, "failed", error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    }
    progress?.advance(v.size);
  };
  const stop = () => Boolean(fatal) || env.signal?.aborted === true;
  await forEachLimit(versions(request, ctx.source), request.concurrency ?? 16, work, stop);
  progress?.finish();
  return { fatal, interrupted: env.signal?.aborted === true };
}

const JOURNALED: readonly Outcome[] = ["copied", "unchanged", "vanished"];

function record(env: RestoreEnv, outcomes: RestoreReport["outcomes"], problems: RestoreReport["problems"], v: SelectedVersion, outcome: Outcome, detail = "") {
  outcomes[outcome]++;
  if (JOURNALED.includes(outcome)) env.journal?.record({ key: v.key, versionId: v.versionId, outcome });
  if (outcome !== "copied" && outcome !== "unchanged") {
    if (problems.length < 1000) problems.push({ key: v.key, versionId: v.versionId, outcome, detail });
    env.log?.(`${outcome}: ${v.key} (version ${v.versionId})${detail ? `: ${detail}` : ""}`);
  }
}
