import { z } from 'zod';

import { DomainError, ErrorCode, isDomainError } from '../../../core/errors.js';
import type { OutgoingSms, SmsSender } from '../../../core/ports/notifier.port.js';
import {
  fetchExchange,
  parseRetryAfter,
  type HttpAnswer,
  type HttpExchange,
} from '../../carriers/shared/carrier-http.js';

export const TWILIO_PRODUCTION_BASE_URL = 'https://api.twilio.com';
export const TWILIO_DEFAULT_TIMEOUT_MS = 10_000;

export type TwilioSmsSenderOptions = {
  /** `AC` followed by 32 hex digits (TWILIO_ACCOUNT_SID). */
  accountSid: string;
  /** TWILIO_AUTH_TOKEN; sent only as the HTTP Basic password. */
  authToken: string;
  /**
   * TWILIO_FROM: a Twilio number in E.164 (`+14155550100`), an alphanumeric
   * sender ID (`Waymark`, where the destination country allows one), or a
   * Messaging Service SID (`MG…`, sent as `MessagingServiceSid` so Twilio
   * picks the sender from the service's pool).
   */
  from: string;
  /** Default `https://api.twilio.com`; tests pass a fake server. */
  baseUrl?: string;
  exchange?: HttpExchange;
  timeoutMs?: number;
};

const ACCOUNT_SID = /^AC[0-9a-f]{32}$/i;
const MESSAGING_SERVICE_SID = /^MG[0-9a-f]{32}$/i;
const E164 = /^\+[1-9]\d{1,14}$/;
/** Up to 11 ASCII letters, digits and spaces, not only digits (Twilio's rule for alphanumeric sender IDs). */
const ALPHANUMERIC_SENDER_ID = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;

/** Credentials or the account itself refused: 20003 authenticate, 20404 account not found, 20005 account suspended. */
const ACCOUNT_REFUSED_CODES: ReadonlySet<number> = new Set([20003, 20404, 20005]);

/**
 * The configured sender cannot send this: 21212 invalid From, 21606 From not
 * SMS-capable, 21659 From not a Twilio number, 21705 invalid Messaging
 * Service, 21408 destination region not enabled on the account, 21608 trial
 * account sending to an unverified number. Every SMS fails the same way
 * until an operator fixes the account, and then they can all go, which is
 * the contract of `upstream_auth_failed` — not a verdict on the recipient.
 */
const SENDER_REFUSED_CODES: ReadonlySet<number> = new Set([21212, 21408, 21606, 21608, 21659, 21705]);

/**
 * The recipient cannot get SMS: 21211 invalid To, 21612 To not reachable
 * (from this sender), 21614 To not a mobile number, 21635 To is a landline,
 * 21265 To is a short code, 21610 the recipient replied STOP to this sender.
 */
const RECIPIENT_REFUSED_CODES: ReadonlySet<number> = new Set([21211, 21265, 21610, 21612, 21614, 21635]);
const OPTED_OUT_CODE = 21610;

/** Twilio's error body. */
const TwilioErrorSchema = z.object({
  code: z.number().int(),
  message: z.string().optional(),
  more_info: z.string().optional(),
  status: z.number().optional(),
});
type TwilioError = z.infer<typeof TwilioErrorSchema>;

/** The created Message resource: only its SID (`SM…`, `MM…`) matters here. */
const TwilioMessageSchema = z.object({ sid: z.string().min(1) });

function validateOptions(options: TwilioSmsSenderOptions): {
  accountSid: string;
  authToken: string;
  from: string;
  baseUrl: string;
  timeoutMs: number;
} {
  const accountSid = typeof options.accountSid === 'string' ? options.accountSid.trim() : '';
  if (!ACCOUNT_SID.test(accountSid)) {
    throw new DomainError(
      ErrorCode.ConfigInvalid,
      'twilio: accountSid must be the Account SID from the Twilio console (AC followed by 32 hex digits)',
    );
  }
  const authToken = typeof options.authToken === 'string' ? options.authToken.trim() : '';
  if (!authToken) throw new DomainError(ErrorCode.ConfigInvalid, 'twilio: authToken is required');
  const from = typeof options.from === 'string' ? options.from.trim() : '';
  if (!(E164.test(from) || MESSAGING_SERVICE_SID.test(from) || ALPHANUMERIC_SENDER_ID.test(from))) {
    throw new DomainError(
      ErrorCode.ConfigInvalid,
      `twilio: from "${from}" must be a number in E.164 (+14155550100), an alphanumeric sender ID of up to 11 characters, or a Messaging Service SID (MG…)`,
    );
  }
  const baseUrl = (options.baseUrl ?? TWILIO_PRODUCTION_BASE_URL).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(baseUrl) || !URL.canParse(baseUrl)) {
    throw new DomainError(ErrorCode.ConfigInvalid, `twilio: baseUrl "${options.baseUrl}" is not an http(s) URL`);
  }
  const timeoutMs = options.timeoutMs ?? TWILIO_DEFAULT_TIMEOUT_MS;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new DomainError(ErrorCode.ConfigInvalid, `twilio: timeoutMs must be a positive number (got ${timeoutMs})`);
  }
  return { accountSid, authToken, from, baseUrl, timeoutMs };
}

function readJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function twilioSaid(error: TwilioError): string {
  return `${error.message ?? 'no message'} (Twilio error ${error.code})`;
}

