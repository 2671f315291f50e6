import { createHmac } from 'node:crypto';

import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';

import type { LinkSigner } from '../adapters/auth/signed-link.js';
import { signShopifyWebhook } from '../adapters/platforms/shopify/shopify.webhook.js';
import { describeEachDatabase } from '../test-support/databases.js';
import { cookiesOf, formBody, signInAs, type Browser } from '../test-support/dashboard.js';
import { FIXED_NOW, seedStore } from '../test-support/factories.js';
import { CARRIER_WEBHOOK_SECRETS, startProductionApp, type ProductionApp } from './production-app.js';
import { Access, ROUTE_INVENTORY, type InventoriedRoute } from './route-inventory.js';
import { leakedMarkers, seedTenant, snapshotTenant, TENANT_TEMPLATE_KEY, type Tenant } from './tenants.js';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One request made as tenant A (A's key, A's session, or the proof the route takes) against B's data. */
type Probe = {
  method: Method;
  url: string;
  /** API routes: a JSON body. */
  json?: unknown;
  /** Dashboard and tracking routes: form fields (the dashboard adds A's CSRF token). */
  form?: Record<string, string | string[]>;
  /** Webhook routes: the exact bytes and headers. */
  raw?: { body: string; headers: Record<string, string> };
  /** Replaces the route's usual credentials of A (another key of A, a client address). */
  headers?: Record<string, string>;
  remoteAddress?: string;
  /** What the contract allows; never B's data whatever the status. */
  expect: readonly number[];
};

type World = { p: ProductionApp; a: Tenant; b: Tenant; aApiAuth: { authorization: string }; links: LinkSigner };

type IsolationCase =
  /** Why the route holds nothing of any store (so another store's ids cannot apply). */
  { noTenantData: string } | { probes: (w: World) => Probe[]; nothingStored?: boolean };

const NOT_FOUND = [404] as const;
const OK = [200] as const;
const DAY_MS = 86_400_000;
const later = (days: number) => new Date(Date.parse(FIXED_NOW) + days * DAY_MS);

const templatePath = (key: { milestone: string; channel: string; locale: string }) =>
  `/api/v1/notification-templates/${key.milestone}/${key.channel}/${key.locale}`;

/** A Shopify delivery for a store's path, signed with `secret`. */
function shopifyDelivery(storeId: string, secret: string, orderNumber: string): Probe {
  const body = JSON.stringify({ id: 820982911946154500, name: orderNumber, email: 'intruder@alpha.example' });
  return {
    method: 'POST',
    url: `/webhooks/shopify/${storeId}`,
    raw: {
      body,
      headers: {
        'content-type': 'application/json',
        'x-shopify-hmac-sha256': signShopifyWebhook(body, secret),
        'x-shopify-topic': 'orders/updated',
        'x-shopify-webhook-id': `abuse-${storeId}-${secret.length}`,
      },
    },
    expect: [401],
  };
}

/** The token with one bit of its signed payload flipped at `offset`. */
function tamper(token: string, offset: number): string {
  const bytes = Buffer.from(token, 'base64url');
  bytes[offset] = (bytes[offset] ?? 0) ^ 0x01;
  return bytes.toString('base64url');
}

/** B's link with B's store id swapped for A's in place, keeping B's signature. */
function swapStore(token: string, from: string, to: string): string {
  const bytes = Buffer.from(token, 'base64url');
  const at = bytes.indexOf(Buffer.from(from.replaceAll('-', ''), 'hex'));
  if (at < 0) throw new Error('store id not found in the token');
  Buffer.from(to.replaceAll('-', ''), 'hex').copy(bytes, at);
  return bytes.toString('base64url');
}

/**
 * Every inventoried route, with the requests that try B's data as A. The
 * type makes a new inventory entry a compile error until its case is written.
 */
