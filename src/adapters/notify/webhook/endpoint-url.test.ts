import { lookup as lookupCallback, type LookupAddress } from 'node:dns';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { DomainError } from '../../../core/errors.js';
import {
  classifyAddress,
  createGuardedLookup,
  parseEndpointUrl,
  refusedAddressKind,
  resolveAllowedAddresses,
  validateEndpointUrl,
  type AddressKind,
  type HostResolver,
} from './endpoint-url.js';

/** A resolver answering from a table; names outside it fail like a real NXDOMAIN. */
function tableResolver(table: Record<string, string[]>): HostResolver {
  return (hostname) => {
    const addresses = table[hostname];
    if (!addresses) {
      return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
    }
    return Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  };
}

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

function thrown(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a DomainError, nothing was thrown');
}

describe('classifyAddress', () => {
  it.each<[string, AddressKind]>([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrier_grade_nat'],
    ['100.127.255.255', 'carrier_grade_nat'],
    ['169.254.1.1', 'link_local'],
    ['169.254.169.254', 'cloud_metadata'],
    ['169.254.170.2', 'cloud_metadata'],
    ['100.100.100.200', 'cloud_metadata'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.10', 'special_purpose'],
    ['198.18.0.1', 'special_purpose'],
    ['203.0.113.7', 'special_purpose'],
  ])('should classify IPv4 %s as %s when it is in that range', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each<[string, AddressKind]>([
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link_local'],
    ['fe80::1%eth0', 'link_local'],
    ['fc00::1', 'unique_local'],
    ['fd12:3456:789a::1', 'unique_local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['fd00:ec2::254', 'cloud_metadata'],
    ['2001:db8::1', 'special_purpose'],
    // IPv4 in IPv6 clothing: mapped, compatible, NAT64 and 6to4 forms all lead to the IPv4 address.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:169.254.169.254', 'cloud_metadata'],
    ['::192.168.0.1', 'private'],
    ['64:ff9b::a9fe:a9fe', 'cloud_metadata'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
  ])('should classify IPv6 %s as %s when it is or carries such an address', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.215.14',
    '9.255.255.255',
    '11.0.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '169.253.255.255',
    '192.167.255.255',
    '192.169.0.0',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '2a00:1450:4001:82b::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('should call %s public when it lies outside every special range', (address) => {
    expect(classifyAddress(address)).toBeNull();
  });

  it('should call a string that is no IP address reserved when a resolver answers nonsense', () => {
    expect(classifyAddress('not-an-address')).toBe('reserved');
  });

  it('should refuse every address of 10/8, 172.16/12 and 192.168/16 when generated at random', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const rfc1918 = fc.oneof(
      fc.tuple(fc.constant(10), octet, octet, octet),
      fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), octet, octet),
      fc.tuple(fc.constant(192), fc.constant(168), octet, octet),
    );
    fc.assert(
      fc.property(rfc1918, (parts) => {
        expect(classifyAddress(parts.join('.'))).toBe('private');
        expect(classifyAddress(`::ffff:${parts.join('.')}`)).toBe('private');
      }),
    );
  });
});

describe('refusedAddressKind', () => {
  it.each(['127.0.0.1', '10.0.0.1', '192.168.1.1', '100.64.0.1', '169.254.1.1', 'fd00::1', '::1'])(
    'should allow %s when allowPrivateNetworks is on',
    (address) => {
      expect(refusedAddressKind(address, { allowPrivateNetworks: true })).toBeNull();
      expect(refusedAddressKind(address)).not.toBeNull();
    },
  );

  it.each<[string, AddressKind]>([
    ['169.254.169.254', 'cloud_metadata'],
    ['fd00:ec2::254', 'cloud_metadata'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'reserved'],
  ])('should still refuse %s when allowPrivateNetworks is on', (address, kind) => {
    expect(refusedAddressKind(address, { allowPrivateNetworks: true })).toBe(kind);
  });
});

