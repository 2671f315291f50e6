import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { DomainError } from '../../../core/errors.js';
import type { OutgoingWebhook } from '../../../core/ports/notifier.port.js';
import { FakeHttpServer, type RecordedRequest } from '../../../test-support/fake-http-server.js';
import { fetchExchange, type HttpExchange, type HttpRequest } from '../../carriers/shared/carrier-http.js';
import type { HostResolver } from './endpoint-url.js';
import {
  createStandardWebhookSender,
  generateWebhookSecret,
  webhookMessageIdFor,
  type StandardWebhookSenderOptions,
} from './standard-webhooks.sender.js';

const ROUTE = 'POST /hooks/waymark';
const SECRET = generateWebhookSecret();

/** Roomy for calls that should succeed on a loaded machine; the timeout test sets its own. */
const TIMEOUT_MS = 2_000;

let server: FakeHttpServer;

beforeEach(async () => {
  server = await new FakeHttpServer().on(ROUTE, () => ({ status: 204 })).start();
});

afterEach(async () => {
  await server.stop();
});

function sender(overrides: Partial<StandardWebhookSenderOptions> = {}) {
  return createStandardWebhookSender({ allowPrivateNetworks: true, timeoutMs: TIMEOUT_MS, ...overrides });
}

function webhook(overrides: Partial<OutgoingWebhook> = {}): OutgoingWebhook {
  return {
    url: `${server.url}/hooks/waymark`,
    secret: SECRET,
    messageId: webhookMessageIdFor('store_1:shipment:shp_42:delivered:0:webhook'),
    type: 'shipment.delivered',
    occurredAt: '2025-03-14T09:26:53.000Z',
    data: { orderNumber: '#1042', trackingNumber: '1Z999AA10123456784', carrier: 'ups', milestone: 'delivered' },
    ...overrides,
  };
}

