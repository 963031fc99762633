/**
 * What a restore needs of the central account: the role that reads versions and decrypts
 * them, and the scratch bucket for drills and batch manifests. The central stack's restore
 * role will publish these in the resolved config (resolved.restore); until then the CLI
 * derives them in one place (lib/cli/restore-access.ts).
 */
export interface RestoreAccess {
  readonly roleArn: string;
  readonly drillBucketName: string;
  readonly drillRegion: string;
}
