import { afterEach, beforeEach, expect, it } from 'vitest';

import type { NewTrackingEvent } from '../../core/ports/storage.port.js';
import { DomainError } from '../../core/errors.js';
import { describeEachDatabase } from '../../test-support/databases.js';
import {
  createTestStorage,
  FIXED_NOW,
  orderFields,
  seedStore,
  type TestStorage,
} from '../../test-support/factories.js';
import { SecretBox } from '../secret-box.js';
import { Storage } from '../storage.js';
import { randomBytes } from 'node:crypto';

function event(overrides: Partial<NewTrackingEvent> = {}): NewTrackingEvent {
  return {
    occurredAt: '2026-11-26T08:00:00.000Z',
    occurredAtLocal: '2026-11-26T09:00:00',
    timeZoneInferred: false,
    sequence: null,
    status: 'in_transit',
    substatus: 'arrived_at_facility',
    reason: null,
    description: 'Arrived at facility',
    location: { city: 'Lyon', region: null, postalCode: null, country: 'FR' },
    rawCode: 'AR',
    rawStatus: 'I',
    source: 'carrier_api',
    dedupeKey: 'k1',
    ...overrides,
  };
}

describeEachDatabase('repositories', (dialect) => {
  let t: TestStorage;
  beforeEach(async () => {
    t = await createTestStorage(dialect);
  });
  afterEach(async () => {
    await t.drop();
  });

  it('should create stores with unique slugs and keep their secrets sealed at rest', async () => {
    const first = await seedStore(t.storage, {
      name: 'Blue Shop',
      secrets: { webhookSecret: 'whsec_123', credentials: { accessToken: 'shpat_abc' } },
    });
    const second = await seedStore(t.storage, { name: 'Blue Shop' });

    const raw = await t.database.db
      .selectFrom('store')
      .select('secrets_sealed')
      .where('id', '=', first.id)
      .executeTakeFirstOrThrow();
    const secrets = await t.storage.repositories.stores.getStoreSecrets(first.id);

    expect(first.slug).toBe('blue-shop');
    expect(second.slug).toBe('blue-shop-2');
    expect(raw.secrets_sealed).not.toContain('whsec_123');
    expect(raw.secrets_sealed).not.toContain('shpat_abc');
    expect(secrets).toEqual({
      webhookSecret: 'whsec_123',
      previousWebhookSecret: null,
      credentials: { accessToken: 'shpat_abc' },
    });
  });

  it('should refuse to open secrets with a different key, saying so', async () => {
    const store = await seedStore(t.storage, { secrets: { webhookSecret: 's' } });
    const otherKey = Storage.fromDatabase(t.database.db, t.database.dialect, new SecretBox(randomBytes(32)));

    await expect(otherKey.repositories.stores.getStoreSecrets(store.id)).rejects.toThrow(DomainError);
    await expect(otherKey.repositories.stores.getStoreSecrets(store.id)).rejects.toThrow(/WAYMARK_SECRET_KEY/);
  });

  it('should store instants as ISO-8601 UTC and read them back identically', async () => {
    const store = await seedStore(t.storage);
    const order = await t.storage.repositories.orders.insertOrder(
      store.id,
      orderFields({ placedAt: '2026-01-02T03:04:05.678Z' }),
      FIXED_NOW,
    );

    const read = await t.storage.repositories.orders.findOrderById(store.id, order.id);

    expect(read?.placedAt).toBe('2026-01-02T03:04:05.678Z');
    expect(read?.createdAt).toBe(FIXED_NOW);
    expect(read?.lineItems).toEqual([{ externalId: '1', sku: 'SKU-1', name: 'Lamp', quantity: 1 }]);
  });

  it('should never return another store’s order', async () => {
    const a = await seedStore(t.storage, { name: 'A' });
    const b = await seedStore(t.storage, { name: 'B' });
    const order = await t.storage.repositories.orders.insertOrder(a.id, orderFields({ number: '#1001' }), FIXED_NOW);

    expect(await t.storage.repositories.orders.findOrderById(b.id, order.id)).toBeUndefined();
    expect((await t.storage.repositories.orders.listOrders(b.id, { limit: 10 })).total).toBe(0);
    expect(
      await t.storage.repositories.orders.findOrderForCustomer(b.id, '1001', { email: order.customer.email! }),
    ).toBeUndefined();
  });

  it('should find an order for a customer by number with or without # and email or postal code in any case', async () => {
    const store = await seedStore(t.storage);
    await t.storage.repositories.orders.insertOrder(
      store.id,
      orderFields({
        number: '#2001',
        customer: { email: 'Ada@Example.com', name: null, phone: null, language: null },
        shippingAddress: { city: null, region: null, postalCode: 'SW1A 1AA', country: 'GB' },
      }),
      FIXED_NOW,
    );
    const orders = t.storage.repositories.orders;

    expect(await orders.findOrderForCustomer(store.id, '2001', { email: 'ada@example.COM' })).toBeDefined();
    expect(await orders.findOrderForCustomer(store.id, '#2001', { postalCode: 'sw1a1aa' })).toBeDefined();
    expect(await orders.findOrderForCustomer(store.id, '2001', { email: 'eve@example.com' })).toBeUndefined();
    expect(await orders.findOrderForCustomer(store.id, '2001', {})).toBeUndefined();
  });

  it('should match a five-digit ZIP against the ZIP+4 the platform kept, and nothing looser', async () => {
    const store = await seedStore(t.storage);
    await t.storage.repositories.orders.insertOrder(
      store.id,
      orderFields({
        number: '3001',
        shippingAddress: { city: null, region: null, postalCode: '94105-1234', country: 'US' },
      }),
      FIXED_NOW,
    );
    const orders = t.storage.repositories.orders;

    expect(await orders.findOrderForCustomer(store.id, '3001', { postalCode: '94105' })).toBeDefined();
    expect(await orders.findOrderForCustomer(store.id, '3001', { postalCode: '94105-1234' })).toBeDefined();
    expect(await orders.findOrderForCustomer(store.id, '3001', { postalCode: '9410' })).toBeUndefined();
    expect(await orders.findOrderForCustomer(store.id, '3001', { postalCode: '94105-9999' })).toBeUndefined();
  });

  it('should keep one shipment per order and tracking number however often it is inserted', async () => {
    const store = await seedStore(t.storage);
    const order = await t.storage.repositories.orders.insertOrder(store.id, orderFields(), FIXED_NOW);
    const input = {
      orderId: order.id,
      externalId: 'f1',
      carrier: 'ups',
      carrierConfidence: 'given' as const,
      trackingNumber: '1z 5r8 939',
      service: null,
      trackerState: 'active' as const,
      shippedAt: FIXED_NOW,
      nextCheckAt: FIXED_NOW,
    };

    const first = await t.storage.repositories.shipments.insertShipment(store.id, input, FIXED_NOW);
    const again = await t.storage.repositories.shipments.insertShipment(
      store.id,
      { ...input, trackingNumber: '1Z5R8939' },
      FIXED_NOW,
    );

    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.shipment.id).toBe(first.shipment.id);
    expect(first.shipment.trackingNumber).toBe('1Z5R8939');
    expect(await t.storage.repositories.shipments.listShipmentsForOrders([order.id])).toHaveLength(1);
  });

  it('should append tracking events once per dedupe key and list them in time order', async () => {
    const store = await seedStore(t.storage);
    const order = await t.storage.repositories.orders.insertOrder(store.id, orderFields(), FIXED_NOW);
    const { shipment } = await t.storage.repositories.shipments.insertShipment(
      store.id,
      {
        orderId: order.id,
        externalId: null,
        carrier: 'ups',
        carrierConfidence: 'given',
        trackingNumber: 'X1',
        service: null,
        trackerState: 'active',
        shippedAt: null,
        nextCheckAt: null,
      },
      FIXED_NOW,
    );
    const events = t.storage.repositories.events;

    const firstBatch = await events.appendEvents(
      store.id,
      shipment.id,
      [event({ dedupeKey: 'b', occurredAt: '2026-11-26T10:00:00.000Z' }), event({ dedupeKey: 'a' })],
      FIXED_NOW,
    );
    const repeat = await events.appendEvents(
      store.id,
      shipment.id,
      [event({ dedupeKey: 'a' }), event({ dedupeKey: 'c', occurredAt: '2026-11-25T10:00:00.000Z', location: null })],
      FIXED_NOW,
    );
    const listed = await events.listEventsForShipment(shipment.id);

    expect(firstBatch).toBe(2);
    expect(repeat).toBe(1);
    expect(listed.map((e) => e.dedupeKey)).toEqual(['c', 'a', 'b']);
    expect(listed[1]).toMatchObject({
      location: { city: 'Lyon', country: 'FR', region: null, postalCode: null },
      rawCode: 'AR',
      timeZoneInferred: false,
    });
    expect(listed[0]?.location).toBeNull();
  });

  it('should journal status changes per entity in order', async () => {
    const store = await seedStore(t.storage);
    await t.storage.repositories.journal.recordStatusChanges([
      {
        storeId: store.id,
        entityType: 'order',
        entityId: store.id,
        field: 'order_status',
        from: null,
        to: 'processing',
        cause: 'api',
        causeRef: null,
        at: '2026-11-26T01:00:00.000Z',
      },
      {
        storeId: store.id,
        entityType: 'order',
        entityId: store.id,
        field: 'order_status',
        from: 'processing',
        to: 'fulfilled',
        cause: 'webhook',
        causeRef: 'wh1',
        at: '2026-11-26T02:00:00.000Z',
      },
    ]);

    const changes = await t.storage.repositories.journal.listStatusChanges(store.id, [store.id]);

    expect(changes.map((c) => `${c.from}->${c.to}`)).toEqual(['null->processing', 'processing->fulfilled']);
  });

  it('should store only a hash of API keys and resolve a key to its store until revoked', async () => {
    const store = await seedStore(t.storage);
    const keys = t.storage.repositories.apiKeys;
    const { key, id } = await keys.createApiKey(store.id, 'ci', FIXED_NOW);

    const rows = await t.database.db.selectFrom('api_key').selectAll().execute();
    const found = await keys.findStoreIdForKey(key);
    await keys.revokeApiKey(store.id, id, FIXED_NOW);
    const afterRevoke = await keys.findStoreIdForKey(key);

    expect(JSON.stringify(rows)).not.toContain(key);
    expect(found).toEqual({ keyId: id, storeId: store.id });
    expect(afterRevoke).toBeUndefined();
    expect(await keys.findStoreIdForKey('wmk_not-a-real-key')).toBeUndefined();
  });

  it('should accept a webhook delivery once and recognise its redelivery', async () => {
    const store = await seedStore(t.storage);
    const inbox = t.storage.repositories.inbox;
    const delivery = {
      storeId: store.id,
      source: 'shopify',
      topic: 'orders/updated',
      providerEventId: 'evt-1',
      headers: { 'x-a': '1' },
      rawBody: '{"id":1}',
    };

    const first = await inbox.acceptWebhook(delivery, FIXED_NOW);
    const again = await inbox.acceptWebhook(delivery, FIXED_NOW);
    const noId = await inbox.acceptWebhook({ ...delivery, providerEventId: null }, FIXED_NOW);
    const sameContent = await inbox.acceptWebhook({ ...delivery, providerEventId: null }, FIXED_NOW);

    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ id: first.id, duplicate: true });
    expect(noId.duplicate).toBe(false);
    expect(sameContent).toEqual({ id: noId.id, duplicate: true });
    expect((await inbox.findWebhook(first.id))?.raw_body).toBe('{"id":1}');
  });

  it('should keep sync cursors per store and resource', async () => {
    const store = await seedStore(t.storage);
    const cursors = t.storage.repositories.cursors;

    await cursors.saveCursor(store.id, 'orders', 'c1', FIXED_NOW);
    await cursors.saveCursor(store.id, 'orders', 'c2', FIXED_NOW);

    expect(await cursors.findCursor(store.id, 'orders')).toBe('c2');
    expect(await cursors.findCursor(store.id, 'fulfillments')).toBeNull();
  });

  it('should report readiness, and name pending migrations when the schema is behind', async () => {
    expect(await t.storage.checkReadiness()).toEqual({ ok: true });
    expect(t.storage.knownMigrations()).toContain('2026_11_26_000001_initial');
  });

  it('should roll a transaction back entirely when the work throws', async () => {
    const store = await seedStore(t.storage);

    await expect(
      t.storage.transaction(async (repos) => {
        await repos.orders.insertOrder(store.id, orderFields({ externalId: 'rolled-back' }), FIXED_NOW);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');

    expect(await t.storage.repositories.orders.findOrderByExternalId(store.id, 'rolled-back')).toBeUndefined();
  });
});
