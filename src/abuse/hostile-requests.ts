import { createHmac } from 'node:crypto';

import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { z } from 'zod';

import { ErrorCode } from '../core/errors.js';
import type { Platform } from '../core/store/store.js';
import { CARRIER_WEBHOOK_SECRETS, type RegisteredRoute } from './production-app.js';
import { Access, Body, classify } from './route-inventory.js';
import { PLACEHOLDER_PARAMS, routeParams } from './route-params.js';

/**
 * Hostile requests for fast-check: bodies, headers, query strings and path
 * parameters chosen to break parsers, validators, storage and rendering, sent
 * with just enough valid credentials that they reach the code behind the door.
 */

/** Runs per route: `WAYMARK_FUZZ_RUNS` raises it for the soak variant. */
export function runsPerRoute(fallback: number): number {
  const fromEnv = Number(process.env.WAYMARK_FUZZ_RUNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : fallback;
}

/** Field names the app reads somewhere; hostile values under real names reach real validators. */
const FIELD_NAMES = [
  'externalId',
  'number',
  'orderStatus',
  'financialStatus',
  'customer',
  'email',
  'name',
  'phone',
  'language',
  'shippingAddress',
  'country',
  'postalCode',
  'lineItems',
  'quantity',
  'shipments',
  'trackingNumber',
  'carrier',
  'shippedAt',
  'placedAt',
  'promisedDeliveryDate',
  'platformStatus',
  'url',
  'eventTypes',
  'milestone',
  'channel',
  'locale',
  'orderId',
  'shipmentId',
  'template',
  'subject',
  'html',
  'text',
  'body',
  'to',
  'id',
  'order',
  'storeId',
  'password',
  'next',
  'role',
  'primaryColour',
  'accentColour',
  'logoUrl',
  'supportEmail',
  'clientId',
  'clientSecret',
  'apiKey',
  'result',
  'tracking_code',
  'tracking_number',
  'status',
  'data',
  'msg',
  'event',
  'scope',
  'hash',
  'created_at',
  'line_items',
  'fulfillments',
  'tracking',
  'checkpoints',
  'trackingDetails',
] as const;

const CONTROL_AND_ODD = [
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\ufeff',
  '\u202e',
  '\ud800',
  '\udfff',
  '\u2028',
  '\r\n',
  '%00',
];

/** Strings built to break things: NUL and control characters, lone surrogates, markup, SQL, path tricks. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udfffx',
    "'; drop table store; --",
    '" or 1=1 --',
    '<script>alert(1)</script>',
    '<%= it.constructor.constructor("return process")() %>',
    '{{7*7}}',
    '${7*7}',
    '../../../../etc/passwd',
    '%2e%2e%2f',
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'NaN',
    'Infinity',
    '-0',
    '1e309',
    '9007199254740993',
    'null',
    'true',
    '0x1F',
    'javascript:alert(1)',
    'http://169.254.169.254/latest/meta-data/',
    'file:///etc/passwd',
    'ＡＢＣ',
    'ﬃ',
    '\u202eevil',
    'a'.repeat(300),
  ),
  fc
    .tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...CONTROL_AND_ODD), fc.string({ maxLength: 8 }))
    .map(([a, odd, b]) => `${a}${odd}${b}`),
  fc.integer({ min: 1_000, max: 200_000 }).map((n) => 'x'.repeat(n)),
);

/** A value of any JSON type, often not the one the field wants. */
const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, -(2 ** 63)),
    fc.double(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 6 })), tie('value'), {
      maxKeys: 4,
    }),
  ),
})).value;

/** `[[[…]]]` or `{"a":{"a":…}}` as deep as the body limit allows. */
const deeplyNested: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 500, max: 150_000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
  );

const pollution: fc.Arbitrary<string> = fc.constantFrom(
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"externalId":"p-1","number":"1","customer":{"__proto__":{"polluted":"yes"}}}',
  '{"a":[{"__proto__":{"polluted":"yes"}}]}',
  '{"__proto__":[],"length":1}',
  '{"milestone":"delivered","channel":"email","template":{"constructor":{"prototype":{"polluted":"yes"}}}}',
);

