import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';

import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import fastifyStatic from '@fastify/static';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyHttpOptions, type FastifyInstance, type RouteOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';

import { DomainError, ErrorCode } from '../core/errors.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { HealthCheck, UnitOfWork } from '../core/ports/storage.port.js';
import { handleError, handleNotFound } from './error-handler.js';
import type { Metrics } from './metrics.js';
import { requireApiKey } from './plugins/api-auth.js';
import { registerOrderRoutes } from './routes/api/orders.routes.js';
import { registerShipmentRoutes } from './routes/api/shipments.routes.js';
import { registerNotificationRoutes } from './routes/api/notifications.routes.js';
import { registerWebhookDeliveryRoutes, registerWebhookEndpointRoutes } from './routes/api/webhook-endpoints.routes.js';
import {
  registerNotificationTemplateRoutes,
  type NotificationTools,
} from './routes/api/notification-templates.routes.js';
import type { EndpointPolicy, EndpointStore } from '../app/manage-webhook-endpoints.js';
import { registerDashboard } from './dashboard/register-dashboard.js';
import type { DashboardDeps } from './dashboard/dashboard-context.js';
import { registerHealthRoutes } from './routes/health.routes.js';
import { registerUnsubscribeRoutes } from './routes/unsubscribe.routes.js';
import type { SignedLinks } from '../core/ports/signed-links.port.js';
import type { AttemptWindows } from '../app/attempt-windows.js';
import { registerTrackingPages } from './routes/tracking/tracking.routes.js';
import { registerCarrierWebhookRoutes } from './routes/webhooks/carrier-webhooks.routes.js';
import { registerPlatformWebhookRoutes } from './routes/webhooks/platform-webhooks.routes.js';
import type { PlatformRegistry } from '../core/ports/platform.port.js';
import type { CarrierWebhookRegistry } from '../app/ingest-carrier-webhook.js';
import { createWebhookIntake } from '../app/webhook-intake.js';
import type { RequestPressure } from './request-pressure.js';
import { drainHandlersOnClose } from './in-flight-handlers.js';

export type AppDeps = {
  uow: UnitOfWork;
  health: HealthCheck;
  clock: Clock;
  metrics: Metrics;
  logger: Logger;
  bodyLimit: number;
  /** Requests per minute per API key (or client address without one). */
  apiRateLimit?: number;
  version?: string;
  /** Carrier and aggregator webhook sources that are configured (with their secrets). */
  carrierWebhooks?: CarrierWebhookRegistry;
  /** Platform connectors, for `POST /webhooks/{platform}/{storeId}`. */
  platforms?: PlatformRegistry;
  /** Signs and checks customer links (unsubscribe, tracking); the tracking page needs it. */
  links?: SignedLinks;
  /** Failed tracking look-ups, counted across every server process (the database's rate windows). */
  lookupAttempts?: AttemptWindows;
  /** Fastify's `trustProxy`: whose X-Forwarded-For to believe for the client address. */
  trustProxy?: boolean | number | string;
  /** Merchant webhook endpoints: where they are kept and which URLs are allowed. */
  webhookEndpoints?: { store: EndpointStore; policy: EndpointPolicy };
  /** Template overrides, previews, test sends and webhook delivery replays; absent, those routes are not served. */
  notificationTools?: NotificationTools;
  /** The merchant dashboard under `/dashboard`; absent, the dashboard is not served. */
  dashboard?: DashboardDeps;
  /** Longest a client may take to send a whole request (headers and body), in ms; default 30 s. */
  requestTimeoutMs?: number;
  /** Longest a connection may sit idle, in ms; default 30 s. */
  connectionTimeoutMs?: number;
  /** Counts requests, so workers in the same process step back while the server is busy (`waymark start`). */
  pressure?: RequestPressure;
  /** How long webhook intake may use a store's row and secrets read earlier, ms; default 5 s, 0 reads every time. */
  webhookStoreCacheMs?: number;
  /** Told of every route as it is registered, before any is served (the abuse tests keep their inventory with it). */
  onRoute?: (route: RouteOptions) => void;
};

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A hop count means "trust the first n proxies"; Fastify's types take that as a function. */
function trustProxyOption(
  value: boolean | number | string,
): boolean | string | ((address: string, hop: number) => boolean) {
  return typeof value === 'number' ? (_address, hop) => hop < value : value;
}

