/**
 * What the vault's second copy costs to write, per GB and per million objects, for the two
 * ways of feeding it (docs/vault.md): a second live rule in each member's replication
 * configuration (what the vault stack and the member stacks build), and a scheduled S3 Batch
 * Replication job from central (not built). List prices of US East (N. Virginia), in USD,
 * from https://aws.amazon.com/s3/pricing/ (Storage, Requests & data retrievals, Data transfer,
 * Replication, Batch Operations) and https://aws.amazon.com/kms/pricing/, as read when this
 * was written: other Regions differ and prices change, so this is an order of magnitude.
 */
export const VAULT_COPY_PRICES = {
  /** S3 Standard storage, per GB-month: every version the vault keeps, for at least objectLockDays. */
  standardStoragePerGBMonth: 0.023,
  /** S3 Replication Time Control data transfer, per GB replicated with RTC. */
  replicationTimeControlPerGB: 0.015,
  /** Data transfer between Regions, per GB (when the vault's Region differs from the source's). */
  interRegionPerGB: 0.02,
  /** One replication (PUT-class) request per object written, $0.005 per 1,000. */
  replicationRequest: 0.005 / 1000,
  /** KMS requests, $0.03 per 10,000. */
  kmsRequest: 0.03 / 10_000,
  /** S3 Batch Operations, per job. */
  batchJob: 0.25,
  /** S3 Batch Operations, per object processed ($1.00 per million). */
  batchObject: 1.0 / 1_000_000,
} as const;

export interface VaultCopyCost {
  /** Once per GB written into the vault. */
  readonly perGB: number;
  /** Once per million objects written into the vault (a batch job's flat fee not included). */
  readonly perMillionObjects: number;
  /** Recovery point objective: how old the newest copy in the vault may be. */
  readonly rpo: string;
}

const MILLION = 1_000_000;

/**
 * The live rule: S3 writes each replica once (one request), encrypts it with the vault key
 * (one KMS request), moves it across Regions when they differ, and charges RTC when it is on.
 */
export function liveRuleCost(options: { crossRegion: boolean; replicationTimeControl: boolean }): VaultCopyCost {
  const p = VAULT_COPY_PRICES;
  return {
    perGB: (options.crossRegion ? p.interRegionPerGB : 0) + (options.replicationTimeControl ? p.replicationTimeControlPerGB : 0),
    perMillionObjects: MILLION * (p.replicationRequest + p.kmsRequest),
    rpo: options.replicationTimeControl ? "15 minutes for 99.99% of objects (Replication Time Control)" : "minutes, without an SLA",
  };
}

/**
 * Batch Replication from central: the same request and transfer per object, a KMS decrypt with
 * central's key besides the vault key's encrypt, and Batch Operations' per-object fee; the
 * newest copy is as old as the schedule's interval plus the job's run.
 */
export function batchFromCentralCost(options: { crossRegion: boolean; intervalHours: number }): VaultCopyCost {
  const p = VAULT_COPY_PRICES;
  return {
    perGB: options.crossRegion ? p.interRegionPerGB : 0,
    perMillionObjects: MILLION * (p.replicationRequest + 2 * p.kmsRequest + p.batchObject),
    rpo: `${options.intervalHours} hours plus the job's run, and none while central is down`,
  };
}