/** Bytes that are not UTF-8 (or not text at all), raw NUL, BOMs, truncations. */
const invalidBytes: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 256 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom(
    Buffer.from([0xff, 0xfe, 0xfd]),
    Buffer.from('{"externalId":"\xff\xfe","number":"1"}', 'latin1'),
    // An overlong '/' and an encoded lone surrogate inside a JSON string.
    Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d]),
    Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]),
    // A raw NUL byte inside a JSON string (invalid), then NUL and lone surrogates as escapes (valid JSON).
    Buffer.from('{"a":"b\u0000c"}'),
    Buffer.from('{"a":"\\u0000","number":"\\u0000","externalId":"\\u0000"}'),
    Buffer.from('{"externalId":"e\\ud800","number":"\\udfff"}'),
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]),
    Buffer.from([0x00, 0x00, 0x00, 0x00]),
  ),
);

/** An object with real field names and hostile values: the shape validators see most. */
const wrongTypes: fc.Arbitrary<string> = fc
  .dictionary(fc.constantFrom(...FIELD_NAMES), hostileValue, { minKeys: 1, maxKeys: 8 })
  .map((object) => JSON.stringify(object));

/** A JSON-ish or outright hostile request body. */
export const hostileJsonBody: fc.Arbitrary<Buffer> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((value) => Buffer.from(JSON.stringify(value) ?? 'null')),
  wrongTypes.map((text) => Buffer.from(text)),
  hostileValue.map((value) => Buffer.from(JSON.stringify(value) ?? 'null')),
  deeplyNested.map((text) => Buffer.from(text)),
  pollution.map((text) => Buffer.from(text)),
  invalidBytes,
  fc.constantFrom(
    Buffer.alloc(0),
    Buffer.from('{'),
    Buffer.from('{"a":'),
    Buffer.from('null'),
    Buffer.from('"\\u0000"'),
  ),
);

/** A form body: repeated and bracketed names, encodings that do not decode, NUL, thousands of fields. */
export const hostileFormBody: fc.Arbitrary<Buffer> = fc.oneof(
  fc
    .dictionary(fc.constantFrom(...FIELD_NAMES, '_csrf', 'eventTypes'), hostileString, { maxKeys: 6 })
    .map((fields) => Buffer.from(new URLSearchParams(fields).toString())),
  fc
    .constantFrom(
      'email=a&email=b&password[]=x',
      '_csrf[]=x&_csrf[]=y',
      'email[toString]=1&password[valueOf]=2',
      '__proto__[polluted]=yes&constructor[prototype][polluted]=yes',
      '%zz=%E0%A4%A&%=%%',
      'order=%00&email=%00',
      'order=%FF%FE&email=%C0%AF',
      '=&&&=&=',
      'a=1;b=2',
    )
    .map((text) => Buffer.from(text)),
  fc.integer({ min: 100, max: 3000 }).map((n) => Buffer.from(Array.from({ length: n }, (_, i) => `f${i}=1`).join('&'))),
  invalidBytes,
);

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json;;;',
  'APPLICATION/JSON',
  'application/vnd.api+json',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=iso-8859-1',
  'multipart/form-data; boundary=----x',
  'text/plain',
  'text/html',
  'application/xml',
  'application/octet-stream',
  'application/json, text/plain',
  '*/*',
  '',
  ';',
  'application/json\u0000',
];

/** Query strings: arrays for scalars, bracket syntax, broken percent-encoding, very many parameters. */
const QUERY_NAMES = [
  'limit',
  'cursor',
  'q',
  'number',
  'carrier',
  'orderStatus',
  'shippingStatus',
  'shippingSummary',
  'from',
  'to',
  'format',
  'days',
  'table',
  'kind',
  'preview',
  'order',
  'email',
  'next',
  'done',
  'milestone',
  'channel',
  'locale',
  'orderId',
  'token',
];
export const hostileQuery: fc.Arbitrary<string> = fc.oneof(
  fc.constant(''),
  fc
    .array(
      fc.tuple(
        fc.constantFrom(...QUERY_NAMES),
        hostileString.filter((s) => s.length < 2000),
      ),
      { maxLength: 5 },
    )
    .map((pairs) => new URLSearchParams(pairs).toString()),
  fc.constantFrom(...QUERY_NAMES).map((name) => `${name}=1&${name}=2&${name}[]=3`),
  fc.constantFrom(...QUERY_NAMES).map((name) => `${name}[b]=&${name}[__proto__][x]=1`),
  fc.constantFrom(
    '%',
    '%zz',
    'a=%E0%A4%A',
    'a=%00',
    'a=%FF%FE',
    '%00=%00',
    'limit=1e999',
    'limit=-1',
    'limit=0x10',
    '&&&=',
    'a==b',
  ),
  fc.integer({ min: 1_000, max: 10_000 }).map((n) => Array.from({ length: n }, (_, i) => `p${i}=${i}`).join('&')),
);

