import type { RegisteredRoute, RouteKey } from './production-app.js';

/** Who may call a route, and how the server knows. */
export const Access = {
  /** Anyone: health, assets, docs, the sign-in form, the customer look-up (which asks for proof itself). */
  Public: 'public',
  /** `Authorization: Bearer <store API key>`; everything is scoped to the key's store. */
  ApiKey: 'api-key',
  /** The dashboard session cookie (and the CSRF token on POST); scoped to the session's current store. */
  DashboardSession: 'dashboard-session',
  /** A signature (or shared token) over the raw body, checked against the platform store's or the source's secret. */
  WebhookSignature: 'webhook-signature',
  /** An HMAC-signed token in the path naming the store and the order or recipient. */
  SignedLink: 'signed-link',
} as const;
export type Access = (typeof Access)[keyof typeof Access];

/** What a route answers with, which decides what "well-formed" means when it is abused. */
export const Body = {
  /** JSON; every error is the `{ error: { code, message } }` envelope. */
  Json: 'json',
  /** HTML pages (errors are pages, sign-in is a redirect). */
  Html: 'html',
  /** Files, scripts, the OpenAPI document, Prometheus text. */
  Other: 'other',
} as const;
export type Body = (typeof Body)[keyof typeof Body];

export type RouteEntry = { access: Access; body: Body };

const api = { access: Access.ApiKey, body: Body.Json } as const;
const page = { access: Access.DashboardSession, body: Body.Html } as const;

/**
 * Every route the production server registers, by `METHOD /pattern`. A route
 * missing here fails `route-inventory.test.ts`; adding it here makes the
 * type checker ask for its tenant-isolation case (`tenant-isolation.test.ts`),
 * and the fuzz and body-limit suites pick it up from the live route list.
 */
