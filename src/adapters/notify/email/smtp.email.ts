import { createHash } from 'node:crypto';
import { domainToASCII } from 'node:url';
import nodemailer from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type { NodemailerError, SendMailOptions, SMTPSentMessageInfo, Transporter } from 'nodemailer';
import { DomainError, ErrorCode, isDomainError } from '../../../core/errors.js';
import type { EmailSender, OutgoingEmail, StaffEmail, StaffEmailSender } from '../../../core/ports/notifier.port.js';

/**
 * Bounds the connection setup (connect, greeting, TLS) as a whole, then each
 * wait for a reply. nodemailer's own defaults (2 min, 30 s, 10 min) would hold
 * an outbox row far longer than a retry with backoff costs.
 */
export const SMTP_DEFAULT_TIMEOUT_MS = 30_000;

export type SmtpEmailSenderOptions = {
  /**
   * SMTP_URL: `smtp://` (STARTTLS when the server offers it) or `smtps://`
   * (TLS from the first byte), credentials URL-encoded in the user info, e.g.
   * `smtps://apikey:s%3Dcret@smtp.example.com:465`. nodemailer's query
   * options (`?tls.rejectUnauthorized=false`, `?name=…`) pass through and win
   * over the options below.
   */
  url: string;
  /** Milliseconds for the connection setup, then for each reply; default `SMTP_DEFAULT_TIMEOUT_MS`. */
  timeoutMs?: number;
  /** Keep connections open and reuse them across messages (nodemailer's SMTP pool); call `close()` when done. */
  pool?: boolean;
};

export interface SmtpEmailSender extends EmailSender, StaffEmailSender {
  /** Connects, greets, authenticates and quits; throws the same classified `DomainError`s as `send`. */
  verify(): Promise<void>;
  /** Closes pooled connections; a sender without a pool holds none between messages. */
  close(): void;
}

export type SmtpConnectionCheck =
  { ok: true } | { ok: false; code: ErrorCode; message: string; details: Record<string, unknown> | undefined };

type SmtpServerLabel = { server: string; timeoutMs: number };

/**
 * An `EmailSender` over SMTP with nodemailer. Failures are thrown as
 * `DomainError` classified per the notifier port (see `classifySmtpFailure`).
 */
export function createSmtpEmailSender(options: SmtpEmailSenderOptions): SmtpEmailSender {
  const { url, server, timeoutMs, pool } = validateOptions(options);
  const label: SmtpServerLabel = { server, timeoutMs };
  const transportOptions = {
    url,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
    // Messages are built from strings only; a template must never make nodemailer read a file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
    // One notification, one customer: nodemailer refuses anything that would fan out.
    maxRecipients: 1,
  };
  const transporter: Transporter<SMTPSentMessageInfo> = pool
    ? nodemailer.createTransport({ ...transportOptions, pool: true })
    : nodemailer.createTransport(transportOptions);

  async function deliver(mail: SendMailOptions): Promise<{ providerMessageId: string }> {
    let info: SMTPSentMessageInfo;
    try {
      info = await transporter.sendMail(mail);
    } catch (error) {
      throw classifySmtpFailure(error, label);
    }
    return { providerMessageId: queueIdFromResponse(info.response) ?? info.messageId };
  }

  return {
    // Async, so a message refused before sending rejects like a failed send instead of throwing.
    send: async (message: OutgoingEmail) => deliver(composeMail(message)),

    sendToStaff: async (message: StaffEmail) => deliver(composeStaffMail(message)),

    async verify(): Promise<void> {
      try {
        await transporter.verify();
      } catch (error) {
        throw classifySmtpFailure(error, label);
      }
    },

    close(): void {
      transporter.close();
    },
  };
}

/**
 * The "test connection" check of the settings page: never throws for what
 * the server or the network did, so the page can show the reason as is.
 */
export async function verifySmtpConnection(sender: Pick<SmtpEmailSender, 'verify'>): Promise<SmtpConnectionCheck> {
  try {
    await sender.verify();
    return { ok: true };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return { ok: false, code: error.code, message: error.message, details: error.details };
  }
}

function configError(message: string): DomainError {
  return new DomainError(ErrorCode.ConfigInvalid, `SMTP email sender: ${message}`);
}