/** Path parameter values: the stores' real ids, other tenants' ids, random UUIDs and hostile strings. */
export function pathValue(name: string, known: readonly string[]): fc.Arbitrary<string> {
  const placeholder = PLACEHOLDER_PARAMS[name] ?? 'x';
  return fc.oneof(
    fc.constant(placeholder),
    fc.constantFrom(...(known.length > 0 ? known : [placeholder])),
    fc.uuid(),
    hostileString.filter((s) => s.length > 0 && s.length < 3000),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }),
  );
}

/** Fills a pattern, percent-encoding what it must and sometimes leaving raw bytes a client could still send. */
function encodeSegment(value: string, raw: boolean): string {
  if (!raw) return encodeURIComponent(value.replace(/[\ud800-\udfff]/g, '\ufffd'));
  return value.replace(/[^A-Za-z0-9%._~-]/g, (c) => (c.charCodeAt(0) < 0x80 ? encodeURIComponent(c) : c));
}

/**
 * A request the route would accept, to be spoiled: the fuzzer replaces,
 * deletes or repeats a few of its fields, so hostile values arrive where a
 * real client's would and get past the first validator.
 */
export type Seed = {
  /** Path parameters this seed belongs with (a webhook body with its source). */
  params?: Readonly<Record<string, string>>;
  query?: Readonly<Record<string, string>>;
  json?: unknown;
  form?: Readonly<Record<string, string>>;
};

/** Text that databases, renderers and parsers choke on, weighted towards the characters that broke things. */
const nastyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udfff', '%00', '\u202e', '', ' ') },
  { weight: 2, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
);

type PathStep = string | number;

/** Every node below the root as a path of keys and indexes, shallowest first (top-level fields lead). */
function nodePaths(root: unknown): PathStep[][] {
  const paths: PathStep[][] = [];
  const queue: { node: unknown; path: PathStep[] }[] = [{ node: root, path: [] }];
  for (let next = queue.shift(); next; next = queue.shift()) {
    const { node, path } = next;
    const children: [PathStep, unknown][] = Array.isArray(node)
      ? node.map((item, index): [PathStep, unknown] => [index, item])
      : typeof node === 'object' && node !== null
        ? Object.entries(node)
        : [];
    for (const [step, child] of children) {
      paths.push([...path, step]);
      queue.push({ node: child, path: [...path, step] });
    }
  }
  return paths;
}

/** Which node to spoil: half the time one of the first (top-level) ones, where ids, topics and names live. */
const fieldPick = fc.oneof(fc.nat({ max: 8 }), fc.nat());

type Edit = { pick: number; op: 'replace' | 'delete' | 'repeat'; value: unknown };

function applyEdits(document: unknown, edits: Edit[]): unknown {
  const copy = structuredClone(document);
  for (const edit of edits) {
    const paths = nodePaths(copy);
    const path = paths[edit.pick % Math.max(paths.length, 1)];
    if (!path) return edit.value;
    const parent = path.slice(0, -1).reduce<unknown>((node, step) => (node as Record<PathStep, unknown>)[step], copy);
    const last = path[path.length - 1] as PathStep;
    const container = parent as Record<PathStep, unknown>;
    if (edit.op === 'delete' && !Array.isArray(parent)) delete container[last];
    else if (edit.op === 'repeat') container[last] = [container[last], edit.value];
    else container[last] = edit.value;
  }
  return copy;
}

const edits = (value: fc.Arbitrary<unknown>): fc.Arbitrary<Edit[]> =>
  fc.array(
    fc.record({ pick: fieldPick, op: fc.constantFrom('replace', 'replace', 'replace', 'delete', 'repeat'), value }),
    {
      minLength: 1,
      maxLength: 3,
    },
  );

/** A JSON document with a few fields spoiled. */
export function spoiledJson(document: unknown): fc.Arbitrary<unknown> {
  return edits(fc.oneof({ weight: 3, arbitrary: nastyText }, { weight: 2, arbitrary: hostileValue })).map((list) =>
    applyEdits(document, list),
  );
}