/** What a merchant's receiver does: verify with the library, then read the body. */
function verifyAsReceiver(request: RecordedRequest, secret = SECRET): unknown {
  return new Webhook(secret).verify(request.body, {
    'webhook-id': String(request.headers['webhook-id']),
    'webhook-timestamp': String(request.headers['webhook-timestamp']),
    'webhook-signature': String(request.headers['webhook-signature']),
  });
}

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('createStandardWebhookSender', () => {
  describe('a delivered webhook', () => {
    it('should POST a body the receiver verifies with standardwebhooks when the endpoint answers 2xx', async () => {
      const result = await sender().send(webhook());

      expect(result).toEqual({ status: 204 });
      const [request] = server.requestsTo(ROUTE);
      expect(request).toBeDefined();
      expect(verifyAsReceiver(request!)).toEqual({
        type: 'shipment.delivered',
        timestamp: '2025-03-14T09:26:53.000Z',
        data: { orderNumber: '#1042', trackingNumber: '1Z999AA10123456784', carrier: 'ups', milestone: 'delivered' },
      });
    });

    it('should send the Standard Webhooks headers, JSON content type and user agent when posting', async () => {
      const sentAtMs = Date.now();
      await sender({ now: () => sentAtMs, userAgent: 'Waymark-Test/1' }).send(webhook({ messageId: 'msg_abc123' }));

      const [request] = server.requestsTo(ROUTE);
      expect(request?.headers).toMatchObject({
        'content-type': 'application/json',
        'user-agent': 'Waymark-Test/1',
        'webhook-id': 'msg_abc123',
        'webhook-timestamp': String(Math.floor(sentAtMs / 1000)),
      });
      expect(request?.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
      expect(request?.headers['content-length']).toBe(String(Buffer.byteLength(request!.body)));
    });

    it('should sign with the sending time, not the event time, when the event happened long ago', async () => {
      const sentAtMs = Date.parse('2025-03-15T10:00:00.000Z');
      await sender({ now: () => sentAtMs }).send(webhook({ occurredAt: '2025-03-01T00:00:00.000Z' }));

      const [request] = server.requestsTo(ROUTE);
      expect(request?.headers['webhook-timestamp']).toBe(String(sentAtMs / 1000));
      expect(JSON.parse(request!.body)).toMatchObject({ timestamp: '2025-03-01T00:00:00.000Z' });
    });

    it('should keep non-ASCII data intact so the signature still verifies when the body has accents', async () => {
      await sender().send(webhook({ data: { customer: 'Zoë Ñúñez', city: 'München', note: '配達済み' } }));

      const [request] = server.requestsTo(ROUTE);
      expect(verifyAsReceiver(request!)).toMatchObject({
        data: { customer: 'Zoë Ñúñez', city: 'München', note: '配達済み' },
      });
    });

    it('should reuse the webhook-id and re-sign with a new timestamp when one message is retried', async () => {
      server.queue(ROUTE, { status: 503 });
      let clock = Date.now();
      const send = sender({ now: () => clock });
      const message = webhook();

      await expect(send.send(message)).rejects.toMatchObject({ code: 'upstream_unavailable' });
      clock += 5_000;
      await expect(send.send(message)).resolves.toEqual({ status: 204 });

      const [first, second] = server.requestsTo(ROUTE);
      expect(first?.headers['webhook-id']).toBe(message.messageId);
      expect(second?.headers['webhook-id']).toBe(message.messageId);
      expect(Number(second?.headers['webhook-timestamp']) - Number(first?.headers['webhook-timestamp'])).toBe(5);
      expect(second?.body).toBe(first?.body);
      expect(verifyAsReceiver(second!)).toBeDefined();
    });

    it('should be verifiable by a receiver holding another secret only when it is the right one', async () => {
      await sender().send(webhook());

      const [request] = server.requestsTo(ROUTE);
      expect(() => verifyAsReceiver(request!, generateWebhookSecret())).toThrow(/No matching signature/);
    });

    it('should also work over fetchExchange when a caller passes it', async () => {
      await expect(sender({ exchange: fetchExchange }).send(webhook())).resolves.toEqual({ status: 204 });
      expect(verifyAsReceiver(server.requestsTo(ROUTE)[0]!)).toBeDefined();
    });
  });

  describe('answers that are not 2xx', () => {
    it('should be invalid_input with endpointGone when the endpoint answers 410 Gone', async () => {
      server.queue(ROUTE, { status: 410, body: { error: 'endpoint removed' } });

      const error = await rejection(sender().send(webhook()));

      expect(error.code).toBe('invalid_input');
      expect(error.details).toMatchObject({ status: 410, endpointGone: true });
    });

    it('should be upstream_rate_limited with retryAfterMs when the endpoint answers 429 with Retry-After', async () => {
      server.queue(ROUTE, { status: 429, headers: { 'retry-after': '30' } });

      const error = await rejection(sender().send(webhook()));

      expect(error.code).toBe('upstream_rate_limited');
      expect(error.details).toMatchObject({ status: 429, retryAfterMs: 30_000 });
    });

    it('should read an HTTP-date Retry-After against the sender clock when the endpoint sends one', async () => {
      const nowMs = Date.parse('2025-03-15T10:00:00.000Z');
      server.queue(ROUTE, { status: 429, headers: { 'retry-after': 'Sat, 15 Mar 2025 10:02:00 GMT' } });

      const error = await rejection(sender({ now: () => nowMs }).send(webhook()));

      expect(error.details).toMatchObject({ retryAfterMs: 120_000 });
    });

    it('should leave retryAfterMs null when a 429 has no Retry-After', async () => {
      server.queue(ROUTE, { status: 429 });

      const error = await rejection(sender().send(webhook()));

      expect(error.code).toBe('upstream_rate_limited');
      expect(error.details).toMatchObject({ retryAfterMs: null });
    });

    it.each([400, 401, 403, 404, 405, 408, 409, 413, 422, 500, 502, 504])(
      'should be upstream_unavailable, retried with backoff, when the endpoint answers %i',
      async (status) => {
        server.queue(ROUTE, { status, body: 'receiver says no' });

        const error = await rejection(sender().send(webhook()));

        expect(error.code).toBe('upstream_unavailable');
        expect(error.details).toMatchObject({ status, bodyStart: 'receiver says no' });
        expect(error.message).toContain(`HTTP ${status}`);
      },
    );

    it('should pass Retry-After on as retryAfterMs when a 503 carries one', async () => {
      server.queue(ROUTE, { status: 503, headers: { 'retry-after': '120' } });

      const error = await rejection(sender().send(webhook()));

      expect(error.code).toBe('upstream_unavailable');
      expect(error.details).toMatchObject({ status: 503, retryAfterMs: 120_000 });
    });

    it.each([301, 302, 307, 308])(
      'should not follow a %i redirect and be upstream_unavailable naming the new location',
      async (status) => {
        server.on('POST /moved', () => ({ status: 204 }));
        server.queue(ROUTE, { status, headers: { location: `${server.url}/moved` } });

        const error = await rejection(sender().send(webhook()));

        expect(error.code).toBe('upstream_unavailable');
        expect(error.details).toMatchObject({ status, location: `${server.url}/moved` });
        expect(server.requestsTo('POST /moved')).toHaveLength(0);
      },
    );

    it('should report only the start of the body when the endpoint answers with a huge one', async () => {
      server.queue(ROUTE, { status: 500, body: 'x'.repeat(2_000_000) });

      const error = await rejection(sender().send(webhook()));

      expect(error.details).toMatchObject({ status: 500, bodyStart: 'x'.repeat(200) });
    });
  });

  describe('network failures', () => {
    it('should be upstream_unavailable when the endpoint does not answer within the timeout', async () => {
      server.queue(ROUTE, { status: 200, delayMs: 1_500 });

      const startedAt = Date.now();
      const error = await rejection(sender({ timeoutMs: 150 }).send(webhook()));

      expect(error.code).toBe('upstream_unavailable');
      expect(error.message).toContain('within 150 ms');
      expect(Date.now() - startedAt).toBeLessThan(1_400);
    });

    it('should be upstream_unavailable when the connection is refused', async () => {
      const closed = await new FakeHttpServer().start();
      const url = `${closed.url}/hooks/waymark`;
      await closed.stop();

      const error = await rejection(sender().send(webhook({ url })));

      expect(error.code).toBe('upstream_unavailable');
      expect(error.message).toContain('cannot reach');
    });

    it('should be upstream_unavailable when the endpoint drops the connection without answering', async () => {
      server.queue(ROUTE, { destroy: true });

      const error = await rejection(sender().send(webhook()));

      expect(error.code).toBe('upstream_unavailable');
    });

    it('should be upstream_unavailable when a custom exchange throws something that is not a DomainError', async () => {
      const broken: HttpExchange = () => Promise.reject(new TypeError('socket hang up'));

      const error = await rejection(sender({ exchange: broken }).send(webhook()));

      expect(error.code).toBe('upstream_unavailable');
      expect(error.cause).toBeInstanceOf(TypeError);
    });

    it('should be upstream_unavailable when the endpoint host cannot be resolved at send time', async () => {
      const notFound: HostResolver = () =>
        Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));

      const error = await rejection(
        sender({ resolveHost: notFound }).send(webhook({ url: 'https://hooks.merchant.example/waymark' })),
      );

      expect(error.code).toBe('upstream_unavailable');
      expect(error.details).toMatchObject({ dnsCode: 'ENOTFOUND' });
    });
  });

  describe('endpoint safety at send time', () => {
    it('should refuse plain http without sending when private networks are not allowed', async () => {
      const error = await rejection(sender({ allowPrivateNetworks: false }).send(webhook()));

      expect(error.code).toBe('invalid_input');
      expect(error.message).toContain('https');
      expect(server.requests).toHaveLength(0);
    });

    it('should refuse a loopback literal without sending when private networks are not allowed', async () => {
      const exchanged: HttpRequest[] = [];
      const recording: HttpExchange = (request) => {
        exchanged.push(request);
        return Promise.resolve({ status: 200, headers: new Headers(), text: '' });
      };

      const error = await rejection(
        sender({ allowPrivateNetworks: false, exchange: recording }).send(
          webhook({ url: 'https://127.0.0.1/hooks/waymark' }),
        ),
      );

      expect(error.code).toBe('invalid_input');
      expect(error.details).toMatchObject({ addressKind: 'loopback' });
      expect(exchanged).toHaveLength(0);
    });

    it('should refuse a name now resolving to a private address before any exchange runs', async () => {
      const exchanged: HttpRequest[] = [];
      const recording: HttpExchange = (request) => {
        exchanged.push(request);
        return Promise.resolve({ status: 200, headers: new Headers(), text: '' });
      };
      const repointed: HostResolver = () => Promise.resolve([{ address: '10.20.30.40', family: 4 }]);

      const error = await rejection(
        sender({ allowPrivateNetworks: false, exchange: recording, resolveHost: repointed }).send(
          webhook({ url: 'https://hooks.merchant.example/waymark' }),
        ),
      );

      expect(error.code).toBe('invalid_input');
      expect(error.details).toMatchObject({ addressKind: 'private' });
      expect(exchanged).toHaveLength(0);
    });

    it('should refuse the connection when DNS rebinds between the check and the socket lookup', async () => {
      // First answer public (passes the send-time check), then loopback (what the socket would use).
      const answers = ['93.184.215.14', '127.0.0.1'];
      const lookedUp: string[] = [];
      const rebinding: HostResolver = (hostname) => {
        lookedUp.push(hostname);
        const address = answers.shift() ?? '127.0.0.1';
        return Promise.resolve([{ address, family: 4 }]);
      };
      const port = new URL(server.url).port;

      const error = await rejection(
        sender({ allowPrivateNetworks: false, resolveHost: rebinding }).send(
          webhook({ url: `https://rebind.merchant.example:${port}/hooks/waymark` }),
        ),
      );

      expect(error.code).toBe('invalid_input');
      expect(error.details).toMatchObject({ addressKind: 'loopback' });
      expect(lookedUp).toEqual(['rebind.merchant.example', 'rebind.merchant.example']);
      expect(server.requests).toHaveLength(0);
    });

    it('should refuse the metadata address even when private networks are allowed', async () => {
      const error = await rejection(sender().send(webhook({ url: 'http://169.254.169.254/latest/meta-data/' })));

      expect(error.code).toBe('invalid_input');
      expect(error.details).toMatchObject({ addressKind: 'cloud_metadata' });
    });
  });

  describe('malformed messages', () => {
    it.each([
      ['a secret without the whsec_ prefix', { secret: 'c2VjcmV0LWtleS1tYXRlcmlhbA==' }, 'secret'],
      ['a secret that is not base64', { secret: 'whsec_not*base64!' }, 'secret'],
      ['an empty secret', { secret: 'whsec_' }, 'secret'],
      ['a message id with a full stop', { messageId: 'store.1:shipment' }, 'messageId'],
      ['a message id with a line break', { messageId: 'msg_1\r\nx-injected: 1' }, 'messageId'],
      ['an empty message id', { messageId: '' }, 'messageId'],
      ['an event type with spaces', { type: 'shipment delivered' }, 'type'],
      ['an occurredAt that is no date', { occurredAt: 'yesterday-ish' }, 'occurredAt'],
    ])('should be invalid_input without sending when given %s', async (_case, overrides, field) => {
      const error = await rejection(sender().send(webhook(overrides)));

      expect(error.code).toBe('invalid_input');
      expect(error.details).toMatchObject({ field });
      expect(server.requests).toHaveLength(0);
    });

    it('should never repeat the secret in the error when the secret is malformed', async () => {
      const secret = 'whsec_SuperSecret*Value';

      const error = await rejection(sender().send(webhook({ secret })));

      expect(error.message).not.toContain('SuperSecret');
      expect(JSON.stringify(error.details)).not.toContain('SuperSecret');
    });
  });
});

