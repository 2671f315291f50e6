import { randomBytes, scryptSync } from 'node:crypto';

import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach } from 'vitest';

import { verifyPassword } from '../adapters/auth/password.js';
import { LinkSigner } from '../adapters/auth/signed-link.js';
import type { EndpointPolicy } from '../app/manage-webhook-endpoints.js';
import { recordTrackingEvents } from '../app/record-tracking-events.js';
import { buildDashboardDeps } from '../cli/dashboard.js';
import { templateRenderer } from '../cli/notifications.js';
import type { Order } from '../core/order/order.js';
import type { PlatformRegistry } from '../core/ports/platform.port.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { EmailSender, WebhookSender } from '../core/ports/notifier.port.js';
import type { DashboardRole, PasswordHasher } from '../core/ports/session.port.js';
import type { NewTrackingEvent, OrderFields } from '../core/ports/storage.port.js';
import type { Shipment } from '../core/shipment/shipment.js';
import type { Store } from '../core/store/store.js';
import { buildApp } from '../http/build-app.js';
import type { DashboardDeps } from '../http/dashboard/dashboard-context.js';
import { Metrics } from '../http/metrics.js';
import type { DialectName } from '../storage/migrations/column-types.js';
import { Storage } from '../storage/storage.js';
import { TEST_BODY_LIMIT } from './build-test-app.js';
import type { NewStore } from '../storage/repositories/store.repository.js';
import { createTestStorage, FIXED_NOW, ManualClock, orderFields, seedStore, type TestStorage } from './factories.js';

export { carrierEvent } from './factories.js';

/**
 * The same `scrypt$N$r$p$salt$hash` format as `adapters/auth/password.ts`, with
 * a small N so tests do not spend 128 MiB and a third of a second per hash.
 * Verification is the product's own `verifyPassword`, which reads N from the hash.
 */