/** Form or query fields with a few values spoiled, some repeated (a field sent twice), some dropped. */
export function spoiledFields(fields: Readonly<Record<string, string>>): fc.Arbitrary<[string, string][]> {
  const names = Object.keys(fields);
  return fc
    .array(
      fc.record({ pick: fc.nat(), op: fc.constantFrom('replace', 'replace', 'delete', 'repeat'), value: nastyText }),
      {
        minLength: 1,
        maxLength: 3,
      },
    )
    .map((list) => {
      const pairs: [string, string][] = Object.entries(fields);
      for (const edit of list) {
        if (names.length === 0) break;
        const name = names[edit.pick % names.length] ?? '';
        const at = pairs.findIndex(([key]) => key === name);
        if (edit.op === 'delete' && at >= 0) pairs.splice(at, 1);
        else if (edit.op === 'repeat') pairs.push([name, edit.value]);
        else if (at >= 0) pairs[at] = [name, edit.value];
      }
      return pairs;
    });
}

export type HostileRequest = {
  method: string;
  url: string;
  headers: Record<string, string | string[]>;
  payload?: Buffer;
  remoteAddress: string;
};

export type FuzzContext = {
  /** Values to draw path parameters from (ids of both tenants, slugs, tokens). */
  knownValues: Readonly<Record<string, readonly string[]>>;
  /** Credential headers of the caller (rotated, so rate limits stay out of the way), and sometimes none or bad ones. */
  credentials: fc.Arbitrary<Record<string, string>>;
  /** Prepended to form bodies: a valid CSRF field some of the time, so forms get past the token check. */
  formPrefix: fc.Arbitrary<string>;
  /** Requests the route would accept, to spoil (none: only random hostility). */
  seeds: readonly Seed[];
  /** Secret of the platform store whose id is in the path, for valid signatures. */
  platformSecret: (storeId: string) => { platform: Platform; secret: string } | undefined;
};

const ipAddress: fc.Arbitrary<string> = fc.ipV4();

/** Signs a carrier or platform delivery the way its sender would, over the exact bytes. */
export function signatureHeaders(
  target: { kind: 'carrier'; source: string } | { kind: 'platform'; platform: Platform; secret: string },
  body: Buffer,
): Record<string, string> {
  if (target.kind === 'carrier') {
    switch (target.source) {
      case 'easypost':
        return {
          'x-hmac-signature': `hmac-sha256-hex=${createHmac('sha256', CARRIER_WEBHOOK_SECRETS.easypost).update(body).digest('hex')}`,
        };
      case 'aftership':
        return {
          'aftership-hmac-sha256': createHmac('sha256', CARRIER_WEBHOOK_SECRETS.aftership)
            .update(body)
            .digest('base64'),
        };
      case 'shippo':
        return { 'x-waymark-webhook-token': CARRIER_WEBHOOK_SECRETS.shippo };
      case 'ups':
        return { 'x-api-key': CARRIER_WEBHOOK_SECRETS.ups };
      default:
        return {};
    }
  }
  const hmac = (encoding: 'base64' | 'hex') => createHmac('sha256', target.secret).update(body).digest(encoding);
  switch (target.platform) {
    case 'shopify':
      return { 'x-shopify-hmac-sha256': hmac('base64'), 'x-shopify-topic': 'orders/updated' };
    case 'woocommerce':
      return { 'x-wc-webhook-signature': hmac('base64'), 'x-wc-webhook-topic': 'order.updated' };
    case 'bigcommerce':
      return { 'x-waymark-webhook-secret': target.secret };
    case 'magento':
      return { 'x-magento-signature': hmac('hex') };
    default:
      return {};
  }
}

/** Headers an attacker would try: long values, garbage ids and languages, duplicated signatures, broken cookies. */
const hostileHeaders: fc.Arbitrary<Record<string, string | string[]>> = fc.record(
  {
    'x-request-id': fc.oneof(
      hostileString.filter((s) => s.length < 4000),
      fc.constant('a'.repeat(129)),
    ),
    'accept-language': fc.oneof(
      fc.constantFrom('*', 'xx-YY;q=2', 'en;q=abc', 'de-DE-u-co-phonebk', ';;;,,,', `${'en,'.repeat(500)}fr`),
      fc.string({ maxLength: 300 }),
    ),
    'x-forwarded-for': fc.oneof(fc.ipV4(), fc.constant('not-an-ip, , 999.1.1.1')),
    cookie: fc.constantFrom(
      'waymark_session=',
      'waymark_session=%zz; waymark_session=x',
      '=;=;',
      `a=${'b'.repeat(8000)}`,
    ),
    'x-waymark-fragment': fc.constantFrom('1', '0', 'yes'),
    'x-long': fc.integer({ min: 1000, max: 16_000 }).map((n) => 'v'.repeat(n)),
    'x-shopify-hmac-sha256': fc.array(fc.base64String({ minLength: 44, maxLength: 44 }), {
      minLength: 2,
      maxLength: 3,
    }),
    'x-hmac-signature': fc.array(fc.constant('hmac-sha256-hex=00'), { minLength: 2, maxLength: 2 }),
    'aftership-hmac-sha256': fc.array(fc.string({ maxLength: 50 }), { minLength: 2, maxLength: 2 }),
    'x-api-key': fc.array(fc.constant(CARRIER_WEBHOOK_SECRETS.ups), { minLength: 2, maxLength: 2 }),
    'x-waymark-webhook-token': fc.array(fc.constant(CARRIER_WEBHOOK_SECRETS.shippo), { minLength: 2, maxLength: 2 }),
  },
  { requiredKeys: [] },
);

