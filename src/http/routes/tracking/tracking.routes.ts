import { randomBytes } from 'node:crypto';

import formBody from '@fastify/formbody';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import type { AttemptWindows } from '../../../app/attempt-windows.js';
import { findStoreForTracking, lookUpOrder, openTrackedOrder, type TrackedOrder } from '../../../app/track-order.js';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { Clock } from '../../../core/ports/clock.port.js';
import type { SignedLinks } from '../../../core/ports/signed-links.port.js';
import type { UnitOfWork } from '../../../core/ports/storage.port.js';
import { EMPTY_BRANDING, type Store } from '../../../core/store/store.js';
import { negotiatePageLocale, type PageLocale } from '../../../web/tracking/page-locale.js';
import {
  renderLookupPage,
  renderMessagePage,
  renderOrderContent,
  renderOrderPage,
  type LookupProblem,
} from '../../../web/tracking/render-tracking-page.js';
import { sampleTrackingOrder } from '../../../web/tracking/sample-order.js';
import { buildTrackingView, pageCopy, storeFace } from '../../../web/tracking/tracking-view.js';
import { handleError, statusOfError } from '../../error-handler.js';
import { sendPage } from '../../web/page-security.js';

export type TrackingRouteDeps = {
  uow: UnitOfWork;
  clock: Clock;
  links: SignedLinks;
  attempts: AttemptWindows;
};

/** A link minted for a page found by look-up, so its refreshes need no form re-post. */
const REFRESH_LINK_MS = 24 * 3_600_000;

const slugParams = z.object({ slug: z.string().min(1).max(200) });
const lookupFields = {
  order: z.string().max(200).default(''),
  email: z.string().max(200).default(''),
};

const PUBLIC_VIEW_DESCRIPTION =
  'The tracking page as JSON, for merchants who show tracking inside their own site. Needs the order number and the email address or postal code of the order; answers 404 for any wrong combination and 429 after repeated failures.';

function locale(request: FastifyRequest, store: Pick<Store, 'locale'> | null): PageLocale {
  return negotiatePageLocale(request.headers['accept-language'], store?.locale ?? null);
}

function nonce(): string {
  return randomBytes(16).toString('base64');
}

/** A page without a store to brand it: an unknown slug, a broken link, a request we cannot read. */
function sendMessagePage(
  request: FastifyRequest,
  reply: FastifyReply,
  message: 'storeNotFound' | 'linkInvalid' | 'requestNotUnderstood',
  status: number,
): FastifyReply {
  const pageLocale = locale(request, null);
  const copy = pageCopy(pageLocale.language);
  const face = storeFace({ slug: '', name: 'Waymark', branding: EMPTY_BRANDING });
  const frame = { lang: pageLocale.language, store: face, nonce: nonce() };
  return sendPage(reply, renderMessagePage(frame, copy.ui.lookupTitle, copy.ui[message]), {
    status,
    styleNonce: frame.nonce,
  });
}

