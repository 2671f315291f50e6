import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { ErrorCode } from '../core/errors.js';
import { FIXED_NOW } from '../test-support/factories.js';
import {
  buildTestApp,
  errorOf,
  seedStoreWithKey,
  TEST_BODY_LIMIT,
  type TestApp,
} from '../test-support/build-test-app.js';
import { describeEachDatabase } from '../test-support/databases.js';
import { OrderSchema } from './schemas/order.schema.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const SOME_UUID = '3f0e8a52-6c1d-4b7e-9a2f-0d4c5b6a7e81';
const ERROR_CODES = Object.values(ErrorCode) as string[];

const EnvelopeSchema = z
  .object({
    error: z
      .object({ code: z.enum(ERROR_CODES), message: z.string().min(1), details: z.unknown().optional() })
      .strict(),
  })
  .strict();
const OrderListSchema = z
  .object({ data: z.array(OrderSchema.strict()), nextCursor: z.string().nullable(), total: z.number().int().min(0) })
  .strict();

/** What every answer must be: below 500, and either the error envelope or a body valid for the route. */
function expectWellFormed(response: LightMyRequestResponse, okBody: z.ZodType): void {
  expect(response.statusCode, response.body).toBeLessThan(500);
  const body: unknown = JSON.parse(response.body);
  if (response.statusCode >= 400) {
    expect(EnvelopeSchema.safeParse(body).success, response.body).toBe(true);
  } else {
    expect(okBody.safeParse(body).success, response.body).toBe(true);
  }
}

