import { BlockList, isIP } from 'node:net';

/** Why an address is not a public unicast one; `loopback` is the one kind a local-mode fetch may allow. */
export type AddressKind = 'public' | 'loopback' | 'private' | 'link-local' | 'metadata' | 'unspecified' | 'reserved' | 'multicast' | 'invalid';

const RANGES: Array<[kind: Exclude<AddressKind, 'public' | 'invalid'>, cidr: string]> = [
  ['metadata', '169.254.169.254/32'],
  ['metadata', 'fd00:ec2::254/128'],
  ['unspecified', '0.0.0.0/8'],
  ['loopback', '127.0.0.0/8'],
  ['private', '10.0.0.0/8'],
  ['private', '172.16.0.0/12'],
  ['private', '192.168.0.0/16'],
  ['private', '100.64.0.0/10'],
  ['link-local', '169.254.0.0/16'],
  ['reserved', '192.0.0.0/24'],
  ['reserved', '192.0.2.0/24'],
  ['reserved', '192.88.99.0/24'],
  ['reserved', '198.18.0.0/15'],
  ['reserved', '198.51.100.0/24'],
  ['reserved', '203.0.113.0/24'],
  ['multicast', '224.0.0.0/4'],
  ['reserved', '240.0.0.0/4'],
  ['unspecified', '::/128'],
  ['loopback', '::1/128'],
  ['reserved', '64:ff9b::/96'],
  ['reserved', '64:ff9b:1::/48'],
  ['reserved', '100::/64'],
  ['reserved', '2001::/23'],
  ['reserved', '2001:db8::/32'],
  ['reserved', '2002::/16'],
  ['private', 'fc00::/7'],
  ['link-local', 'fe80::/10'],
  ['reserved', 'fec0::/10'],
  ['multicast', 'ff00::/8'],
];

const LISTS = RANGES.map(([kind, cidr]) => {
  const [network, bits] = cidr.split('/');
  const list = new BlockList();
  const family = isIP(network) === 6 ? 'ipv6' : 'ipv4';
  list.addSubnet(network, Number(bits), family);
  return { kind, list, family };
});

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d / ::ffff:xxxx:xxxx) or IPv4-compatible IPv6 address. */
export function embeddedIpv4(address: string): string | undefined {
  const lower = address.toLowerCase().replace(/^\[|\]$/g, '');
  const dotted = /^(?:0{0,4}:){0,5}(?:ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/.exec(lower.replace(/^::/, ''));
  if (dotted && isIP(dotted[1]) === 4 && lower.startsWith('::')) return dotted[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const hi = Number.parseInt(hex[1], 16);
    const lo = Number.parseInt(hex[2], 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return undefined;
}

/** Classifies an IP literal; anything not plainly public unicast is refused by the image fetcher. */
export function classifyAddress(address: string): AddressKind {
  const bare = address.replace(/^\[|\]$/g, '');
  const mapped = isIP(bare) === 6 ? embeddedIpv4(bare) : undefined;
  const ip = mapped ?? bare;
  const family = isIP(ip);
  if (family === 0) return 'invalid';
  const type = family === 6 ? 'ipv6' : 'ipv4';
  for (const { kind, list, family: f } of LISTS) {
    if (f === type && list.check(ip, type)) return kind;
  }
  return 'public';
}
