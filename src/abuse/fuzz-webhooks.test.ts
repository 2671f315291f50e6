import { afterAll, beforeAll, expect, it } from 'vitest';

import { describeEachDatabase } from '../test-support/databases.js';
import { runsPerRoute, signatureHeaders } from './hostile-requests.js';
import { fuzzRoute, routesOf, startFuzzWorld, type FuzzWorld } from './fuzz-world.js';
import { Access } from './route-inventory.js';

const RUNS = runsPerRoute(150);

describeEachDatabase('fuzzing the webhook routes', (dialect) => {
  let world: FuzzWorld;

  beforeAll(async () => {
    world = await startFuzzWorld(dialect);
  });
  afterAll(async () => {
    await world.close();
  });

  it('should sign deliveries the way each sender does, so the fuzzer reaches past the signature check', async () => {
    const body = Buffer.from(JSON.stringify({ id: 1, object: 'Event', result: {} }));
    const accepted: string[] = [];
    for (const [storeId, { platform, secret }] of world.platformStores) {
      const response = await world.p.app.inject({
        method: 'POST',
        url: `/webhooks/${platform}/${storeId}`,
        headers: {
          'content-type': 'application/json',
          ...signatureHeaders({ kind: 'platform', platform, secret }, body),
        },
        payload: body,
      });
      if (response.statusCode !== 401 && response.statusCode < 500) accepted.push(platform);
    }
    for (const source of ['easypost', 'aftership', 'shippo', 'ups']) {
      const response = await world.p.app.inject({
        method: 'POST',
        url: `/webhooks/carriers/${source}`,
        headers: { 'content-type': 'application/json', ...signatureHeaders({ kind: 'carrier', source }, body) },
        payload: body,
      });
      // (UPS checks the body's shape as it accepts it: a 400 there still means the key was right.)
      if (response.statusCode !== 401 && response.statusCode < 500) accepted.push(source);
    }

    expect([...new Set(accepted)].sort()).toEqual([
      'aftership',
      'bigcommerce',
      'easypost',
      'magento',
      'shippo',
      'shopify',
      'ups',
      'woocommerce',
    ]);
  });

  it.each(routesOf(Access.WebhookSignature))('%s: no 5xx, the error envelope, still alive', async (key) => {
    await fuzzRoute(world, key, RUNS);
  });
});
