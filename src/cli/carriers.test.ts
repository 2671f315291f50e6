import { readFileSync } from 'node:fs';

import { pino } from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';

import { setCarrierAccount } from '../app/manage-carrier-accounts.js';
import { refreshShipments } from '../app/refresh-shipments.js';
import type { Store } from '../core/store/store.js';
import { parseConfig } from '../config/config.js';
import { describeEachDatabase } from '../test-support/databases.js';
import { FakeHttpServer, type FakeAnswer, type RecordedRequest } from '../test-support/fake-http-server.js';
import {
  createTestStorage,
  FIXED_NOW,
  ManualClock,
  orderFields,
  seedStore,
  type TestStorage,
} from '../test-support/factories.js';
import { buildCarrierClientResolver, buildCarrierRegistry } from './carriers.js';

const NUMBER = '1Z1442YY7229014688';
const TOKEN_ROUTE = 'POST /security/v1/oauth/token';
const TRACK_ROUTE = `GET /api/track/v1/details/${NUMBER}`;
const silent = pino({ level: 'silent' });

function upsFixture(name: string): Record<string, unknown> {
  return JSON.parse(
    readFileSync(new URL(`../adapters/carriers/ups/__fixtures__/${name}`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
}

function basic(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
}

/** A UPS that knows several developer apps: each gets its own tokens, and a track call is accepted with any live one. */
class FakeUps {
  readonly server = new FakeHttpServer();
  readonly apps = new Map<string, string>();
  readonly #tokenOwner = new Map<string, string>();

  async start(): Promise<this> {
    this.server.on(TOKEN_ROUTE, (request) => this.#token(request));
    this.server.on(TRACK_ROUTE, (request) => this.#track(request));
    await this.server.start();
    return this;
  }

  /** Which app each track call was made for, in order. */
  trackedBy(): string[] {
    return this.server
      .requestsTo(TRACK_ROUTE)
      .map((r) => this.#tokenOwner.get(r.headers.authorization?.replace(/^Bearer /, '') ?? '') ?? '?');
  }

  tokenRequestsFor(clientId: string, clientSecret: string): number {
    return this.server.requestsTo(TOKEN_ROUTE).filter((r) => r.headers.authorization === basic(clientId, clientSecret))
      .length;
  }

  #token(request: RecordedRequest): FakeAnswer {
    const app = [...this.apps].find(([id, secret]) => request.headers.authorization === basic(id, secret));
    if (!app) return { status: 401, body: upsFixture('auth_error_250003.json') };
    const token = `token-${this.#tokenOwner.size + 1}`;
    this.#tokenOwner.set(token, app[0]);
    return { body: { ...upsFixture('oauth_token_response.json'), access_token: token, expires_in: '14399' } };
  }

  #track(request: RecordedRequest): FakeAnswer {
    const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
    if (!this.#tokenOwner.has(token)) return { status: 401, body: upsFixture('auth_error_250003.json') };
    return { body: upsFixture('delivered.json') };
  }
}

describeEachDatabase('store carrier accounts in the shipment refresher', (dialect) => {
  let t: TestStorage;
  let ups: FakeUps;
  const clock = new ManualClock();
  beforeEach(async () => {
    t = await createTestStorage(dialect);
    ups = await new FakeUps().start();
    clock.set(FIXED_NOW);
  });
  afterEach(async () => {
    await ups.server.stop();
    await t.drop();
  });

  async function upsShipment(store: Store): Promise<string> {
    const order = await t.storage.repositories.orders.insertOrder(store.id, orderFields(), FIXED_NOW);
    const { shipment } = await t.storage.repositories.shipments.insertShipment(
      store.id,
      {
        orderId: order.id,
        externalId: null,
        carrier: 'ups',
        carrierConfidence: 'given',
        trackingNumber: NUMBER,
        service: null,
        trackerState: 'active',
        shippedAt: FIXED_NOW,
        nextCheckAt: FIXED_NOW,
      },
      FIXED_NOW,
    );
    return shipment.id;
  }

  function setUpsAccount(store: Store, clientId: string, clientSecret: string) {
    const repositories = t.storage.repositories;
    return setCarrierAccount({ clock, accounts: repositories.carrierAccounts, stores: repositories.stores }, store.id, {
      carrier: 'ups',
      credentials: { clientId, clientSecret },
    });
  }

  /** The wiring of `waymark start`: the instance-wide registry plus the store-account resolver, with the shared budget. */
  function refresher(env: Record<string, string> = {}) {
    const config = parseConfig({ WAYMARK_UPS_BASE_URL: ups.server.url, ...env });
    const budget = t.storage.repositories.rateBudget;
    const carriers = buildCarrierRegistry(config, silent, budget);
    const clients = buildCarrierClientResolver(config, silent, {
      accounts: t.storage.repositories.carrierAccounts,
      budget,
      instanceWide: carriers,
    });
    return (shipments: { id: string; storeId: string }[]) =>
      refreshShipments({ uow: t.storage, clock, carriers, clients, random: () => 0.5 }, shipments);
  }

  it('should fetch each store’s shipments with its own UPS credentials', async () => {
    const blue = await seedStore(t.storage, { name: 'Blue Lamps' });
    const green = await seedStore(t.storage, { name: 'Green Chairs' });
    ups.apps.set('blue-app', 'blue-secret').set('green-app', 'green-secret');
    const blueAccount = await setUpsAccount(blue, 'blue-app', 'blue-secret');
    const greenAccount = await setUpsAccount(green, 'green-app', 'green-secret');
    const refresh = refresher();
    const shipments = [
      { id: await upsShipment(blue), storeId: blue.id },
      { id: await upsShipment(green), storeId: green.id },
      { id: await upsShipment(blue), storeId: blue.id },
    ];

    const results = await refresh(shipments);
    const windows = await t.database.db.selectFrom('rate_limit_window').select(['key', 'calls']).execute();
    const tracked = await t.storage.repositories.shipments.findShipmentById(green.id, shipments[1]!.id);

    expect([...results.values()].every((r) => r.ok)).toBe(true);
    expect(ups.trackedBy()).toEqual(['blue-app', 'blue-app', 'green-app']);
    expect(ups.tokenRequestsFor('blue-app', 'blue-secret')).toBe(1);
    expect(ups.tokenRequestsFor('green-app', 'green-secret')).toBe(1);
    expect(tracked).toMatchObject({ status: 'delivered', trackerState: 'stopped_delivered' });
    // The shared budget is counted per credential: one key per store account (windows are real seconds).
    const callsByKey: Record<string, number> = {};
    for (const w of windows) callsByKey[w.key] = (callsByKey[w.key] ?? 0) + Number(w.calls);
    expect(callsByKey).toEqual({
      [`ups:${blueAccount.id}`]: 2,
      [`ups:${greenAccount.id}`]: 1,
    });
  });

  it('should fall back to the instance-wide credential for a store without an enabled account of its own', async () => {
    const blue = await seedStore(t.storage, { name: 'Blue Lamps' });
    const plain = await seedStore(t.storage, { name: 'Plain Shop' });
    ups.apps.set('blue-app', 'blue-secret').set('instance-app', 'instance-secret');
    await setUpsAccount(blue, 'blue-app', 'blue-secret');
    await t.storage.repositories.carrierAccounts.setCarrierAccountEnabled(blue.id, 'ups', false, FIXED_NOW);
    const refresh = refresher({
      WAYMARK_UPS_CLIENT_ID: 'instance-app',
      WAYMARK_UPS_CLIENT_SECRET: 'instance-secret',
    });

    await refresh([
      { id: await upsShipment(plain), storeId: plain.id },
      { id: await upsShipment(blue), storeId: blue.id },
    ]);
    const windows = await t.database.db.selectFrom('rate_limit_window').select('key').execute();

    expect(ups.trackedBy()).toEqual(['instance-app', 'instance-app']);
    expect([...new Set(windows.map((w) => w.key))]).toEqual(['ups:env']);
  });

  it('should mark a shipment as missing credentials, call nothing, and look again hours later', async () => {
    const plain = await seedStore(t.storage, { name: 'Plain Shop' });
    const refresh = refresher();
    const id = await upsShipment(plain);

    const results = await refresh([{ id, storeId: plain.id }]);
    const shipment = await t.storage.repositories.shipments.findShipmentById(plain.id, id);

    expect(ups.server.requests).toEqual([]);
    expect(shipment?.trackerState).toBe('error_carrier_auth');
    expect(results.get(id)).toEqual({
      ok: true,
      completion: { next_check_at: new Date(Date.parse(FIXED_NOW) + 6 * 3_600_000).toISOString() },
    });
  });

  it('should use a changed secret on the next refresh', async () => {
    const blue = await seedStore(t.storage, { name: 'Blue Lamps' });
    ups.apps.set('blue-app', 'old-secret');
    await setUpsAccount(blue, 'blue-app', 'old-secret');
    const refresh = refresher();
    const id = await upsShipment(blue);
    await refresh([{ id, storeId: blue.id }]);

    // UPS rotates the secret: the old one (and its tokens' owner) no longer gets tokens.
    ups.apps.set('blue-app', 'new-secret');
    await setUpsAccount(blue, 'blue-app', 'new-secret');
    const second = await refresh([{ id, storeId: blue.id }]);

    expect(second.get(id)?.ok).toBe(true);
    expect(ups.tokenRequestsFor('blue-app', 'old-secret')).toBe(1);
    expect(ups.tokenRequestsFor('blue-app', 'new-secret')).toBe(1);
    expect(ups.trackedBy()).toEqual(['blue-app', 'blue-app']);
  });

  it('should fail only the store whose credentials UPS refuses', async () => {
    const blue = await seedStore(t.storage, { name: 'Blue Lamps' });
    const green = await seedStore(t.storage, { name: 'Green Chairs' });
    ups.apps.set('green-app', 'green-secret');
    await setUpsAccount(blue, 'blue-app', 'revoked-secret');
    await setUpsAccount(green, 'green-app', 'green-secret');
    const refresh = refresher();
    const blueShipment = await upsShipment(blue);
    const greenShipment = await upsShipment(green);

    const results = await refresh([
      { id: blueShipment, storeId: blue.id },
      { id: greenShipment, storeId: green.id },
    ]);

    expect(results.get(blueShipment)).toMatchObject({ ok: false, error: { code: 'upstream_auth_failed' } });
    expect(results.get(greenShipment)?.ok).toBe(true);
    expect(ups.trackedBy()).toEqual(['green-app']);
  });
});
