import dns from 'node:dns/promises';
import net from 'node:net';
import type { Config } from '../config.js';

/**
 * SSRF guard. A webhook URL may not reach the platform's own network: loopback, private, link-local,
 * CGNAT, ULA, multicast, cloud metadata and other special-purpose ranges are refused (also when
 * hidden in IPv4-mapped/compatible, NAT64 or 6to4 IPv6 forms). Checked when an endpoint is saved and
 * again against the address each attempt actually connected to. The WEBHOOK_ALLOWED_HOSTS allow-list
 * (host names, IPs, CIDRs) permits private targets; development mode permits loopback. Link-local
 * addresses and cloud metadata services (addresses and names) are refused in every mode, whatever
 * the allow-list says: nothing a partner should receive webhooks on lives there.
 */

/** Refused in every mode and despite the allow-list (checked before it). */
const ALWAYS_BLOCKED_V4: Array<[string, number, string]> = [
  ['169.254.0.0', 16, 'link-local (cloud metadata: AWS, GCP, Azure, OCI, DigitalOcean, …)'],
  ['100.100.100.200', 32, 'cloud metadata (Alibaba Cloud)'],
  ['192.0.0.192', 32, 'cloud metadata (Oracle Cloud)'],
];
const ALWAYS_BLOCKED_V6: Array<[string, number, string]> = [
  ['fe80::', 10, 'link-local'],
  ['fd00:ec2::254', 128, 'cloud metadata (AWS IMDS over IPv6)'],
  ['fd20:ce::254', 128, 'cloud metadata (GCP over IPv6)'],
];
/** Metadata service host names (resolvable only inside the cloud, where they point at the ranges above). */
const METADATA_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'metadata.azure.com',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.tencentyun.com',
  'metadata.platformequinix.com',
  'metadata.packet.net',
  'kubernetes.default.svc',
]);
/** Loopback ranges: what development mode may reach without an allow-list entry. */
const LOOPBACK_LABEL = 'loopback';

