import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { signInAs, type Browser } from '../test-support/dashboard.js';
import { startProductionApp, type ProductionApp, type RegisteredRoute } from './production-app.js';
import { sendRaw, type RawAnswer } from './raw-http.js';
import { Access, Body, classify } from './route-inventory.js';
import { fillRoute, PLACEHOLDER_PARAMS } from './route-params.js';
import { seedTenant, type Tenant } from './tenants.js';

/** Small, so "just over the limit" is cheap to send to every route. */
const BODY_LIMIT = 32 * 1024;
/** The form parsers' own limits: the dashboard's (register-dashboard.ts) and the tracking look-up's (tracking.routes.ts). */
const DASHBOARD_FORM_LIMIT = 64 * 1024;
const TRACKING_FORM_LIMIT = 4096;

/** A JSON document of exactly `size` bytes. */
function jsonOfSize(size: number): Buffer {
  const frame = '{"pad":""}';
  return Buffer.from(`{"pad":"${'x'.repeat(size - frame.length)}"}`);
}

/** A form body of exactly `size` bytes. */
function formOfSize(size: number): Buffer {
  return Buffer.from(`pad=${'x'.repeat(size - 'pad='.length)}`);
}

/** Where a route's form body is parsed, and with which limit; null when the route takes no form. */
function formLimitOf(route: RegisteredRoute): number | null {
  const entry = classify(route);
  if (route.method !== 'POST' || !entry) return null;
  if (route.url.startsWith('/dashboard/')) return DASHBOARD_FORM_LIMIT;
  if (route.url.startsWith('/track/')) return TRACKING_FORM_LIMIT;
  if (route.url.startsWith('/u/')) return BODY_LIMIT;
  return null;
}

describe('oversized bodies on every POST and PUT route', () => {
  let p: ProductionApp;
  let a: Tenant;
  let browser: Browser;
  let writeRoutes: RegisteredRoute[];

  beforeAll(async () => {
    p = await startProductionApp('sqlite', { bodyLimit: BODY_LIMIT });
    a = await seedTenant(p.storage, p.clock, 'alpha');
    browser = await signInAs(p.app, a.owner.email);
    writeRoutes = p.routes.filter((route) => route.method === 'POST' || route.method === 'PUT');
  });
  afterAll(async () => {
    await p.close();
  });

  /** With the caller's credentials, so the body is read (authentication runs before the body). */
  function credentialsFor(route: RegisteredRoute): Record<string, string> {
    const access = classify(route)?.access;
    if (access === Access.ApiKey) return a.auth;
    if (access === Access.DashboardSession) return { cookie: browser.cookie };
    return {};
  }

  function send(route: RegisteredRoute, contentType: string, body: Buffer, chunked: boolean): Promise<RawAnswer> {
    return sendRaw(p.url, {
      method: route.method,
      path: fillRoute(route.url, { ...PLACEHOLDER_PARAMS, storeId: a.store.id }),
      headers: { 'content-type': contentType, ...credentialsFor(route) },
      body,
      chunked,
    });
  }

  function expectTooLarge(route: RegisteredRoute, answer: RawAnswer, how: string): void {
    expect(answer.status, `${route.key} ${how}: ${answer.body.slice(0, 200)}`).toBe(413);
    if (classify(route)?.body === Body.Json)
      expect(JSON.parse(answer.body), route.key).toMatchObject({ error: { code: 'payload_too_large' } });
  }

  it('should cover a real set of routes', () => {
    expect(writeRoutes.length).toBeGreaterThanOrEqual(30);
    expect(writeRoutes.every((route) => classify(route))).toBe(true);
  });

  it('should answer 413 to a JSON body one byte over the limit, with a content-length and chunked', async () => {
    for (const route of writeRoutes) {
      expectTooLarge(route, await send(route, 'application/json', jsonOfSize(BODY_LIMIT + 1), false), 'content-length');
      expectTooLarge(route, await send(route, 'application/json', jsonOfSize(BODY_LIMIT + 1), true), 'chunked');
    }
  });

  it('should read a JSON body of exactly the limit (the 413s are the limit, not something else)', async () => {
    for (const route of writeRoutes) {
      const answer = await send(route, 'application/json', jsonOfSize(BODY_LIMIT), true);
      expect(answer.status, `${route.key}: ${answer.body.slice(0, 200)}`).not.toBe(413);
      expect(answer.status, route.key).toBeLessThan(500);
    }
  });

  it('should answer 413 to a form body one byte over its parser limit, and read one at the limit', async () => {
    const formRoutes = writeRoutes.filter((route) => formLimitOf(route) !== null);
    expect(formRoutes.length).toBeGreaterThanOrEqual(20);
    for (const route of formRoutes) {
      const limit = formLimitOf(route) ?? 0;
      const form = 'application/x-www-form-urlencoded';
      expectTooLarge(route, await send(route, form, formOfSize(limit + 1), false), 'form, content-length');
      expectTooLarge(route, await send(route, form, formOfSize(limit + 1), true), 'form, chunked');
      const atLimit = await send(route, form, formOfSize(limit), true);
      expect(atLimit.status, `${route.key} at the form limit: ${atLimit.body.slice(0, 200)}`).not.toBe(413);
      expect(atLimit.status, route.key).toBeLessThan(500);
    }
  });

  it('should answer 413 to an absurd content-length without waiting for the body', async () => {
    for (const route of writeRoutes) {
      const answer = await p.app.inject({
        method: route.method as 'POST' | 'PUT',
        url: fillRoute(route.url, { ...PLACEHOLDER_PARAMS, storeId: a.store.id }),
        headers: { 'content-type': 'application/json', 'content-length': '99999999999', ...credentialsFor(route) },
        payload: '{}',
      });
      expect([400, 413], `${route.key}: ${answer.statusCode} ${answer.body.slice(0, 200)}`).toContain(
        answer.statusCode,
      );
    }
  });
});