/** Every UTF-8 byte percent-encoded; unlike encodeURIComponent it also takes lone surrogates. */
function percentEncode(value: string): string {
  return Array.from(Buffer.from(value, 'utf8'), (byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
}

describeEachDatabase('HTTP error envelope', (dialect) => {
  let t: TestApp;
  let auth: { authorization: string };
  let revokedKey: string;

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    const seeded = await seedStoreWithKey(t.storage);
    auth = seeded.auth;
    const revoked = await t.storage.repositories.apiKeys.createApiKey(seeded.store.id, 'old', FIXED_NOW);
    await t.storage.repositories.apiKeys.revokeApiKey(seeded.store.id, revoked.id, FIXED_NOW);
    revokedKey = revoked.key;
  });
  afterAll(async () => {
    await t.close();
  });

  const send = (method: Method, url: string, contentType: string | undefined, payload: string, withKey = true) =>
    t.app.inject({
      method,
      url,
      payload,
      headers: { ...(contentType ? { 'content-type': contentType } : {}), ...(withKey ? auth : {}) },
    });

  /** Routes that take a body, plus paths and methods nothing answers. */
  const BODY_TARGETS: [Method, string][] = [
    ['POST', '/api/v1/orders'],
    ['POST', `/api/v1/orders/${SOME_UUID}`],
    ['PUT', `/api/v1/orders/${SOME_UUID}`],
    ['PATCH', '/api/v1/orders'],
    ['POST', '/api/v1/no-such-thing'],
    ['POST', '/no-such-page'],
    ['POST', '/healthz'],
    ['DELETE', '/healthz'],
  ];

  describe('malformed JSON', () => {
    it.each(BODY_TARGETS)('should answer 400 malformed_json when %s %s gets a truncated JSON body', async (m, url) => {
      const response = await send(m, url, 'application/json', '{"externalId": "e-1", "number":');

      expect(response.statusCode).toBe(400);
      expect(errorOf(response)).toEqual({ code: 'malformed_json', message: 'body is not valid JSON' });
    });

    it.each(BODY_TARGETS)('should answer 400 malformed_json when %s %s gets an empty JSON body', async (m, url) => {
      const response = await send(m, url, 'application/json', '');

      expect(response.statusCode).toBe(400);
      expect(errorOf(response).code).toBe('malformed_json');
      expect(errorOf(response).message).toMatch(/empty/);
    });

    it('should answer 400 malformed_json when the body tries prototype pollution', async () => {
      const response = await send('POST', '/api/v1/orders', 'application/json', '{"__proto__": {"admin": true}}');

      expect(response.statusCode).toBe(400);
      expect(errorOf(response).code).toBe('malformed_json');
    });

    it.each([
      ['GET', '/api/v1/orders', 200],
      ['GET', `/api/v1/orders/${SOME_UUID}`, 404],
    ] as const)('should ignore a body sent with %s %s', async (m, url, status) => {
      const response = await send(m, url, 'application/json', '{"not json');

      expect(response.statusCode).toBe(status);
    });
  });

  describe('wrong content type', () => {
    it.each(['application/xml', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
      'should answer 415 unsupported_media_type when POST /api/v1/orders is sent %s',
      async (contentType) => {
        const response = await send('POST', '/api/v1/orders', contentType, '<order><number>1</number></order>');

        expect(response.statusCode).toBe(415);
        expect(errorOf(response)).toEqual({
          code: 'unsupported_media_type',
          message: 'content type not supported here; send application/json',
        });
      },
    );

    it('should answer 415 when POST /api/v1/orders has a body but no content type', async () => {
      const response = await send('POST', '/api/v1/orders', undefined, 'externalId=1');

      expect(response.statusCode).toBe(415);
      expect(errorOf(response).code).toBe('unsupported_media_type');
    });

    it('should accept application/json with a charset parameter', async () => {
      const response = await send(
        'POST',
        '/api/v1/orders',
        'application/json; charset=utf-8',
        JSON.stringify({ externalId: 'ct-charset', number: '77' }),
      );

      expect(response.statusCode).toBe(201);
    });

    it.each(BODY_TARGETS.slice(1))(
      'should answer 404 not_found when %s %s, which nothing serves, is sent XML',
      async (m, url) => {
        const response = await send(m, url, 'application/xml', '<a/>');

        expect(response.statusCode).toBe(404);
        expect(errorOf(response).code).toBe('not_found');
      },
    );
  });

  describe('body limit', () => {
    const tooBig = JSON.stringify({ externalId: 'big', number: '1', padding: 'x'.repeat(TEST_BODY_LIMIT) });

    it.each(BODY_TARGETS)(
      'should answer 413 payload_too_large when %s %s gets a body over the limit',
      async (m, url) => {
        const response = await send(m, url, 'application/json', tooBig);

        expect(response.statusCode).toBe(413);
        expect(errorOf(response)).toEqual({
          code: 'payload_too_large',
          message: 'request body is larger than this server accepts',
        });
      },
    );

    it('should answer 415 for a body of another content type without reading it, whatever its size', async () => {
      const response = await send('POST', '/api/v1/orders', 'text/plain', 'x'.repeat(TEST_BODY_LIMIT + 1));

      expect(response.statusCode).toBe(415);
      expect(errorOf(response).code).toBe('unsupported_media_type');
    });

    it('should accept a body just under the limit and judge it on its content', async () => {
      const payload = JSON.stringify({ externalId: 'near-limit', number: '1', x: '' });
      const padded = payload.replace('"x":""', `"x":"${'y'.repeat(TEST_BODY_LIMIT - payload.length)}"`);

      const response = await send('POST', '/api/v1/orders', 'application/json', padded);

      expect(padded.length).toBe(TEST_BODY_LIMIT);
      expect(response.statusCode).toBe(400);
      expect(errorOf(response).code).toBe('invalid_input');
    });
  });

  describe('API keys', () => {
    const API_ROUTES: [Method, string][] = [
      ['GET', '/api/v1/orders'],
      ['GET', `/api/v1/orders/${SOME_UUID}`],
      ['GET', '/api/v1/orders/not-a-uuid'],
      ['POST', '/api/v1/orders'],
    ];
    const BAD_CREDENTIALS: [string, Record<string, string>][] = [
      ['no Authorization header', {}],
      ['the Basic scheme', { authorization: 'Basic d2F5bWFyazpzZWNyZXQ=' }],
      ['a bare key without a scheme', { authorization: 'wmk_abcdefghijklmnopqrstuvwxyz012345' }],
      ['Bearer with nothing after it', { authorization: 'Bearer ' }],
      ['an unknown key', { authorization: 'Bearer wmk_abcdefghijklmnopqrstuvwxyz012345' }],
      ['a key of another format', { authorization: 'Bearer sk_live_123456' }],
      ['two tokens', { authorization: 'Bearer wmk_a wmk_b' }],
    ];
    const cases = API_ROUTES.flatMap(([m, url]) =>
      BAD_CREDENTIALS.map(([label, headers]) => [m, url, label, headers] as const),
    );

    it.each(cases)('should answer 401 unauthorized when %s %s is sent %s', async (m, url, _label, headers) => {
      const response = await t.app.inject({
        method: m,
        url,
        headers,
        ...(m === 'POST' ? { payload: { externalId: 'x', number: '1' } } : {}),
      });

      expect(response.statusCode).toBe(401);
      expect(errorOf(response).code).toBe('unauthorized');
    });

    it.each(API_ROUTES)('should answer 401 unauthorized when %s %s is sent a revoked key', async (m, url) => {
      const response = await t.app.inject({
        method: m,
        url,
        headers: { authorization: `Bearer ${revokedKey}` },
        ...(m === 'POST' ? { payload: { externalId: 'x', number: '1' } } : {}),
      });

      expect(response.statusCode).toBe(401);
      expect(errorOf(response)).toEqual({ code: 'unauthorized', message: 'API key not recognised or revoked' });
    });

    it('should check the key before reading the body when both are bad', async () => {
      const response = await send('POST', '/api/v1/orders', 'application/json', '{"broken', false);

      expect(response.statusCode).toBe(401);
      expect(errorOf(response).code).toBe('unauthorized');
    });

    it('should accept the scheme in any case and surrounding spaces when the key is valid', async () => {
      const key = auth.authorization.slice('Bearer '.length);

      const response = await t.app.inject({ url: '/api/v1/orders', headers: { authorization: `bearer   ${key}  ` } });

      expect(response.statusCode).toBe(200);
    });
  });

  describe('invalid query parameters on GET /api/v1/orders', () => {
    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=2.5', 'limit'],
      ['limit=-1', 'limit'],
      ['limit=1&limit=2', 'limit'],
      ['orderStatus=bogus', 'orderStatus'],
      ['orderStatus=Processing', 'orderStatus'],
      ['shippingSummary=lost', 'shippingSummary'],
      ['number=', 'number'],
      ['number=1&number=2', 'number'],
      ['q=', 'q'],
      [`q=${'a'.repeat(201)}`, 'q'],
      ['carrier=', 'carrier'],
      ['sort=placedAt', 'sort'],
    ])('should answer 400 invalid_input naming the field when the query is %s', async (query, field) => {
      const response = await t.app.inject({ url: `/api/v1/orders?${query}`, headers: auth });

      expect(response.statusCode).toBe(400);
      expect(errorOf(response).code).toBe('invalid_input');
      expect(errorOf(response).message).toContain(field);
    });

    it('should name an unrecognised parameter cleanly, without an empty path segment', async () => {
      const response = await t.app.inject({ url: '/api/v1/orders?sort=placedAt', headers: auth });

      expect(errorOf(response).message).toContain('"sort"');
      expect(errorOf(response).message).not.toContain('.:');
    });

    it('should list every invalid field in details.issues when several are wrong', async () => {
      const response = await t.app.inject({ url: '/api/v1/orders?limit=0&orderStatus=bogus', headers: auth });

      const details = errorOf(response).details as { issues: { path: string; message: string }[] };
      expect(details.issues.map((issue) => issue.path).sort()).toEqual([
        'querystring.limit',
        'querystring.orderStatus',
      ]);
    });
  });

  describe('GET /api/v1/orders/:id with an id that is not a uuid', () => {
    it.each(['not-a-uuid', '1001', '%231001', "1'%20or%20'1'='1", `${SOME_UUID}x`])(
      'should answer 400 invalid_input on params.id when the id is %s',
      async (id) => {
        const response = await t.app.inject({ url: `/api/v1/orders/${id}`, headers: auth });

        expect(response.statusCode).toBe(400);
        expect(errorOf(response).code).toBe('invalid_input');
        expect(errorOf(response).message).toMatch(/^params\.id: /);
      },
    );

    it('should answer 404 not_found when the uuid is well formed but unknown', async () => {
      const response = await t.app.inject({ url: `/api/v1/orders/${SOME_UUID}`, headers: auth });

      expect(response.statusCode).toBe(404);
      expect(errorOf(response)).toEqual({ code: 'not_found', message: 'order not found' });
    });
  });

  describe('invalid bodies on POST /api/v1/orders', () => {
    it.each([
      ['the externalId is missing', { number: '1' }, 'body.externalId'],
      ['the number is blank', { externalId: 'e', number: '   ' }, 'body.number'],
      ['a field is unknown', { externalId: 'e', number: '1', total: 12 }, 'total'],
      ['the order status is unknown', { externalId: 'e', number: '1', orderStatus: 'shipped' }, 'body.orderStatus'],
      ['the email is invalid', { externalId: 'e', number: '1', customer: { email: 'nope' } }, 'body.customer.email'],
      ['placedAt has no zone', { externalId: 'e', number: '1', placedAt: '2026-11-26T10:00:00' }, 'body.placedAt'],
      [
        'the country is not two letters',
        { externalId: 'e', number: '1', shippingAddress: { country: 'FRA' } },
        'body.shippingAddress.country',
      ],
      [
        'a tracking number has symbols',
        { externalId: 'e', number: '1', shipments: [{ trackingNumber: '1Z<script>' }] },
        'body.shipments.0.trackingNumber',
      ],
      [
        'shipments is not a list',
        { externalId: 'e', number: '1', shipments: { trackingNumber: '1Z5R89390357567127' } },
        'body.shipments',
      ],
      ['the body is a list', [{ externalId: 'e', number: '1' }], 'body'],
      ['the body is null', null, 'body'],
      ['the body is a number', 42, 'body'],
    ])('should answer 400 invalid_input when %s', async (_case, payload, field) => {
      const response = await send('POST', '/api/v1/orders', 'application/json', JSON.stringify(payload));

      expect(response.statusCode).toBe(400);
      expect(errorOf(response).code).toBe('invalid_input');
      expect(errorOf(response).message).toContain(field);
    });

    it.each([
      ['the order number', { externalId: 'nul-1', number: '10\u000001' }],
      ['the external id', { externalId: 'nul\u00002', number: '1002' }],
      ['the customer name', { externalId: 'nul-3', number: '1003', customer: { name: 'Ada\u0000' } }],
      [
        'the carrier name',
        { externalId: 'nul-4', number: '1004', shipments: [{ trackingNumber: 'ABCD1234', carrier: 'U\u0000PS' }] },
      ],
    ])('should never answer 5xx when %s contains a NUL character', async (_case, payload) => {
      const response = await send('POST', '/api/v1/orders', 'application/json', JSON.stringify(payload));

      expectWellFormed(response, OrderSchema);
    });

    it.each(['0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z'])(
      'should never answer 5xx when placedAt is the edge date %s',
      async (placedAt) => {
        const payload = { externalId: `edge-${placedAt}`, number: '1', placedAt };

        const response = await send('POST', '/api/v1/orders', 'application/json', JSON.stringify(payload));

        expectWellFormed(response, OrderSchema);
      },
    );
  });

  describe('query values the database may reject', () => {
    it.each(['number=10%0001', 'q=a%00b', 'carrier=u%00ps', 'number=%00'])(
      'should never answer 5xx when the query is %s',
      async (query) => {
        const response = await t.app.inject({ url: `/api/v1/orders?${query}`, headers: auth });

        expectWellFormed(response, OrderListSchema);
      },
    );
  });

  describe('rate limit', () => {
    it('should answer 429 rate_limited in the envelope when a client goes over the API limit', async () => {
      // A second app over the same database, with a limit small enough to reach.
      const limited = await buildTestApp(dialect, { apiRateLimit: 2, storage: t.testStorage });
      try {
        const answers: LightMyRequestResponse[] = [];
        for (let i = 0; i < 3; i += 1) answers.push(await limited.app.inject({ url: '/api/v1/orders' }));

        expect(answers.map((r) => r.statusCode)).toEqual([401, 401, 429]);
        expect(errorOf(answers[2]!).code).toBe('rate_limited');
        expect(errorOf(answers[2]!).message).toContain('at most 2 requests');
      } finally {
        await limited.app.close();
      }
    });
  });

  describe('arbitrary input (property)', () => {
    const RUNS = 150;

    /** Strings that have broken servers before: control characters, lone surrogates, odd dates, long runs. */
    const NASTY = [
      '',
      ' ',
      '#',
      '#1001',
      '\u0000',
      'a\u0000b',
      '%',
      '%ZZ',
      '\ud800',
      '0000-01-01T00:00:00Z',
      '2026-13-45T99:99:99Z',
      'null',
      '__proto__',
      'constructor',
      "1' or '1'='1",
      'ＵＰＳ',
      '1Z5R89390357567127',
      'x'.repeat(600),
    ];
    const nastyString = fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom(...NASTY) },
      { weight: 1, arbitrary: fc.string() },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    );
    /** Mostly a value the schema accepts, so the request reaches the database; sometimes anything. */
    const mostly = (valid: fc.Arbitrary<string>) =>
      fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: nastyString });
    const headerValue = fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
      maxLength: 80,
    });
    const orderLike = fc.record(
      {
        externalId: nastyString,
        number: nastyString,
        orderStatus: mostly(fc.constantFrom('processing', 'fulfilled', 'cancelled')),
        placedAt: mostly(fc.constantFrom('2026-11-26T10:00:00Z', '2026-11-26T10:00:00+02:00', '0000-01-01T00:00:00Z')),
        customer: fc.record(
          { email: mostly(fc.constantFrom('ada@example.com', 'A@B.CO')), name: nastyString },
          { requiredKeys: [] },
        ),
        shippingAddress: fc.record(
          { city: nastyString, postalCode: nastyString, country: mostly(fc.constantFrom('FR', 'us')) },
          { requiredKeys: [] },
        ),
        shipments: fc.array(
          fc.record(
            { trackingNumber: mostly(fc.constantFrom('1Z5R89390357567127', 'ABCD-1234')), carrier: nastyString },
            { requiredKeys: ['trackingNumber'] },
          ),
          { maxLength: 2 },
        ),
      },
      { requiredKeys: ['externalId', 'number'] },
    );

    it('should never answer 5xx when POST /api/v1/orders gets arbitrary text under arbitrary content types', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.string(),
            fc.string({ unit: 'binary' }),
            fc.jsonValue().map((v) => JSON.stringify(v)),
          ),
          fc.oneof(fc.constantFrom('application/json', 'text/plain', 'application/xml', undefined), headerValue),
          async (payload, contentType) => {
            const response = await send('POST', '/api/v1/orders', contentType, payload);

            expectWellFormed(response, OrderSchema);
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('should never answer 5xx when POST /api/v1/orders gets arbitrary JSON values and order-like objects', async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.jsonValue(), orderLike), async (value) => {
          const response = await send('POST', '/api/v1/orders', 'application/json', JSON.stringify(value));

          expectWellFormed(response, OrderSchema);
        }),
        { numRuns: RUNS },
      );
    });

    it('should never answer 5xx when GET /api/v1/orders gets arbitrary query strings', async () => {
      const key = fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom('number', 'carrier', 'q', 'cursor') },
        { weight: 1, arbitrary: fc.constantFrom('limit', 'orderStatus', 'shippingSummary', '__proto__') },
        { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
      );
      const pair = fc.oneof(
        { weight: 6, arbitrary: fc.tuple(key, nastyString).map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`) },
        {
          weight: 1,
          arbitrary: fc.constantFrom('%', '%ZZ', 'limit', '=', '&&', 'limit=%E0%A4%A', 'q=%C0%80', 'q=%ED%A0%80'),
        },
      );

      await fc.assert(
        fc.asyncProperty(fc.array(pair, { maxLength: 3 }), async (pairs) => {
          const response = await t.app.inject({ url: `/api/v1/orders?${pairs.join('&')}`, headers: auth });

          expectWellFormed(response, OrderListSchema);
        }),
        { numRuns: RUNS },
      );
    });

    it('should never answer 5xx when the Authorization, Content-Type and x-request-id headers are arbitrary', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            headerValue,
            headerValue.map((v) => `Bearer ${v}`),
            headerValue.map((v) => `Bearer wmk_${v}`),
          ),
          headerValue,
          headerValue,
          fc.boolean(),
          async (authorization, contentType, requestId, post) => {
            const response = await t.app.inject({
              method: post ? 'POST' : 'GET',
              url: '/api/v1/orders',
              headers: { authorization, 'content-type': contentType, 'x-request-id': requestId },
              ...(post ? { payload: '{"externalId":"h","number":"1"}' } : {}),
            });

            expectWellFormed(response, z.unknown());
            expect(response.headers['x-request-id']).toBeTruthy();
          },
        ),
        { numRuns: RUNS },
      );
    });
  });
});