const BLOCKED_V4: Array<[string, number, string]> = [
  ['0.0.0.0', 8, 'this-network'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'cgnat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'ietf-special'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4-relay'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

const BLOCKED_V6: Array<[string, number, string]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['100::', 64, 'discard'],
  ['2001::', 23, 'ietf-special'],
  ['2001:db8::', 32, 'documentation'],
  ['fc00::', 7, 'unique-local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];

function blockList(entries: Array<[string, number, string]>, family: 'ipv4' | 'ipv6') {
  return entries.map(([net_, prefix, label]) => {
    const l = new net.BlockList();
    l.addSubnet(net_, prefix, family);
    return { list: l, label };
  });
}
const alwaysV4 = blockList(ALWAYS_BLOCKED_V4, 'ipv4');
const alwaysV6 = blockList(ALWAYS_BLOCKED_V6, 'ipv6');

/** Why an address is refused in every mode (link-local, cloud metadata), or null. */
export function alwaysBlockedRange(address: string): string | null {
  const family = net.isIP(address);
  if (family === 4) {
    for (const { list, label } of alwaysV4) if (list.check(address, 'ipv4')) return label;
    return null;
  }
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    if (v4 !== undefined) {
      const inner = alwaysBlockedRange(v4);
      return inner ? `${inner} (embedded in IPv6)` : null;
    }
    for (const { list, label } of alwaysV6) if (list.check(address.split('%')[0]!, 'ipv6')) return label;
  }
  return null;
}

/** True for a cloud metadata service's host name (any mode refuses it). */
export function isMetadataHost(hostname: string): boolean {
  return METADATA_NAMES.has(normaliseHost(hostname));
}

const v4Lists = BLOCKED_V4.map(([net_, prefix, label]) => {
  const l = new net.BlockList();
  l.addSubnet(net_, prefix, 'ipv4');
  return { list: l, label };
});
const v6Lists = BLOCKED_V6.map(([net_, prefix, label]) => {
  const l = new net.BlockList();
  l.addSubnet(net_, prefix, 'ipv6');
  return { list: l, label };
});

/** 16 bytes of an IPv6 literal (with optional trailing dotted quad), or undefined. */
export function ipv6Bytes(address: string): number[] | undefined {
  if (net.isIPv6(address) === false) return undefined;
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    tail = last.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [head, rest] = text.includes('::') ? (text.split('::') as [string, string]) : [text, undefined];
  const h = head ? head.split(':') : [];
  const r = rest !== undefined && rest !== '' ? rest.split(':') : [];
  const groups = rest === undefined ? h : [...h, ...Array<string>(8 - h.length - r.length).fill('0'), ...r];
  const bytes: number[] = [];
  for (const g of groups) {
    const v = parseInt(g, 16);
    bytes.push(v >> 8, v & 255);
  }
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes.length === 16 ? bytes : undefined;
}

/** An IPv4 address hidden inside an IPv6 one (mapped, compatible, NAT64, 6to4), if any. */
export function embeddedIpv4(address: string): string | undefined {
  const b = ipv6Bytes(address);
  if (!b) return undefined;
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const quad = (i: number) => b.slice(i, i + 4).join('.');
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return quad(12); // ::ffff:a.b.c.d
  if (zero(0, 12)) return quad(12); // ::a.b.c.d (deprecated IPv4-compatible)
  if (b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zero(4, 12)) return quad(12); // 64:ff9b::/96 NAT64
  if (b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && b[4] === 0 && b[5] === 1) return quad(12); // 64:ff9b:1::/48
  if (b[0] === 0x20 && b[1] === 0x02) return quad(2); // 2002::/16 6to4
  if (zero(0, 8) && b[8] === 0xff && b[9] === 0xff && zero(10, 12)) return quad(12); // ::ffff:0:a.b.c.d (SIIT)
  return undefined;
}

/** Why an IP address is not a public target ('loopback', 'private', …), or null when it is public. */
export function blockedRange(address: string): string | null {
  const family = net.isIP(address);
  if (family === 4) {
    if (address === '255.255.255.255') return 'broadcast';
    for (const { list, label } of v4Lists) if (list.check(address, 'ipv4')) return label;
    return null;
  }
  if (family === 6) {
    // ::1 and :: before the IPv4-compatible reading (which would call them 0.0.0.1 and 0.0.0.0).
    const b = ipv6Bytes(address);
    if (b && b.slice(0, 15).every((x) => x === 0) && b[15]! <= 1) return b[15] === 1 ? 'loopback' : 'unspecified';
    const v4 = embeddedIpv4(address);
    if (v4 !== undefined) {
      const inner = blockedRange(v4);
      // ::a.b.c.d forms of public IPv4 are still odd; only the embedded address decides.
      return inner ? `${inner} (embedded in IPv6)` : null;
    }
    for (const { list, label } of v6Lists) if (list.check(address, 'ipv6')) return label;
    return null;
  }
  return 'not an IP address';
}

interface AllowList {
  names: Set<string>;
  addresses: net.BlockList;
}

const allowCache = new WeakMap<readonly string[], AllowList>();

function normaliseHost(host: string): string {
  let h = host.toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

function allowList(entries: readonly string[]): AllowList {
  let cached = allowCache.get(entries);
  if (cached) return cached;
  const names = new Set<string>();
  const addresses = new net.BlockList();
  for (const raw of entries) {
    const entry = normaliseHost(raw.trim());
    const [ip, prefix] = entry.split('/') as [string, string | undefined];
    const family = net.isIP(ip);
    if (family && prefix !== undefined && /^\d+$/.test(prefix)) addresses.addSubnet(ip, Number(prefix), family === 4 ? 'ipv4' : 'ipv6');
    else if (family) addresses.addAddress(ip, family === 4 ? 'ipv4' : 'ipv6');
    else names.add(entry);
  }
  cached = { names, addresses };
  allowCache.set(entries, cached);
  return cached;
}

function addressAllowed(list: AllowList, address: string): boolean {
  const family = net.isIP(address);
  if (!family) return false;
  if (list.addresses.check(address, family === 4 ? 'ipv4' : 'ipv6')) return true;
  const v4 = family === 6 ? embeddedIpv4(address) : undefined;
  return v4 !== undefined && list.addresses.check(v4, 'ipv4');
}

type GuardConfig = Pick<Config, 'env' | 'webhookAllowedHosts'>;

/**
 * Verdict for connecting to `address` for URL host `hostname`: null when allowed, else the reason.
 * This is what every attempt checks against the socket's actual remote address.
 */
export function refusedTarget(config: GuardConfig, hostname: string, address: string): string | null {
  if (isMetadataHost(hostname)) return `${normaliseHost(hostname)} is a cloud metadata service`;
  const always = alwaysBlockedRange(address);
  if (always) return `${address} is ${always}`;
  const list = allowList(config.webhookAllowedHosts);
  if (list.names.has(normaliseHost(hostname)) || addressAllowed(list, address)) return null;
  const range = blockedRange(address);
  if (!range) return null;
  // Development mode: a webhook receiver on this machine is the usual demo target.
  if (config.env === 'development' && range.startsWith(LOOPBACK_LABEL)) return null;
  return `${address} is ${range}`;
}

/** Verdict on the URL host alone, before connecting: metadata names, and IP literals judged as addresses. */
export function refusedHost(config: GuardConfig, hostname: string): string | null {
  const host = normaliseHost(hostname);
  if (isMetadataHost(host)) return `${host} is a cloud metadata service`;
  return net.isIP(host) ? refusedTarget(config, host, host) : null;
}

export type Resolver = (host: string) => Promise<string[]>;

const systemResolver: Resolver = async (host) => (await dns.lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export interface UrlVerdict {
  ok: boolean;
  /** Normalised URL (WHATWG serialisation) when ok. */
  url?: string;
  /** The field-level reason when refused. */
  reason?: string;
}

/**
 * Save-time check of a webhook URL: http(s) only, no credentials, and every address the host
 * resolves to must be a public one (numeric forms like 0x7f.1 or 2130706433 are normalised by the
 * URL parser first, so they are judged as the address they really are).
 */
export async function checkWebhookUrl(config: GuardConfig, input: string, resolve: Resolver = systemResolver): Promise<UrlVerdict> {
  let u: URL;
  try {
    u = new URL(input);
  } catch {
    return { ok: false, reason: 'is not a valid absolute URL' };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return { ok: false, reason: 'must use http or https' };
  if (u.username || u.password) return { ok: false, reason: 'must not contain credentials (send them as the Authorization secret)' };
  if (input.length > 2048) return { ok: false, reason: 'must be at most 2048 characters' };
  u.hash = '';
  const host = normaliseHost(u.hostname);
  if (!host) return { ok: false, reason: 'has no host' };
  if (isMetadataHost(host)) return { ok: false, reason: `host ${host} is a cloud metadata service` };
  const list = allowList(config.webhookAllowedHosts);
  // An allow-listed name is still resolved: link-local and metadata addresses are refused whatever the list says.
  const named = list.names.has(host);
  if (!named && config.env !== 'development' && (host === 'localhost' || host.endsWith('.localhost'))) return { ok: false, reason: `host ${host} is loopback` };
  let addresses: string[];
  if (net.isIP(host)) addresses = [host];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) return named ? { ok: true, url: u.toString() } : { ok: false, reason: `host ${host} does not resolve` };
  }
  for (const a of addresses) {
    const refused = refusedTarget(config, host, a);
    if (refused) return { ok: false, reason: `resolves to a non-public address (${refused})` };
  }
  return { ok: true, url: u.toString() };
}
