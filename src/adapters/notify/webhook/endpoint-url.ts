import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';

import { DomainError, ErrorCode } from '../../../core/errors.js';

/**
 * Merchant webhook endpoints are URLs typed by whoever controls a store, and
 * Waymark POSTs to them from inside its own network: a textbook SSRF vector
 * (Standard Webhooks, "Server side request forgery"). Only public unicast
 * addresses are acceptable destinations, checked on the literal host, on
 * every address a name resolves to, and again on the socket's own lookup at
 * send time so that a name re-pointed after validation (DNS rebinding) cannot
 * reach the inside.
 */

/** Why an address is not a public destination. */
export const AddressKind = {
  CloudMetadata: 'cloud_metadata',
  Unspecified: 'unspecified',
  Multicast: 'multicast',
  Reserved: 'reserved',
  Loopback: 'loopback',
  Private: 'private',
  CarrierGradeNat: 'carrier_grade_nat',
  LinkLocal: 'link_local',
  UniqueLocal: 'unique_local',
  SpecialPurpose: 'special_purpose',
} as const;
export type AddressKind = (typeof AddressKind)[keyof typeof AddressKind];

/**
 * Kinds no endpoint may ever use, even with `allowPrivateNetworks`: instance
 * metadata hands out cloud credentials, and the others are not unicast
 * destinations at all (0.0.0.0 even reaches the local host on Linux).
 */
const ALWAYS_BLOCKED: ReadonlySet<AddressKind> = new Set<AddressKind>([
  AddressKind.CloudMetadata,
  AddressKind.Unspecified,
  AddressKind.Multicast,
  AddressKind.Reserved,
]);

const DESCRIPTIONS: Readonly<Record<AddressKind, string>> = {
  cloud_metadata: 'a cloud instance metadata address',
  unspecified: 'an unspecified address',
  multicast: 'a multicast address',
  reserved: 'a reserved or broadcast address',
  loopback: 'a loopback address',
  private: 'a private network address',
  carrier_grade_nat: 'a carrier-grade NAT address (RFC 6598)',
  link_local: 'a link-local address',
  unique_local: 'a unique local IPv6 address (RFC 4193)',
  special_purpose: 'a special-purpose address (documentation, benchmarking, protocol assignments)',
};

/** IANA special-purpose registries (RFC 6890 and successors), most specific kind first. */
const RANGES: readonly { kind: AddressKind; cidrs: readonly string[] }[] = [
  {
    kind: AddressKind.CloudMetadata,
    // AWS/GCP/Azure/OpenStack, AWS ECS task credentials, Alibaba, AWS IMDS over IPv6.
    cidrs: ['169.254.169.254/32', '169.254.170.2/32', '100.100.100.200/32', 'fd00:ec2::254/128'],
  },
  { kind: AddressKind.Unspecified, cidrs: ['0.0.0.0/8', '::/128'] },
  { kind: AddressKind.Multicast, cidrs: ['224.0.0.0/4', 'ff00::/8'] },
  { kind: AddressKind.Reserved, cidrs: ['240.0.0.0/4'] },
  { kind: AddressKind.Loopback, cidrs: ['127.0.0.0/8', '::1/128'] },
  // fec0::/10 is the deprecated IPv6 site-local range, private by intent.
  { kind: AddressKind.Private, cidrs: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fec0::/10'] },
  { kind: AddressKind.CarrierGradeNat, cidrs: ['100.64.0.0/10'] },
  { kind: AddressKind.LinkLocal, cidrs: ['169.254.0.0/16', 'fe80::/10'] },
  { kind: AddressKind.UniqueLocal, cidrs: ['fc00::/7'] },
  {
    kind: AddressKind.SpecialPurpose,
    cidrs: [
      '192.0.0.0/24',
      '192.0.2.0/24',
      '192.88.99.0/24',
      '198.18.0.0/15',
      '198.51.100.0/24',
      '203.0.113.0/24',
      '100::/64',
      '2001::/23',
      '2001:db8::/32',
      // Local-use NAT64 (RFC 8215): the operator decides where it leads.
      '64:ff9b:1::/48',
    ],
  },
];

const BLOCK_LISTS: readonly { kind: AddressKind; list: BlockList }[] = RANGES.map(({ kind, cidrs }) => {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [network = '', prefix = ''] = cidr.split('/');
    list.addSubnet(network, Number(prefix), isIP(network) === 6 ? 'ipv6' : 'ipv4');
  }
  return { kind, list };
});