/**
 * Everything that can be wrong with one request to `route`: the path
 * parameters, the query, the body and its declared type and length, the
 * headers, a signature that is valid, wrong, missing or sent twice.
 */
export function hostileRequest(route: RegisteredRoute, context: FuzzContext): fc.Arbitrary<HostileRequest> {
  const entry = classify(route);
  if (!entry) throw new Error(`${route.key} is not in the route inventory`);
  const names = routeParams(route.url);
  const takesBody = route.method !== 'GET' && route.method !== 'HEAD';
  const formRoute = entry.body === Body.Html || route.url.startsWith('/u/');
  const contentLength = fc.option(fc.constantFrom('0', '-1', '1', 'abc', '99999999999999999999', '1, 2'), {
    freq: 8,
    nil: undefined,
  });

  /** Anything at all: random parameters, query, body, declared type and length, odd headers. */
  const randomShape: fc.Arbitrary<Shape> = fc.record({
    values: fc.tuple(...names.map((name) => pathValue(name, context.knownValues[name] ?? []))),
    query: hostileQuery,
    body: takesBody
      ? fc.oneof(formRoute ? hostileFormBody : hostileJsonBody, hostileJsonBody, hostileFormBody)
      : fc.option(hostileJsonBody, { freq: 4, nil: undefined }),
    contentType: fc.oneof(
      fc.constant(formRoute ? 'application/x-www-form-urlencoded' : 'application/json'),
      fc.constantFrom(...CONTENT_TYPES),
      fc.option(fc.string({ maxLength: 60 }), { nil: undefined }),
    ),
    contentLength,
    extra: hostileHeaders,
  });

  /** A request the route would take, with a few values spoiled, so they reach its validation and storage. */
  const seededShape: fc.Arbitrary<Shape> | null =
    context.seeds.length === 0
      ? null
      : fc.constantFrom(...context.seeds).chain((seed) =>
          fc.record({
            values: fc.tuple(
              ...names.map((name) => {
                const fixed = seed.params?.[name];
                return fixed === undefined ? pathValue(name, context.knownValues[name] ?? []) : fc.constant(fixed);
              }),
            ),
            query: seed.query
              ? spoiledFields(seed.query).map((pairs) => new URLSearchParams(pairs).toString())
              : fc.constant(''),
            body:
              seed.json !== undefined
                ? spoiledJson(seed.json).map((document) => Buffer.from(JSON.stringify(document) ?? 'null'))
                : seed.form
                  ? spoiledFields(seed.form).map((pairs) => Buffer.from(new URLSearchParams(pairs).toString()))
                  : fc.constant(undefined),
            contentType: fc.constant(
              seed.json !== undefined
                ? 'application/json'
                : seed.form
                  ? 'application/x-www-form-urlencoded'
                  : undefined,
            ),
            contentLength: fc.constant(undefined),
            extra: fc.oneof(fc.constant({}), hostileHeaders),
          }),
        );

  return fc
    .record({
      shape: seededShape
        ? fc.oneof({ weight: 1, arbitrary: randomShape }, { weight: 2, arbitrary: seededShape })
        : randomShape,
      raw: fc.boolean(),
      credentials: context.credentials,
      formPrefix: context.formPrefix,
      signature: fc.constantFrom('valid', 'valid', 'wrong', 'none', 'duplicate'),
      remoteAddress: ipAddress,
    })
    .map(({ shape, raw, credentials, formPrefix, signature, remoteAddress }) => {
      const payload =
        shape.body !== undefined && formPrefix ? Buffer.concat([Buffer.from(formPrefix), shape.body]) : shape.body;
      let index = 0;
      const path = route.url.replace(/:([A-Za-z0-9_]+)|\*/g, () => encodeSegment(shape.values[index++] ?? '', raw));
      const headers: Record<string, string | string[]> = { ...shape.extra, ...credentials };
      if (shape.contentType !== undefined) headers['content-type'] = shape.contentType;
      if (shape.contentLength !== undefined && payload !== undefined) headers['content-length'] = shape.contentLength;
      if (entry.access === Access.WebhookSignature && payload !== undefined && signature !== 'duplicate') {
        for (const key of SIGNATURE_HEADERS) delete headers[key];
        const target = webhookTarget(route, path, context);
        if (target && signature !== 'none') {
          const signed = signatureHeaders(target, payload);
          if (signature === 'wrong') for (const key of Object.keys(signed)) signed[key] = `${signed[key] ?? ''}x`;
          Object.assign(headers, signed);
        }
      }
      return {
        method: route.method,
        url: shape.query ? `${path}?${shape.query}` : path,
        headers,
        ...(payload === undefined ? {} : { payload }),
        remoteAddress,
      };
    });
}

