import net from 'node:net';
import { SMTPServer, type SMTPServerAddress, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { OutgoingEmail } from '../../../core/ports/notifier.port.js';
import {
  classifySmtpFailure,
  createSmtpEmailSender,
  messageIdFor,
  queueIdFromResponse,
  verifySmtpConnection,
  type SmtpEmailSender,
  type SmtpEmailSenderOptions,
} from './smtp.email.js';

/**
 * smtp-server holds its greeting for 100 ms (to catch clients that talk
 * first), so a deliberate timeout must leave room for that on a loaded machine.
 */
const DELIBERATE_TIMEOUT_MS = 300;
const NORMAL_TIMEOUT_MS = 2_000;

const GONE = 'gone@customer.example';
const BUSY = 'busy@customer.example';
const CUSTOMER = 'ana@customer.example';

// ---------------------------------------------------------------------------
// A real SMTP server in the test process
// ---------------------------------------------------------------------------

type ReceivedMessage = { mailFrom: string; rcptTo: string[]; raw: string; user: unknown; secure: boolean };
type DataReply =
  { kind: 'accept'; message: string } | { kind: 'reject'; code: number; message: string } | { kind: 'hang' };

function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * smtp-server on 127.0.0.1, port 0. `gone@` is rejected at RCPT TO with 550,
 * `busy@` with 451; what happens after DATA is `dataReply`. With `credentials`
 * it requires AUTH and accepts only those.
 */
class TestSmtpServer {
  readonly received: ReceivedMessage[] = [];
  connections = 0;
  /** Messages whose DATA began, whether or not they were accepted. */
  dataStarted = 0;
  dataReply: DataReply = { kind: 'accept', message: 'Ok: queued as QUEUE1' };
  readonly #server: SMTPServer;

  constructor(options: { credentials?: { user: string; pass: string }; secure?: boolean; greeting?: Error } = {}) {
    const serverOptions: SMTPServerOptions = {
      logger: false,
      secure: options.secure ?? false,
      disabledCommands: ['STARTTLS'],
      authOptional: options.credentials === undefined,
      allowInsecureAuth: true,
      closeTimeout: 100,
      // No DNS from the tests, not even a reverse lookup of 127.0.0.1.
      disableReverseLookup: true,
      onConnect: (_session, callback) => {
        this.connections += 1;
        callback(options.greeting ?? null);
      },
      onAuth: (auth, _session, callback) => {
        const expected = options.credentials;
        if (expected && auth.username === expected.user && auth.password === expected.pass) {
          callback(null, { user: auth.username });
        } else {
          callback(smtpError(535, '5.7.8 Authentication credentials invalid'));
        }
      },
      onRcptTo: (address: SMTPServerAddress, _session, callback) => {
        if (address.address === GONE) return callback(smtpError(550, `5.1.1 <${GONE}>: Recipient address rejected`));
        if (address.address === BUSY) return callback(smtpError(451, '4.2.0 Mailbox temporarily unavailable'));
        callback();
      },
      onData: (stream, session: SMTPServerSession, callback) => {
        this.dataStarted += 1;
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const reply = this.dataReply;
          if (reply.kind === 'hang') return;
          if (reply.kind === 'reject') return callback(smtpError(reply.code, reply.message));
          const { mailFrom, rcptTo } = session.envelope;
          this.received.push({
            mailFrom: mailFrom ? mailFrom.address : '',
            rcptTo: rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
            user: session.user,
            secure: session.secure,
          });
          callback(null, reply.message);
        });
      },
    };
    this.#server = new SMTPServer(serverOptions);
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    return (this.#server.server.address() as net.AddressInfo).port;
  }

  url(userInfo = '', scheme = 'smtp'): string {
    return `${scheme}://${userInfo ? `${userInfo}@` : ''}127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.close(resolve));
  }
}

/** Accepts TCP connections and never says a word: no greeting, no reply. */
async function startSilentServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// ---------------------------------------------------------------------------
// A small MIME reader: headers, multipart/alternative, QP/base64, encoded words
// ---------------------------------------------------------------------------

type MimeEntity = { headers: Map<string, string[]>; body: string };

function splitEntity(raw: string): MimeEntity {
  const end = raw.indexOf('\r\n\r\n');
  const head = end === -1 ? raw : raw.slice(0, end);
  const body = end === -1 ? '' : raw.slice(end + 4);
  const headers = new Map<string, string[]>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return { headers, body };
}

function header(entity: MimeEntity, name: string): string | undefined {
  const values = entity.headers.get(name.toLowerCase());
  if (values && values.length > 1) throw new Error(`header ${name} appears ${values.length} times`);
  return values?.[0];
}

function quotedPrintableBytes(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const hex = text[i] === '=' ? /^[0-9A-F]{2}$/i.exec(text.slice(i + 1, i + 3)) : null;
    if (hex) {
      bytes.push(parseInt(hex[0], 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** The body as the reader sees it: transfer encoding undone, MIME's CRLF line ends back to \n. */
function decodeBody(entity: MimeEntity): string {
  const encoding = (header(entity, 'Content-Transfer-Encoding') ?? '7bit').toLowerCase();
  const decoded =
    encoding === 'base64'
      ? Buffer.from(entity.body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? quotedPrintableBytes(entity.body.replace(/=\r\n/g, '')).toString('utf8')
        : entity.body;
  return decoded.replace(/\r\n/g, '\n');
}

/** RFC 2047: adjacent encoded words are joined before decoding, so a character split across two survives. */
function decodeEncodedWords(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/(?:=\?utf-8\?([BQ])\?[^?]*\?=)+/gi, (run) => {
    const bytes = [...run.matchAll(/=\?utf-8\?([BQ])\?([^?]*)\?=/gi)].map(([, kind, text]) =>
      kind!.toUpperCase() === 'B' ? Buffer.from(text!, 'base64') : quotedPrintableBytes(text!.replace(/_/g, ' ')),
    );
    return Buffer.concat(bytes).toString('utf8');
  });
}

/** The text/plain and text/html parts of a multipart/alternative message. */
function alternativeParts(message: MimeEntity): { contentType: string; parts: Map<string, string> } {
  const contentType = header(message, 'Content-Type') ?? '';
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (!boundary) throw new Error(`no boundary in Content-Type: ${contentType}`);
  const parts = new Map<string, string>();
  const sections = message.body.split(`--${boundary}`).slice(1, -1);
  for (const section of sections) {
    const part = splitEntity(section.replace(/^\r\n/, '').replace(/\r\n$/, ''));
    const type = (header(part, 'Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
    parts.set(type, decodeBody(part));
  }
  return { contentType: contentType.split(';')[0]!.trim(), parts };
}

// ---------------------------------------------------------------------------

function email(overrides: Partial<OutgoingEmail> = {}): OutgoingEmail {
  return {
    to: CUSTOMER,
    from: '"Kaffeerösterei Müller, Berlin" <orders@shop.example>',
    replyTo: 'help@kaffee-mueller.example',
    subject: 'Ihr Paket ist unterwegs – Bestellung #1001',
    html: '<p>Hallo Ana, Ihre Bestellung <b>#1001</b> ist unterwegs. Größe: 500 g, 12,90 €</p>',
    text: 'Hallo Ana, Ihre Bestellung #1001 ist unterwegs. Größe: 500 g, 12,90 €',
    unsubscribeUrl: 'https://track.shop.example/u/abc123?c=email',
    idempotencyKey: 'store_1:shipment_9:out_for_delivery:1:email',
    milestone: 'out_for_delivery',
    ...overrides,
  };
}

async function failureOf(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw new Error(`expected a DomainError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected the promise to reject');
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startServer(options: ConstructorParameters<typeof TestSmtpServer>[0] = {}): Promise<TestSmtpServer> {
  const server = await new TestSmtpServer(options).start();
  cleanups.push(() => server.stop());
  return server;
}

function senderFor(options: SmtpEmailSenderOptions): SmtpEmailSender {
  const sender = createSmtpEmailSender({ timeoutMs: NORMAL_TIMEOUT_MS, ...options });
  cleanups.push(() => sender.close());
  return sender;
}

// ---------------------------------------------------------------------------

describe('createSmtpEmailSender', () => {
  describe('sending', () => {
    it('should deliver text and HTML parts with sender, reply-to and tracking headers when the server accepts', async () => {
      const server = await startServer();
      const longLine = `<p>${'Sendungsverfolgung '.repeat(80)}</p>`;
      const message = email({ html: `${email().html}\n${longLine}` });

      const result = await senderFor({ url: server.url() }).send(message);

      expect(result).toEqual({ providerMessageId: 'QUEUE1' });
      expect(server.received).toHaveLength(1);
      const [received] = server.received;
      expect(received!.mailFrom).toBe('orders@shop.example');
      expect(received!.rcptTo).toEqual([CUSTOMER]);

      const parsed = splitEntity(received!.raw);
      expect(decodeEncodedWords(header(parsed, 'From')!)).toBe('Kaffeerösterei Müller, Berlin <orders@shop.example>');
      expect(header(parsed, 'To')).toBe(CUSTOMER);
      expect(header(parsed, 'Reply-To')).toBe('help@kaffee-mueller.example');
      expect(decodeEncodedWords(header(parsed, 'Subject')!)).toBe(message.subject);
      expect(header(parsed, 'List-Unsubscribe')).toBe('<https://track.shop.example/u/abc123?c=email>');
      expect(header(parsed, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      expect(header(parsed, 'X-Waymark-Notification-Key')).toBe(message.idempotencyKey);
      expect(header(parsed, 'X-Waymark-Milestone')).toBe('out_for_delivery');
      expect(header(parsed, 'Message-ID')).toBe(messageIdFor(message.idempotencyKey, 'orders@shop.example'));

      const { contentType, parts } = alternativeParts(parsed);
      expect(contentType).toBe('multipart/alternative');
      expect(parts.get('text/plain')).toBe(message.text);
      expect(parts.get('text/html')).toBe(message.html);
      // SMTP caps lines at 1000 octets: the long HTML line must have been encoded, not cut.
      expect(received!.raw.split('\r\n').every((line) => line.length <= 998)).toBe(true);
    });

    it('should leave Reply-To out when the store has none', async () => {
      const server = await startServer();

      await senderFor({ url: server.url() }).send(email({ replyTo: null }));

      expect(header(splitEntity(server.received[0]!.raw), 'Reply-To')).toBeUndefined();
    });

    it('should send the same Message-ID again when the same notification is resent after a crash', async () => {
      const server = await startServer();
      const sender = senderFor({ url: server.url() });

      await sender.send(email());
      await sender.send(email());
      await sender.send(email({ idempotencyKey: 'store_1:shipment_9:delivered:1:email', milestone: 'delivered' }));

      const ids = server.received.map((m) => header(splitEntity(m.raw), 'Message-ID'));
      expect(ids[0]).toMatch(/^<waymark\.[0-9a-f]{40}@shop\.example>$/);
      expect(ids[1]).toBe(ids[0]);
      expect(ids[2]).not.toBe(ids[0]);
    });

    it('should return the Message-ID as provider id when the server reply names no queue id', async () => {
      const server = await startServer();
      server.dataReply = { kind: 'accept', message: 'OK: message queued' };

      const result = await senderFor({ url: server.url() }).send(email());

      expect(result.providerMessageId).toBe(header(splitEntity(server.received[0]!.raw), 'Message-ID'));
    });

    it('should deliver over TLS from the first byte when the URL is smtps://', async () => {
      const server = await startServer({ secure: true });
      // The test server presents smtp-server's built-in self-signed certificate.
      const url = `${server.url('', 'smtps')}/?tls.rejectUnauthorized=false`;

      await senderFor({ url }).send(email());

      expect(server.received[0]!.secure).toBe(true);
    });
  });

  describe('staff messages', () => {
    const invitation = {
      to: 'new.colleague@shop.example',
      from: 'Waymark <notify@waymark.example>',
      subject: 'Join Kaffeerösterei Müller on Waymark',
      html: '<p>Accept: <a href="https://waymark.example/dashboard/invite/abc">link</a></p>',
      text: 'Accept: https://waymark.example/dashboard/invite/abc',
      idempotencyKey: 'invitation:0190abcd',
    };

    it('should deliver an invitation marked as machine-sent, with no unsubscribe or customer headers', async () => {
      const server = await startServer();
      const sender = senderFor({ url: server.url() });

      const result = await sender.sendToStaff(invitation);
      await sender.sendToStaff(invitation);

      expect(result).toEqual({ providerMessageId: 'QUEUE1' });
      expect(server.received[0]!.rcptTo).toEqual(['new.colleague@shop.example']);
      const parsed = splitEntity(server.received[0]!.raw);
      expect(decodeEncodedWords(header(parsed, 'Subject')!)).toBe(invitation.subject);
      expect(header(parsed, 'Auto-Submitted')).toBe('auto-generated');
      expect(header(parsed, 'List-Unsubscribe')).toBeUndefined();
      expect(header(parsed, 'X-Waymark-Milestone')).toBeUndefined();
      expect(header(parsed, 'Message-ID')).toBe(messageIdFor(invitation.idempotencyKey, 'notify@waymark.example'));
      expect(header(splitEntity(server.received[1]!.raw), 'Message-ID')).toBe(header(parsed, 'Message-ID'));
      const { parts } = alternativeParts(parsed);
      expect(parts.get('text/plain')).toBe(invitation.text);
      expect(parts.get('text/html')).toBe(invitation.html);
    });

    it('should refuse a recipient that is a list, and a subject with a line break, sending nothing', async () => {
      const server = await startServer();
      const sender = senderFor({ url: server.url() });

      const list = await failureOf(sender.sendToStaff({ ...invitation, to: 'a@shop.example, b@shop.example' }));
      const injected = await failureOf(sender.sendToStaff({ ...invitation, subject: 'Hi\r\nBcc: x@evil.example' }));

      expect(list.code).toBe(ErrorCode.InvalidInput);
      expect(injected.code).toBe(ErrorCode.InvalidInput);
      expect(server.received).toHaveLength(0);
    });

    it('should classify a rejected recipient as permanent, like a customer message', async () => {
      const server = await startServer();

      const failure = await failureOf(senderFor({ url: server.url() }).sendToStaff({ ...invitation, to: GONE }));

      expect(failure.code).toBe(ErrorCode.InvalidInput);
      expect(failure.message).toContain('550');
    });
  });

  describe('when the server rejects the recipient or the message', () => {
    it('should fail permanently with the server reason when RCPT TO is answered 550', async () => {
      const server = await startServer();

      const error = await failureOf(senderFor({ url: server.url() }).send(email({ to: GONE })));

      expect(error.code).toBe(ErrorCode.InvalidInput);
      expect(error.message).toContain(`550 5.1.1 <${GONE}>: Recipient address rejected`);
      expect(error.details).toMatchObject({ responseCode: 550, command: 'RCPT TO' });
      expect(server.received).toHaveLength(0);
    });

    it('should fail transiently when RCPT TO is answered 451', async () => {
      const server = await startServer();

      const error = await failureOf(senderFor({ url: server.url() }).send(email({ to: BUSY })));

      expect(error.code).toBe(ErrorCode.UpstreamUnavailable);
      expect(error.message).toContain('451 4.2.0 Mailbox temporarily unavailable');
      expect(server.received).toHaveLength(0);
    });

    it.each([
      { code: 554, message: '5.7.1 Message rejected as spam', expected: ErrorCode.InvalidInput },
      { code: 452, message: '4.3.1 Insufficient system storage', expected: ErrorCode.UpstreamUnavailable },
    ])('should classify a $code reply to DATA as $expected', async ({ code, message, expected }) => {
      const server = await startServer();
      server.dataReply = { kind: 'reject', code, message };

      const error = await failureOf(senderFor({ url: server.url() }).send(email()));

      expect(error.code).toBe(expected);
      expect(error.message).toContain(`${code} ${message}`);
      expect(error.details).toMatchObject({ responseCode: code, command: 'DATA' });
    });

    it.each([
      ['an address without a domain', { to: 'not-an-address' }],
      ['an empty recipient', { to: '' }],
      ['two recipients in one field', { to: `${CUSTOMER}, other@customer.example` }],
      ['a header injection in the recipient', { to: `${CUSTOMER}\r\nBcc: everyone@customer.example` }],
      ['a sender without an address', { from: 'Kaffeerösterei Müller' }],
      ['a reply-to that is not an address', { replyTo: 'help desk' }],
      ['an unsubscribe link that is not http(s)', { unsubscribeUrl: 'javascript:alert(1)' }],
      ['an idempotency key with a line break', { idempotencyKey: 'key\r\nX-Injected: 1' }],
    ])('should fail permanently without connecting when given %s', async (_label, overrides) => {
      const server = await startServer();

      const error = await failureOf(senderFor({ url: server.url() }).send(email(overrides)));

      expect(error.code).toBe(ErrorCode.InvalidInput);
      expect(server.connections).toBe(0);
    });

    it('should fail permanently when the server refuses an address as malformed', async () => {
      const server = await startServer();

      const error = await failureOf(senderFor({ url: server.url() }).send(email({ to: 'ana@customer.example.' })));

      // nodemailer passes the trailing dot on; smtp-server answers 501, which is the address's fault.
      expect(error.code).toBe(ErrorCode.InvalidInput);
      expect(error.details).toMatchObject({ responseCode: 501, command: 'RCPT TO' });
      expect(server.received).toHaveLength(0);
    });
  });

  describe('when the server cannot be reached or stops answering', () => {
    it('should fail transiently when the connection is refused', async () => {
      const port = await closedPort();

      const error = await failureOf(senderFor({ url: `smtp://127.0.0.1:${port}` }).send(email()));

      expect(error.code).toBe(ErrorCode.UpstreamUnavailable);
      expect(error.message).toContain('ECONNREFUSED');
      expect(error.message).toContain(`127.0.0.1:${port}`);
    });

    it('should fail transiently within the timeout when the greeting never comes', async () => {
      const silent = await startSilentServer();
      cleanups.push(() => silent.stop());
      const sender = senderFor({ url: silent.url, timeoutMs: DELIBERATE_TIMEOUT_MS });
      const startedAt = Date.now();

      const error = await failureOf(sender.send(email()));

      expect(error.code).toBe(ErrorCode.UpstreamUnavailable);
      // nodemailer's greeting timer and its idle-socket timer race here; either way the wait is named.
      expect(error.message).toContain(`took longer than ${DELIBERATE_TIMEOUT_MS} ms`);
      expect(Date.now() - startedAt).toBeLessThan(DELIBERATE_TIMEOUT_MS + 1_500);
    });

    it('should fail transiently when the server never answers the end of DATA', async () => {
      const server = await startServer();
      server.dataReply = { kind: 'hang' };
      const sender = senderFor({ url: server.url(), timeoutMs: DELIBERATE_TIMEOUT_MS });

      const error = await failureOf(sender.send(email()));

      expect(error.code).toBe(ErrorCode.UpstreamUnavailable);
      expect(error.message).toContain(`took longer than ${DELIBERATE_TIMEOUT_MS} ms to reply`);
      expect(server.dataStarted).toBe(1);
    });

    it('should fail transiently when the server greets with 421', async () => {
      const server = await startServer({ greeting: smtpError(421, '4.3.2 Too many connections, try again later') });

      const error = await failureOf(senderFor({ url: server.url() }).send(email()));

      expect(error.code).toBe(ErrorCode.UpstreamUnavailable);
      expect(error.message).toContain('421 4.3.2 Too many connections');
    });
  });

  describe('authentication', () => {
    const credentials = { user: 'waymark', pass: 'p@ss:w/rd%' };
    const userInfo = `${credentials.user}:${encodeURIComponent(credentials.pass)}`;

    it('should log in with the URL-encoded credentials of SMTP_URL', async () => {
      const server = await startServer({ credentials });

      await senderFor({ url: server.url(userInfo) }).send(email());

      expect(server.received[0]!.user).toBe('waymark');
    });

    it('should fail with upstream_auth_failed when the server answers 535', async () => {
      const server = await startServer({ credentials });

      const error = await failureOf(senderFor({ url: server.url('waymark:wrong') }).send(email()));

      expect(error.code).toBe(ErrorCode.UpstreamAuthFailed);
      expect(error.message).toContain('535 5.7.8 Authentication credentials invalid');
      expect(error.message).not.toContain('wrong');
      expect(server.received).toHaveLength(0);
    });

    it('should fail with upstream_auth_failed when the server requires a login and SMTP_URL has none', async () => {
      const server = await startServer({ credentials });

      const error = await failureOf(senderFor({ url: server.url() }).send(email()));

      expect(error.code).toBe(ErrorCode.UpstreamAuthFailed);
      expect(error.details).toMatchObject({ responseCode: 530 });
    });
  });

  describe('pool', () => {
    it('should reuse one connection for consecutive messages when pooled', async () => {
      const server = await startServer();
      const sender = senderFor({ url: server.url(), pool: true });

      for (let i = 0; i < 3; i += 1) await sender.send(email({ idempotencyKey: `key-${i}` }));

      expect(server.received).toHaveLength(3);
      expect(server.connections).toBe(1);
    });

    it('should open a connection per message when not pooled', async () => {
      const server = await startServer();
      const sender = senderFor({ url: server.url() });

      for (let i = 0; i < 2; i += 1) await sender.send(email({ idempotencyKey: `key-${i}` }));

      expect(server.connections).toBe(2);
    });
  });

  describe('options', () => {
    it.each([
      ['an empty URL', { url: '' }],
      ['text that is not a URL', { url: 'mail server at port 25' }],
      ['an http URL', { url: 'http://smtp.example.com' }],
      ['a URL without a host', { url: 'smtp://' }],
      ['a malformed percent-encoding', { url: 'smtp://user:%E0%A4%A@smtp.example.com' }],
      ['a zero timeout', { url: 'smtp://smtp.example.com', timeoutMs: 0 }],
      ['a fractional timeout', { url: 'smtp://smtp.example.com', timeoutMs: 1.5 }],
      ['a NaN timeout', { url: 'smtp://smtp.example.com', timeoutMs: Number.NaN }],
    ])('should throw config_invalid for %s', (_label, options) => {
      expect(() => createSmtpEmailSender(options)).toThrow(
        expect.objectContaining({ code: ErrorCode.ConfigInvalid }) as Error,
      );
    });

    it('should never repeat the password of a rejected URL', () => {
      const error = (() => {
        try {
          createSmtpEmailSender({ url: 'https://waymark:hunter2@smtp.example.com' });
        } catch (thrown) {
          return thrown as DomainError;
        }
        throw new Error('expected config_invalid');
      })();

      expect(error.code).toBe(ErrorCode.ConfigInvalid);
      expect(error.message).not.toContain('hunter2');
    });
  });
});

describe('verifySmtpConnection', () => {
  it('should report ok when the server greets and accepts the login', async () => {
    const server = await startServer({ credentials: { user: 'waymark', pass: 'secret' } });

    const check = await verifySmtpConnection(senderFor({ url: server.url('waymark:secret') }));

    expect(check).toEqual({ ok: true });
    expect(server.received).toHaveLength(0);
  });

  it('should report the refused credentials instead of throwing', async () => {
    const server = await startServer({ credentials: { user: 'waymark', pass: 'secret' } });

    const check = await verifySmtpConnection(senderFor({ url: server.url('waymark:nope') }));

    expect(check).toMatchObject({ ok: false, code: ErrorCode.UpstreamAuthFailed });
  });

  it('should report an unreachable server instead of throwing', async () => {
    const port = await closedPort();

    const check = await verifySmtpConnection(senderFor({ url: `smtp://127.0.0.1:${port}` }));

    expect(check).toMatchObject({ ok: false, code: ErrorCode.UpstreamUnavailable });
  });
});

describe('classifySmtpFailure', () => {
  function nodemailerError(message: string, fields: Record<string, unknown>): Error {
    return Object.assign(new Error(message), fields);
  }

  it.each([
    [
      'a temporary authentication failure (454)',
      {
        code: 'EAUTH',
        responseCode: 454,
        command: 'AUTH PLAIN',
        response: '454 4.7.0 Temporary authentication failure',
      },
      ErrorCode.UpstreamUnavailable,
    ],
    ['missing credentials', { code: 'EAUTH', command: 'API' }, ErrorCode.UpstreamAuthFailed],
    [
      'a sender refused with 553',
      {
        code: 'EENVELOPE',
        responseCode: 553,
        permanent: true,
        command: 'MAIL FROM',
        response: '553 5.7.1 Sender denied',
      },
      ErrorCode.InvalidInput,
    ],
    ['nodemailer finding no recipient', { code: 'EENVELOPE', command: 'API' }, ErrorCode.InvalidInput],
    ['nodemailer refusing a second recipient', { code: 'EMAXRECIPIENTS', command: 'API' }, ErrorCode.InvalidInput],
    [
      'a bad command sequence (503)',
      {
        code: 'EENVELOPE',
        responseCode: 503,
        permanent: false,
        command: 'RCPT TO',
        response: '503 5.5.1 Bad sequence',
      },
      ErrorCode.UpstreamUnavailable,
    ],
    [
      'a greeting that refuses service (554)',
      { code: 'EPROTOCOL', responseCode: 554, permanent: true, command: 'CONN', response: '554 No SMTP service here' },
      ErrorCode.UpstreamUnavailable,
    ],
    ['a host that does not resolve', { code: 'EDNS', originalCode: 'ENOTFOUND' }, ErrorCode.UpstreamUnavailable],
    ['a failed TLS handshake', { code: 'ETLS', command: 'CONN' }, ErrorCode.UpstreamUnavailable],
  ])('should classify %s', (_label, fields, expected) => {
    expect(classifySmtpFailure(nodemailerError('failed', fields)).code).toBe(expected);
  });

  it('should treat something thrown that is not an Error as transient', () => {
    const error = classifySmtpFailure('socket hang up');

    expect(error.code).toBe(ErrorCode.UpstreamUnavailable);
    expect(error.message).toContain('socket hang up');
  });
});

describe('queueIdFromResponse', () => {
  it.each([
    ['Postfix', '250 2.0.0 Ok: queued as 4D6E31F2A3', '4D6E31F2A3'],
    ['Exim', '250 OK id=1qAbCd-000123-XY', '1qAbCd-000123-XY'],
    ['sendmail', '250 2.0.0 x7K3Fa1B012345 Message accepted for delivery', 'x7K3Fa1B012345'],
    ['Amazon SES', '250 Ok 0100018c1a2b3c4d-5e6f7a8b-0000-000000', '0100018c1a2b3c4d-5e6f7a8b-0000-000000'],
  ])('should read the queue id from a %s reply', (_server, response, expected) => {
    expect(queueIdFromResponse(response)).toBe(expected);
  });

  it.each(['250 OK: message queued', '250 Great success', '250 2.0.0 OK  1700000000 a9-2002 - gsmtp', undefined])(
    'should return null when the reply %j names no queue id',
    (response) => {
      expect(queueIdFromResponse(response)).toBeNull();
    },
  );
});