/** The eight 16-bit groups of an IPv6 address, or null when it is not one. */
function ipv6Groups(address: string): number[] | null {
  const withoutZone = address.split('%')[0] ?? '';
  if (isIP(withoutZone) !== 6) return null;
  // The WHATWG serializer rewrites dotted tails (::ffff:1.2.3.4) as hex groups.
  const canonical = new URL(`http://[${withoutZone}]/`).hostname.slice(1, -1);
  const [head = '', tail] = canonical.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  if (tail === undefined) return groups(head);
  const left = groups(head);
  const right = groups(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

function ipv4FromGroups(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/**
 * The IPv4 address an IPv6 address carries to, when it is one of the
 * translation forms a gateway or the kernel would turn into an IPv4
 * destination: mapped (::ffff:a.b.c.d), the deprecated compatible form
 * (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::).
 */
function embeddedIpv4(groups: readonly number[]): string | null {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  const firstFiveZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (firstFiveZero && g5 === 0xffff) return ipv4FromGroups(g6, g7);
  // ::/128 and ::1 are their own kinds, not IPv4-compatible addresses.
  if (firstFiveZero && g5 === 0 && (g6 !== 0 || g7 > 1)) return ipv4FromGroups(g6, g7);
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return ipv4FromGroups(g6, g7);
  if (g0 === 0x2002) return ipv4FromGroups(g1, g2);
  return null;
}

/**
 * What kind of non-public address this is, or null for a public unicast
 * address. Anything that is not an IP address at all is `reserved`.
 */
export function classifyAddress(address: string): AddressKind | null {
  const version = isIP(address);
  if (version === 4) return BLOCK_LISTS.find(({ list }) => list.check(address, 'ipv4'))?.kind ?? null;
  const groups = ipv6Groups(address);
  if (!groups) return AddressKind.Reserved;
  const plain = address.split('%')[0] ?? '';
  const metadata = BLOCK_LISTS[0];
  if (metadata?.list.check(plain, 'ipv6')) return metadata.kind;
  const ipv4 = embeddedIpv4(groups);
  if (ipv4 !== null) return classifyAddress(ipv4);
  return BLOCK_LISTS.find(({ list }) => list.check(plain, 'ipv6'))?.kind ?? null;
}

export type AddressPolicy = {
  /**
   * Also accept loopback, RFC 1918, CGNAT, link-local, unique-local and
   * special-purpose destinations, and plain http: for local testing and
   * self-hosters whose merchants' systems live on the same network. Cloud
   * metadata and non-unicast addresses stay refused.
   */
  allowPrivateNetworks?: boolean;
};

/** Why this address may not be a webhook destination under this policy, or null when it may. */
export function refusedAddressKind(address: string, policy: AddressPolicy = {}): AddressKind | null {
  const kind = classifyAddress(address);
  if (kind === null) return null;
  if (policy.allowPrivateNetworks && !ALWAYS_BLOCKED.has(kind)) return null;
  return kind;
}

export type ResolvedAddress = { address: string; family: number };

/** Every address a host name resolves to; `dns.lookup(all: true)` by default, a table in tests. */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** The operating system's resolver (hosts file, then DNS), as the HTTP client itself would use. */
export const systemResolver: HostResolver = (hostname) => lookup(hostname, { all: true });

export type EndpointPolicy = AddressPolicy & {
  /** Default {@link systemResolver}. */
  resolveHost?: HostResolver;
};

const MAX_URL_LENGTH = 2048;

function invalidEndpoint(message: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError(ErrorCode.InvalidInput, message, { details: { field: 'url', ...details } });
}

function refusedAddress(host: string, kind: AddressKind, resolved: boolean): DomainError {
  const verb = resolved ? 'resolves to' : 'is';
  return invalidEndpoint(`webhook endpoint ${host} ${verb} ${DESCRIPTIONS[kind]}, not a public address`, {
    addressKind: kind,
  });
}

/** The host as a bare IP address when the URL names one literally (IPv6 without brackets). */
function literalAddress(hostname: string): string | null {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) ? bare : null;
}

/**
 * The checks that need no network: a well-formed absolute https URL (http
 * only with `allowPrivateNetworks`), no credentials, and a literal IP host
 * that is a public address. The WHATWG parser has already turned disguised
 * literals (`0x7f.1`, `2130706433`, `[::ffff:127.0.0.1]`) into canonical form.
 */
export function parseEndpointUrl(raw: string, policy: AddressPolicy = {}): URL {
  if (raw.length > MAX_URL_LENGTH) {
    throw invalidEndpoint(`webhook endpoint URL is longer than ${MAX_URL_LENGTH} characters`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw new DomainError(ErrorCode.InvalidInput, 'webhook endpoint is not an absolute URL', {
      cause: error,
      details: { field: 'url' },
    });
  }
  const allowedProtocols = policy.allowPrivateNetworks ? ['https:', 'http:'] : ['https:'];
  if (!allowedProtocols.includes(url.protocol)) {
    throw invalidEndpoint(
      policy.allowPrivateNetworks
        ? `webhook endpoint must use https or http, not ${url.protocol.slice(0, -1)}`
        : `webhook endpoint must use https, not ${url.protocol.slice(0, -1)}`,
      { protocol: url.protocol.slice(0, -1) },
    );
  }
  // Credentials in the URL would be logged and shown wherever the URL is; fetch refuses them too.
  if (url.username !== '' || url.password !== '') {
    throw invalidEndpoint('webhook endpoint must not contain a user name or password');
  }
  const literal = literalAddress(url.hostname);
  if (literal !== null) {
    const kind = refusedAddressKind(literal, policy);
    if (kind !== null) throw refusedAddress(url.hostname, kind, false);
  }
  return url;
}

function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}

/**
 * The addresses a connection to `hostname` may use: the literal itself, or
 * every address the name resolves to, each of which must be allowed (an
 * attacker only needs one internal answer among several). The sender calls
 * this again at send time; the guarded lookup calls it for the socket.
 *
 * Throws `invalid_input` for a refused address and `upstream_unavailable`
 * (with `details.dnsCode`) when the name cannot be resolved right now.
 */
export async function resolveAllowedAddresses(
  hostname: string,
  policy: EndpointPolicy = {},
): Promise<ResolvedAddress[]> {
  const literal = literalAddress(hostname);
  if (literal !== null) {
    const kind = refusedAddressKind(literal, policy);
    if (kind !== null) throw refusedAddress(hostname, kind, false);
    return [{ address: literal, family: isIP(literal) }];
  }
  const resolve = policy.resolveHost ?? systemResolver;
  let addresses: readonly ResolvedAddress[];
  try {
    addresses = await resolve(hostname);
  } catch (error) {
    const dnsCode = isErrnoException(error) ? error.code : undefined;
    throw new DomainError(ErrorCode.UpstreamUnavailable, `cannot resolve webhook endpoint ${hostname}`, {
      cause: error,
      details: { dnsCode },
    });
  }
  if (addresses.length === 0) {
    throw new DomainError(ErrorCode.UpstreamUnavailable, `webhook endpoint ${hostname} resolves to no address`, {
      details: { dnsCode: 'ENODATA' },
    });
  }
  for (const { address } of addresses) {
    const kind = refusedAddressKind(address, policy);
    if (kind !== null) throw refusedAddress(hostname, kind, true);
  }
  return [...addresses];
}

/** Resolver answers that mean the name does not exist, rather than "try again later". */
const NAME_DOES_NOT_EXIST = new Set(['ENOTFOUND', 'ENODATA', 'EAI_NONAME', 'EAI_NODATA']);

/**
 * The registration-time check of a merchant endpoint: {@link parseEndpointUrl}
 * plus {@link resolveAllowedAddresses}. A name that does not exist is
 * `invalid_input`; a resolver that fails for now stays `upstream_unavailable`.
 */
export async function validateEndpointUrl(raw: string, policy: EndpointPolicy = {}): Promise<URL> {
  const url = parseEndpointUrl(raw, policy);
  try {
    await resolveAllowedAddresses(url.hostname, policy);
  } catch (error) {
    const dnsCode = error instanceof DomainError ? error.details?.dnsCode : undefined;
    if (typeof dnsCode === 'string' && NAME_DOES_NOT_EXIST.has(dnsCode)) {
      throw new DomainError(ErrorCode.InvalidInput, `webhook endpoint host ${url.hostname} does not resolve`, {
        cause: error,
        details: { field: 'url', dnsCode },
      });
    }
    throw error;
  }
  return url;
}

/**
 * A `lookup` for `net`/`http`/`https` that only ever hands the socket
 * addresses {@link resolveAllowedAddresses} accepted. Checking the very
 * answer the socket connects to closes the window a separate check before
 * the request leaves open (DNS rebinding with a zero TTL); TLS still verifies
 * the certificate against the host name, not the address.
 */
export function createGuardedLookup(policy: EndpointPolicy = {}): LookupFunction {
  return (hostname, options, callback) => {
    resolveAllowedAddresses(hostname, policy).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
        const usable = wanted === 0 ? addresses : addresses.filter((entry) => entry.family === wanted);
        const first = usable[0];
        if (!first) {
          const error: NodeJS.ErrnoException = new Error(`webhook endpoint ${hostname} has no IPv${wanted} address`);
          error.code = 'ENOTFOUND';
          callback(error, '');
          return;
        }
        if (options.all) callback(null, usable);
        else callback(null, first.address, first.family);
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, ''),
    );
  };
}
