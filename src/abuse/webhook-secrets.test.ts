import { afterAll, beforeAll, expect, it } from 'vitest';

import { describeEachDatabase } from '../test-support/databases.js';
import { FIXED_NOW } from '../test-support/factories.js';
import { CARRIER_WEBHOOK_SECRETS, startProductionApp, type ProductionApp } from './production-app.js';

const SHIPPO_BODY = JSON.stringify({
  event: 'track_updated',
  test: false,
  data: { carrier: 'usps', tracking_number: '9205590164917312751089', tracking_status: { status: 'TRANSIT' } },
});

/** Shared-secret webhooks: the secret must be accepted where the docs say, and never be stored. */
describeEachDatabase('webhook shared secrets', (dialect) => {
  let p: ProductionApp;

  beforeAll(async () => {
    p = await startProductionApp(dialect);
  });
  afterAll(async () => {
    await p.close();
  });

  const storedHeaders = async () =>
    (await p.testStorage.database.db.selectFrom('inbound_webhook').select(['source', 'headers']).execute()).map(
      (row) => `${row.source} ${typeof row.headers === 'string' ? row.headers : JSON.stringify(row.headers)}`,
    );

  it('should accept a Shippo delivery whose URL carries the token (`?token=`, as the docs say), and no other token', async () => {
    const post = (query: string, headers: Record<string, string> = {}) =>
      p.app.inject({
        method: 'POST',
        url: `/webhooks/carriers/shippo${query}`,
        headers: { 'content-type': 'application/json', ...headers },
        payload: SHIPPO_BODY,
      });

    const viaUrl = await post(`?token=${encodeURIComponent(CARRIER_WEBHOOK_SECRETS.shippo)}`);
    const viaHeader = await post('', { 'x-waymark-webhook-token': CARRIER_WEBHOOK_SECRETS.shippo });
    const wrong = await post('?token=guess');
    const twice = await post(`?token=${CARRIER_WEBHOOK_SECRETS.shippo}&token=${CARRIER_WEBHOOK_SECRETS.shippo}`);
    const wrongHeaderRightUrl = await post(`?token=${CARRIER_WEBHOOK_SECRETS.shippo}`, {
      'x-waymark-webhook-token': 'guess',
    });

    expect(viaUrl.statusCode, viaUrl.body).toBe(200);
    expect(viaHeader.statusCode, viaHeader.body).toBe(200);
    expect(wrong.statusCode).toBe(401);
    expect(twice.statusCode).toBe(401);
    expect(wrongHeaderRightUrl.statusCode).toBe(401);
  });

  it('should not store the Shippo token or a BigCommerce store secret with the delivery', async () => {
    const secret = 'bigcommerce-store-secret-1234';
    const store = await p.storage.repositories.stores.createStore(
      { name: 'BC', platform: 'bigcommerce', secrets: { webhookSecret: secret } },
      FIXED_NOW,
    );
    const bigcommerce = await p.app.inject({
      method: 'POST',
      url: `/webhooks/bigcommerce/${store.id}`,
      headers: { 'content-type': 'application/json', 'x-waymark-webhook-secret': secret },
      payload: JSON.stringify({
        scope: 'store/order/updated',
        store_id: '1001',
        data: { type: 'order', id: 77 },
        hash: 'abc',
        created_at: 1764158400,
        producer: 'stores/abc',
      }),
    });
    await p.app.inject({
      method: 'POST',
      url: `/webhooks/carriers/shippo?token=${CARRIER_WEBHOOK_SECRETS.shippo}`,
      headers: { 'content-type': 'application/json' },
      payload: SHIPPO_BODY.replace('TRANSIT', 'DELIVERED'),
    });
    const stored = await storedHeaders();

    expect(bigcommerce.statusCode, bigcommerce.body).toBe(200);
    expect(stored.some((row) => row.startsWith('platform:bigcommerce'))).toBe(true);
    expect(stored.some((row) => row.startsWith('carrier:shippo'))).toBe(true);
    expect(stored.filter((row) => row.includes(secret) || row.includes(CARRIER_WEBHOOK_SECRETS.shippo))).toEqual([]);
  });

  it('should open an unsubscribe link for a long email address (path parameters up to a signed link long)', async () => {
    const recipient = `${'first.middle.lastname'.repeat(2)}@subsidiary.example-company.com`;
    const token = p.links.sign(
      {
        kind: 'unsubscribe',
        storeId: (await p.storage.repositories.stores.createStore({ name: 'U', platform: 'api' }, FIXED_NOW)).id,
        channel: 'email',
        recipient,
      },
      new Date(Date.parse(FIXED_NOW) + 86_400_000),
    );
    const page = await p.app.inject({ method: 'GET', url: `/u/${token}` });
    const tooLong = await p.app.inject({ method: 'GET', url: `/t/${'A'.repeat(1025)}` });

    expect(token.length).toBeGreaterThan(100);
    expect(page.statusCode, page.body.slice(0, 200)).toBe(200);
    expect(tooLong.statusCode).toBeLessThan(500);
    expect(tooLong.json()).toMatchObject({ error: { code: 'invalid_input' } });
  });
});
