import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * SSRF protection: a webhook URL must be https on a public address. Every address its
 * name resolves to is checked, at registration and again before each delivery, and the
 * delivery connects to the address checked (pinned), never resolving the name a second
 * time, so a DNS answer that changes between check and connect (rebinding) reaches nothing.
 * With `allowLoopback` (SIGILL_WEBHOOKS_ALLOW_LOOPBACK, the development defaults)
 * loopback addresses are allowed too, and plain http to them.
 */
export class TargetError extends Error {
  constructor(
    readonly code: 'webhook_url_invalid' | 'webhook_url_not_https' | 'webhook_address_refused' | 'webhook_name_unresolved',
    message: string,
  ) {
    super(message);
    this.name = 'TargetError';
  }
}

export interface Target {
  url: URL;
  /** The checked address the delivery connects to. */
  address: string;
  family: 4 | 6;
}

const refused = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  refused.addSubnet(network, prefix, 'ipv4');
}
// IPv4-mapped addresses (::ffff:a.b.c.d) are judged as IPv4 by `unmapped` (a ::ffff:0:0/96 rule here would match every IPv4 address).
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  refused.addSubnet(network, prefix, 'ipv6');
}

function isLoopback(address: string, family: 4 | 6): boolean {
  return family === 4 ? address.startsWith('127.') : address === '::1';
}

/** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is judged as its IPv4 address. */
function unmapped(address: string, family: 4 | 6): { address: string; family: 4 | 6 } {
  const mapped = family === 6 ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address) : null;
  return mapped ? { address: mapped[1]!, family: 4 } : { address, family };
}

export function isRefusedAddress(address: string, family: 4 | 6, allowLoopback: boolean): boolean {
  const plain = unmapped(address, family);
  if (allowLoopback && isLoopback(plain.address, plain.family)) return false;
  return refused.check(plain.address, plain.family === 4 ? 'ipv4' : 'ipv6');
}

/** Parses the URL as a registration does (no address checks). */
export function parseWebhookUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TargetError('webhook_url_invalid', 'the webhook URL is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TargetError('webhook_url_not_https', 'the webhook URL must be https');
  if (url.username || url.password) throw new TargetError('webhook_url_invalid', 'the webhook URL must not carry a user name or password');
  if (url.hash) throw new TargetError('webhook_url_invalid', 'the webhook URL must not carry a #fragment');
  return url;
}

/** Resolves and checks the URL's host; the answer is the address to connect to. */
export async function resolveTarget(text: string, allowLoopback: boolean, resolve = lookup): Promise<Target> {
  const url = parseWebhookUrl(text);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await resolve(host, { all: true, verbatim: true });
    } catch {
      throw new TargetError('webhook_name_unresolved', 'the webhook host name does not resolve');
    }
  }
  if (addresses.length === 0) throw new TargetError('webhook_name_unresolved', 'the webhook host name does not resolve');
  for (const { address, family } of addresses) {
    if (isRefusedAddress(address, family as 4 | 6, allowLoopback)) {
      throw new TargetError('webhook_address_refused', 'the webhook URL reaches a private, loopback or link-local address');
    }
  }
  const chosen = addresses[0]!;
  const plain = unmapped(chosen.address, chosen.family as 4 | 6);
  if (url.protocol === 'http:' && !(allowLoopback && isLoopback(plain.address, plain.family))) {
    throw new TargetError('webhook_url_not_https', 'the webhook URL must be https');
  }
  return { url, address: chosen.address, family: chosen.family as 4 | 6 };
}