export function fastPasswordHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, { N: 1024, r: 8, p: 1 });
  return ['scrypt', 1024, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export const fastPasswords: PasswordHasher = {
  hash: (password) => Promise.resolve(fastPasswordHash(password)),
  verify: verifyPassword,
};

export type DashboardTestApp = {
  app: FastifyInstance;
  storage: Storage;
  testStorage: TestStorage;
  clock: ManualClock;
  close(): Promise<void>;
};

/** The whole HTTP app with the dashboard over a fresh database, never listening. */
export async function buildDashboardTestApp(
  dialect: DialectName,
  options: Partial<Pick<DashboardDeps, 'sessionPolicy' | 'loginRateLimit' | 'carrierClients' | 'staffMail'>> & {
    /** Serve Settings → Connection over the test database's stores with these platform connectors. */
    connection?: { platforms: PlatformRegistry; publicUrl?: string };
    trustProxy?: boolean;
    /** Serve Settings → Webhooks over the real endpoint store with this URL policy. */
    webhookPolicy?: EndpointPolicy;
    /** Serve the customer tracking page too (the branding preview embeds it). */
    withTrackingPage?: boolean;
    /** Show the webhook delivery log, replaying through this sender. */
    webhookSender?: WebhookSender;
    /** Settings → Templates with the product's renderer; test sends go to this sender. */
    templateEmailSender?: EmailSender | null;
    /** A second server process: this app's own connection to that app's database (which it does not drop). */
    sameDatabaseAs?: DashboardTestApp;
  } = {},
): Promise<DashboardTestApp> {
  const {
    trustProxy,
    webhookPolicy,
    withTrackingPage,
    webhookSender,
    templateEmailSender,
    connection,
    sameDatabaseAs,
    ...dashboardOptions
  } = options;
  const testStorage = sameDatabaseAs ? secondConnection(sameDatabaseAs.testStorage) : await createTestStorage(dialect);
  const repositories = testStorage.storage.repositories;
  const clock = new ManualClock();
  const app = await buildApp({
    uow: testStorage.storage,
    health: testStorage.storage,
    clock,
    metrics: new Metrics({ defaultMetrics: false }),
    logger: pino({ level: 'silent' }),
    bodyLimit: TEST_BODY_LIMIT,
    ...(trustProxy === undefined ? {} : { trustProxy }),
    ...(withTrackingPage
      ? { links: new LinkSigner(randomBytes(32)), lookupAttempts: testStorage.storage.repositories.rateBudget }
      : {}),
    dashboard: buildDashboardDeps(testStorage.storage, clock, {
      passwords: fastPasswords,
      ...dashboardOptions,
      ...(webhookPolicy ? { webhookEndpoints: { store: repositories.webhookEndpoints, policy: webhookPolicy } } : {}),
      ...(connection
        ? {
            connection: {
              stores: repositories.stores,
              platforms: connection.platforms,
              publicUrl: connection.publicUrl,
              localUrl: 'http://localhost:3000',
            },
          }
        : {}),
      ...(templateEmailSender !== undefined
        ? {
            templates: {
              store: repositories.notificationTemplates,
              renderer: templateRenderer,
              links: {
                trackingUrl: (storeId: string, orderId: string) => `http://localhost/t/${storeId}.${orderId}`,
                unsubscribeUrl: (storeId: string, channel: string) => `http://localhost/u/${storeId}.${channel}`,
              },
              senders: { email: templateEmailSender, sms: null },
              emailFrom: 'Waymark <notify@waymark.example>',
              testLog: repositories.notifications,
            },
          }
        : {}),
      ...(webhookSender
        ? {
            webhookDeliveries: {
              log: repositories.webhookDeliveries,
              sender: webhookSender,
              secrets: repositories.webhookEndpoints,
            },
          }
        : {}),
    }),
  });
  await app.ready();
  return {
    app,
    storage: testStorage.storage,
    testStorage,
    clock,
    async close() {
      await app.close();
      await testStorage.drop();
    },
  };
}

function secondConnection(first: TestStorage): TestStorage {
  const storage = Storage.open(first.database.url, first.secretBox);
  return { ...first, storage, drop: () => storage.close() };
}

export const TEST_PASSWORD = 'correct horse battery';

/**
 * The frame of a dashboard suite: one app (over a fresh database) for the
 * suite, and before each test the clock back at FIXED_NOW and a store of its
 * own with a signed-in user of `role`, handed to `bind`.
 */
export function eachTestSignedIn(
  dialect: DialectName,
  role: DashboardRole,
  storeFields: (n: number) => Partial<NewStore> & { name: string },
  bind: (context: { t: DashboardTestApp; store: Store; browser: Browser; n: number }) => void,
  /** Options of the suite's app, read when it is built (after the suite's own earlier `beforeAll`s). */
  appOptions: () => Parameters<typeof buildDashboardTestApp>[1] = () => ({}),
): void {
  let t: DashboardTestApp;
  let n = 0;
  beforeAll(async () => {
    t = await buildDashboardTestApp(dialect, appOptions());
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(async () => {
    t.clock.set(FIXED_NOW);
    n += 1;
    bind({ t, ...(await signedInToNewStore(t, n, role, storeFields(n))), n });
  });
}

/**
 * What each dashboard test starts from: a store of its own (so tests sharing
 * one app never see each other's rows) and a signed-in user of `role`, whose
 * address is `{role}{n}@example.com`.
 */
export async function signedInToNewStore(
  t: DashboardTestApp,
  n: number,
  role: DashboardRole,
  store: Partial<NewStore> & { name: string },
): Promise<{ store: Store; browser: Browser }> {
  const created = await seedStore(t.storage, store);
  await seedDashboardUser(t.storage, `${role}${n}@example.com`, [{ store: created, role }]);
  return { store: created, browser: await signInAs(t.app, `${role}${n}@example.com`) };
}

export async function seedDashboardUser(
  storage: Storage,
  email: string,
  access: { store: Store; role: DashboardRole }[],
  password = TEST_PASSWORD,
): Promise<{ id: string; email: string }> {
  const user = await storage.repositories.users.createUser(email, fastPasswordHash(password), FIXED_NOW);
  for (const { store, role } of access)
    await storage.repositories.users.grantStoreAccess(user.id, store.id, role, FIXED_NOW);
  return user;
}

/** `name=value` pairs of a response's Set-Cookie headers. */
export function cookiesOf(response: LightMyRequestResponse): Record<string, string> {
  const jar: Record<string, string> = {};
  for (const cookie of response.cookies as { name: string; value: string }[]) jar[cookie.name] = cookie.value;
  return jar;
}

export function csrfTokenIn(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF field in the page');
  return match[1];
}

export type Browser = {
  cookie: string;
  csrfToken: string;
  get(url: string): Promise<LightMyRequestResponse>;
  post(
    url: string,
    form: Record<string, string | string[]>,
    options?: { csrf?: boolean },
  ): Promise<LightMyRequestResponse>;
  /** Follows a redirect as a browser does: a GET of its Location, with the cookies the response set. */
  follow(redirect: LightMyRequestResponse): Promise<LightMyRequestResponse>;
};

export function formBody(form: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, item);
  }
  return params.toString();
}

/** Signs in through the real form (login CSRF cookie included) and returns a cookie-carrying client. */
export async function signInAs(app: FastifyInstance, email: string, password = TEST_PASSWORD): Promise<Browser> {
  const page = await app.inject({ method: 'GET', url: '/dashboard/login' });
  const loginCsrf = cookiesOf(page).waymark_login_csrf ?? '';
  const response = await app.inject({
    method: 'POST',
    url: '/dashboard/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `waymark_login_csrf=${loginCsrf}` },
    payload: formBody({ email, password, _csrf: csrfTokenIn(page.body) }),
  });
  const session = cookiesOf(response).waymark_session;
  if (response.statusCode !== 303 || !session) throw new Error(`sign-in failed: ${response.statusCode}`);
  const cookie = `waymark_session=${session}`;
  const orders = await app.inject({ method: 'GET', url: '/dashboard/orders', headers: { cookie } });
  const browser: Browser = {
    cookie,
    csrfToken: csrfTokenIn(orders.body),
    get: (url) => app.inject({ method: 'GET', url, headers: { cookie } }),
    post: (url, form, options = {}) =>
      app.inject({
        method: 'POST',
        url,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: formBody(options.csrf === false ? form : { _csrf: browser.csrfToken, ...form }),
      }),
    follow: (redirect) => {
      const location = redirect.headers.location;
      if (redirect.statusCode < 300 || redirect.statusCode >= 400 || typeof location !== 'string')
        throw new Error(`not a redirect: ${redirect.statusCode}`);
      const set = Object.entries(cookiesOf(redirect)).map(([name, value]) => `${name}=${value}`);
      return app.inject({ method: 'GET', url: location, headers: { cookie: [cookie, ...set].join('; ') } });
    },
  };
  return browser;
}

/**
 * An order with one parcel whose events went through the real apply path
 * (status reduced, journal written, notifications planned).
 */
export async function seedOrderWithParcel(
  storage: Storage,
  clock: Clock,
  store: Store,
  options: {
    order?: Partial<OrderFields>;
    carrier?: string;
    trackingNumber?: string;
    events?: NewTrackingEvent[];
  } = {},
): Promise<{ order: Order; shipment: Shipment }> {
  const now = clock.now();
  const order = await storage.repositories.orders.insertOrder(store.id, orderFields(options.order), now);
  const { shipment } = await storage.repositories.shipments.insertShipment(
    store.id,
    {
      orderId: order.id,
      externalId: null,
      carrier: options.carrier ?? 'ups',
      carrierConfidence: 'given',
      trackingNumber: options.trackingNumber ?? `1Z${order.number.replace(/\D/g, '')}TEST`,
      service: 'Ground',
      trackerState: 'active',
      shippedAt: now,
      nextCheckAt: null,
    },
    now,
  );
  if (options.events && options.events.length > 0) {
    await recordTrackingEvents(
      { uow: storage, clock },
      { storeId: store.id, shipmentId: shipment.id, events: options.events, cause: 'poll' },
    );
  }
  const fresh = await storage.repositories.shipments.findShipmentById(store.id, shipment.id);
  const freshOrder = await storage.repositories.orders.findOrderById(store.id, order.id);
  if (!fresh || !freshOrder) throw new Error('seeded order vanished');
  return { order: freshOrder, shipment: fresh };
}
