import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { DomainError, isDomainError } from '../../../core/errors.js';
import type { OutgoingSms } from '../../../core/ports/notifier.port.js';
import { FakeHttpServer, type FakeAnswer, type RecordedRequest } from '../../../test-support/fake-http-server.js';
import type { HttpExchange } from '../../carriers/shared/carrier-http.js';
import { createTwilioSmsSender, TWILIO_PRODUCTION_BASE_URL, type TwilioSmsSenderOptions } from './twilio.sms.js';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'test-auth-token-5f2c';
const FROM_NUMBER = '+14155550100';
const MESSAGING_SERVICE_SID = 'MG0123456789abcdef0123456789abcdef';
const ROUTE = `POST /2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;
const MESSAGE_SID = 'SM9f8e7d6c5b4a39281706f5e4d3c2b1a0';

/** Calls that should succeed get a roomy timeout so a busy machine cannot fail them. */
const TIMEOUT_MS = 2_000;

const SMS: OutgoingSms = {
  to: '+447400123456',
  body: 'Acme: your order #1042 is out for delivery today. Track it: https://track.example.com/t/8f3kq2',
  idempotencyKey: 'store-1:shipment-9:out_for_delivery:1:sms',
};

function twilioError(status: number, code: number, message: string): FakeAnswer {
  return {
    status,
    body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
  };
}

/** Behaves like Twilio's Messages API: Basic auth, form body, 201 with the created Message. */
function twilioLike(request: RecordedRequest): FakeAnswer {
  const expected = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;
  if (request.headers.authorization !== expected) return twilioError(401, 20003, 'Authenticate');
  const form = new URLSearchParams(request.body);
  return {
    status: 201,
    body: {
      sid: MESSAGE_SID,
      account_sid: ACCOUNT_SID,
      to: form.get('To'),
      from: form.get('From'),
      messaging_service_sid: form.get('MessagingServiceSid'),
      body: form.get('Body'),
      status: form.has('MessagingServiceSid') ? 'accepted' : 'queued',
      num_segments: '1',
      error_code: null,
      error_message: null,
    },
  };
}

let server: FakeHttpServer;

beforeEach(async () => {
  server = await new FakeHttpServer().on(ROUTE, twilioLike).start();
});

afterEach(async () => {
  await server.stop();
});

function sender(overrides: Partial<TwilioSmsSenderOptions> = {}) {
  return createTwilioSmsSender({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    from: FROM_NUMBER,
    baseUrl: server.url,
    timeoutMs: TIMEOUT_MS,
    ...overrides,
  });
}

async function failureOf(sending: Promise<unknown>): Promise<DomainError> {
  try {
    await sending;
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('expected the send to fail');
}

describe('createTwilioSmsSender: the request', () => {
  it('should POST To, From and Body as a form with Basic auth and return the message SID when Twilio accepts', async () => {
    const result = await sender().send(SMS);

    expect(result).toEqual({ providerMessageId: MESSAGE_SID });
    const requests = server.requestsTo(ROUTE);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request!.headers.accept).toBe('application/json');
    const [scheme, credentials] = (request!.headers.authorization ?? '').split(' ');
    expect(scheme).toBe('Basic');
    expect(Buffer.from(credentials!, 'base64').toString('utf8')).toBe(`${ACCOUNT_SID}:${AUTH_TOKEN}`);
    expect([...new URLSearchParams(request!.body)]).toEqual([
      ['To', '+447400123456'],
      ['From', FROM_NUMBER],
      ['Body', SMS.body],
    ]);
  });

  it('should send MessagingServiceSid instead of From when from is a Messaging Service', async () => {
    await sender({ from: MESSAGING_SERVICE_SID }).send(SMS);

    const form = new URLSearchParams(server.requestsTo(ROUTE)[0]!.body);
    expect([...form.keys()]).toEqual(['To', 'MessagingServiceSid', 'Body']);
    expect(form.get('MessagingServiceSid')).toBe(MESSAGING_SERVICE_SID);
  });

  it('should send an alphanumeric sender ID as From when one is configured', async () => {
    await sender({ from: 'Acme Shop' }).send(SMS);

    expect(new URLSearchParams(server.requestsTo(ROUTE)[0]!.body).get('From')).toBe('Acme Shop');
  });

  it('should deliver the body byte for byte when it holds form delimiters, accents and emoji', async () => {
    const body = 'Coût: 10€ & livraison=demain + 📦 ?a=1&b=2 100%\nMerci';
    await sender().send({ ...SMS, body });

    expect(new URLSearchParams(server.requestsTo(ROUTE)[0]!.body).get('Body')).toBe(body);
  });

  it('should keep working when baseUrl has a trailing slash', async () => {
    await expect(sender({ baseUrl: `${server.url}/` }).send(SMS)).resolves.toEqual({ providerMessageId: MESSAGE_SID });
  });

  it('should refuse a recipient that is not E.164 without calling Twilio', async () => {
    const error = await failureOf(sender().send({ ...SMS, to: '07400 123456' }));

    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('07400 123456');
    expect(server.requests).toHaveLength(0);
  });

  it('should refuse an empty body without calling Twilio', async () => {
    const error = await failureOf(sender().send({ ...SMS, body: '  \n ' }));

    expect(error.code).toBe('invalid_input');
    expect(server.requests).toHaveLength(0);
  });
});

describe('createTwilioSmsSender: permanent refusals of the message', () => {
  it.each([
    [21211, "The 'To' number +447400123456 is not a valid phone number."],
    [21614, "'To' number is not a valid mobile number"],
    [21612, "The 'To' phone number is not currently reachable via SMS"],
    [21635, "'To' number cannot be a landline"],
  ])('should fail with invalid_input naming Twilio error %i when Twilio refuses the recipient', async (code, text) => {
    server.queue(ROUTE, twilioError(400, code, text));

    const error = await failureOf(sender().send(SMS));

    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain(text);
    expect(error.details).toEqual({
      status: 400,
      twilioCode: code,
      moreInfo: `https://www.twilio.com/docs/errors/${code}`,
      recipientRefused: true,
      optedOut: false,
    });
  });

  it('should mark the failure as opted out when the recipient replied STOP (21610)', async () => {
    server.queue(ROUTE, twilioError(400, 21610, 'Attempt to send to unsubscribed recipient'));

    const error = await failureOf(sender().send(SMS));

    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/replied STOP/);
    expect(error.details).toMatchObject({ twilioCode: 21610, optedOut: true, recipientRefused: true });
  });

  it('should fail with invalid_input when Twilio refuses the message itself (21617 body too long)', async () => {
    server.queue(ROUTE, twilioError(400, 21617, 'The concatenated message body exceeds the 1600 character limit'));

    const error = await failureOf(sender().send(SMS));

    expect(error.code).toBe('invalid_input');
    expect(error.details).toMatchObject({ twilioCode: 21617, optedOut: false, recipientRefused: false });
  });
});

