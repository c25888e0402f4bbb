// Where Payrail may POST a webhook (SSRF rules, docs/webhooks.md). On AWS: https only, to a
// host whose every address is public. Locally the receiver is a process on this machine, so
// http and https to loopback (127.0.0.1, ::1, localhost) are allowed as well; every other
// host follows the AWS rules there too. Link-local (which holds the instance metadata
// service, 169.254.169.254 and fd00:ec2::254), private, shared, multicast and reserved ranges
// are refused everywhere. The DNS lookup itself is the caller's (core does no I/O).
import { BlockList, isIP } from "node:net";
import { validationError } from "../errors";

export type UrlPolicy = { allowLoopback: boolean };

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["100::", 64],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, "ipv6");
}

/** `::ffff:a.b.c.d` is checked as the IPv4 address it maps to. */
function unmapped(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped?.[1] ?? address;
}

function family(address: string): "ipv4" | "ipv6" {
  return isIP(address) === 6 ? "ipv6" : "ipv4";
}

export function isLoopbackAddress(address: string): boolean {
  const ip = unmapped(address);
  return isIP(ip) !== 0 && LOOPBACK.check(ip, family(ip));
}

/** True for an address Payrail must never POST to under `policy`. */
export function isForbiddenAddress(address: string, policy: UrlPolicy): boolean {
  const ip = unmapped(address);
  if (isIP(ip) === 0) return true;
  if (policy.allowLoopback && isLoopbackAddress(ip)) return false;
  return NOT_PUBLIC.check(ip, family(ip));
}

const isLoopbackName = (host: string) => host === "localhost" || host.endsWith(".localhost");

/** The URL without brackets around an IPv6 host. */
export const hostOf = (url: URL): string => url.hostname.replace(/^\[|\]$/g, "");

/**
 * Checks what can be checked without DNS; the caller then resolves `hostOf(url)` and refuses
 * the URL when any address `isForbiddenAddress`. Throws a ValidationError naming `field`.
 */
export function checkedWebhookUrl(field: string, raw: unknown, policy: UrlPolicy): URL {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2048)
    throw validationError(field, "must be an absolute https:// URL of at most 2048 characters");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw validationError(field, "must be an absolute https:// URL");
  }
  if (url.username || url.password) throw validationError(field, "must not carry credentials");
  if (url.hash) throw validationError(field, "must not have a #fragment");
  const host = hostOf(url);
  const loopbackHost = isLoopbackName(host) || isLoopbackAddress(host);
  if (url.protocol === "http:") {
    if (!(policy.allowLoopback && loopbackHost))
      throw validationError(
        field,
        policy.allowLoopback
          ? "must use https:// (http:// only to 127.0.0.1 or localhost on the local stack)"
          : "must use https://",
      );
  } else if (url.protocol !== "https:") {
    throw validationError(field, "must use https://");
  }
  if (loopbackHost && !policy.allowLoopback)
    throw validationError(field, "must not point at a loopback address");
  if (isIP(host) !== 0 && isForbiddenAddress(host, policy))
    throw validationError(field, "must not point at a private, link-local or metadata address");
  return url;
}
