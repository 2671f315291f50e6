import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { expect } from 'vitest';

import { TEMPLATE_CHANNELS, TEMPLATE_LOCALES } from '../core/ports/notification-template.port.js';
import { MILESTONES } from '../core/notification/milestone.js';
import type { Platform } from '../core/store/store.js';
import type { DialectName } from '../storage/migrations/column-types.js';
import { cookiesOf, csrfTokenIn, signInAs, type Browser } from '../test-support/dashboard.js';
import { FIXED_NOW } from '../test-support/factories.js';
import {
  expectPrototypeClean,
  expectWellFormed,
  fire,
  hostileRequest,
  hostileString,
  type FuzzContext,
  type Seed,
} from './hostile-requests.js';
import { startProductionApp, type ProductionApp, type RegisteredRoute } from './production-app.js';
import { Access, classify, ROUTE_INVENTORY, type InventoriedRoute } from './route-inventory.js';
import { seedTenant, TENANT_TEMPLATE_KEY, type Tenant } from './tenants.js';

/** The production app with two tenants, a store of every webhook platform and many API keys for the caller. */
export type FuzzWorld = {
  p: ProductionApp;
  a: Tenant;
  b: Tenant;
  apiKeys: string[];
  /** Keys of a store of platform "api", the only kind that may write orders through the API. */
  apiStoreKeys: string[];
  platformStores: Map<string, { platform: Platform; secret: string }>;
  knownValues: Record<string, string[]>;
  /** Links signed for A's order and A's customer. */
  tokens: { track: string; unsubscribe: string };
  /**
   * One dashboard session of A's owner for every dashboard route (signing in
   * per route would trip the sign-in rate limit); only signing out ends it.
   */
  session(): Promise<Browser>;
  close(): Promise<void>;
};

const DAY_MS = 86_400_000;

export async function startFuzzWorld(dialect: DialectName): Promise<FuzzWorld> {
  const p = await startProductionApp(dialect);
  const a = await seedTenant(p.storage, p.clock, 'alpha');
  const b = await seedTenant(p.storage, p.clock, 'bravo');
  const platformStores = new Map<string, { platform: Platform; secret: string }>([
    [a.store.id, { platform: 'shopify', secret: a.webhookSecret }],
    [b.store.id, { platform: 'shopify', secret: b.webhookSecret }],
  ]);
  for (const platform of ['woocommerce', 'bigcommerce', 'magento'] as const) {
    const secret = `${platform}-fuzz-secret`;
    const store = await p.storage.repositories.stores.createStore(
      { name: `Fuzz ${platform}`, platform, domain: `${platform}.fuzz.example`, secrets: { webhookSecret: secret } },
      FIXED_NOW,
    );
    platformStores.set(store.id, { platform, secret });
  }
  // One key per few hundred requests keeps the per-key rate limits (1200/min, 30 refreshes/min) out of the way.
  const apiKeys: string[] = [];
  for (let i = 0; i < 12; i += 1)
    apiKeys.push((await p.storage.repositories.apiKeys.createApiKey(a.store.id, `fuzz ${i}`, FIXED_NOW)).key);

  const apiStore = await p.storage.repositories.stores.createStore(
    { name: 'Alpha Direct', platform: 'api' },
    FIXED_NOW,
  );
  const apiStoreKeys: string[] = [];
  for (let i = 0; i < 4; i += 1)
    apiStoreKeys.push((await p.storage.repositories.apiKeys.createApiKey(apiStore.id, `fuzz ${i}`, FIXED_NOW)).key);

  const expires = new Date(Date.parse(FIXED_NOW) + 30 * DAY_MS);
  const trackA = p.links.sign({ kind: 'track', storeId: a.store.id, orderId: a.order.id }, expires);
  const trackExpired = p.links.sign({ kind: 'track', storeId: a.store.id, orderId: a.order.id }, new Date(0));
  const unsubscribeA = p.links.sign(
    { kind: 'unsubscribe', storeId: a.store.id, channel: 'email', recipient: a.order.customer.email ?? '' },
    expires,
  );
  const knownValues: Record<string, string[]> = {
    // Never A's API key ids or A's owner: the fuzzer may revoke or remove what it finds.
    id: [
      a.order.id,
      a.shipment.id,
      a.notificationId,
      a.endpointId,
      a.staff.id,
      b.order.id,
      b.shipment.id,
      b.endpointId,
    ],
    deliveryId: [a.deliveryId, b.deliveryId],
    storeId: [...platformStores.keys()],
    platform: ['shopify', 'woocommerce', 'bigcommerce', 'magento', 'sandbox', 'api', 'SHOPIFY', 'carriers'],
    source: ['easypost', 'aftership', 'shippo', 'ups', 'fedex', 'EasyPost', 'sandbox'],
    slug: [a.store.slug, b.store.slug, `${a.store.slug}/`, a.store.slug.toUpperCase()],
    token: [trackA, trackExpired, unsubscribeA, `${trackA}A`, trackA.slice(0, 20)],
    milestone: [...MILESTONES, 'DELIVERED'],
    channel: [...TEMPLATE_CHANNELS, 'webhook', 'push'],
    locale: [...TEMPLATE_LOCALES, 'pt', 'en-US'],
    carrier: ['ups', 'fedex', 'usps', 'dhl', 'sandbox', 'UPS'],
  };
  let session: Promise<Browser> | null = null;
  return {
    p,
    a,
    b,
    apiKeys,
    apiStoreKeys,
    platformStores,
    knownValues,
    tokens: { track: trackA, unsubscribe: unsubscribeA },
    session: () => (session ??= signInAs(p.app, a.owner.email)),
    close: () => p.close(),
  };
}

