import { describe, expect, it } from 'vitest';

import {
  baseStringUri,
  encodeQuery,
  hmacSignature,
  oauthAuthorizationHeader,
  percentEncode,
  signatureBaseString,
} from './magento.oauth.js';

/** The parameters of an `Authorization: OAuth …` header, decoded. */
function headerParameters(header: string): Record<string, string> {
  expect(header.startsWith('OAuth ')).toBe(true);
  return Object.fromEntries(
    header
      .slice('OAuth '.length)
      .split(', ')
      .map((pair) => {
        const [, name, value] = /^([a-z_]+)="([^"]*)"$/.exec(pair) ?? [];
        return [name!, decodeURIComponent(value!)];
      }),
  );
}

describe('percentEncode (RFC 3986, RFC 5849 §3.6)', () => {
  it.each([
    ['abcABC123-._~', 'abcABC123-._~'],
    [' ', '%20'],
    ['+', '%2B'],
    ["!*'()", '%21%2A%27%28%29'],
    ['[]', '%5B%5D'],
    ['é', '%C3%A9'],
    ['2026-11-26 10:00:00', '2026-11-26%2010%3A00%3A00'],
  ])('should encode %j as %s', (value, expected) => {
    expect(percentEncode(value)).toBe(expected);
  });

  it('should build a query Magento decodes back to the same values (spaces as %20, never +)', () => {
    expect(
      encodeQuery([
        ['searchCriteria[pageSize]', '10'],
        ['v', '2026-11-26 10:00:00'],
      ]),
    ).toBe('searchCriteria%5BpageSize%5D=10&v=2026-11-26%2010%3A00%3A00');
  });
});

describe('signatureBaseString', () => {
  it('should build the base string of RFC 5849 §3.4.1.1', () => {
    // The RFC's example: query, form body (`c2&a3=2+q`, where + is a space) and oauth_* parameters.
    const url = new URL('http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b');
    const parameters: [string, string][] = [
      ['c2', ''],
      ['a3', '2 q'],
      ['oauth_consumer_key', '9djdj82h48djs9d2'],
      ['oauth_token', 'kkk9d7dh3k39sjv7'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '137131201'],
      ['oauth_nonce', '7d8f3e4a'],
      ['oauth_signature', 'left out'],
      ['realm', 'left out too'],
    ];
    expect(signatureBaseString('post', url, parameters)).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });

  it.each([
    ['HTTP://Example.COM:80/r/V1/orders?x=1', 'http://example.com/r/V1/orders'],
    ['https://shop.example.com:443/rest/V1/orders', 'https://shop.example.com/rest/V1/orders'],
    ['https://shop.example.com:8443/rest/V1/orders#top', 'https://shop.example.com:8443/rest/V1/orders'],
    ['http://127.0.0.1:4010/rest/V1/orders', 'http://127.0.0.1:4010/rest/V1/orders'],
  ])('should normalise the URI %s to %s (RFC 5849 §3.4.1.2)', (url, expected) => {
    expect(baseStringUri(new URL(url))).toBe(expected);
  });
});

describe('hmacSignature', () => {
  // OAuth Core 1.0 Appendix A.5: the photos.example.net request, signed HMAC-SHA1.
  const photosBaseString =
    'GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal';

  it('should reproduce the OAuth Core 1.0 Appendix A.5 base string and signature', () => {
    const url = new URL('http://photos.example.net/photos?file=vacation.jpg&size=original');
    const baseString = signatureBaseString('GET', url, [
      ['oauth_consumer_key', 'dpf43f3p2l4k3l03'],
      ['oauth_token', 'nnch734d00sl2jdk'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '1191242096'],
      ['oauth_nonce', 'kllo9940pd9333jh'],
      ['oauth_version', '1.0'],
    ]);
    expect(baseString).toBe(photosBaseString);
    expect(hmacSignature(baseString, 'kd94hf93k423kf44', 'pfkkdhi9sl3r4s00', 'HMAC-SHA1')).toBe(
      'tR3+Ty81lMeYAr/Fid0kMTYa/WM=',
    );
  });

  it('should sign with SHA-256 under the same key (value computed independently with Python hmac)', () => {
    expect(hmacSignature(photosBaseString, 'kd94hf93k423kf44', 'pfkkdhi9sl3r4s00', 'HMAC-SHA256')).toBe(
      '0gCtTYQAxqCKhIE0sltgx7UgHkAs10vrpuYE7xpRBnE=',
    );
  });

  it('should percent-encode the secrets inside the key', () => {
    // key = "a%26b&c%20d": an & inside a secret must not split the key.
    expect(hmacSignature('x', 'a&b', 'c d', 'HMAC-SHA256')).not.toBe(hmacSignature('x', 'a', 'b&c d', 'HMAC-SHA256'));
  });
});

describe('oauthAuthorizationHeader', () => {
  const credentials = {
    consumerKey: 'ck-magento-integration',
    consumerSecret: 'cs/secret+with&odd chars',
    token: 'at-access-token',
    tokenSecret: 'ats-token-secret',
  };

  it('should carry every protocol parameter and a signature over the query Magento will read', () => {
    const url = new URL(
      `https://shop.example.com/rest/V1/orders?${encodeQuery([
        ['searchCriteria[filter_groups][0][filters][0][field]', 'updated_at'],
        ['searchCriteria[filter_groups][0][filters][0][value]', '2026-11-26 10:00:00'],
        ['searchCriteria[pageSize]', '50'],
      ])}`,
    );
    const header = oauthAuthorizationHeader({
      method: 'GET',
      url,
      credentials,
      timestampSeconds: 1_795_000_000.9,
      nonce: 'fixed-nonce',
    });
    const parameters = headerParameters(header);
    expect(parameters).toMatchObject({
      oauth_consumer_key: 'ck-magento-integration',
      oauth_token: 'at-access-token',
      oauth_signature_method: 'HMAC-SHA256',
      oauth_timestamp: '1795000000',
      oauth_nonce: 'fixed-nonce',
      oauth_version: '1.0',
    });
    const { oauth_signature: signature, ...protocol } = parameters;
    const expected = hmacSignature(
      signatureBaseString('GET', url, Object.entries(protocol)),
      credentials.consumerSecret,
      credentials.tokenSecret,
      'HMAC-SHA256',
    );
    expect(signature).toBe(expected);
  });

  it('should sign the query: another filter value gives another signature', () => {
    const sign = (value: string) =>
      headerParameters(
        oauthAuthorizationHeader({
          method: 'GET',
          url: new URL(`https://shop.example.com/rest/V1/orders?${encodeQuery([['v', value]])}`),
          credentials,
          timestampSeconds: 1_795_000_000,
          nonce: 'n',
        }),
      ).oauth_signature;
    expect(sign('2026-11-26 10:00:00')).not.toBe(sign('2026-11-26 10:00:01'));
  });
});
