import { DomainError, ErrorCode } from '../../../core/errors.js';
import { classifyHttpFailure, parseJsonBody, type HttpExchange } from './carrier-http.js';

export type ClientCredentials = { clientId: string; clientSecret: string };

/** Renew this long before the token says it expires, so a call never starts with a token about to die. */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * OAuth 2.0 client-credentials tokens, cached until shortly before expiry.
 * Concurrent callers share one token request. `invalidate()` drops a token
 * the carrier rejected (expired early, revoked) so the next call fetches anew.
 */
export class OAuthTokenCache {
  #token: { value: string; expiresAt: number } | null = null;
  #pending: Promise<string> | null = null;

  constructor(
    private readonly options: {
      carrier: string;
      tokenUrl: string;
      credentials: ClientCredentials;
      exchange: HttpExchange;
      timeoutMs: number;
      /** How the credentials travel: HTTP Basic (UPS) or in the form body (FedEx, USPS). */
      style: 'basic' | 'form';
      extraForm?: Record<string, string>;
      now?: () => number;
    },
  ) {}

  async getToken(): Promise<string> {
    const now = (this.options.now ?? Date.now)();
    if (this.#token && this.#token.expiresAt - EXPIRY_MARGIN_MS > now) return this.#token.value;
    this.#pending ??= this.#fetchToken().finally(() => {
      this.#pending = null;
    });
    return this.#pending;
  }

  invalidate(): void {
    this.#token = null;
  }

  async #fetchToken(): Promise<string> {
    const { carrier, tokenUrl, credentials, exchange, timeoutMs, style } = this.options;
    const form = new URLSearchParams({ grant_type: 'client_credentials', ...this.options.extraForm });
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    if (style === 'basic') {
      headers.authorization = `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`;
    } else {
      form.set('client_id', credentials.clientId);
      form.set('client_secret', credentials.clientSecret);
    }
    const answer = await exchange({ url: tokenUrl, method: 'POST', headers, body: form.toString(), timeoutMs });
    if (answer.status === 400 || answer.status === 401 || answer.status === 403) {
      throw new DomainError(
        ErrorCode.UpstreamAuthFailed,
        `${carrier} refused the client credentials (HTTP ${answer.status})`,
        {
          details: { status: answer.status, bodyStart: answer.text.slice(0, 200) },
        },
      );
    }
    const failure = classifyHttpFailure(carrier, answer);
    if (failure) throw failure;
    const body = parseJsonBody(carrier, answer) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string' || body.access_token.length === 0) {
      throw new DomainError(ErrorCode.UpstreamInvalidResponse, `${carrier} token answer has no access_token`);
    }
    const expiresInSeconds = Number(body.expires_in);
    const now = (this.options.now ?? Date.now)();
    this.#token = {
      value: body.access_token,
      expiresAt: now + (Number.isFinite(expiresInSeconds) && expiresInSeconds > 0 ? expiresInSeconds : 3600) * 1000,
    };
    return this.#token.value;
  }
}
