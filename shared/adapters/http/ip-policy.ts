import ipaddr from 'ipaddr.js';

/** Why an address is not a public unicast one; `loopback` is the one kind a local-mode fetch may allow. */
export type AddressKind = 'public' | 'loopback' | 'private' | 'link-local' | 'metadata' | 'unspecified' | 'reserved' | 'multicast' | 'invalid';

/** Cloud metadata endpoints (AWS, GCP, Azure on 169.254.169.254; AWS's IPv6 one on fd00:ec2::254). */
const METADATA = ['169.254.169.254', 'fd00:ec2::254'];

/** ipaddr.js range names → adline's kinds; every other named range (benchmarking, as112, amt...) is reserved. */
const KIND_OF_RANGE: Record<string, AddressKind> = {
  unicast: 'public',
  loopback: 'loopback',
  private: 'private',
  uniqueLocal: 'private',
  carrierGradeNat: 'private',
  linkLocal: 'link-local',
  unspecified: 'unspecified',
  multicast: 'multicast',
  broadcast: 'multicast',
};

const u32 = (hi: number, lo: number) => ipaddr.IPv4.parse(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);

/**
 * The IPv4 addresses an IPv6 address carries and that a packet to it would reach, by form:
 * IPv4-mapped (::ffff:a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d), IPv4-compatible (::a.b.c.d),
 * NAT64 (64:ff9b::/96 and the local-use 64:ff9b:1::/48), 6to4 (2002:AABB:CCDD::/48), Teredo (server and
 * obfuscated client, 2001:0::/32) and ISATAP interface ids (…:0:5efe:a.b.c.d / …:200:5efe:a.b.c.d).
 * Each is judged by its IPv4: ::127.0.0.1 is loopback, whatever the IPv6 range says.
 */
export function embeddedIpv4s(address: ipaddr.IPv6): ipaddr.IPv4[] {
  const p = address.parts;
  const range = address.range();
  if (range === 'ipv4Mapped' || range === 'rfc6145' || range === 'rfc6052') return [u32(p[6], p[7])];
  // IPv4-compatible (deprecated, RFC 4291): the top 96 bits zero; :: and ::1 are themselves, not IPv4.
  if (p.slice(0, 6).every((x) => x === 0) && (p[6] !== 0 || p[7] > 1)) return [u32(p[6], p[7])];
  if (range === '6to4') return [u32(p[1], p[2])];
  if (range === 'teredo') return [u32(p[2], p[3]), u32(p[6] ^ 0xffff, p[7] ^ 0xffff)];
  if ((p[4] === 0 || p[4] === 0x200) && p[5] === 0x5efe) return [u32(p[6], p[7])];
  return [];
}

function kindOf(address: ipaddr.IPv4 | ipaddr.IPv6): AddressKind {
  if (METADATA.includes(address.toNormalizedString()) || METADATA.includes(address.toString())) return 'metadata';
  return KIND_OF_RANGE[address.range()] ?? 'reserved';
}

/**
 * Classifies an IP literal (IPv4, IPv6 with or without brackets or a zone) with ipaddr.js; anything not
 * plainly public unicast is refused by the image fetcher. An IPv6 address that embeds IPv4 is judged by
 * that IPv4 too: the first non-public kind found wins.
 */
export function classifyAddress(address: string): AddressKind {
  const bare = address.trim().replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return 'invalid';
  const parsed = ipaddr.parse(bare);
  if (parsed.kind() === 'ipv4') return kindOf(parsed);
  const v6 = parsed as ipaddr.IPv6;
  const embedded = embeddedIpv4s(v6);
  for (const v4 of embedded) {
    const kind = kindOf(v4);
    if (kind !== 'public') return kind;
  }
  // A translation form with a public IPv4 reaches that public host; any other special range is refused.
  if (embedded.length > 0) return 'public';
  return kindOf(v6);
}
