import { randomBytes } from 'node:crypto';

import type { FastifyInstance, RouteOptions } from 'fastify';
import { pino } from 'pino';

import { LinkSigner } from '../adapters/auth/signed-link.js';
import { runServer, type RunningServer } from '../cli/run-server.js';
import type { Runtime } from '../cli/runtime.js';
import { parseConfig } from '../config/config.js';
import { Metrics } from '../http/metrics.js';
import type { DialectName } from '../storage/migrations/column-types.js';
import type { Storage } from '../storage/storage.js';
import { createTestStorage, ManualClock, type TestStorage } from '../test-support/factories.js';

/** The secrets the carrier webhook sources are configured with, so tests can sign (or mis-sign) deliveries. */
export const CARRIER_WEBHOOK_SECRETS = {
  easypost: 'abuse-easypost-secret',
  aftership: 'abuse-aftership-secret',
  shippo: 'abuse-shippo-token',
  ups: 'abuse-ups-api-key',
} as const;

/** `METHOD /pattern`, the way the route inventory names a route. */
export type RouteKey = `${string} /${string}`;

export type RegisteredRoute = { key: RouteKey; method: string; url: string };

export type ProductionApp = {
  app: FastifyInstance;
  storage: Storage;
  testStorage: TestStorage;
  clock: ManualClock;
  /** Signs links with the server's own key, as notifications would. */
  links: LinkSigner;
  /** Every route the server registered, HEAD twins of GET routes left out. */
  routes: RegisteredRoute[];
  /** Where the server listens (port 0: a free one). */
  url: string;
  close(): Promise<void>;
};

/**
 * The HTTP app exactly as `waymark serve` wires it (`runServer` with HTTP on,
 * workers off), over a fresh test database, with a configuration that turns
 * every optional route on: all carrier webhook sources, the dashboard, the
 * tracking pages, templates and the webhook delivery log. Only the clock is
 * the tests' own. A route added to production wiring appears here by itself.
 */
export async function startProductionApp(
  dialect: DialectName,
  options: { bodyLimit?: number } = {},
): Promise<ProductionApp> {
  const testStorage = await createTestStorage(dialect);
  const clock = new ManualClock();
  const secretKey = randomBytes(32);
  const config = parseConfig({
    DATABASE_URL: testStorage.database.url,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ...(options.bodyLimit === undefined ? {} : { WAYMARK_BODY_LIMIT: String(options.bodyLimit) }),
    WAYMARK_PUBLIC_URL: 'https://track.example.com',
    WAYMARK_EASYPOST_WEBHOOK_SECRET: CARRIER_WEBHOOK_SECRETS.easypost,
    WAYMARK_AFTERSHIP_WEBHOOK_SECRET: CARRIER_WEBHOOK_SECRETS.aftership,
    WAYMARK_SHIPPO_WEBHOOK_TOKEN: CARRIER_WEBHOOK_SECRETS.shippo,
    WAYMARK_UPS_WEBHOOK_KEY: CARRIER_WEBHOOK_SECRETS.ups,
    // Senders configured (so test sends reach their checks) but pointing at a closed port: nothing leaves.
    SMTP_URL: 'smtp://127.0.0.1:9',
    WAYMARK_EMAIL_FROM: 'Waymark <notify@track.example.com>',
    TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000',
    TWILIO_AUTH_TOKEN: 'abuse-twilio-token',
    TWILIO_FROM: '+14155550100',
    TWILIO_BASE_URL: 'http://127.0.0.1:9',
    // Carrier and Shopify calls (credential tests, connection checks) go nowhere either.
    WAYMARK_UPS_BASE_URL: 'http://127.0.0.1:9',
    WAYMARK_FEDEX_BASE_URL: 'http://127.0.0.1:9',
    WAYMARK_USPS_BASE_URL: 'http://127.0.0.1:9',
    WAYMARK_DHL_BASE_URL: 'http://127.0.0.1:9',
    WAYMARK_SHOPIFY_BASE_URL: 'http://127.0.0.1:9',
  });
  const runtime: Runtime = {
    config,
    secretKey,
    logger: pino({ level: 'silent' }),
    clock,
    metrics: new Metrics({ defaultMetrics: false }),
    storage: testStorage.storage,
    close: () => testStorage.drop(),
  };

  const seen = new Map<RouteKey, RegisteredRoute>();
  const onRoute = (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    // `/dashboard` and `/dashboard/` are one route to a client (ignoreTrailingSlash).
    const url = route.url.length > 1 ? route.url.replace(/\/$/, '') : route.url;
    for (const method of methods) {
      const key: RouteKey = `${method} /${url.replace(/^\//, '')}`;
      seen.set(key, { key, method, url });
    }
  };

  let server: RunningServer;
  try {
    server = await runServer(runtime, { http: true, workers: false, migrate: true }, { onRoute });
  } catch (error) {
    await testStorage.drop();
    throw error;
  }
  const app = server.app;
  if (!app || !server.url) throw new Error('runServer did not start HTTP');
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const routes = [...seen.values()].filter(
    (route) => !(route.method === 'HEAD' && seen.has(`GET /${route.url.replace(/^\//, '')}`)),
  );
  return {
    app,
    storage: testStorage.storage,
    testStorage,
    clock,
    links: new LinkSigner(secretKey),
    routes,
    url: `http://127.0.0.1:${port}`,
    close: () => server.stop(),
  };
}
