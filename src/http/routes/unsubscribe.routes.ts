import type { FastifyInstance } from 'fastify';

import { unsubscribe } from '../../app/unsubscribe.js';
import type { Clock } from '../../core/ports/clock.port.js';
import type { UnitOfWork } from '../../core/ports/storage.port.js';

import type { SignedLinks } from '../../core/ports/signed-links.port.js';

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

function page(title: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5"><h1 style="font-size:1.4rem">${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`;
}

/**
 * `/u/{token}`: the unsubscribe link of every message. GET (a click in the
 * message) and POST (RFC 8058 one-click from the mail client) both unsubscribe:
 * the signed token is the proof, nothing else is asked.
 */
export function registerUnsubscribeRoutes(
  app: FastifyInstance,
  deps: { uow: UnitOfWork; clock: Clock; links: SignedLinks },
): void {
  const handler = async (token: string) => {
    const link = deps.links.check(token, new Date(deps.clock.now()));
    if (!link.ok || link.claims.kind !== 'unsubscribe') return null;
    return unsubscribe(deps, link.claims);
  };
  const rateLimit = app.rateLimit({ max: 30, timeWindow: '1 minute' });

  app.get<{ Params: { token: string } }>(
    '/u/:token',
    { schema: { hide: true }, onRequest: rateLimit },
    async (request, reply) => {
      const done = await handler(request.params.token);
      void reply.type('text/html; charset=utf-8');
      if (!done)
        return reply
          .status(404)
          .send(page('Link not valid', 'This unsubscribe link is not valid. Nothing was changed.'));
      return page(
        'You are unsubscribed',
        `You will get no more shipping updates from ${done.storeName} on this channel.`,
      );
    },
  );

  app.post<{ Params: { token: string } }>(
    '/u/:token',
    { schema: { hide: true }, onRequest: rateLimit },
    async (request, reply) => {
      const done = await handler(request.params.token);
      if (!done) return reply.status(404).send({ error: { code: 'not_found', message: 'unsubscribe link not valid' } });
      return { unsubscribed: true };
    },
  );
}