function fixture(path: string): unknown {
  return JSON.parse(readFileSync(new URL(`../adapters/${path}`, import.meta.url), 'utf8')) as unknown;
}

/**
 * Requests each route would accept, for the fuzzer to spoil a few fields of.
 * Routes without seeds still get purely random hostility.
 */
const SEEDS: Partial<Record<InventoriedRoute, (world: FuzzWorld) => Seed[]>> = {
  'POST /webhooks/carriers/:source': () => [
    {
      params: { source: 'easypost' },
      json: fixture('carriers/easypost/__fixtures__/webhook_tracker_updated_in_transit_fedex.json'),
    },
    {
      params: { source: 'aftership' },
      json: fixture('carriers/aftership/__fixtures__/webhook_tracking_update_in_transit.json'),
    },
    {
      params: { source: 'shippo' },
      json: fixture('carriers/shippo/__fixtures__/webhook_track_updated_delivered.json'),
    },
    { params: { source: 'ups' }, json: fixture('carriers/ups/__fixtures__/trackalert_webhook_delivered.json') },
  ],
  'POST /webhooks/:platform/:storeId': (world) => {
    const storeOf = (platform: Platform) =>
      [...world.platformStores].find(([, store]) => store.platform === platform)?.[0] ?? '';
    return [
      {
        params: { platform: 'shopify', storeId: storeOf('shopify') },
        json: fixture('platforms/shopify/__fixtures__/order.rest.get.json'),
      },
      {
        params: { platform: 'woocommerce', storeId: storeOf('woocommerce') },
        json: fixture('platforms/woocommerce/__fixtures__/order.v3.get.json'),
      },
      {
        params: { platform: 'bigcommerce', storeId: storeOf('bigcommerce') },
        json: fixture('platforms/bigcommerce/__fixtures__/own_webhook.store_order_updated.json'),
      },
      {
        params: { platform: 'magento', storeId: storeOf('magento') },
        json: fixture('platforms/magento/__fixtures__/own_webhook_async_order_saved.json'),
      },
    ];
  },
  'GET /api/v1/orders': ({ a }): Seed[] => [
    { query: { q: a.order.number, carrier: 'ups', orderStatus: 'fulfilled', limit: '10' } },
    { query: { number: a.order.number, shippingSummary: 'delivered', cursor: a.order.id } },
  ],
  'POST /api/v1/orders': () => [
    {
      json: {
        externalId: 'fuzz-1',
        number: '1001',
        orderStatus: 'fulfilled',
        financialStatus: 'paid',
        customer: { email: 'fuzz@alpha.example', name: 'Fuzz Buyer', phone: '+14155550100', language: 'fr' },
        shippingAddress: { city: 'Lyon', region: 'ARA', postalCode: '69001', country: 'FR' },
        lineItems: [{ externalId: 'l1', sku: 'SKU', name: 'Lamp', quantity: 1 }],
        shipments: [{ trackingNumber: '1Z999AA10123456784', carrier: 'ups', service: 'Ground', shippedAt: FIXED_NOW }],
        promisedDeliveryDate: '2026-12-01',
        placedAt: FIXED_NOW,
        updatedAt: FIXED_NOW,
      },
    },
  ],
  'GET /api/v1/orders/:id': ({ a }) => [{ params: { id: a.order.id } }],
  'POST /api/v1/shipments/:id/refresh': ({ a }) => [{ params: { id: a.shipment.id } }],
  'GET /api/v1/notification-templates/:milestone/:channel/:locale': () => [{ params: { ...TENANT_TEMPLATE_KEY } }],
  'DELETE /api/v1/notification-templates/:milestone/:channel/:locale': () => [
    { params: { milestone: 'shipped', channel: 'sms', locale: 'es' } },
  ],
  'POST /api/v1/webhook-endpoints/:id/enable': ({ a }) => [{ params: { id: a.endpointId } }],
  'POST /api/v1/webhook-endpoints/:id/disable': ({ a }) => [{ params: { id: a.endpointId } }],
  'POST /api/v1/webhook-endpoints/:id/deliveries/:deliveryId/replay': ({ a }) => [
    { params: { id: a.endpointId, deliveryId: a.deliveryId } },
  ],
  'GET /t/:token': ({ tokens }) => [{ params: { token: tokens.track } }],
  'GET /u/:token': ({ tokens }) => [{ params: { token: tokens.unsubscribe } }],
  'POST /u/:token': ({ tokens }) => [
    { params: { token: tokens.unsubscribe }, form: { 'List-Unsubscribe': 'One-Click' } },
  ],
  'POST /dashboard/shipments/:id/refresh': ({ a }) => [{ params: { id: a.shipment.id }, form: {} }],
  'POST /dashboard/shipments/:id/delivered': ({ a }) => [{ params: { id: a.shipment.id }, form: {} }],
  'POST /dashboard/notifications/:id/resend': ({ a }) => [{ params: { id: a.notificationId }, form: {} }],
  'POST /dashboard/settings/webhooks/:id/toggle': ({ a }) => [{ params: { id: a.endpointId }, form: {} }],
  'POST /dashboard/settings/webhooks/:id/deliveries/:deliveryId/replay': ({ a }) => [
    { params: { id: a.endpointId, deliveryId: a.deliveryId }, form: {} },
  ],
  'POST /dashboard/settings/carriers/:carrier/toggle': () => [{ params: { carrier: 'ups' }, form: {} }],
  'GET /api/v1/notifications': ({ a }) => [{ query: { orderId: a.order.id } }],
  'POST /api/v1/notifications/preview': ({ a }) => [
    {
      json: {
        milestone: 'delivered',
        channel: 'email',
        locale: 'fr',
        orderId: a.order.id,
        shipmentId: a.shipment.id,
        template: { subject: 'Hi <%= it.customer %>', html: '<p><%= it.order %></p>', text: 'x', body: null },
      },
    },
    { json: { milestone: 'shipped', channel: 'sms', template: { body: '<%= it.url %>' } } },
  ],
  'POST /api/v1/notifications/test': ({ a }) => [
    { json: { milestone: 'delivered', channel: 'email', orderId: a.order.id, to: 'merchant@alpha.example' } },
    { json: { milestone: 'shipped', channel: 'sms', to: '+14155550100', template: { body: 'Parcel <%= it.url %>' } } },
  ],
  'GET /api/v1/notifications/tests': () => [{ query: { limit: '5' } }],
  'PUT /api/v1/notification-templates/:milestone/:channel/:locale': () => [
    {
      params: { milestone: 'shipped', channel: 'email', locale: 'de' },
      json: {
        subject: 'Versandt: <%= it.order %>',
        html: '<p><% if (it.carrier) { %><%= it.carrier %><% } %></p>',
        text: 't',
      },
    },
  ],
  'POST /api/v1/webhook-endpoints': () => [
    { json: { url: 'https://hooks.example.com/waymark', eventTypes: ['shipment.delivered', 'order.cancelled'] } },
  ],
  'GET /api/v1/webhook-endpoints/:id/deliveries': ({ a }) => [
    { params: { id: a.endpointId }, query: { cursor: a.deliveryId, limit: '10' } },
  ],
  'GET /track/:slug': ({ a }) => [{ params: { slug: a.store.slug }, query: { preview: '1' } }],
  'POST /track/:slug': ({ a }) => [
    { params: { slug: a.store.slug }, form: { order: a.order.number, email: a.order.customer.email ?? '' } },
  ],
  'GET /api/public/track/:slug': ({ a }) => [
    { params: { slug: a.store.slug }, query: { order: a.order.number, email: a.order.customer.email ?? '' } },
  ],
  'POST /dashboard/login': () => [{ form: { password: 'not the password', next: '/dashboard/orders' } }],
  'POST /dashboard/store': ({ a }) => [{ form: { storeId: a.store.id } }],
  'GET /dashboard/orders': ({ a }) => [
    {
      query: {
        q: a.order.number,
        orderStatus: 'fulfilled',
        shippingStatus: 'delivered',
        shippingSummary: 'delivered',
        carrier: 'ups',
        from: '2026-11-01',
        to: '2026-11-30',
        format: 'csv',
      },
    },
  ],
  'GET /dashboard/orders/:id': ({ a }) => [{ params: { id: a.order.id }, query: { done: 'refreshed' } }],
  'POST /dashboard/shipments/:id/carrier': ({ a }) => [{ params: { id: a.shipment.id }, form: { carrier: 'fedex' } }],
  'GET /dashboard/attention': () => [{ query: { kind: 'exception', format: 'csv' } }],
  'GET /dashboard/analytics': () => [{ query: { days: '30', table: 'carriers', format: 'csv' } }],
  'POST /dashboard/settings/branding': () => [
    {
      form: {
        displayName: 'Alpha',
        logoUrl: 'https://cdn.example.com/logo.png',
        primaryColor: '#112233',
        accentColor: '#445566',
        supportEmail: 'help@alpha.example',
        supportUrl: 'https://alpha.example/help',
      },
    },
  ],
  'POST /dashboard/settings/notifications': () => [
    {
      form: {
        enabled: 'delivered',
        email: 'delivered',
        sms: 'shipped',
        webhook: 'delivered',
        quietStart: '22:00',
        quietEnd: '07:00',
      },
    },
  ],
  'POST /dashboard/settings/carriers/:carrier': () => [
    { params: { carrier: 'fedex' }, form: { clientId: 'alpha-fedex', clientSecret: 'alpha-fedex-secret' } },
  ],
  'POST /dashboard/settings/webhooks': () => [
    { form: { url: 'https://hooks.example.com/dashboard', eventTypes: 'shipment.delivered' } },
  ],
  'GET /dashboard/settings/webhooks/:id/deliveries': ({ a }) => [
    { params: { id: a.endpointId }, query: { cursor: a.deliveryId } },
  ],
  'POST /dashboard/settings/api-keys': () => [{ form: { name: 'fuzz key' } }],
  'POST /dashboard/settings/users': () => [
    { form: { email: 'fuzz-staff@alpha.example', role: 'staff', password: '' } },
  ],
  'GET /dashboard/settings/templates': () => [
    { query: { milestone: 'shipped', channel: 'sms', locale: 'es', done: 'template-saved' } },
  ],
  'POST /dashboard/settings/templates': () => [
    {
      form: {
        milestone: 'shipped',
        channel: 'email',
        locale: 'fr',
        subject: 'Expédié <%= it.order %>',
        html: '<p>x</p>',
        text: 'x',
      },
    },
  ],
  'POST /dashboard/settings/templates/reset': () => [
    { form: { milestone: 'shipped', channel: 'email', locale: 'fr' } },
  ],
  'GET /dashboard/settings/templates/preview': () => [
    { query: { milestone: 'delivered', channel: 'sms', locale: 'de' } },
  ],
  'POST /dashboard/settings/templates/preview': () => [
    {
      form: {
        milestone: 'delivered',
        channel: 'email',
        locale: 'en',
        subject: '<%= it.store %>',
        html: '<b>x</b>',
        text: 'x',
      },
    },
  ],
  'POST /dashboard/settings/templates/test': () => [
    { form: { milestone: 'delivered', channel: 'email', locale: 'en', to: 'merchant@alpha.example' } },
  ],
};