describe('parseEndpointUrl', () => {
  it('should accept an https URL with a public host, port, path and query when nothing is wrong', () => {
    const url = parseEndpointUrl('https://hooks.merchant.example:8443/waymark?token=abc');
    expect(url.href).toBe('https://hooks.merchant.example:8443/waymark?token=abc');
  });

  it.each([
    ['http://hooks.merchant.example/', 'https'],
    ['ftp://hooks.merchant.example/', 'https'],
    ['file:///etc/passwd', 'https'],
    ['javascript:alert(1)', 'https'],
    ['hooks.merchant.example/webhooks', 'absolute URL'],
    ['', 'absolute URL'],
    ['https://user:pass@hooks.merchant.example/', 'user name or password'],
    [`https://hooks.merchant.example/${'a'.repeat(2100)}`, 'longer than'],
  ])('should refuse %s as invalid_input when it is not an acceptable https URL', (raw, reason) => {
    const error = thrown(() => parseEndpointUrl(raw));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain(reason);
    expect(error.details).toMatchObject({ field: 'url' });
  });

  it.each<[string, AddressKind]>([
    ['https://127.0.0.1/hooks', 'loopback'],
    ['https://0x7f.1/hooks', 'loopback'],
    ['https://2130706433/hooks', 'loopback'],
    ['https://017700000001/hooks', 'loopback'],
    ['https://10.0.0.8/hooks', 'private'],
    ['https://172.20.1.1/hooks', 'private'],
    ['https://192.168.0.10:8080/hooks', 'private'],
    ['https://100.64.12.1/hooks', 'carrier_grade_nat'],
    ['https://169.254.169.254/latest/meta-data/', 'cloud_metadata'],
    ['https://169.254.10.10/', 'link_local'],
    ['https://[::1]/hooks', 'loopback'],
    ['https://[::ffff:127.0.0.1]/hooks', 'loopback'],
    ['https://[::ffff:a9fe:a9fe]/hooks', 'cloud_metadata'],
    ['https://[fe80::1]/hooks', 'link_local'],
    ['https://[fd00::1]/hooks', 'unique_local'],
    ['https://[fd00:ec2::254]/hooks', 'cloud_metadata'],
    ['https://0.0.0.0/hooks', 'unspecified'],
  ])('should refuse %s as invalid_input when its literal host is %s', (raw, kind) => {
    const error = thrown(() => parseEndpointUrl(raw));
    expect(error.code).toBe('invalid_input');
    expect(error.details).toMatchObject({ field: 'url', addressKind: kind });
    expect(error.message).toContain('not a public address');
  });

  it('should accept http and loopback when allowPrivateNetworks is on, for local testing', () => {
    expect(parseEndpointUrl('http://127.0.0.1:4000/hooks', { allowPrivateNetworks: true }).host).toBe('127.0.0.1:4000');
    expect(parseEndpointUrl('http://[::1]:4000/hooks', { allowPrivateNetworks: true }).hostname).toBe('[::1]');
  });

  it('should still refuse the metadata address and other schemes when allowPrivateNetworks is on', () => {
    const metadata = thrown(() => parseEndpointUrl('http://169.254.169.254/', { allowPrivateNetworks: true }));
    expect(metadata.details).toMatchObject({ addressKind: 'cloud_metadata' });
    const scheme = thrown(() => parseEndpointUrl('gopher://127.0.0.1/', { allowPrivateNetworks: true }));
    expect(scheme.message).toContain('https or http');
  });
});