const CASES: Record<InventoriedRoute, IsolationCase> = {
  'GET /': { noTenantData: 'a redirect to the dashboard' },
  'GET /favicon.ico': { noTenantData: 'the Waymark icon, the same for everyone' },
  'GET /healthz': { noTenantData: 'process liveness only' },
  'GET /readyz': { noTenantData: 'database readiness only' },
  'GET /metrics': { noTenantData: 'counters by route pattern and status, never ids' },

  'GET /api/v1/orders': {
    probes: ({ b }) => [
      { method: 'GET', url: '/api/v1/orders', expect: OK },
      { method: 'GET', url: `/api/v1/orders?q=${encodeURIComponent(b.order.number)}`, expect: OK },
      { method: 'GET', url: `/api/v1/orders?q=${encodeURIComponent(b.order.customer.email ?? '')}`, expect: OK },
      { method: 'GET', url: `/api/v1/orders?q=${b.shipment.trackingNumber}`, expect: OK },
      { method: 'GET', url: `/api/v1/orders?number=${encodeURIComponent(b.order.number)}`, expect: OK },
      { method: 'GET', url: '/api/v1/orders?carrier=ups&limit=100', expect: OK },
    ],
  },
  'POST /api/v1/orders': {
    probes: ({ b, aApiAuth }) => [
      // A's API store sends B's external id and number: it gets an order of its own, B's is untouched.
      {
        method: 'POST',
        url: '/api/v1/orders',
        headers: aApiAuth,
        json: {
          externalId: b.order.externalId,
          number: b.order.number,
          orderStatus: 'cancelled',
          customer: { email: 'new-buyer@alpha.example' },
        },
        expect: [200, 201],
      },
      // A's platform store may not write orders through the API at all.
      { method: 'POST', url: '/api/v1/orders', json: { externalId: b.order.externalId, number: '1' }, expect: [403] },
    ],
  },
  'GET /api/v1/orders/:id': {
    probes: ({ b }) => [
      { method: 'GET', url: `/api/v1/orders/${b.order.id}`, expect: NOT_FOUND },
      { method: 'GET', url: `/api/v1/orders/${b.shipment.id}`, expect: NOT_FOUND },
    ],
  },
  'POST /api/v1/shipments/:id/refresh': {
    probes: ({ b }) => [
      { method: 'POST', url: `/api/v1/shipments/${b.shipment.id}/refresh`, expect: NOT_FOUND },
      { method: 'POST', url: `/api/v1/shipments/${b.order.id}/refresh`, expect: NOT_FOUND },
    ],
  },
  'GET /api/v1/notifications': {
    probes: ({ b }) => [{ method: 'GET', url: `/api/v1/notifications?orderId=${b.order.id}`, expect: NOT_FOUND }],
  },
  'POST /api/v1/notifications/preview': {
    probes: ({ a, b }) => [
      {
        method: 'POST',
        url: '/api/v1/notifications/preview',
        json: { milestone: 'delivered', channel: 'email', orderId: b.order.id },
        expect: NOT_FOUND,
      },
      {
        method: 'POST',
        url: '/api/v1/notifications/preview',
        json: { milestone: 'delivered', channel: 'email', orderId: a.order.id, shipmentId: b.shipment.id },
        expect: [400, 404],
      },
    ],
  },
  'POST /api/v1/notifications/test': {
    probes: ({ b }) => [
      {
        method: 'POST',
        url: '/api/v1/notifications/test',
        json: { milestone: 'delivered', channel: 'email', orderId: b.order.id, to: 'merchant@alpha.example' },
        expect: NOT_FOUND,
      },
    ],
  },
  'GET /api/v1/notifications/tests': {
    probes: () => [{ method: 'GET', url: '/api/v1/notifications/tests', expect: OK }],
  },
  'GET /api/v1/notification-templates': {
    probes: () => [{ method: 'GET', url: '/api/v1/notification-templates', expect: OK }],
  },
  'GET /api/v1/notification-templates/:milestone/:channel/:locale': {
    // Both stores override this key: A must get its own, never B's.
    probes: () => [{ method: 'GET', url: templatePath(TENANT_TEMPLATE_KEY), expect: [200, 404] }],
  },
  'PUT /api/v1/notification-templates/:milestone/:channel/:locale': {
    probes: () => [
      {
        method: 'PUT',
        url: templatePath(TENANT_TEMPLATE_KEY),
        json: { subject: 'Alpha rewrote this' },
        expect: [200, 201],
      },
    ],
  },
  'DELETE /api/v1/notification-templates/:milestone/:channel/:locale': {
    probes: () => [
      { method: 'DELETE', url: templatePath(TENANT_TEMPLATE_KEY), expect: [204, 404] },
      { method: 'DELETE', url: templatePath(TENANT_TEMPLATE_KEY), expect: NOT_FOUND },
    ],
  },
  'GET /api/v1/webhook-endpoints': { probes: () => [{ method: 'GET', url: '/api/v1/webhook-endpoints', expect: OK }] },
  'POST /api/v1/webhook-endpoints': {
    probes: ({ b }) => [
      { method: 'POST', url: '/api/v1/webhook-endpoints', json: { url: b.endpointUrl }, expect: [201, 400] },
    ],
  },
  'POST /api/v1/webhook-endpoints/:id/enable': {
    probes: ({ b }) => [{ method: 'POST', url: `/api/v1/webhook-endpoints/${b.endpointId}/enable`, expect: NOT_FOUND }],
  },
  'POST /api/v1/webhook-endpoints/:id/disable': {
    probes: ({ b }) => [
      { method: 'POST', url: `/api/v1/webhook-endpoints/${b.endpointId}/disable`, expect: NOT_FOUND },
    ],
  },
  'GET /api/v1/webhook-endpoints/:id/deliveries': {
    probes: ({ a, b }) => [
      { method: 'GET', url: `/api/v1/webhook-endpoints/${b.endpointId}/deliveries`, expect: NOT_FOUND },
      {
        method: 'GET',
        url: `/api/v1/webhook-endpoints/${a.endpointId}/deliveries?cursor=${b.deliveryId}`,
        expect: [200, 400],
      },
    ],
  },
  'POST /api/v1/webhook-endpoints/:id/deliveries/:deliveryId/replay': {
    probes: ({ a, b }) => [
      {
        method: 'POST',
        url: `/api/v1/webhook-endpoints/${b.endpointId}/deliveries/${b.deliveryId}/replay`,
        expect: NOT_FOUND,
      },
      {
        method: 'POST',
        url: `/api/v1/webhook-endpoints/${a.endpointId}/deliveries/${b.deliveryId}/replay`,
        expect: NOT_FOUND,
      },
    ],
  },

  'POST /webhooks/:platform/:storeId': {
    nothingStored: true,
    probes: ({ a, b }) => [
      shopifyDelivery(a.store.id, b.webhookSecret, '#ALPHA-FORGED'),
      shopifyDelivery(b.store.id, a.webhookSecret, '#BRAVO-FORGED'),
      {
        ...shopifyDelivery(a.store.id, a.webhookSecret, '#ALPHA-WRONG-PLATFORM'),
        url: `/webhooks/woocommerce/${a.store.id}`,
        expect: NOT_FOUND,
      },
    ],
  },
  'POST /webhooks/carriers/:source': {
    nothingStored: true,
    probes: ({ a, b }) => {
      const body = JSON.stringify({
        object: 'Event',
        id: 'evt_abuse',
        result: { tracking_code: b.shipment.trackingNumber },
      });
      return [
        {
          method: 'POST',
          url: '/webhooks/carriers/easypost',
          raw: {
            body,
            headers: {
              'content-type': 'application/json',
              'x-hmac-signature': `hmac-sha256-hex=${createHmac('sha256', a.webhookSecret).update(body).digest('hex')}`,
            },
          },
          expect: [401],
        },
      ];
    },
  },

  'GET /track/:slug': {
    probes: ({ a }) => [
      { method: 'GET', url: `/track/${a.store.slug}`, expect: OK },
      { method: 'GET', url: `/track/${a.store.slug}?preview=1`, expect: OK },
    ],
  },
  'POST /track/:slug': {
    probes: ({ a, b }) => [
      {
        method: 'POST',
        url: `/track/${a.store.slug}`,
        form: { order: b.order.number, email: b.order.customer.email ?? '' },
        remoteAddress: '198.51.100.21',
        expect: NOT_FOUND,
      },
      {
        method: 'POST',
        url: `/track/${a.store.slug}`,
        form: { order: b.order.number, email: b.order.shippingAddress.postalCode ?? '' },
        remoteAddress: '198.51.100.22',
        expect: NOT_FOUND,
      },
    ],
  },
  'GET /api/public/track/:slug': {
    probes: ({ a, b }) => [
      {
        method: 'GET',
        url: `/api/public/track/${a.store.slug}?order=${encodeURIComponent(b.order.number)}&email=${encodeURIComponent(b.order.customer.email ?? '')}`,
        remoteAddress: '198.51.100.23',
        expect: NOT_FOUND,
      },
    ],
  },
  'GET /t/:token': {
    probes: ({ a, b, links }) => {
      const genuine = links.sign({ kind: 'track', storeId: b.store.id, orderId: b.order.id }, later(30));
      return [
        // Signed by the server's own key, but pairing A's store with B's order (and back): still nothing.
        {
          method: 'GET',
          url: `/t/${links.sign({ kind: 'track', storeId: a.store.id, orderId: b.order.id }, later(30))}`,
          expect: NOT_FOUND,
        },
        {
          method: 'GET',
          url: `/t/${links.sign({ kind: 'track', storeId: b.store.id, orderId: a.order.id }, later(30))}`,
          expect: NOT_FOUND,
        },
        { method: 'GET', url: `/t/${swapStore(genuine, b.store.id, a.store.id)}`, expect: NOT_FOUND },
        { method: 'GET', url: `/t/${tamper(genuine, 10)}`, expect: NOT_FOUND },
        { method: 'GET', url: `/t/${tamper(genuine, 30)}`, expect: NOT_FOUND },
        {
          method: 'GET',
          url: `/t/${swapStore(genuine, b.store.id, a.store.id)}`,
          headers: { 'x-waymark-fragment': '1' },
          expect: NOT_FOUND,
        },
      ];
    },
  },
  'GET /u/:token': {
    probes: ({ a, b, links }) => {
      const recipient = b.order.customer.email ?? '';
      const genuine = links.sign({ kind: 'unsubscribe', storeId: b.store.id, channel: 'email', recipient }, later(30));
      return [
        { method: 'GET', url: `/u/${swapStore(genuine, b.store.id, a.store.id)}`, expect: NOT_FOUND },
        { method: 'GET', url: `/u/${tamper(genuine, 12)}`, expect: NOT_FOUND },
        // A's own signed link naming B's customer only ever touches A's opt-outs.
        {
          method: 'GET',
          url: `/u/${links.sign({ kind: 'unsubscribe', storeId: a.store.id, channel: 'email', recipient }, later(30))}`,
          expect: OK,
        },
      ];
    },
  },
  'POST /u/:token': {
    probes: ({ a, b, links }) => {
      const recipient = b.order.customer.email ?? '';
      const genuine = links.sign({ kind: 'unsubscribe', storeId: b.store.id, channel: 'sms', recipient }, later(30));
      return [
        {
          method: 'POST',
          url: `/u/${swapStore(genuine, b.store.id, a.store.id)}`,
          form: { 'List-Unsubscribe': 'One-Click' },
          expect: NOT_FOUND,
        },
        {
          method: 'POST',
          url: `/u/${tamper(genuine, 7)}`,
          form: { 'List-Unsubscribe': 'One-Click' },
          expect: NOT_FOUND,
        },
      ];
    },
  },

  'GET /dashboard/login': { noTenantData: 'the sign-in form; a signed-in user is only redirected' },
  'POST /dashboard/login': {
    noTenantData: 'checks an email and password; the session it opens is tested by every dashboard case',
  },
  'GET /dashboard/invite/:token': {
    probes: ({ b }) => [
      // A link whose token is one character off names no invitation.
      { method: 'GET', url: `/dashboard/invite/${tamper(b.invitationToken, 7)}`, expect: NOT_FOUND },
    ],
  },
  'POST /dashboard/invite/:token': {
    probes: ({ b }) => [
      {
        method: 'POST',
        url: `/dashboard/invite/${tamper(b.invitationToken, 7)}`,
        form: { password: 'a long enough password' },
        expect: [403, 404],
      },
    ],
  },
  'GET /dashboard': { noTenantData: 'a redirect to the orders page' },
  'POST /dashboard/logout': { noTenantData: "ends the caller's own session only" },
  'POST /dashboard/store': {
    probes: ({ b }) => [
      { method: 'POST', url: '/dashboard/store', form: { storeId: b.store.id }, expect: NOT_FOUND },
      { method: 'GET', url: '/dashboard/orders', expect: OK },
    ],
  },
  'GET /dashboard/orders': {
    probes: ({ b }) => [
      { method: 'GET', url: '/dashboard/orders', expect: OK },
      { method: 'GET', url: `/dashboard/orders?q=${encodeURIComponent(b.order.number)}`, expect: OK },
      { method: 'GET', url: `/dashboard/orders?q=${encodeURIComponent(b.order.customer.email ?? '')}`, expect: OK },
      { method: 'GET', url: `/dashboard/orders?q=${b.shipment.trackingNumber}`, expect: OK },
      { method: 'GET', url: '/dashboard/orders?carrier=ups&format=csv', expect: OK },
      { method: 'GET', url: `/dashboard/orders?cursor=${b.order.id}`, expect: [200, 400] },
    ],
  },
  'GET /dashboard/orders/:id': {
    probes: ({ b }) => [
      { method: 'GET', url: `/dashboard/orders/${b.order.id}`, expect: NOT_FOUND },
      { method: 'GET', url: `/dashboard/orders/${b.shipment.id}`, expect: NOT_FOUND },
    ],
  },
  'POST /dashboard/shipments/:id/refresh': {
    probes: ({ b }) => [
      { method: 'POST', url: `/dashboard/shipments/${b.shipment.id}/refresh`, form: {}, expect: NOT_FOUND },
    ],
  },
  'POST /dashboard/shipments/:id/carrier': {
    probes: ({ b }) => [
      {
        method: 'POST',
        url: `/dashboard/shipments/${b.shipment.id}/carrier`,
        form: { carrier: 'fedex' },
        expect: NOT_FOUND,
      },
    ],
  },
  'POST /dashboard/shipments/:id/delivered': {
    probes: ({ b }) => [
      { method: 'POST', url: `/dashboard/shipments/${b.shipment.id}/delivered`, form: {}, expect: NOT_FOUND },
    ],
  },
  'POST /dashboard/notifications/:id/resend': {
    probes: ({ b }) => [
      { method: 'POST', url: `/dashboard/notifications/${b.notificationId}/resend`, form: {}, expect: NOT_FOUND },
    ],
  },
  'GET /dashboard/attention': {
    probes: () => [
      { method: 'GET', url: '/dashboard/attention', expect: OK },
      { method: 'GET', url: '/dashboard/attention?format=csv', expect: OK },
    ],
  },
  'GET /dashboard/analytics': {
    probes: () => [
      { method: 'GET', url: '/dashboard/analytics', expect: OK },
      { method: 'GET', url: '/dashboard/analytics?days=90&table=carriers&format=csv', expect: [200, 400] },
    ],
  },
  'GET /dashboard/settings': { probes: () => [{ method: 'GET', url: '/dashboard/settings', expect: [303] }] },
  'GET /dashboard/settings/branding': {
    probes: () => [{ method: 'GET', url: '/dashboard/settings/branding', expect: OK }],
  },
  'POST /dashboard/settings/branding': {
    probes: () => [
      {
        method: 'POST',
        url: '/dashboard/settings/branding',
        form: { name: 'Alpha Renamed', primaryColour: '#112233' },
        expect: [303, 400],
      },
    ],
  },
  'GET /dashboard/settings/notifications': {
    probes: () => [{ method: 'GET', url: '/dashboard/settings/notifications', expect: OK }],
  },
  'POST /dashboard/settings/notifications': {
    probes: () => [
      { method: 'POST', url: '/dashboard/settings/notifications', form: { email: 'delivered' }, expect: [303, 400] },
    ],
  },
  'GET /dashboard/settings/carriers': {
    probes: () => [{ method: 'GET', url: '/dashboard/settings/carriers', expect: OK }],
  },
  'POST /dashboard/settings/carriers/:carrier': {
    probes: () => [
      {
        method: 'POST',
        url: '/dashboard/settings/carriers/ups',
        form: { clientId: 'alpha-new-client', clientSecret: 'alpha-new-secret' },
        expect: [303, 400],
      },
    ],
  },
  'POST /dashboard/settings/carriers/:carrier/toggle': {
    probes: () => [
      { method: 'POST', url: '/dashboard/settings/carriers/ups/toggle', form: {}, expect: [303, 404] },
      { method: 'POST', url: '/dashboard/settings/carriers/fedex/toggle', form: {}, expect: NOT_FOUND },
    ],
  },
  'POST /dashboard/settings/carriers/:carrier/test': {
    // B has a UPS account, A (here) none for FedEx: A can only ever test its own credentials.
    probes: () => [
      { method: 'POST', url: '/dashboard/settings/carriers/fedex/test', form: {}, expect: NOT_FOUND },
      { method: 'POST', url: '/dashboard/settings/carriers/ups/test', form: {}, expect: [200, 400, 404] },
    ],
  },
  'GET /dashboard/settings/connection': {
    probes: () => [{ method: 'GET', url: '/dashboard/settings/connection', expect: OK }],
  },
  'POST /dashboard/settings/connection': {
    probes: ({ b }) => [
      {
        method: 'POST',
        url: '/dashboard/settings/connection',
        form: { webhookSecret: 'alpha-new-webhook-secret', storeId: b.store.id },
        expect: [303, 400],
      },
    ],
  },
  'POST /dashboard/settings/connection/test': {
    probes: ({ b }) => [
      { method: 'POST', url: '/dashboard/settings/connection/test', form: { storeId: b.store.id }, expect: OK },
    ],
  },
  'POST /dashboard/settings/connection/webhooks': {
    probes: ({ b }) => [
      { method: 'POST', url: '/dashboard/settings/connection/webhooks', form: { storeId: b.store.id }, expect: OK },
    ],
  },
  'POST /dashboard/settings/carriers/:carrier/remove': {
    probes: () => [{ method: 'POST', url: '/dashboard/settings/carriers/ups/remove', form: {}, expect: [303, 404] }],
  },
  'GET /dashboard/settings/webhooks': {
    probes: () => [{ method: 'GET', url: '/dashboard/settings/webhooks', expect: OK }],
  },
  'POST /dashboard/settings/webhooks': {
    probes: ({ b }) => [
      { method: 'POST', url: '/dashboard/settings/webhooks', form: { url: b.endpointUrl }, expect: [303, 400] },
    ],
  },
  'POST /dashboard/settings/webhooks/:id/toggle': {
    probes: ({ b }) => [
      { method: 'POST', url: `/dashboard/settings/webhooks/${b.endpointId}/toggle`, form: {}, expect: NOT_FOUND },
    ],
  },
  'GET /dashboard/settings/webhooks/:id/deliveries': {
    probes: ({ a, b }) => [
      { method: 'GET', url: `/dashboard/settings/webhooks/${b.endpointId}/deliveries`, expect: NOT_FOUND },
      {
        method: 'GET',
        url: `/dashboard/settings/webhooks/${a.endpointId}/deliveries?cursor=${b.deliveryId}`,
        expect: [200, 400],
      },
    ],
  },
  'POST /dashboard/settings/webhooks/:id/deliveries/:deliveryId/replay': {
    probes: ({ a, b }) => [
      {
        method: 'POST',
        url: `/dashboard/settings/webhooks/${b.endpointId}/deliveries/${b.deliveryId}/replay`,
        form: {},
        expect: NOT_FOUND,
      },
      {
        method: 'POST',
        url: `/dashboard/settings/webhooks/${a.endpointId}/deliveries/${b.deliveryId}/replay`,
        form: {},
        expect: NOT_FOUND,
      },
    ],
  },
  'GET /dashboard/settings/api-keys': {
    probes: () => [{ method: 'GET', url: '/dashboard/settings/api-keys', expect: OK }],
  },
  'POST /dashboard/settings/api-keys': {
    probes: () => [
      { method: 'POST', url: '/dashboard/settings/api-keys', form: { name: 'alpha second key' }, expect: [303] },
    ],
  },
  'POST /dashboard/settings/api-keys/:id/revoke': {
    probes: ({ b }) => [
      { method: 'POST', url: `/dashboard/settings/api-keys/${b.apiKeyId}/revoke`, form: {}, expect: NOT_FOUND },
    ],
  },
  'GET /dashboard/settings/users': { probes: () => [{ method: 'GET', url: '/dashboard/settings/users', expect: OK }] },
  'POST /dashboard/settings/users': {
    // A new address without a first password: an invitation to A's own store, nothing of B touched.
    probes: () => [
      {
        method: 'POST',
        url: '/dashboard/settings/users',
        form: { email: 'new@alpha.example', role: 'staff', password: '' },
        expect: [303],
      },
    ],
  },
  'POST /dashboard/settings/users/invitations/:id/withdraw': {
    probes: ({ b }) => [
      {
        method: 'POST',
        url: `/dashboard/settings/users/invitations/${b.invitationId}/withdraw`,
        form: {},
        expect: NOT_FOUND,
      },
    ],
  },
  'POST /dashboard/settings/users/:id/remove': {
    probes: ({ b }) => [
      { method: 'POST', url: `/dashboard/settings/users/${b.staff.id}/remove`, form: {}, expect: [400, 404] },
      { method: 'POST', url: `/dashboard/settings/users/${b.owner.id}/remove`, form: {}, expect: [400, 404] },
    ],
  },
  'GET /dashboard/settings/templates': {
    probes: () => [
      { method: 'GET', url: '/dashboard/settings/templates', expect: OK },
      { method: 'GET', url: '/dashboard/settings/templates?milestone=delivered&channel=email&locale=en', expect: OK },
    ],
  },
  'POST /dashboard/settings/templates': {
    probes: () => [
      {
        method: 'POST',
        url: '/dashboard/settings/templates',
        form: { ...TENANT_TEMPLATE_KEY, subject: 'Alpha saved this' },
        expect: [303, 400],
      },
    ],
  },
  'POST /dashboard/settings/templates/reset': {
    probes: () => [
      {
        method: 'POST',
        url: '/dashboard/settings/templates/reset',
        form: { ...TENANT_TEMPLATE_KEY },
        expect: [303, 404],
      },
    ],
  },
  'GET /dashboard/settings/templates/preview': {
    probes: () => [
      {
        method: 'GET',
        url: '/dashboard/settings/templates/preview?milestone=delivered&channel=email&locale=en',
        expect: OK,
      },
    ],
  },
  'POST /dashboard/settings/templates/preview': {
    probes: () => [
      {
        method: 'POST',
        url: '/dashboard/settings/templates/preview',
        form: { ...TENANT_TEMPLATE_KEY, subject: 'Draft' },
        expect: OK,
      },
    ],
  },
  'POST /dashboard/settings/templates/test': {
    probes: () => [
      {
        method: 'POST',
        url: '/dashboard/settings/templates/test',
        form: { ...TENANT_TEMPLATE_KEY, to: 'merchant@alpha.example' },
        expect: [200, 400],
      },
    ],
  },
};