describe('createTwilioSmsSender: account and sender problems an operator must fix', () => {
  it('should fail with upstream_auth_failed when the credentials are wrong (401, 20003)', async () => {
    const error = await failureOf(sender({ authToken: 'not-the-token' }).send(SMS));

    expect(error.code).toBe('upstream_auth_failed');
    expect(error.details).toMatchObject({ status: 401, twilioCode: 20003 });
    expect(error.message).not.toContain('not-the-token');
  });

  it('should fail with upstream_auth_failed when the account is not found (404, 20404)', async () => {
    server.queue(
      ROUTE,
      twilioError(404, 20404, `The requested resource /2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json was not found`),
    );

    const error = await failureOf(sender().send(SMS));

    expect(error.code).toBe('upstream_auth_failed');
    expect(error.details).toMatchObject({ status: 404, twilioCode: 20404 });
  });

  it('should fail with upstream_auth_failed when a 401 carries no Twilio body', async () => {
    server.queue(ROUTE, { status: 401, body: '' });

    const error = await failureOf(sender().send(SMS));

    expect(error.code).toBe('upstream_auth_failed');
    expect(error.details).toMatchObject({ status: 401, twilioCode: null });
  });

  it.each([
    [21606, "The 'From' phone number provided is not a valid message-capable Twilio phone number"],
    [21659, "'From' is not a Twilio phone number"],
    [21408, 'Permission to send an SMS has not been enabled for the region indicated by the To number'],
  ])(
    'should fail with upstream_auth_failed and senderRefused when Twilio refuses the sender (%i)',
    async (code, text) => {
      server.queue(ROUTE, twilioError(400, code, text));

      const error = await failureOf(sender().send(SMS));

      expect(error.code).toBe('upstream_auth_failed');
      expect(error.details).toMatchObject({ twilioCode: code, senderRefused: true });
    },
  );
});