describe('resolveAllowedAddresses', () => {
  const resolveHost = tableResolver({
    'hooks.merchant.example': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
    'internal.merchant.example': ['10.0.0.5'],
    'mixed.merchant.example': ['93.184.215.14', '127.0.0.1'],
    'mapped.merchant.example': ['::ffff:192.168.1.20'],
    'metadata.merchant.example': ['169.254.169.254'],
    'empty.merchant.example': [],
  });

  it('should return every address when all of them are public', async () => {
    await expect(resolveAllowedAddresses('hooks.merchant.example', { resolveHost })).resolves.toEqual([
      { address: '93.184.215.14', family: 4 },
      { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
    ]);
  });

  it.each<[string, AddressKind]>([
    ['internal.merchant.example', 'private'],
    ['mixed.merchant.example', 'loopback'],
    ['mapped.merchant.example', 'private'],
    ['metadata.merchant.example', 'cloud_metadata'],
  ])('should refuse %s as invalid_input when one of its addresses is %s', async (hostname, kind) => {
    const error = await rejection(resolveAllowedAddresses(hostname, { resolveHost }));
    expect(error.code).toBe('invalid_input');
    expect(error.details).toMatchObject({ addressKind: kind });
    expect(error.message).toContain(`${hostname} resolves to`);
  });

  it('should allow a name resolving to a private address when allowPrivateNetworks is on', async () => {
    await expect(
      resolveAllowedAddresses('internal.merchant.example', { resolveHost, allowPrivateNetworks: true }),
    ).resolves.toEqual([{ address: '10.0.0.5', family: 4 }]);
  });

  it('should check a literal address without asking the resolver when the host is an IP', async () => {
    const neverCalled: HostResolver = () => Promise.reject(new Error('resolver must not be called'));
    await expect(resolveAllowedAddresses('[2606:4700:4700::1111]', { resolveHost: neverCalled })).resolves.toEqual([
      { address: '2606:4700:4700::1111', family: 6 },
    ]);
    const error = await rejection(resolveAllowedAddresses('127.0.0.1', { resolveHost: neverCalled }));
    expect(error.details).toMatchObject({ addressKind: 'loopback' });
  });

  it('should be upstream_unavailable with the DNS code when the name cannot be resolved now', async () => {
    const error = await rejection(resolveAllowedAddresses('gone.merchant.example', { resolveHost }));
    expect(error.code).toBe('upstream_unavailable');
    expect(error.details).toMatchObject({ dnsCode: 'ENOTFOUND' });
  });

  it('should be upstream_unavailable when the resolver returns no address', async () => {
    const error = await rejection(resolveAllowedAddresses('empty.merchant.example', { resolveHost }));
    expect(error.code).toBe('upstream_unavailable');
  });

  it('should refuse localhost through the system resolver when no resolver is injected', async () => {
    const error = await rejection(resolveAllowedAddresses('localhost'));
    expect(error.code).toBe('invalid_input');
    expect(error.details).toMatchObject({ addressKind: 'loopback' });
  });
});

describe('validateEndpointUrl', () => {
  const resolveHost = tableResolver({
    'hooks.merchant.example': ['93.184.215.14'],
    'rebound.merchant.example': ['192.168.0.2'],
  });

  it('should return the parsed URL when the scheme and every resolved address are acceptable', async () => {
    const url = await validateEndpointUrl('https://hooks.merchant.example/waymark', { resolveHost });
    expect(url.hostname).toBe('hooks.merchant.example');
  });

  it('should refuse a host name resolving to a private address as invalid_input', async () => {
    const error = await rejection(validateEndpointUrl('https://rebound.merchant.example/', { resolveHost }));
    expect(error.code).toBe('invalid_input');
    expect(error.details).toMatchObject({ field: 'url', addressKind: 'private' });
  });

  it('should refuse a host name that does not exist as invalid_input when registering', async () => {
    const error = await rejection(validateEndpointUrl('https://typo.merchant.example/', { resolveHost }));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('does not resolve');
    expect(error.details).toMatchObject({ field: 'url', dnsCode: 'ENOTFOUND' });
  });

  it('should stay upstream_unavailable when the resolver fails temporarily', async () => {
    const flaky: HostResolver = () =>
      Promise.reject(Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' }));
    const error = await rejection(validateEndpointUrl('https://hooks.merchant.example/', { resolveHost: flaky }));
    expect(error.code).toBe('upstream_unavailable');
  });

  it('should refuse http before resolving anything when private networks are not allowed', async () => {
    const neverCalled: HostResolver = () => Promise.reject(new Error('resolver must not be called'));
    const error = await rejection(validateEndpointUrl('http://hooks.merchant.example/', { resolveHost: neverCalled }));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('https');
  });
});

describe('createGuardedLookup', () => {
  function lookupWith(
    lookup: ReturnType<typeof createGuardedLookup>,
    hostname: string,
    options: { all?: boolean; family?: number },
  ): Promise<{ address: string | LookupAddress[]; family: number | undefined }> {
    return new Promise((resolve, reject) => {
      lookup(hostname, options, (error, address, family) => {
        if (error) reject(error);
        else resolve({ address, family });
      });
    });
  }

  const resolveHost = tableResolver({
    'dual.merchant.example': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
    'internal.merchant.example': ['93.184.215.14', '10.0.0.5'],
  });

  it('should hand the socket all allowed addresses when asked for all', async () => {
    const lookup = createGuardedLookup({ resolveHost });
    await expect(lookupWith(lookup, 'dual.merchant.example', { all: true })).resolves.toMatchObject({
      address: [
        { address: '93.184.215.14', family: 4 },
        { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
      ],
    });
  });

  it('should hand the socket the first address of the wanted family when asked for one', async () => {
    const lookup = createGuardedLookup({ resolveHost });
    await expect(lookupWith(lookup, 'dual.merchant.example', { family: 6 })).resolves.toEqual({
      address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c',
      family: 6,
    });
  });

  it('should fail the connection with invalid_input when any address is refused', async () => {
    const lookup = createGuardedLookup({ resolveHost });
    const error = await rejection(lookupWith(lookup, 'internal.merchant.example', { all: true }));
    expect(error.code).toBe('invalid_input');
  });

  it('should answer what dns.lookup answers when it uses the system resolver', async () => {
    // Loopback-only machines still resolve localhost; allowPrivateNetworks makes it an allowed answer.
    const lookup = createGuardedLookup({ allowPrivateNetworks: true });
    const ours = await lookupWith(lookup, 'localhost', { all: true });
    const system = await new Promise<LookupAddress[]>((resolve, reject) =>
      lookupCallback('localhost', { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
    );
    expect(ours.address).toEqual(system);
  });
});
