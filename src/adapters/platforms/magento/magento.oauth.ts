/**
 * OAuth 1.0a request signing (RFC 5849 §3), as Magento 2.4.4+ requires for integration
 * tokens: consumer key/secret + access token/secret, HMAC-SHA256 (Magento has deprecated
 * HMAC-SHA1). Written here rather than pulled in: it is fifty lines and the exact encoding
 * rules are what makes Magento accept or refuse a request.
 *
 * Magento quirks that shape how requests must be built (see `magento.client.ts`):
 * - It reads query parameters by splitting on `&` and `=` and `rawurldecode`-ing each side,
 *   so `+` is NOT a space there: spaces must travel as `%20`, and a parameter without `=` is
 *   left out of its base string. `percentEncode` + `encodeQuery` produce exactly that.
 * - It sorts parameters with PHP `strnatcmp` (natural order) where RFC 5849 says byte order;
 *   the two agree as long as no two names differ by digit runs of different lengths (index 10
 *   vs 9), which the searchCriteria this adapter sends never do.
 */
import { createHmac, randomBytes } from 'node:crypto';

export type OAuth1Credentials = {
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
};

export type OAuth1SignatureMethod = 'HMAC-SHA256' | 'HMAC-SHA1';

/** RFC 3986 percent-encoding (RFC 5849 §3.6): everything but `A-Z a-z 0-9 - . _ ~`, as UTF-8. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** A query string from ordered name/value pairs, encoded as `percentEncode` does (spaces as `%20`). */
export function encodeQuery(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`).join('&');
}

function decodeComponent(value: string): string {
  // application/x-www-form-urlencoded, as RFC 5849 §3.4.1.3.1 asks: `+` is a space.
  return decodeURIComponent(value.replace(/\+/g, '%20'));
}

/** RFC 5849 §3.4.1.2: scheme and host in lower case, default port dropped, no query or fragment. */
export function baseStringUri(url: URL): string {
  const scheme = url.protocol.toLowerCase();
  const defaultPort = (scheme === 'http:' && url.port === '80') || (scheme === 'https:' && url.port === '443');
  const port = url.port && !defaultPort ? `:${url.port}` : '';
  return `${scheme}//${url.hostname.toLowerCase()}${port}${url.pathname}`;
}

/**
 * RFC 5849 §3.4.1: `METHOD&uri&normalised-parameters`. `parameters` are the decoded request
 * parameters that are not in the URL's query (oauth_* and, for form posts, the body's).
 */
export function signatureBaseString(
  method: string,
  url: URL,
  parameters: readonly (readonly [string, string])[],
): string {
  const fromQuery: [string, string][] = url.search
    .slice(1)
    .split('&')
    .filter((pair) => pair.length > 0)
    .map((pair) => {
      const equals = pair.indexOf('=');
      return equals === -1
        ? [decodeComponent(pair), '']
        : [decodeComponent(pair.slice(0, equals)), decodeComponent(pair.slice(equals + 1))];
    });
  const normalised = [...fromQuery, ...parameters]
    .filter(([name]) => name !== 'oauth_signature' && name !== 'realm')
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
    .sort(([nameA, valueA], [nameB, valueB]) => compareBytes(nameA, nameB) || compareBytes(valueA, valueB))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  return [method.toUpperCase(), percentEncode(baseStringUri(url)), percentEncode(normalised)].join('&');
}

function compareBytes(a: string, b: string): number {
  // Encoded strings are ASCII, so code-unit order is byte order.
  return a < b ? -1 : a > b ? 1 : 0;
}

/** RFC 5849 §3.4.2: base64 HMAC of the base string, keyed `encode(consumerSecret)&encode(tokenSecret)`. */
export function hmacSignature(
  baseString: string,
  consumerSecret: string,
  tokenSecret: string,
  method: OAuth1SignatureMethod,
): string {
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
  return createHmac(method === 'HMAC-SHA256' ? 'sha256' : 'sha1', key)
    .update(baseString)
    .digest('base64');
}

/** A fresh nonce: 32 hex characters. */
export function randomNonce(): string {
  return randomBytes(16).toString('hex');
}

/**
 * The `Authorization: OAuth …` header value for one request. `url` is the full URL the request
 * goes to, query included; `timestampSeconds` and `nonce` are fixed by the caller for testing.
 */
export function oauthAuthorizationHeader(request: {
  method: string;
  url: URL;
  credentials: OAuth1Credentials;
  timestampSeconds: number;
  nonce: string;
  signatureMethod?: OAuth1SignatureMethod;
}): string {
  const signatureMethod = request.signatureMethod ?? 'HMAC-SHA256';
  const protocol: [string, string][] = [
    ['oauth_consumer_key', request.credentials.consumerKey],
    ['oauth_nonce', request.nonce],
    ['oauth_signature_method', signatureMethod],
    ['oauth_timestamp', String(Math.floor(request.timestampSeconds))],
    ['oauth_token', request.credentials.token],
    ['oauth_version', '1.0'],
  ];
  const baseString = signatureBaseString(request.method, request.url, protocol);
  const signature = hmacSignature(
    baseString,
    request.credentials.consumerSecret,
    request.credentials.tokenSecret,
    signatureMethod,
  );
  return `OAuth ${[...protocol, ['oauth_signature', signature] as const]
    .map(([name, value]) => `${percentEncode(name)}="${percentEncode(value)}"`)
    .join(', ')}`;
}