describe('generateWebhookSecret', () => {
  it('should return whsec_ and the base64 of 24 random bytes when called', () => {
    const secret = generateWebhookSecret();

    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(24);
  });

  it('should return a different secret each time when called repeatedly', () => {
    const secrets = new Set(Array.from({ length: 50 }, () => generateWebhookSecret()));

    expect(secrets.size).toBe(50);
  });

  it('should produce a secret the standardwebhooks library accepts when signing', () => {
    const signature = new Webhook(generateWebhookSecret()).sign('msg_1', new Date(), '{}');

    expect(signature).toMatch(/^v1,/);
  });
});

describe('webhookMessageIdFor', () => {
  it('should give the same id for the same idempotency key when a message is retried or replayed', () => {
    const key = 'store_1:shipment:shp.42:delivered:0:webhook';

    expect(webhookMessageIdFor(key)).toBe(webhookMessageIdFor(key));
  });

  it('should give an id without full stops or store identifiers when the key contains them', () => {
    const id = webhookMessageIdFor('store_1:shipment:shp.42:delivered:0:webhook');

    expect(id).toMatch(/^msg_[A-Za-z0-9_-]{32}$/);
    expect(id).not.toContain('store_1');
  });

  it('should give different ids when the idempotency keys differ', () => {
    expect(webhookMessageIdFor('store_1:shipment:shp_42:delivered:0:webhook')).not.toBe(
      webhookMessageIdFor('store_1:shipment:shp_42:delivered:1:webhook'),
    );
  });
});