export const ROUTE_INVENTORY = {
  'GET /': { access: Access.Public, body: Body.Other },
  'GET /favicon.ico': { access: Access.Public, body: Body.Other },
  'GET /healthz': { access: Access.Public, body: Body.Json },
  'GET /readyz': { access: Access.Public, body: Body.Json },
  'GET /metrics': { access: Access.Public, body: Body.Other },

  'GET /api/v1/orders': api,
  'POST /api/v1/orders': api,
  'GET /api/v1/orders/:id': api,
  'POST /api/v1/shipments/:id/refresh': api,
  'GET /api/v1/notifications': api,
  'POST /api/v1/notifications/preview': api,
  'POST /api/v1/notifications/test': api,
  'GET /api/v1/notifications/tests': api,
  'GET /api/v1/notification-templates': api,
  'GET /api/v1/notification-templates/:milestone/:channel/:locale': api,
  'PUT /api/v1/notification-templates/:milestone/:channel/:locale': api,
  'DELETE /api/v1/notification-templates/:milestone/:channel/:locale': api,
  'GET /api/v1/webhook-endpoints': api,
  'POST /api/v1/webhook-endpoints': api,
  'POST /api/v1/webhook-endpoints/:id/enable': api,
  'POST /api/v1/webhook-endpoints/:id/disable': api,
  'GET /api/v1/webhook-endpoints/:id/deliveries': api,
  'POST /api/v1/webhook-endpoints/:id/deliveries/:deliveryId/replay': api,

  'POST /webhooks/:platform/:storeId': { access: Access.WebhookSignature, body: Body.Json },
  'POST /webhooks/carriers/:source': { access: Access.WebhookSignature, body: Body.Json },

  'GET /track/:slug': { access: Access.Public, body: Body.Html },
  'POST /track/:slug': { access: Access.Public, body: Body.Html },
  'GET /api/public/track/:slug': { access: Access.Public, body: Body.Json },
  'GET /t/:token': { access: Access.SignedLink, body: Body.Html },
  'GET /u/:token': { access: Access.SignedLink, body: Body.Html },
  'POST /u/:token': { access: Access.SignedLink, body: Body.Json },

  'GET /dashboard/login': { access: Access.Public, body: Body.Html },
  'POST /dashboard/login': { access: Access.Public, body: Body.Html },
  'GET /dashboard/invite/:token': { access: Access.SignedLink, body: Body.Html },
  'POST /dashboard/invite/:token': { access: Access.SignedLink, body: Body.Html },
  'GET /dashboard': page,
  'POST /dashboard/logout': page,
  'POST /dashboard/store': page,
  'GET /dashboard/orders': page,
  'GET /dashboard/orders/:id': page,
  'POST /dashboard/shipments/:id/refresh': page,
  'POST /dashboard/shipments/:id/carrier': page,
  'POST /dashboard/shipments/:id/delivered': page,
  'POST /dashboard/notifications/:id/resend': page,
  'GET /dashboard/attention': page,
  'GET /dashboard/analytics': page,
  'GET /dashboard/settings': page,
  'GET /dashboard/settings/branding': page,
  'POST /dashboard/settings/branding': page,
  'GET /dashboard/settings/notifications': page,
  'POST /dashboard/settings/notifications': page,
  'GET /dashboard/settings/carriers': page,
  'POST /dashboard/settings/carriers/:carrier': page,
  'POST /dashboard/settings/carriers/:carrier/toggle': page,
  'POST /dashboard/settings/carriers/:carrier/test': page,
  'POST /dashboard/settings/carriers/:carrier/remove': page,
  'GET /dashboard/settings/connection': page,
  'POST /dashboard/settings/connection': page,
  'POST /dashboard/settings/connection/test': page,
  'POST /dashboard/settings/connection/webhooks': page,
  'GET /dashboard/settings/webhooks': page,
  'POST /dashboard/settings/webhooks': page,
  'POST /dashboard/settings/webhooks/:id/toggle': page,
  'GET /dashboard/settings/webhooks/:id/deliveries': page,
  'POST /dashboard/settings/webhooks/:id/deliveries/:deliveryId/replay': page,
  'GET /dashboard/settings/api-keys': page,
  'POST /dashboard/settings/api-keys': page,
  'POST /dashboard/settings/api-keys/:id/revoke': page,
  'GET /dashboard/settings/users': page,
  'POST /dashboard/settings/users': page,
  'POST /dashboard/settings/users/:id/remove': page,
  'POST /dashboard/settings/users/invitations/:id/withdraw': page,
  'GET /dashboard/settings/templates': page,
  'POST /dashboard/settings/templates': page,
  'POST /dashboard/settings/templates/reset': page,
  'GET /dashboard/settings/templates/preview': page,
  'POST /dashboard/settings/templates/preview': page,
  'POST /dashboard/settings/templates/test': page,
} as const satisfies Record<RouteKey, RouteEntry>;

export type InventoriedRoute = keyof typeof ROUTE_INVENTORY;

/**
 * Read-only public files, one route per file (so listing them would break on
 * every new stylesheet): the web assets, the vendored chart script and the
 * API docs UI. No tenant data, no body.
 */
const STATIC_PREFIXES: readonly string[] = ['GET /assets/', 'GET /api/docs/'];
const STATIC_ROUTES: ReadonlySet<string> = new Set(['GET /api/docs']);
const STATIC_ENTRY: RouteEntry = { access: Access.Public, body: Body.Other };

export function isStaticRoute(key: string): boolean {
  return STATIC_ROUTES.has(key) || STATIC_PREFIXES.some((prefix) => key.startsWith(prefix));
}

export function isInventoried(key: string): key is InventoriedRoute {
  return Object.hasOwn(ROUTE_INVENTORY, key);
}

/** The entry of a registered route, or undefined when nobody classified it yet. */
export function classify(route: Pick<RegisteredRoute, 'key'>): RouteEntry | undefined {
  if (isInventoried(route.key)) return ROUTE_INVENTORY[route.key];
  return isStaticRoute(route.key) ? STATIC_ENTRY : undefined;
}