export function registerTrackingRoutes(app: FastifyInstance, deps: TrackingRouteDeps): void {
  const now = () => deps.clock.now();

  const pageFor = (request: FastifyRequest, store: Store, tracked: TrackedOrder, refreshUrl: string | null) => {
    const view = buildTrackingView({ store, order: tracked.order, locale: locale(request, store), now: now() });
    const styleNonce = nonce();
    return { view, styleNonce, html: renderOrderPage(view, { nonce: styleNonce }, refreshUrl) };
  };

  const messagePage = sendMessagePage;
  const unknownStore = (request: FastifyRequest, reply: FastifyReply) =>
    messagePage(request, reply, 'storeNotFound', 404);

  const lookupPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    store: Store,
    options: { status?: number; problem?: LookupProblem; values?: { order?: string; email?: string } } = {},
  ) => {
    const pageLocale = locale(request, store);
    const styleNonce = nonce();
    const html = renderLookupPage(
      { lang: pageLocale.language, store: storeFace(store), nonce: styleNonce },
      { values: options.values ?? {}, problem: options.problem ?? null },
    );
    return sendPage(reply, html, { status: options.status ?? 200, styleNonce });
  };

  const pages = app.withTypeProvider<ZodTypeProvider>();
  const browsing = app.rateLimit({ max: 300, timeWindow: '1 minute' });
  const guessing = app.rateLimit({ max: 60, timeWindow: '1 minute' });

  pages.get(
    '/track/:slug',
    {
      schema: {
        hide: true,
        params: slugParams,
        // The dashboard's preview passes unsaved branding to show it as it is typed; sample data only.
        querystring: z.object({
          preview: z.string().optional(),
          displayName: z.string().max(200).optional(),
          logoUrl: z.string().max(1000).optional(),
          primaryColor: z.string().max(40).optional(),
          accentColor: z.string().max(40).optional(),
        }),
      },
      onRequest: browsing,
    },
    async (request, reply) => {
      const store = await findStoreForTracking(deps, request.params.slug);
      if (!store) return unknownStore(request, reply);
      if (request.query.preview !== undefined) {
        // The dashboard's branding preview: sample data only, so it needs no proof and can be framed by us.
        const { displayName, logoUrl, primaryColor, accentColor } = request.query;
        const draft = Object.fromEntries(
          Object.entries({ displayName, logoUrl, primaryColor, accentColor }).filter(
            ([, value]) => value !== undefined,
          ),
        );
        const view = buildTrackingView({
          store: { ...store, branding: { ...store.branding, ...draft } },
          order: sampleTrackingOrder(store.id, now()),
          locale: locale(request, store),
          now: now(),
        });
        const styleNonce = nonce();
        return sendPage(reply, renderOrderPage(view, { nonce: styleNonce, preview: true }, null), {
          allowFramingBySelf: true,
          styleNonce,
        });
      }
      return lookupPage(request, reply, store);
    },
  );

  pages.post(
    '/track/:slug',
    { schema: { hide: true, params: slugParams, body: z.object(lookupFields) }, onRequest: guessing },
    async (request, reply) => {
      const { order, email } = request.body;
      const outcome = await lookUpOrder(deps, {
        storeSlug: request.params.slug,
        orderNumber: order,
        proof: email,
        client: request.ip,
      });
      switch (outcome.kind) {
        case 'unknown_store':
          return unknownStore(request, reply);
        case 'rate_limited':
          void reply.header('retry-after', String(outcome.retryAfterSeconds));
          request.log.warn({ store: outcome.store.id }, 'tracking look-up rate limited');
          return lookupPage(request, reply, outcome.store, {
            status: 429,
            problem: 'rate_limited',
            values: { order, email },
          });
        case 'not_found':
          return lookupPage(request, reply, outcome.store, {
            status: 404,
            problem: 'not_found',
            values: { order, email },
          });
        case 'found': {
          const token = deps.links.sign(
            { kind: 'track', storeId: outcome.store.id, orderId: outcome.order.id },
            new Date(Date.parse(now()) + REFRESH_LINK_MS),
          );
          const page = pageFor(request, outcome.store, outcome, `/t/${token}`);
          return sendPage(reply, page.html, { styleNonce: page.styleNonce });
        }
      }
    },
  );

  pages.get(
    '/t/:token',
    { schema: { hide: true, params: z.object({ token: z.string().max(1024) }) }, onRequest: browsing },
    async (request, reply) => {
      const link = deps.links.check(request.params.token, new Date(now()));
      const fragment = request.headers['x-waymark-fragment'] === '1';
      if (!link.ok && link.reason === 'expired' && link.claims.kind === 'track') {
        const store = await deps.uow.repositories.stores.findStoreById(link.claims.storeId);
        if (store?.isEnabled && !fragment)
          return lookupPage(request, reply, store, { status: 410, problem: 'expired' });
      }
      const tracked = link.ok && link.claims.kind === 'track' ? await openTrackedOrder(deps, link.claims) : undefined;
      if (!tracked) return messagePage(request, reply, 'linkInvalid', link.ok || link.reason === 'invalid' ? 404 : 410);
      if (fragment) {
        const view = buildTrackingView({
          store: tracked.store,
          order: tracked.order,
          locale: locale(request, tracked.store),
          now: now(),
        });
        return reply
          .header('cache-control', 'private, no-store')
          .type('text/html; charset=utf-8')
          .send(renderOrderContent(view));
      }
      const page = pageFor(request, tracked.store, tracked, `/t/${request.params.token}`);
      return sendPage(reply, page.html, { styleNonce: page.styleNonce });
    },
  );

  pages.get(
    '/api/public/track/:slug',
    {
      schema: {
        tags: ['tracking'],
        summary: 'Look up an order as the customer would',
        description: PUBLIC_VIEW_DESCRIPTION,
        security: [],
        params: slugParams,
        querystring: z.object({ order: z.string().min(1).max(200), email: z.string().min(1).max(200) }),
      },
      onRequest: guessing,
    },
    async (request, reply) => {
      // Readable from a merchant's own site; no cookies are involved, so any origin may ask.
      void reply.header('access-control-allow-origin', '*').header('cache-control', 'private, no-store');
      const outcome = await lookUpOrder(deps, {
        storeSlug: request.params.slug,
        orderNumber: request.query.order,
        proof: request.query.email,
        client: request.ip,
      });
      switch (outcome.kind) {
        case 'unknown_store':
        case 'not_found':
          throw new DomainError(ErrorCode.NotFound, 'no order matches this order number and email or postal code');
        case 'rate_limited':
          void reply.header('retry-after', String(outcome.retryAfterSeconds));
          throw new DomainError(ErrorCode.RateLimited, 'too many failed look-ups; retry later');
        case 'found':
          return buildTrackingView({
            store: outcome.store,
            order: outcome.order,
            locale: locale(request, outcome.store),
            now: now(),
          });
      }
    },
  );
}

/** Registers the pages in their own scope, where (and only where) HTML form bodies are parsed. */
export async function registerTrackingPages(app: FastifyInstance, deps: TrackingRouteDeps): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(formBody, { bodyLimit: 4096 });
    // A customer who sends something odd (a doubled field, an overlong slug, a huge form) gets a
    // page in their language, not the API's JSON envelope; the JSON route keeps the envelope.
    scope.setErrorHandler<FastifyError>((error, request, reply) => {
      const status = statusOfError(error);
      if (status >= 500 || request.url.startsWith('/api/')) return handleError(error, request, reply);
      request.log.info({ status, code: error.code }, error.message);
      return sendMessagePage(request, reply, 'requestNotUnderstood', status);
    });
    registerTrackingRoutes(scope, deps);
  });
}
