import { createHmac } from 'node:crypto';

import { afterAll, beforeAll, expect, it } from 'vitest';

import { describeEachDatabase } from '../test-support/databases.js';
import { formBody, signInAs, type Browser } from '../test-support/dashboard.js';
import { FIXED_NOW } from '../test-support/factories.js';
import { isErrorEnvelope } from './hostile-requests.js';
import { CARRIER_WEBHOOK_SECRETS, startProductionApp, type ProductionApp } from './production-app.js';
import { seedTenant, type Tenant } from './tenants.js';

type Method = 'GET' | 'POST' | 'PUT';
type Case = { method: Method; url: string; json?: unknown; form?: Record<string, string>; raw?: string };

/**
 * PostgreSQL refuses the NUL character in text and `\u0000` in jsonb; SQLite
 * stores both. Wherever client text reaches a query (a look-up, a filter, a
 * saved name, a webhook's id), NUL must be a 4xx on both databases, never a 500.
 */
describeEachDatabase('NUL characters in client text', (dialect) => {
  let p: ProductionApp;
  let a: Tenant;
  let apiAuth: { authorization: string };
  let browser: Browser;

  beforeAll(async () => {
    p = await startProductionApp(dialect);
    a = await seedTenant(p.storage, p.clock, 'alpha');
    const apiStore = await p.storage.repositories.stores.createStore({ name: 'Direct', platform: 'api' }, FIXED_NOW);
    apiAuth = {
      authorization: `Bearer ${(await p.storage.repositories.apiKeys.createApiKey(apiStore.id, null, FIXED_NOW)).key}`,
    };
    browser = await signInAs(p.app, a.owner.email);
  });
  afterAll(async () => {
    await p.close();
  });

  const signedEasyPost = (body: string) => ({
    'content-type': 'application/json',
    'x-hmac-signature': `hmac-sha256-hex=${createHmac('sha256', CARRIER_WEBHOOK_SECRETS.easypost).update(body).digest('hex')}`,
  });

  const cases = (): [string, Case, Record<string, string>][] => [
    [
      'tracking look-up form',
      { method: 'POST', url: `/track/${a.store.slug}`, form: { order: '1\u0000', email: 'a@b.co' } },
      {},
    ],
    ['tracking look-up JSON', { method: 'GET', url: `/api/public/track/${a.store.slug}?order=%00&email=a%00` }, {}],
    ['tracking page slug', { method: 'GET', url: '/track/a%00b' }, {}],
    [
      'API order country',
      {
        method: 'POST',
        url: '/api/v1/orders',
        json: { externalId: 'n1', number: '1', shippingAddress: { country: '\u0000A' } },
      },
      apiAuth,
    ],
    [
      'API template override',
      { method: 'PUT', url: '/api/v1/notification-templates/shipped/email/en', json: { subject: 'a\u0000b' } },
      a.auth,
    ],
    [
      'carrier webhook event id',
      { method: 'POST', url: '/webhooks/carriers/easypost', raw: '{"id":"evt_\\u0000","object":"Event","result":{}}' },
      {},
    ],
    [
      'carrier webhook topic',
      {
        method: 'POST',
        url: '/webhooks/carriers/easypost',
        raw: '{"id":"evt_n2","description":"tracker.\\u0000","result":{}}',
      },
      {},
    ],
    ['dashboard order search', { method: 'GET', url: '/dashboard/orders?q=%00' }, { cookie: browser.cookie }],
    ['dashboard carrier filter', { method: 'GET', url: '/dashboard/orders?carrier=a%00' }, { cookie: browser.cookie }],
    [
      'dashboard API key name',
      { method: 'POST', url: '/dashboard/settings/api-keys', form: { name: 'a\u0000' } },
      { cookie: browser.cookie },
    ],
    [
      'dashboard new user email',
      {
        method: 'POST',
        url: '/dashboard/settings/users',
        form: { email: 'a\u0000@b.co', role: 'staff', password: '' },
      },
      { cookie: browser.cookie },
    ],
    [
      'dashboard template',
      {
        method: 'POST',
        url: '/dashboard/settings/templates',
        form: { milestone: 'shipped', channel: 'email', locale: 'en', subject: 'a\u0000' },
      },
      { cookie: browser.cookie },
    ],
  ];

  it('should answer 4xx (or accept the text, on SQLite) wherever a NUL reaches the database, never 5xx', async () => {
    const failures: string[] = [];
    for (const [name, request, credentials] of cases()) {
      const headers: Record<string, string> = { ...credentials };
      let payload: string | undefined;
      if (request.json !== undefined) {
        headers['content-type'] = 'application/json';
        payload = JSON.stringify(request.json);
      } else if (request.form !== undefined) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        payload = formBody(credentials.cookie ? { _csrf: browser.csrfToken, ...request.form } : request.form);
      } else if (request.raw !== undefined) {
        Object.assign(headers, signedEasyPost(request.raw));
        payload = request.raw;
      }
      const response = await p.app.inject({
        method: request.method,
        url: request.url,
        headers,
        remoteAddress: '203.0.113.50',
        ...(payload === undefined ? {} : { payload }),
      });
      const html = String(response.headers['content-type'] ?? '').startsWith('text/html');
      if (response.statusCode >= 500 || (response.statusCode >= 400 && !html && !isErrorEnvelope(response.body)))
        failures.push(`${name}: ${response.statusCode} ${response.body.slice(0, 120)}`);
    }

    expect(failures).toEqual([]);
  });
});
