/**
 * What a restore needs of the central account: the role that reads versions and decrypts
 * them, and the scratch bucket for drills and batch manifests (in the central region). The
 * CLI takes them from the resolved config's `restore` (lib/cli/restore-access.ts).
 */
export interface RestoreAccess {
  readonly roleArn: string;
  readonly drillBucketName: string;
  readonly drillRegion: string;
}
