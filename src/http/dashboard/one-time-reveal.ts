import type { FastifyReply, FastifyRequest } from 'fastify';

import type { Sealer } from '../../core/ports/sealer.port.js';
import { currentStoreOf, isTls, signedInOf } from './dashboard-context.js';

export const REVEAL_COOKIE = 'waymark_reveal';
/** Long enough for the redirect that follows the POST; a secret is never kept for a later visit. */
const REVEAL_SECONDS = 120;
const REVEAL_PATH = '/dashboard/settings';

export type RevealKind = 'api-key' | 'webhook-secret' | 'invite-link';

/**
 * A secret shown once, across POST → redirect → GET. Creating a key answers
 * with a redirect, so reloading the page that shows it cannot create another;
 * the key travels to that page in a short-lived cookie, sealed under the
 * deployment's key and bound to the session, the store and the kind of secret,
 * so a copied cookie opens nowhere else. The page opens it once and clears it:
 * a reload shows the list without the key. Nothing is kept on the server.
 */
function boundTo(request: FastifyRequest, kind: RevealKind): string {
  return `reveal:${kind}:${currentStoreOf(request).id}:${signedInOf(request).session.csrfToken}`;
}

export function stashReveal(
  request: FastifyRequest,
  reply: FastifyReply,
  reveal: { sealer: Sealer; kind: RevealKind; secret: string; now: string },
): void {
  const until = Date.parse(reveal.now) + REVEAL_SECONDS * 1000;
  const sealed = reveal.sealer.seal(JSON.stringify({ secret: reveal.secret, until }), boundTo(request, reveal.kind));
  void reply.setCookie(REVEAL_COOKIE, sealed, {
    path: REVEAL_PATH,
    httpOnly: true,
    sameSite: 'strict',
    secure: isTls(request),
    maxAge: REVEAL_SECONDS,
  });
}

/** The secret stashed for this page, once; null when there is none, it is stale, or it is another page's. */
export function takeReveal(
  request: FastifyRequest,
  reply: FastifyReply,
  reveal: { sealer: Sealer; kind: RevealKind; now: string },
): string | null {
  const sealed = request.cookies[REVEAL_COOKIE];
  if (!sealed) return null;
  let opened: unknown;
  try {
    opened = JSON.parse(reveal.sealer.open(sealed, boundTo(request, reveal.kind)));
  } catch {
    // Another page's secret (left for it), another session's, or altered: nothing to show here.
    return null;
  }
  void reply.clearCookie(REVEAL_COOKIE, { path: REVEAL_PATH });
  const { secret, until } = (opened ?? {}) as { secret?: unknown; until?: unknown };
  return typeof secret === 'string' && typeof until === 'number' && until >= Date.parse(reveal.now) ? secret : null;
}
