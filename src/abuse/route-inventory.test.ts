import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { seedStore } from '../test-support/factories.js';
import { startProductionApp, type ProductionApp, type RegisteredRoute } from './production-app.js';
import { fillRoute, PLACEHOLDER_PARAMS } from './route-params.js';
import { Access, classify, isStaticRoute, ROUTE_INVENTORY, type Access as AccessKind } from './route-inventory.js';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

describe('route inventory of the production server', () => {
  let p: ProductionApp;
  let params: Record<string, string>;

  beforeAll(async () => {
    p = await startProductionApp('sqlite');
    // A real platform store, so an unsigned platform webhook reaches the signature check.
    const store = await seedStore(p.storage, { name: 'Inventory Shop', platform: 'shopify' });
    params = { ...PLACEHOLDER_PARAMS, storeId: store.id };
  });
  afterAll(async () => {
    await p.close();
  });

  it('should classify every registered route (public, api-key, dashboard-session, webhook-signature or signed-link)', () => {
    const unclassified = p.routes.filter((route) => !classify(route)).map((route) => route.key);

    expect(
      unclassified,
      `Routes without an entry in src/abuse/route-inventory.ts: ${unclassified.join(', ')}. ` +
        'Add each to ROUTE_INVENTORY with who may call it; the type checker then asks for its case in ' +
        'tenant-isolation.test.ts, and the fuzz and body-limit suites cover it from the live route list.',
    ).toEqual([]);
  });

  it('should list no route the server does not register', () => {
    const registered = new Set<string>(p.routes.map((route) => route.key));
    const stale = Object.keys(ROUTE_INVENTORY).filter((key) => !registered.has(key));

    expect(stale, `ROUTE_INVENTORY names routes the server no longer has: ${stale.join(', ')}`).toEqual([]);
  });

  it('should see every kind of route (the inventory is taken from production wiring, not a partial app)', () => {
    const kinds = new Set(p.routes.map((route) => classify(route)?.access));

    expect([...kinds].sort()).toEqual(Object.values(Access).sort());
    expect(p.routes.some((route) => isStaticRoute(route.key))).toBe(true);
  });

  /** With no credentials at all, each class must refuse the way its contract says. */
  const refusals: Record<AccessKind, (response: LightMyRequestResponse) => void> = {
    [Access.ApiKey]: (response) => {
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ error: { code: 'unauthorized' } });
    },
    [Access.DashboardSession]: (response) => {
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toMatch(/^\/dashboard\/login(\?|$)/);
    },
    [Access.WebhookSignature]: (response) => {
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ error: { code: 'signature_invalid' } });
    },
    [Access.SignedLink]: (response) => {
      expect(response.statusCode).toBe(404);
    },
    [Access.Public]: (response) => {
      // (The sign-in form's POST may answer 403 to a missing login CSRF token: that is not a credential.)
      expect(response.statusCode).not.toBe(401);
      expect(response.headers.location ?? '').not.toMatch(/^\/dashboard\/login/);
      expect(response.statusCode).toBeLessThan(500);
    },
  };

  it('should behave as classified when called with no credentials', async () => {
    const checked: string[] = [];
    for (const route of p.routes) {
      const entry = classify(route);
      if (!entry) continue;
      const response = await call(route);
      try {
        refusals[entry.access](response);
      } catch (error) {
        throw new Error(
          `${route.key} is classified ${entry.access} but answered ${response.statusCode} ${response.body.slice(0, 200)}`,
          { cause: error },
        );
      }
      checked.push(route.key);
    }

    expect(checked.length).toBe(p.routes.length);
  });

  function call(route: RegisteredRoute): Promise<LightMyRequestResponse> {
    const url = fillRoute(route.url, params);
    const withBody = route.method !== 'GET' && route.method !== 'HEAD' && route.method !== 'DELETE';
    return p.app.inject({
      method: route.method as Method,
      url,
      ...(withBody ? { payload: '{}', headers: { 'content-type': 'application/json' } } : {}),
    });
  }
});