describeEachDatabase('tenant isolation on every route', (dialect) => {
  let w: World;
  let browser: Browser;
  /** A's session cookie after signing out: must be worth nothing. */
  let signedOutCookie: string;

  beforeAll(async () => {
    const p = await startProductionApp(dialect);
    const a = await seedTenant(p.storage, p.clock, 'alpha');
    const b = await seedTenant(p.storage, p.clock, 'bravo');
    const apiStore = await seedStore(p.storage, { name: 'Alpha Direct', platform: 'api' });
    const apiKey = await p.storage.repositories.apiKeys.createApiKey(apiStore.id, null, FIXED_NOW);
    w = { p, a, b, aApiAuth: { authorization: `Bearer ${apiKey.key}` }, links: p.links };
    browser = await signInAs(p.app, a.owner.email);
    const leaving = await signInAs(p.app, a.staff.email);
    const out = await leaving.post('/dashboard/logout', {});
    expect(out.statusCode).toBe(303);
    signedOutCookie = leaving.cookie;
  });
  afterAll(async () => {
    await w.p.close();
  });

  async function send(
    route: InventoriedRoute,
    probe: Probe,
    credentials: 'tenant' | 'none' | 'revoked' | 'signed-out',
  ) {
    const access = ROUTE_INVENTORY[route].access;
    const headers: Record<string, string> = {};
    let payload: string | undefined;
    if (access === Access.ApiKey) {
      if (credentials === 'tenant') Object.assign(headers, w.a.auth, probe.headers);
      if (credentials === 'revoked') Object.assign(headers, w.a.revokedAuth);
    } else {
      Object.assign(headers, probe.headers);
    }
    if (access === Access.DashboardSession && credentials !== 'none')
      headers.cookie = credentials === 'signed-out' ? signedOutCookie : browser.cookie;
    if (probe.json !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(probe.json);
    } else if (probe.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      const csrf: Record<string, string> = access === Access.DashboardSession ? { _csrf: browser.csrfToken } : {};
      payload = formBody({ ...csrf, ...probe.form });
    } else if (probe.raw !== undefined) {
      Object.assign(headers, probe.raw.headers);
      payload = probe.raw.body;
    }
    return w.p.app.inject({
      method: probe.method,
      url: probe.url,
      headers,
      ...(payload === undefined ? {} : { payload }),
      ...(probe.remoteAddress ? { remoteAddress: probe.remoteAddress } : {}),
    });
  }

  function expectNoLeak(route: string, probe: Probe, response: LightMyRequestResponse): void {
    const answer = `${JSON.stringify(response.headers)}\n${response.body}`;
    // What the request carried, as typed (the URL decoded too): an echo of it is no leak.
    const asked = `${JSON.stringify(probe)}\n${decodeURIComponent(probe.url)}`;
    const leaked = leakedMarkers(answer, w.b, asked);
    expect(leaked, `${route}: ${probe.method} ${probe.url} answered ${response.statusCode} with B's data`).toEqual([]);
  }

  async function inboxSize(): Promise<number> {
    const row = await w.p.testStorage.database.db
      .selectFrom('inbound_webhook')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it("should snapshot every kind of B's rows, so an unwanted change anywhere shows", async () => {
    const snapshot = await snapshotTenant(w.p.testStorage.database.db, w.b);
    const filled = Object.entries(snapshot)
      .filter(([, rows]) => rows.length > 0)
      .map(([table]) => table);

    expect(filled).toEqual(
      expect.arrayContaining([
        'store',
        'sales_order',
        'shipment',
        'tracking_event',
        'status_change',
        'notification',
        'webhook_endpoint',
        'webhook_delivery',
        'notification_template',
        'carrier_account',
        'api_key',
        'app_user',
        'user_store_access',
      ]),
    );
  });

  it.each(Object.entries(CASES) as [InventoriedRoute, IsolationCase][])(
    '%s: as store A with store B ids, keys and proofs → the allowed status, never B data, B rows unchanged',
    async (route, isolation) => {
      if ('noTenantData' in isolation) {
        expect(isolation.noTenantData.length).toBeGreaterThan(0);
        return;
      }
      const probes = isolation.probes(w);
      expect(probes.length).toBeGreaterThan(0);
      const before = await snapshotTenant(w.p.testStorage.database.db, w.b);
      const inboxBefore = await inboxSize();
      const access = ROUTE_INVENTORY[route].access;

      for (const probe of probes) {
        const response = await send(route, probe, 'tenant');
        expect(
          probe.expect,
          `${route}: ${probe.method} ${probe.url} → ${response.statusCode} ${response.body.slice(0, 300)}`,
        ).toContain(response.statusCode);
        expectNoLeak(route, probe, response);

        if (access === Access.ApiKey) {
          for (const credentials of ['none', 'revoked'] as const) {
            const refused = await send(route, probe, credentials);
            expect(refused.statusCode, `${route} with ${credentials} key`).toBe(401);
            expect(refused.json()).toMatchObject({ error: { code: 'unauthorized' } });
          }
        }
        if (access === Access.DashboardSession) {
          for (const credentials of ['none', 'signed-out'] as const) {
            const refused = await send(route, probe, credentials);
            expect(refused.statusCode, `${route} with ${credentials} session`).toBe(303);
            expect(refused.headers.location).toMatch(/^\/dashboard\/login/);
          }
        }
      }

      expect(await snapshotTenant(w.p.testStorage.database.db, w.b), `${route} changed store B's rows`).toEqual(before);
      if (isolation.nothingStored) expect(await inboxSize(), `${route} stored a delivery`).toBe(inboxBefore);
    },
  );

  it("should answer a look-up of B's order on A's page exactly as a look-up of an order that does not exist", async () => {
    const lookup = (order: string, email: string, remoteAddress: string) =>
      w.p.app.inject({
        method: 'POST',
        url: `/track/${w.a.store.slug}`,
        remoteAddress,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: formBody({ order, email }),
      });
    // Same lengths, so the echoed form values cannot tell the pages apart either.
    const foreign = await lookup(w.b.order.number, w.b.order.customer.email ?? '', '198.51.100.31');
    const nonsense = await lookup(
      w.b.order.number.replace(/[A-Z]/g, 'Q'),
      (w.b.order.customer.email ?? '').replace(/[a-z]/g, 'q'),
      '198.51.100.32',
    );
    const normalise = (html: string) =>
      html.replace(/nonce-[A-Za-z0-9+/=]+|nonce="[^"]+"/g, 'NONCE').replace(/value="[^"]*"/g, 'value=""');

    expect(foreign.statusCode).toBe(404);
    expect(nonsense.statusCode).toBe(404);
    expect(normalise(foreign.body)).toBe(normalise(nonsense.body));
    expect(foreign.headers['content-type']).toBe(nonsense.headers['content-type']);
  });

  it("should accept A's own signed delivery and open B's genuine link, so the refusals above are about the tenant", async () => {
    const own = shopifyDelivery(w.a.store.id, w.a.webhookSecret, '#ALPHA-OWN');
    const accepted = await w.p.app.inject({
      method: 'POST',
      url: own.url,
      headers: own.raw?.headers,
      payload: own.raw?.body,
    });
    const genuine = w.links.sign({ kind: 'track', storeId: w.b.store.id, orderId: w.b.order.id }, later(30));
    const page = await w.p.app.inject({ method: 'GET', url: `/t/${genuine}` });
    const carrier = JSON.stringify({ object: 'Event', id: 'evt_abuse_ok', result: { tracking_code: 'X' } });
    const signed = await w.p.app.inject({
      method: 'POST',
      url: '/webhooks/carriers/easypost',
      headers: {
        'content-type': 'application/json',
        'x-hmac-signature': `hmac-sha256-hex=${createHmac('sha256', CARRIER_WEBHOOK_SECRETS.easypost).update(carrier).digest('hex')}`,
      },
      payload: carrier,
    });

    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(w.b.order.number);
    expect(signed.statusCode, signed.body).toBe(200);
  });

  it("should keep B's API key working after A tried to revoke it, and stop A's own revoked key", async () => {
    const bStillWorks = await w.p.app.inject({ method: 'GET', url: '/api/v1/orders', headers: w.b.auth });
    const aRevoked = await w.p.app.inject({ method: 'GET', url: '/api/v1/orders', headers: w.a.revokedAuth });

    expect(bStillWorks.statusCode).toBe(200);
    expect(bStillWorks.body).toContain(w.b.order.number);
    expect(aRevoked.statusCode).toBe(401);
  });

  it("should not let A's session cookie open B's store after signing in again as B's user with A's cookie present", async () => {
    const page = await w.p.app.inject({ method: 'GET', url: '/dashboard/login' });
    const loginCsrf = cookiesOf(page).waymark_login_csrf ?? '';
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const wrong = await w.p.app.inject({
      method: 'POST',
      url: '/dashboard/login',
      remoteAddress: '198.51.100.41',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: `waymark_login_csrf=${loginCsrf}; ${browser.cookie}`,
      },
      payload: formBody({ email: w.b.owner.email, password: 'not the password', _csrf: csrf }),
    });
    const stillA = await browser.get('/dashboard/orders');

    expect(wrong.statusCode).toBe(401);
    expect(cookiesOf(wrong).waymark_session).toBeUndefined();
    expect(stillA.statusCode).toBe(200);
    expect(leakedMarkers(stillA.body, w.b, '')).toEqual([]);
  });
});
