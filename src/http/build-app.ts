import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';

import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import fastifyStatic from '@fastify/static';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
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
import { registerWebhookEndpointRoutes } from './routes/api/webhook-endpoints.routes.js';
import type { EndpointPolicy, EndpointStore } from '../app/manage-webhook-endpoints.js';
import { registerHealthRoutes } from './routes/health.routes.js';
import { registerUnsubscribeRoutes } from './routes/unsubscribe.routes.js';
import type { SignedLinks } from '../core/ports/signed-links.port.js';
import { registerCarrierWebhookRoutes } from './routes/webhooks/carrier-webhooks.routes.js';
import { registerPlatformWebhookRoutes } from './routes/webhooks/platform-webhooks.routes.js';
import type { PlatformRegistry } from '../core/ports/platform.port.js';
import type { CarrierWebhookRegistry } from '../app/ingest-carrier-webhook.js';

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
  /** Verifies signed customer links (unsubscribe, tracking). */
  links?: SignedLinks;
  /** Merchant webhook endpoints: where they are kept and which URLs are allowed. */
  webhookEndpoints?: { store: EndpointStore; policy: EndpointPolicy };
};

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Builds the whole HTTP app without listening, so tests can `inject` into it. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const options: FastifyServerOptions = {
    loggerInstance: deps.logger,
    bodyLimit: deps.bodyLimit,
    // A client's request id is kept when it is sane, so a trace crosses services.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    requestTimeout: 30_000,
    connectionTimeout: 30_000,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true },
  };
  const app = Fastify(options);
  // JSON only: a text body must get 415, not reach validation as a string.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);

  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    deps.metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    deps.metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
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
      done();
    },
    { prefix: '/api/v1' },
  );

  await app.register((webhooks, _options, done) => {
    registerCarrierWebhookRoutes(webhooks, {
      uow: deps.uow,
      clock: deps.clock,
      sources: deps.carrierWebhooks ?? new Map(),
    });
    registerPlatformWebhookRoutes(webhooks, {
      uow: deps.uow,
      clock: deps.clock,
      platforms: deps.platforms ?? new Map(),
    });
    done();
  });

  return app;
}