/** Builds the whole HTTP app without listening, so tests can `inject` into it. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const requestTimeout = deps.requestTimeoutMs ?? 30_000;
  const options: FastifyHttpOptions<Server> = {
    loggerInstance: deps.logger,
    bodyLimit: deps.bodyLimit,
    // A client's request id is kept when it is sane, so a trace crosses services.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    requestTimeout,
    connectionTimeout: deps.connectionTimeoutMs ?? 30_000,
    // Node enforces the request deadline only with a headers deadline no later than it (its own default is
    // 60 s, so a trickled body kept the socket twice as long), and checks on an interval (30 s by default).
    http: { headersTimeout: requestTimeout, connectionsCheckingInterval: Math.min(requestTimeout, 30_000) },
    return503OnClosing: true,
    // Path parameters as long as the longest valid one, a signed link (1024 characters): at the default of
    // 100, an unsubscribe link for an email address over 29 characters was refused by the router.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1024 },
    // A URL the router cannot decode or a parameter over that length: the error envelope, not Fastify's own body.
    frameworkErrors: handleError,
    ...(deps.trustProxy === undefined ? {} : { trustProxy: trustProxyOption(deps.trustProxy) }),
  };
  const app = Fastify(options);
  if (deps.onRoute) app.addHook('onRoute', deps.onRoute);
  // Before any route, so every handler is tracked: closing waits for handlers whose client hung up.
  drainHandlersOnClose(app);
  // JSON only: a text body must get 415, not reach validation as a string.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);

  const pressure = deps.pressure;
  // Callback hooks, not async ones: they run on every request, and a promise each is measurable.
  app.addHook('onRequest', (request, reply, done) => {
    pressure?.record();
    void reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    deps.metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    deps.metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    done();
  });

  await app.register(helmet, {
    // The docs UI loads its own inline bootstrap script; everything else keeps the strict default.
    contentSecurityPolicy: {
      directives: { 'script-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:', 'https:'] },
    },
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new DomainError(
        ErrorCode.RateLimited,
        `rate limit exceeded: at most ${context.max} requests per ${context.after}; retry later`,
      ),
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Waymark API',
        version: deps.version ?? '0.1.0',
        description:
          'Orders with their two statuses kept apart: the order status the selling platform sets, and the shipping status each carrier reports per package.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'A store API key from `waymark apikey create`' },
        },
      },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  // Stylesheets, scripts and images of the tracking page and the dashboard: hashed-free
  // names, so they are cached briefly and revalidated (ETag) rather than forever.
  await app.register(fastifyStatic, {
    root: fileURLToPath(new URL('../web/public/', import.meta.url)),
    prefix: '/assets/',
    decorateReply: false,
    index: false,
    maxAge: '10m',
    wildcard: false,
  });

  // Browsers ask for /favicon.ico on every page that names no icon (the tracking page, the API docs):
  // the Waymark mark, rather than a 404 in every console.
  const favicon = readFileSync(fileURLToPath(new URL('../web/public/favicon.svg', import.meta.url)));
  app.get('/favicon.ico', { schema: { hide: true } }, (_request, reply) =>
    reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(favicon),
  );

  registerHealthRoutes(app, { health: deps.health, metrics: deps.metrics });
  const links = deps.links;
  if (links) {
    await app.register((scope, _options, done) => {
      // One-click unsubscribe (RFC 8058) posts a form body we do not need; accept and ignore it.
      scope.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string' },
        (_request, _body, parsed) => parsed(null, {}),
      );
      registerUnsubscribeRoutes(scope, { uow: deps.uow, clock: deps.clock, links });
      done();
    });
  }

  if (links && deps.lookupAttempts) {
    await registerTrackingPages(app, { uow: deps.uow, clock: deps.clock, links, attempts: deps.lookupAttempts });
  }

  if (deps.dashboard) await registerDashboard(app, deps.dashboard);

  await app.register(
    (api, _options, done) => {
      // Before authentication, so guessing keys is throttled too.
      api.addHook(
        'onRequest',
        api.rateLimit({
          max: deps.apiRateLimit ?? 1200,
          timeWindow: '1 minute',
          keyGenerator: (request) =>
            typeof request.headers.authorization === 'string'
              ? request.headers.authorization.slice(0, 200)
              : request.ip,
        }),
      );
      requireApiKey(api, { apiKeys: deps.uow.repositories.apiKeys, clock: deps.clock });
      registerOrderRoutes(api, { uow: deps.uow, clock: deps.clock });
      registerShipmentRoutes(api, { uow: deps.uow, clock: deps.clock });
      registerNotificationRoutes(api, { uow: deps.uow });
      if (deps.webhookEndpoints) {
        registerWebhookEndpointRoutes(api, {
          clock: deps.clock,
          endpoints: deps.webhookEndpoints.store,
          policy: deps.webhookEndpoints.policy,
        });
      }
      const tools = deps.notificationTools;
      if (tools) registerNotificationTemplateRoutes(api, { ...tools, uow: deps.uow, clock: deps.clock });
      if (tools?.senders.webhook && deps.webhookEndpoints) {
        registerWebhookDeliveryRoutes(api, {
          clock: deps.clock,
          endpoints: deps.webhookEndpoints.store,
          deliveries: tools.deliveries,
          sender: tools.senders.webhook,
          secrets: tools.endpointSecrets,
        });
      }
      done();
    },
    { prefix: '/api/v1' },
  );

  const intake = createWebhookIntake(
    deps.uow,
    deps.webhookStoreCacheMs === undefined ? {} : { storeCacheMs: deps.webhookStoreCacheMs },
  );
  // Requests still waiting for their batch's commit finish before the database is closed.
  app.addHook('onClose', () => intake.whenIdle());
  await app.register((webhooks, _options, done) => {
    registerCarrierWebhookRoutes(webhooks, {
      intake,
      clock: deps.clock,
      sources: deps.carrierWebhooks ?? new Map(),
    });
    registerPlatformWebhookRoutes(webhooks, {
      intake,
      clock: deps.clock,
      platforms: deps.platforms ?? new Map(),
    });
    done();
  });

  return app;
}