type Shape = {
  values: string[];
  query: string;
  body: Buffer | undefined;
  contentType: string | undefined;
  contentLength: string | undefined;
  extra: Record<string, string | string[]>;
};

const SIGNATURE_HEADERS = [
  'x-shopify-hmac-sha256',
  'x-wc-webhook-signature',
  'x-waymark-webhook-secret',
  'x-magento-signature',
  'x-hmac-signature',
  'aftership-hmac-sha256',
  'x-api-key',
  'x-waymark-webhook-token',
];

/** Who a webhook path claims to come from, for signing; undefined for paths that name no configured sender. */
function webhookTarget(
  route: RegisteredRoute,
  path: string,
  context: FuzzContext,
): Parameters<typeof signatureHeaders>[0] | undefined {
  const segments = path.split('/');
  if (route.url.startsWith('/webhooks/carriers/'))
    return { kind: 'carrier', source: decodeURIComponentSafe(segments[3] ?? '') };
  const store = context.platformSecret(decodeURIComponentSafe(segments[3] ?? ''));
  return store ? { kind: 'platform', platform: store.platform, secret: store.secret } : undefined;
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const ERROR_CODES = Object.values(ErrorCode) as string[];
const EnvelopeSchema = z
  .object({
    error: z
      .object({ code: z.enum(ERROR_CODES), message: z.string().min(1), details: z.unknown().optional() })
      .strict(),
  })
  .strict();

export function isErrorEnvelope(text: string): boolean {
  try {
    return EnvelopeSchema.safeParse(JSON.parse(text)).success;
  } catch {
    return false;
  }
}

/**
 * What every answer to a hostile request must be: no 5xx; for JSON routes an
 * error is the envelope; for pages an error is a page (or, for refusals made
 * before the page's own code runs, the envelope).
 */
export function expectWellFormed(
  route: RegisteredRoute,
  request: HostileRequest,
  response: LightMyRequestResponse,
): void {
  const entry = classify(route);
  const where = `${request.method} ${request.url.slice(0, 300)} → ${response.statusCode} ${response.body.slice(0, 300)}`;
  expect(response.statusCode, where).toBeLessThan(500);
  if (response.statusCode < 400) return;
  const type = String(response.headers['content-type'] ?? '');
  if (entry?.body === Body.Json) {
    expect(isErrorEnvelope(response.body), `not the error envelope: ${where}`).toBe(true);
  } else if (entry?.body === Body.Html) {
    expect(
      type.startsWith('text/html') || isErrorEnvelope(response.body),
      `neither a page nor the envelope: ${where}`,
    ).toBe(true);
  }
}

/** Fires one request; the app is driven in-process, so a crash would surface as an error here. */
export function fire(app: FastifyInstance, request: HostileRequest): Promise<LightMyRequestResponse> {
  return app.inject({
    method: request.method as 'GET',
    url: request.url,
    headers: request.headers,
    ...(request.payload === undefined ? {} : { payload: request.payload }),
    remoteAddress: request.remoteAddress,
  });
}

/** Nothing was added to Object.prototype by a `__proto__` or `constructor.prototype` body. */
export function expectPrototypeClean(): void {
  const probe: Record<string, unknown> = {};
  expect(probe.polluted).toBeUndefined();
  expect(Object.keys(Object.prototype)).toEqual([]);
}