/**
 * The caller for one route: A's rotating API keys (sometimes a revoked,
 * missing or mangled one), a fresh dashboard session of A's owner with its
 * CSRF token (sometimes without), the sign-in form's own CSRF pair.
 */
async function contextFor(world: FuzzWorld, route: RegisteredRoute): Promise<FuzzContext> {
  const access = classify(route)?.access;
  const base = {
    seeds: SEEDS[route.key as InventoriedRoute]?.(world) ?? [],
    knownValues: world.knownValues,
    platformSecret: (storeId: string) => world.platformStores.get(storeId),
  };
  const noPrefix = fc.constant('');
  if (access === Access.ApiKey) {
    return {
      ...base,
      formPrefix: noPrefix,
      credentials: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...world.apiKeys).map((key) => ({ authorization: `Bearer ${key}` })) },
        {
          weight: 3,
          arbitrary: fc.constantFrom(...world.apiStoreKeys).map((key) => ({ authorization: `Bearer ${key}` })),
        },
        fc.constant(world.a.revokedAuth),
        fc.constant({}),
        hostileString.map((garbage) => ({ authorization: `Bearer ${garbage.replace(/[\r\n]/g, '')}` })),
        fc.constant({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }),
      ),
    };
  }
  if (access === Access.DashboardSession) {
    const browser = await world.session();
    const csrf = `_csrf=${encodeURIComponent(browser.csrfToken)}&`;
    return {
      ...base,
      formPrefix: fc.constantFrom(csrf, csrf, ''),
      credentials: fc.oneof(
        { weight: 6, arbitrary: fc.constant({ cookie: browser.cookie }) },
        fc.constant({}),
        fc.constant({ cookie: `${browser.cookie}x` }),
      ),
    };
  }
  if (route.key === 'POST /dashboard/login') {
    const page = await world.p.app.inject({ method: 'GET', url: '/dashboard/login' });
    const token = cookiesOf(page).waymark_login_csrf ?? '';
    return {
      ...base,
      formPrefix: fc.constantFrom(
        `_csrf=${encodeURIComponent(csrfTokenIn(page.body))}&email=${encodeURIComponent(world.a.staff.email)}&`,
        '',
      ),
      credentials: fc.constantFrom<Record<string, string>>({ cookie: `waymark_login_csrf=${token}` }, {}),
    };
  }
  return { ...base, formPrefix: noPrefix, credentials: fc.constant({}) };
}