/** What a failed answer means for the outbox row: retry, wait, fix the account, or give up. */
export function classifyTwilioFailure(answer: HttpAnswer): DomainError {
  const { status } = answer;
  const parsed = TwilioErrorSchema.safeParse(readJson(answer.text));
  const twilioError = parsed.success ? parsed.data : null;
  const details = {
    status,
    twilioCode: twilioError?.code ?? null,
    moreInfo: twilioError?.more_info ?? null,
  };

  // Twilio documents a 429 as never processed, so a retry cannot duplicate the message.
  if (status === 429 || twilioError?.code === 20429) {
    const retryAfterMs = parseRetryAfter(answer.headers.get('retry-after'));
    return new DomainError(ErrorCode.UpstreamRateLimited, `twilio rate limit reached (HTTP ${status})`, {
      details: { ...details, retryAfterMs },
    });
  }
  if (status >= 500 || status === 408) {
    return new DomainError(ErrorCode.UpstreamUnavailable, `twilio is unavailable (HTTP ${status})`, { details });
  }
  if (!twilioError) {
    if (status === 401 || status === 403) {
      return new DomainError(ErrorCode.UpstreamAuthFailed, `twilio refused the credentials (HTTP ${status})`, {
        details,
      });
    }
    // Not Twilio's error shape: a proxy, a captive portal or a wrong baseUrl answered; try again later.
    return new DomainError(ErrorCode.UpstreamUnavailable, `twilio answered HTTP ${status} with an unreadable body`, {
      details: { ...details, bodyStart: answer.text.slice(0, 200) },
    });
  }
  if (ACCOUNT_REFUSED_CODES.has(twilioError.code) || status === 401 || status === 403) {
    return new DomainError(ErrorCode.UpstreamAuthFailed, `twilio refused the account: ${twilioSaid(twilioError)}`, {
      details,
    });
  }
  if (twilioError.code === 21611) {
    // The sender's queue holds more than Twilio keeps (hours of messages): slow down, nothing is wrong with this one.
    return new DomainError(ErrorCode.UpstreamRateLimited, `twilio sender queue is full: ${twilioSaid(twilioError)}`, {
      details: { ...details, retryAfterMs: null },
    });
  }
  if (SENDER_REFUSED_CODES.has(twilioError.code)) {
    return new DomainError(ErrorCode.UpstreamAuthFailed, `twilio refused the sender: ${twilioSaid(twilioError)}`, {
      details: { ...details, senderRefused: true },
    });
  }
  const optedOut = twilioError.code === OPTED_OUT_CODE;
  const recipientRefused = RECIPIENT_REFUSED_CODES.has(twilioError.code);
  return new DomainError(
    ErrorCode.InvalidInput,
    optedOut
      ? `the recipient replied STOP to this sender: ${twilioSaid(twilioError)}`
      : `twilio refused the message: ${twilioSaid(twilioError)}`,
    { details: { ...details, recipientRefused, optedOut } },
  );
}

/**
 * Sends customer SMS through Twilio's Messages API.
 *
 * Crash window: Twilio accepts no idempotency key on message creation, so
 * `idempotencyKey` cannot travel with the request. If Twilio accepts the
 * message and Waymark does not learn it (the process dies before the caller
 * records the returned SID, the answer times out or the connection breaks
 * after the request left, or the 2xx body is unreadable), the row is retried
 * and the customer gets the SMS twice. The window is one HTTP round trip plus
 * the caller's write of the SID, so the caller must record it immediately,
 * before anything else. Refusals create no message: Twilio documents a 429
 * as never processed, and a 4xx with an error code means nothing was queued.
 */
export function createTwilioSmsSender(options: TwilioSmsSenderOptions): SmsSender {
  const { accountSid, authToken, from, baseUrl, timeoutMs } = validateOptions(options);
  const exchange = options.exchange ?? fetchExchange;
  const url = `${baseUrl}/2010-04-01/Accounts/${accountSid}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const sender: [string, string] = MESSAGING_SERVICE_SID.test(from) ? ['MessagingServiceSid', from] : ['From', from];

  async function post(form: URLSearchParams): Promise<HttpAnswer> {
    try {
      return await exchange({
        url,
        method: 'POST',
        headers: {
          authorization,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: form.toString(),
        timeoutMs,
      });
    } catch (error) {
      if (isDomainError(error)) throw error;
      throw new DomainError(ErrorCode.UpstreamUnavailable, `cannot reach twilio: ${String(error)}`, { cause: error });
    }
  }

  return {
    async send(message: OutgoingSms) {
      // Checked here so a caller's slip costs no API call and names the cause plainly.
      if (!E164.test(message.to)) {
        throw new DomainError(ErrorCode.InvalidInput, `"${message.to}" is not an E.164 phone number`, {
          details: { optedOut: false, recipientRefused: true },
        });
      }
      if (!message.body.trim()) {
        throw new DomainError(ErrorCode.InvalidInput, 'an SMS needs a body', {
          details: { optedOut: false, recipientRefused: false },
        });
      }
      const answer = await post(new URLSearchParams([['To', message.to], sender, ['Body', message.body]]));
      if (answer.status < 200 || answer.status >= 300) throw classifyTwilioFailure(answer);
      const created = TwilioMessageSchema.safeParse(readJson(answer.text));
      if (!created.success) {
        // Twilio may well have queued the message; retrying risks a duplicate, dropping risks silence. Retry wins.
        throw new DomainError(
          ErrorCode.UpstreamUnavailable,
          `twilio answered HTTP ${answer.status} without a message SID`,
          { details: { status: answer.status, bodyStart: answer.text.slice(0, 200), mayHaveBeenSent: true } },
        );
      }
      return { providerMessageId: created.data.sid };
    },
  };
}
