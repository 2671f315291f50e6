import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

import { DEFAULT_SESSION_POLICY, resolveSession, tokensMatch } from '../../app/manage-dashboard-sessions.js';
import { DomainError, ErrorCode, isDomainError } from '../../core/errors.js';
import { HTTP_STATUS_FOR_CODE } from '../error-handler.js';
import { registerAnalyticsRoutes } from './analytics.routes.js';
import { registerAttentionRoutes } from './attention.routes.js';
import { registerAuthRoutes } from './auth.routes.js';
import { registerConnectionRoutes } from './connection.routes.js';
import {
  CHART_SCRIPT,
  chromeOf,
  renderPage,
  SESSION_COOKIE,
  type DashboardDeps,
  type DashboardRequestContext,
} from './dashboard-context.js';
import { registerOrderRoutes } from './orders.routes.js';
import { registerSettingsRoutes } from './settings.routes.js';
import { registerTemplateSettingsRoutes } from './settings-templates.routes.js';

const ERROR_TEXT: Partial<Record<number, [string, string]>> = {
  400: ['That did not work', 'The request was not valid. Go back, check the form and try again.'],
  403: ['Not allowed', 'Your role in this store does not allow this. Ask a store owner.'],
  404: ['Not found', 'There is nothing here, or it belongs to a store you cannot open.'],
  409: ['Not possible', 'That cannot be done in the current state.'],
  413: ['Too large', 'The form sent more than this server accepts.'],
  415: ['Not a form', 'This page accepts only form submissions.'],
  429: ['Slow down', 'Too many requests. Wait a minute and try again.'],
  500: ['Something went wrong', 'An unexpected error happened; it is in the server log with the request id.'],
  503: ['Unavailable', 'A service Waymark depends on is unavailable. Try again shortly.'],
};

/** The reason shown for a known error: the domain's own message, which never carries internals (< 500). */
function errorPage(request: FastifyRequest, reply: FastifyReply, status: number, message?: string): FastifyReply {
  const [heading, fallback] = ERROR_TEXT[status] ?? ERROR_TEXT[status >= 500 ? 500 : 400] ?? ['Error', ''];
  const chrome = request.dashboard ? chromeOf(request, null) : null;
  return renderPage(
    reply,
    'error',
    { title: heading, chrome, heading, message: status < 500 && message ? message : fallback },
    { status },
  );
}

/** Dashboard errors are pages, not JSON: the same codes and statuses as the API, shown to a person. */
function handleDashboardError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (isDomainError(error)) {
    const status = HTTP_STATUS_FOR_CODE[error.code];
    if (status === 401) {
      void reply.status(303).header('location', '/dashboard/login').send();
      return;
    }
    if (status >= 500) request.log.error({ err: error }, error.message);
    else request.log.info({ code: error.code, status }, error.message);
    void errorPage(request, reply, status, error.message);
    return;
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    void errorPage(request, reply, 400);
    return;
  }
  const status = error.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    void errorPage(request, reply, status === 413 || status === 415 || status === 429 ? status : 400);
    return;
  }
  request.log.error({ err: error }, 'unhandled dashboard error');
  void errorPage(request, reply, 500);
}

/**
 * Chart.js from its package, so the dashboard serves it from our own origin
 * under the strict CSP. The package's `exports` map hides `dist/`, so the UMD
 * build is found beside its resolvable CommonJS entry.
 */
function registerChartVendor(app: FastifyInstance): void {
  const path = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');
  let source: Buffer | null = null;
  app.get(CHART_SCRIPT, async (_request, reply) => {
    source ??= readFileSync(path);
    return reply
      .type('application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .header('x-content-type-options', 'nosniff')
      .send(source);
  });
}

/**
 * The merchant dashboard under `/dashboard`: server-rendered pages that work
 * without JavaScript (charts excepted), a session cookie, CSRF-checked forms,
 * owner/staff roles. Encapsulated: its cookie and form-body parsers, its error
 * pages and its hooks touch nothing outside `/dashboard`.
 */
export async function registerDashboard(app: FastifyInstance, deps: DashboardDeps): Promise<void> {
  registerChartVendor(app);
  // The server's root is the dashboard: a newcomer who opens the start banner's address lands on the sign-in page.
  app.get('/', async (_request, reply) => reply.status(302).header('location', '/dashboard').send());
  const policy = deps.sessionPolicy ?? DEFAULT_SESSION_POLICY;
  const sessionDeps = {
    sessions: deps.sessions,
    users: deps.users,
    passwords: deps.passwords,
    clock: deps.clock,
    policy,
  };

  await app.register(
    async (scope) => {
      await scope.register(cookie);
      await scope.register(formbody, { bodyLimit: 64 * 1024 });
      scope.setErrorHandler(handleDashboardError);
      scope.setNotFoundHandler((request, reply) => errorPage(request, reply, 404));
      scope.decorateRequest('dashboard', null);

      scope.addHook('onRequest', async (request, reply) => {
        const config = request.routeOptions.config;
        const token = request.cookies[SESSION_COOKIE];
        const signedIn = token ? await resolveSession(sessionDeps, token) : null;
        if (signedIn && token) request.dashboard = { signedIn, token } satisfies DashboardRequestContext;
        if (config.dashboardPublic) return;
        if (!request.dashboard) {
          // A stale cookie is dropped, and the user comes back where they were after signing in.
          if (token) void reply.clearCookie(SESSION_COOKIE, { path: '/dashboard' });
          const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
          return reply.status(303).header('location', `/dashboard/login${next}`).send();
        }
        if (!request.dashboard.signedIn.current && request.routeOptions.url !== '/dashboard/logout') {
          // Signed in, but no store to open (never given one, or removed from the last).
          return renderPage(reply, 'no-store', { title: 'No store', chrome: chromeOf(request, null) });
        }
        if (config.dashboardOwnerOnly && request.dashboard.signedIn.current?.role !== 'owner') {
          throw new DomainError(ErrorCode.Forbidden, 'Only a store owner can change settings, users and API keys.');
        }
        return undefined;
      });

      // Synchronizer token: the session row holds a random CSRF token, every
      // form posts it back, and it is compared in constant time. The server
      // already keeps the session, so no second secret cookie is needed (what
      // @fastify/csrf-protection would add), and the token dies with the session
      // on sign-out. SameSite=Lax on the cookie is a second line, not the only one.
      scope.addHook('preHandler', (request, _reply, done) => {
        if (request.method !== 'POST' || request.routeOptions.config.dashboardPublic) return done();
        const session = request.dashboard?.signedIn.session;
        const body = request.body as Record<string, unknown> | undefined;
        const given = typeof body?._csrf === 'string' ? body._csrf : '';
        if (!session || !tokensMatch(given, session.csrfToken)) {
          return done(
            new DomainError(
              ErrorCode.Forbidden,
              'This form has expired or did not come from this dashboard. Reload the page and try again.',
            ),
          );
        }
        return done();
      });

      registerAuthRoutes(scope, deps, sessionDeps);
      registerOrderRoutes(scope, deps);
      registerAttentionRoutes(scope, deps);
      registerAnalyticsRoutes(scope, deps);
      registerSettingsRoutes(scope, deps);
      registerConnectionRoutes(scope, deps);
      registerTemplateSettingsRoutes(scope, deps);
    },
    { prefix: '/dashboard' },
  );
}