describe('createTwilioSmsSender: transient failures to retry', () => {
  it('should fail with upstream_rate_limited and the Retry-After delay when Twilio answers 429 (20429)', async () => {
    server.queue(ROUTE, { ...twilioError(429, 20429, 'Too Many Requests'), headers: { 'retry-after': '7' } });

    const error = await failureOf(sender().send(SMS));

    expect(error.code).toBe('upstream_rate_limited');
    expect(error.details).toMatchObject({ status: 429, twilioCode: 20429, retryAfterMs: 7_000 });
  });

  it('should leave retryAfterMs null when a 429 has no Retry-After', async () => {
    server.queue(ROUTE, { status: 429, body: 'Too Many Requests' });

    const error = await failureOf(sender().send(SMS));

    expect(error.code).toBe('upstream_rate_limited');
    expect(error.details).toMatchObject({ status: 429, retryAfterMs: null });
  });

  it("should fail with upstream_rate_limited when the sender's queue is full (21611)", async () => {
    server.queue(
      ROUTE,
      twilioError(400, 21611, "This 'From' number has exceeded the maximum number of queued messages"),
    );

    const error = await failureOf(sender().send(SMS));

    expect(error.code).toBe('upstream_rate_limited');
    expect(error.details).toMatchObject({ twilioCode: 21611, retryAfterMs: null });
  });

  it.each([
    ['a 500 with a Twilio body', twilioError(500, 20500, 'Internal Server Error')],
    ['a 503 HTML page', { status: 503, body: '<html><body>Service Unavailable</body></html>' }],
    ['a 502 with no body', { status: 502 }],
  ])('should fail with upstream_unavailable when Twilio answers %s', async (_name, answer: FakeAnswer) => {
    server.queue(ROUTE, answer);

    const error = await failureOf(sender().send(SMS));

    expect(error.code).toBe('upstream_unavailable');
    expect(error.details).toMatchObject({ status: answer.status });
  });

  it('should fail with upstream_unavailable when a 4xx body is not Twilio JSON (a proxy or a wrong baseUrl)', async () => {
    const error = await failureOf(sender({ baseUrl: `${server.url}/not-twilio` }).send(SMS));

    expect(error.code).toBe('upstream_unavailable');
    expect(error.details).toMatchObject({ status: 404, twilioCode: null });
  });

  it('should fail with upstream_unavailable and mayHaveBeenSent when a 201 body is malformed JSON', async () => {
    server.queue(ROUTE, { status: 201, body: '{"sid": "SM12' });

    const error = await failureOf(sender().send(SMS));

    expect(error.code).toBe('upstream_unavailable');
    expect(error.details).toMatchObject({ status: 201, mayHaveBeenSent: true, bodyStart: '{"sid": "SM12' });
  });

  it('should fail with upstream_unavailable when a 201 body has no sid', async () => {
    server.queue(ROUTE, { status: 201, body: { status: 'queued', sid: null } });

    const error = await failureOf(sender().send(SMS));

    expect(error.code).toBe('upstream_unavailable');
    expect(error.details).toMatchObject({ mayHaveBeenSent: true });
  });

  it('should fail with upstream_unavailable when Twilio answers slower than timeoutMs', async () => {
    server.queue(ROUTE, { delayMs: 600, status: 201, body: { sid: MESSAGE_SID } });

    const error = await failureOf(sender({ timeoutMs: 100 }).send(SMS));

    expect(error.code).toBe('upstream_unavailable');
    expect(error.message).toMatch(/within 100 ms/);
  });

  it('should fail with upstream_unavailable when the connection drops without an answer', async () => {
    server.queue(ROUTE, { destroy: true });

    const error = await failureOf(sender().send(SMS));

    expect(error.code).toBe('upstream_unavailable');
  });

  it('should fail with upstream_unavailable when nothing listens at baseUrl', async () => {
    const baseUrl = server.url;
    await server.stop();

    const error = await failureOf(sender({ baseUrl }).send(SMS));

    expect(error.code).toBe('upstream_unavailable');
    expect(error.message).toMatch(/cannot reach/);
  });

  it('should fail with upstream_unavailable when a custom exchange throws a plain error', async () => {
    const exchange: HttpExchange = () => Promise.reject(new TypeError('socket hang up'));

    const error = await failureOf(sender({ exchange }).send(SMS));

    expect(error.code).toBe('upstream_unavailable');
    expect(error.cause).toBeInstanceOf(TypeError);
  });
});

describe('createTwilioSmsSender: configuration', () => {
  it('should call the production API by default when no baseUrl is given', async () => {
    const urls: string[] = [];
    const exchange: HttpExchange = (request) => {
      urls.push(request.url);
      return Promise.resolve({ status: 201, headers: new Headers(), text: JSON.stringify({ sid: MESSAGE_SID }) });
    };

    await createTwilioSmsSender({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM_NUMBER, exchange }).send(
      SMS,
    );

    expect(urls).toEqual([`${TWILIO_PRODUCTION_BASE_URL}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`]);
  });

  it.each([
    ['an account SID without the AC prefix', { accountSid: 'SK0123456789abcdef0123456789abcdef' }, /accountSid/],
    ['an empty auth token', { authToken: ' ' }, /authToken/],
    ['a formatted sender number', { from: '+1 (415) 555-0100' }, /from/],
    ['a sender ID of twelve characters', { from: 'AcmeShopping' }, /from/],
    ['a sender ID of digits only', { from: '4155550100' }, /from/],
    ['a baseUrl that is not http(s)', { baseUrl: 'ftp://api.twilio.com' }, /baseUrl/],
    ['a zero timeout', { timeoutMs: 0 }, /timeoutMs/],
  ])('should throw config_invalid when given %s', (_name, overrides: Partial<TwilioSmsSenderOptions>, mentions) => {
    let thrown: unknown;
    try {
      sender(overrides);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({ code: 'config_invalid', message: expect.stringMatching(mentions) as unknown });
  });
});
