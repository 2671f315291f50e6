import { afterEach, beforeEach, expect, it } from 'vitest';

import { describeEachDatabase } from '../../test-support/databases.js';
import { createTestStorage, FIXED_NOW, seedStore, type TestStorage } from '../../test-support/factories.js';

const LATER = '2026-11-27T09:30:00.000Z';

describeEachDatabase('StoreRepository.setStoreSecrets', (dialect) => {
  let t: TestStorage;
  beforeEach(async () => {
    t = await createTestStorage(dialect);
  });
  afterEach(async () => {
    await t.drop();
  });

  it('should seal the replaced secrets, touch only that store, and move its updatedAt', async () => {
    const store = await seedStore(t.storage, {
      platform: 'shopify',
      secrets: { webhookSecret: 'whsec_first', credentials: { accessToken: 'shpat_first' } },
    });
    const neighbour = await seedStore(t.storage, {
      platform: 'shopify',
      secrets: { webhookSecret: 'whsec_neighbour', credentials: { accessToken: 'shpat_neighbour' } },
    });
    const stores = t.storage.repositories.stores;

    await stores.setStoreSecrets(
      store.id,
      {
        webhookSecret: 'whsec_second',
        previousWebhookSecret: 'whsec_first',
        credentials: { accessToken: 'shpat_second' },
      },
      LATER,
    );
    const raw = await t.database.db
      .selectFrom('store')
      .select('secrets_sealed')
      .where('id', '=', store.id)
      .executeTakeFirstOrThrow();
    const found = await stores.findStoreWithSecrets(store.id);

    expect(raw.secrets_sealed).not.toContain('shpat_second');
    expect(raw.secrets_sealed).not.toContain('whsec_second');
    expect(found?.secrets).toEqual({
      webhookSecret: 'whsec_second',
      previousWebhookSecret: 'whsec_first',
      credentials: { accessToken: 'shpat_second' },
    });
    expect(found?.store.updatedAt).toBe(LATER);
    expect(await stores.getStoreSecrets(neighbour.id)).toEqual({
      webhookSecret: 'whsec_neighbour',
      previousWebhookSecret: null,
      credentials: { accessToken: 'shpat_neighbour' },
    });
    expect((await stores.findStoreById(neighbour.id))?.updatedAt).toBe(FIXED_NOW);
  });
});
