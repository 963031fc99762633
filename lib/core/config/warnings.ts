import type { ResolvedConfig } from "./resolved";

/**
 * What a valid config still leaves undone, said by `npm run check` without failing it: a
 * backup whose alarms reach nobody fails silently on the day it matters.
 */
export function configWarnings(config: ResolvedConfig): string[] {
  const anyone = config.central.alertEmails.length > 0 || config.members.some((m) => m.monitoring.emails.length > 0);
  return anyone
    ? []
    : [
        "central.monitoring.emails: no alert reaches a person (central's security alerts, every member's replication alarms). " +
          'Fix: add a team address, e.g. monitoring: { emails: ["backup-oncall@example.com"] }; members inherit it.',
      ];
}