/**
 * `runs` hostile requests at the route: every answer below 500 and well
 * formed; afterwards the process still answers `/healthz` and nothing was
 * added to Object.prototype.
 */
export async function fuzzRoute(world: FuzzWorld, key: string, runs: number): Promise<void> {
  const route = world.p.routes.find((candidate) => candidate.key === key);
  if (!route) throw new Error(`${key} is not registered by the production server`);
  await fuzzPattern(world, route, runs);
}

/** The same for a pattern the router serves without a route of its own per value (static files). */
export async function fuzzPattern(world: FuzzWorld, route: RegisteredRoute, runs: number): Promise<void> {
  const context = await contextFor(world, route);
  await fc.assert(
    fc.asyncProperty(hostileRequest(route, context), async (request) => {
      expectWellFormed(route, request, await fire(world.p.app, request));
    }),
    { numRuns: runs },
  );
  const health = await world.p.app.inject({ method: 'GET', url: '/healthz' });
  expect(health.statusCode).toBe(200);
  expectPrototypeClean();
}

/** Inventoried routes of the given access classes, for `it.each`. */
export function routesOf(...accesses: Access[]): InventoriedRoute[] {
  return (Object.keys(ROUTE_INVENTORY) as InventoriedRoute[]).filter((key) =>
    accesses.includes(ROUTE_INVENTORY[key].access),
  );
}