function validateOptions(options: SmtpEmailSenderOptions): {
  url: string;
  server: string;
  timeoutMs: number;
  pool: boolean;
} {
  const raw = typeof options.url === 'string' ? options.url.trim() : '';
  if (!raw) throw configError('SMTP_URL is required, e.g. smtps://user:password@smtp.example.com:465');
  // Never echo the URL itself: it carries the password.
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw configError('SMTP_URL is not a valid URL (expected smtp://user:password@host:port or smtps://…)');
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
    throw configError(`SMTP_URL must start with smtp:// or smtps:// (got ${parsed.protocol}//)`);
  }
  if (!parsed.hostname) throw configError('SMTP_URL names no host');
  try {
    decodeURIComponent(parsed.username);
    decodeURIComponent(parsed.password);
  } catch {
    throw configError('SMTP_URL has a malformed percent-encoding in its user name or password');
  }
  const timeoutMs = options.timeoutMs ?? SMTP_DEFAULT_TIMEOUT_MS;
  if (!(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
    throw configError(`timeoutMs must be a positive whole number of milliseconds (got ${timeoutMs})`);
  }
  if (options.pool !== undefined && typeof options.pool !== 'boolean') {
    throw configError('pool must be true or false');
  }
  const defaultPort = parsed.protocol === 'smtps:' ? '465' : '587';
  return {
    url: raw,
    server: `${parsed.hostname}:${parsed.port || defaultPort}`,
    timeoutMs,
    pool: options.pool ?? false,
  };
}

function invalidMessage(message: string): DomainError {
  return new DomainError(ErrorCode.InvalidInput, message);
}

/**
 * Exactly one mailbox, or nothing. addressparser reads `a@x, b@y` as two
 * recipients and nodemailer would send to both: a customer record holding a
 * list must fail, not fan out.
 */
function singleMailbox(field: string, value: string): { name: string; address: string } {
  if (/[\r\n\0]/.test(value)) throw invalidMessage(`${field} "${value.trim()}" contains a line break`);
  const parsed = addressparser(value);
  const only = parsed.length === 1 ? parsed[0] : undefined;
  const address = only?.address?.trim() ?? '';
  if (!only || only.group || !/^[^\s@]+@[^\s@]+$/.test(address)) {
    throw invalidMessage(`${field} "${value.trim()}" is not a single email address`);
  }
  return { name: only.name, address };
}

function headerValue(field: string, value: string): string {
  // eslint-disable-next-line no-control-regex -- the point is to find control characters
  if (!value || /[\x00-\x1f\x7f]/.test(value)) throw invalidMessage(`${field} must be a non-empty single-line value`);
  return value;
}

/**
 * The Message-ID is a function of the idempotency key, not random: when a
 * worker dies after the server accepted the message but before the outbox
 * recorded it, the retry sends a message with the same Message-ID. SMTP has no
 * idempotent submission, so this is as far as the protocol lets us shrink
 * that window: receivers that deduplicate by Message-ID (many mailbox
 * providers and mail stores keep one copy of a Message-ID) show it once, and
 * the copy is traceable to the first in every MTA log. The key is hashed
 * because it may hold characters a msg-id cannot, and the domain is the
 * sender's, which RFC 5322 asks for to keep the id globally unique.
 */
export function messageIdFor(idempotencyKey: string, fromAddress: string): string {
  const domain = domainToASCII(fromAddress.slice(fromAddress.lastIndexOf('@') + 1)).toLowerCase();
  if (!domain) throw invalidMessage(`from address "${fromAddress}" has no valid domain for a Message-ID`);
  const digest = createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 40);
  return `<waymark.${digest}@${domain}>`;
}

/** What every message has: one mailbox each way, both parts, and a Message-ID derived from its key. */
function composeCommon(message: StaffEmail): {
  mail: SendMailOptions;
  idempotencyKey: string;
} {
  const to = singleMailbox('recipient', message.to);
  const from = singleMailbox('from', message.from);
  const idempotencyKey = headerValue('idempotency key', message.idempotencyKey);
  const mail = {
    from,
    to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId: messageIdFor(idempotencyKey, from.address),
  };
  return { mail, idempotencyKey };
}

function composeMail(message: OutgoingEmail): SendMailOptions {
  const { mail, idempotencyKey } = composeCommon(message);
  const replyTo = message.replyTo === null ? undefined : singleMailbox('reply-to', message.replyTo);
  if (!/^https?:\/\//i.test(message.unsubscribeUrl) || !URL.canParse(message.unsubscribeUrl)) {
    throw invalidMessage(`unsubscribe URL "${message.unsubscribeUrl}" is not an absolute http(s) URL`);
  }
  const milestone = headerValue('milestone', message.milestone);
  return {
    ...mail,
    replyTo,
    // nodemailer writes `List-Unsubscribe: <url>`; the POST header makes it one-click (RFC 8058).
    list: { unsubscribe: message.unsubscribeUrl },
    headers: {
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'X-Waymark-Notification-Key': idempotencyKey,
      'X-Waymark-Milestone': milestone,
    },
  };
}

/** A staff message, marked as sent by a machine so auto-replies stay quiet (RFC 3834). */
function composeStaffMail(message: StaffEmail): SendMailOptions {
  const { mail } = composeCommon({ ...message, subject: headerValue('subject', message.subject) });
  return { ...mail, headers: { 'Auto-Submitted': 'auto-generated' } };
}

