/**
 * Telling "AWS could not be reached" apart from "AWS said no". Both the AWS SDK (verify,
 * backfill) and Terraform's AWS provider (plan, deploy) report a failed connection inside a
 * longer error: the provider wraps it in "Cannot assume IAM Role ... The credentials do not
 * have appropriate permission to assume the role / The role ARN is not valid", which sends a
 * user to IAM when the cause was DNS, a proxy or a missing VPC endpoint. One classification,
 * used by both, so that the two paths say the same thing.
 */

/** Signs of a failed connection: Go's net package (Terraform, its provider) and Node's (the SDK). */
const NETWORK_SIGNS: readonly RegExp[] = [
  /no such host/i,
  /dial tcp/i,
  /i\/o timeout/i,
  /connection refused/i,
  /\bgetaddrinfo\b/i,
  /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ECONNRESET)\b/,
  /socket hang up/i,
];

/** Where the host is named, most specific first. */
const HOST_PATTERNS: readonly RegExp[] = [
  /\b([a-z0-9][a-z0-9.-]*\.amazonaws\.com(?:\.cn)?)\b/i,
  /\blookup ([^\s:]+)/,
  /\b(?:getaddrinfo|connect) [A-Z_]+ ([^\s]+)/,
  /https?:\/\/([^/\s"']+)/,
  /dial tcp ([^\s:]+:\d+)/,
];

/**
 * Terraform's diagnostics as one line: it draws a box (│) in front of each line and wraps
 * long ones at spaces, which would split "lookup <host> ... no such host" across lines.
 */
function oneLine(text: string): string {
  return text
    .replace(/^[ \t]*[│╷╵][ \t]?/gm, "")
    .replace(/\s+/g, " ")
    .trim();
}

export interface NetworkFailure {
  /** The host that could not be reached, or "an AWS endpoint" when the text does not say. */
  readonly host: string;
  /** The part of the text that shows it, e.g. `dial tcp: lookup sts… on 127.0.0.53:53: no such host`. */
  readonly evidence: string;
}

/** The failed connection an error text describes, or undefined when the text is about something else. */
export function networkFailure(text: string): NetworkFailure | undefined {
  const line = oneLine(text);
  const signs = NETWORK_SIGNS.map((re) => re.exec(line)).filter((m) => m !== null);
  if (signs.length === 0) return undefined;
  const host = HOST_PATTERNS.map((re) => re.exec(line)?.[1]).find((h) => h !== undefined);
  const first = Math.min(...signs.map((m) => m.index));
  let end = Math.max(...signs.map((m) => m.index + m[0].length));
  if (host && line.startsWith(` ${host}`, end)) end += host.length + 1;
  // From where the failed connection is described ("dial tcp: lookup …" in Go, "getaddrinfo
  // ENOTFOUND …" or "connect ECONNREFUSED …" in Node) to the last sign.
  const start = ["dial tcp", "lookup ", "getaddrinfo", "connect "].map((w) => line.lastIndexOf(w, first)).find((index) => index >= 0) ?? 0;
  const evidence = line.slice(start, end);
  return { host: host ?? "an AWS endpoint", evidence: evidence.length > 200 ? `…${evidence.slice(-200)}` : evidence };
}

/** The one sentence every command says when AWS could not be reached. */
export function unreachableMessage(host: string): string {
  return `could not reach AWS (${host}): check the network, proxy or VPC endpoint`;
}

/** The text of an SDK or Node error that may hold the signs: its message, and the code and host when the message lacks them. */
export function errorText(error: unknown): string {
  const e = error as { name?: string; code?: string; hostname?: string; message?: string } | undefined;
  if (!e || typeof e !== "object") return String(error);
  const message = e.message ?? "";
  const missing = (part: string | undefined) => (part && !message.includes(part) ? part : "");
  // The SDK's own TimeoutError ("Connection timed out after 1000 ms") names no socket error.
  const timeout = e.name === "TimeoutError" ? "ETIMEDOUT" : "";
  return [message, missing(e.code), missing(e.hostname), timeout].filter(Boolean).join(" ");
}
