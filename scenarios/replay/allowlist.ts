import { BlockList, isIP } from 'node:net';
import { shipgateError } from '../../core/errors.ts';

/**
 * Which hosts the replayer may send orders to. Replaying production orders at a real
 * carrier or production platform must be impossible by accident, so the default is
 * loopback only and anything else must be named explicitly (`--allow-host`).
 *
 * Hostnames are matched exactly and never resolved: resolving would let a DNS answer
 * (or a rebinding attack) widen the list. IPs and CIDR ranges go through node's
 * BlockList, which also understands IPv4-mapped IPv6 addresses.
 */
export const DEFAULT_ALLOW_HOSTS = ['127.0.0.0/8', '::1', 'localhost'] as const;

export interface Allowlist {
  readonly entries: readonly string[];
  allows(host: string): boolean;
}

export function createAllowlist(extra: readonly string[] = []): Allowlist {
  const entries = [...DEFAULT_ALLOW_HOSTS, ...extra.map((entry) => entry.trim()).filter(Boolean)];
  const ips = new BlockList();
  const names = new Set<string>();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/');
    const family = isIP(address ?? '');
    if (family === 0) {
      if (prefix !== undefined)
        throw shipgateError('SG_USAGE', { message: `allow-host "${entry}": a CIDR needs an IP address` });
      names.add(entry.toLowerCase().replace(/\.$/, ''));
      continue;
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) ips.addAddress(address!, type);
    else {
      const bits = Number(prefix);
      if (!Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128)) {
        throw shipgateError('SG_USAGE', { message: `allow-host "${entry}": bad prefix length` });
      }
      ips.addSubnet(address!, bits, type);
    }
  }
  return {
    entries,
    allows(host) {
      const bare = host
        .replace(/^\[(.*)\]$/, '$1')
        .toLowerCase()
        .replace(/\.$/, '');
      const family = isIP(bare);
      if (family === 0) return names.has(bare);
      if (ips.check(bare, family === 4 ? 'ipv4' : 'ipv6')) return true;
      // BlockList does not map ::ffff:a.b.c.d onto IPv4 rules; do it here.
      const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare)?.[1];
      return mapped !== undefined && ips.check(mapped, 'ipv4');
    },
  };
}

/** Throws SG_TARGET_NOT_ALLOWED (or SG_USAGE for a malformed URL) before any request is made. */
export function assertTargetAllowed(target: string, allowlist: Allowlist): URL {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw shipgateError('SG_USAGE', {
      message: `target "${target}" is not a URL (expected http://host:port)`,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw shipgateError('SG_USAGE', { message: `target "${target}" must be http or https` });
  }
  if (url.username || url.password) {
    throw shipgateError('SG_USAGE', { message: 'target URL must not carry credentials' });
  }
  if (!allowlist.allows(url.hostname)) {
    throw shipgateError('SG_TARGET_NOT_ALLOWED', {
      url: url.origin,
      allowlist: allowlist.entries.join(', '),
    });
  }
  return url;
}