/**
 * The server's own id for the message, from the final reply to DATA, where
 * the common MTAs put it: Postfix and services built like it ("250 2.0.0 Ok:
 * queued as 4D6E31F2A3"), Exim ("250 OK id=1qAbCd-000123-XY"), sendmail
 * ("250 2.0.0 x7K3Fa1B012345 Message accepted for delivery") and Amazon SES
 * ("250 Ok 0100018c…-000000"). Null when the reply carries none.
 */
export function queueIdFromResponse(response: string | undefined): string | null {
  if (!response) return null;
  const line = response.trim();
  const patterns = [
    /\bqueued as\s+<?(\w[\w.@-]*\w|\w)>?/i,
    /\bid=(\w[\w.@-]*\w|\w)/i,
    /^250[ -](?:2\.\d\.\d\s+)?(\w+)\s+Message accepted for delivery/i,
    /^250[ -]Ok\s+([\w-]+)$/i,
  ];
  for (const pattern of patterns) {
    const id = pattern.exec(line)?.[1];
    if (id) return id;
  }
  return null;
}

const TIMEOUT_WAITS: Record<string, string> = {
  CONNECT_TIMEOUT: 'to accept the connection',
  GREETING_TIMEOUT: 'to send its greeting',
  UPGRADE_TIMEOUT: 'to finish the TLS handshake',
  SOCKET_TIMEOUT: 'to reply',
};

/** What nodemailer attaches to its errors; anything else thrown has none of it. */
function readFailure(error: unknown): NodemailerError {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * The notifier port's classes for an SMTP failure:
 * - any 4xx reply (greeting, AUTH 454, RCPT 451/452, DATA 4xx, 421 closing),
 *   503, timeouts, refused or broken connections, DNS and TLS failures →
 *   `upstream_unavailable` (retry);
 * - 535 and the other credential replies (530, 534, 538), or nodemailer's
 *   EAUTH/ENOAUTH without a 4xx → `upstream_auth_failed`;
 * - a 5xx reply to MAIL FROM, RCPT TO or DATA (recipient or sender rejected,
 *   message refused), or an address nodemailer will not send to →
 *   `invalid_input` with the server's reply: the same message would be
 *   refused again;
 * - a 5xx to the greeting or EHLO says the server will not talk to us at all
 *   (blocklisted IP, maintenance), not that this message is bad, so it is
 *   retried as `upstream_unavailable` rather than failing every customer's email.
 */
export function classifySmtpFailure(
  error: unknown,
  { server, timeoutMs }: SmtpServerLabel = { server: 'the SMTP server', timeoutMs: SMTP_DEFAULT_TIMEOUT_MS },
): DomainError {
  if (isDomainError(error)) return error;
  const failure = readFailure(error);
  const { code, responseCode, command } = failure;
  const reply = failure.response?.trim();
  const details: Record<string, unknown> = {
    server,
    smtpErrorCode: code,
    responseCode,
    command,
    response: reply,
    timeoutType: failure.timeoutType,
    socketErrorCode: failure.originalCode,
  };
  const options = { cause: error, details };
  const stage = command ? ` (${command})` : '';

  if (responseCode !== undefined && responseCode >= 400 && responseCode < 500) {
    return new DomainError(
      ErrorCode.UpstreamUnavailable,
      `SMTP server ${server} deferred the message${stage}: ${reply}`,
      options,
    );
  }
  if (
    code === 'EAUTH' ||
    code === 'ENOAUTH' ||
    responseCode === 530 ||
    responseCode === 534 ||
    responseCode === 535 ||
    responseCode === 538
  ) {
    return new DomainError(
      ErrorCode.UpstreamAuthFailed,
      `SMTP server ${server} refused the credentials${stage}: ${reply ?? failure.message}`,
      options,
    );
  }
  if (responseCode !== undefined && failure.permanent === true) {
    const refused =
      command === 'RCPT TO'
        ? 'the recipient'
        : command === 'MAIL FROM'
          ? 'the sender'
          : command === 'DATA'
            ? 'the message'
            : undefined;
    if (refused) {
      return new DomainError(ErrorCode.InvalidInput, `SMTP server rejected ${refused}: ${reply}`, options);
    }
  }
  if ((code === 'EENVELOPE' || code === 'EMESSAGE' || code === 'EMAXRECIPIENTS') && responseCode === undefined) {
    return new DomainError(ErrorCode.InvalidInput, `nodemailer refused the message: ${failure.message}`, options);
  }
  if (code === 'ETIMEDOUT') {
    const wait = (failure.timeoutType && TIMEOUT_WAITS[failure.timeoutType]) ?? 'to answer';
    return new DomainError(
      ErrorCode.UpstreamUnavailable,
      `SMTP server ${server} took longer than ${timeoutMs} ms ${wait}`,
      options,
    );
  }
  return new DomainError(
    ErrorCode.UpstreamUnavailable,
    `SMTP server ${server} is unavailable${stage}: ${reply ?? failure.message}`,
    options,
  );
}
