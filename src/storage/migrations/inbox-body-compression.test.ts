import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';

import { describeEachDatabase } from '../../test-support/databases.js';
import { createTestStorage, FIXED_NOW, seedStore, type TestStorage } from '../../test-support/factories.js';

describeEachDatabase('webhook bodies at rest', (dialect) => {
  let t: TestStorage;

  beforeEach(async () => {
    t = await createTestStorage(dialect);
  });
  afterEach(async () => {
    await t.drop();
  });

  it('should give back a large stored body byte for byte (PostgreSQL compresses it with lz4)', async () => {
    const store = await seedStore(t.storage);
    const body = JSON.stringify({ note: 'é'.repeat(2_000), lines: Array.from({ length: 300 }, (_, n) => ({ n })) });

    const [receipt] = await t.storage.repositories.inbox.acceptWebhooks(
      [
        {
          storeId: store.id,
          source: 'platform:shopify',
          topic: 'orders/create',
          providerEventId: 'big',
          headers: {},
          rawBody: body,
        },
      ],
      FIXED_NOW,
    );
    const stored = await t.database.db
      .selectFrom('inbound_webhook')
      .select('raw_body')
      .where('id', '=', receipt!.id)
      .executeTakeFirstOrThrow();

    expect(stored.raw_body).toBe(body);
    if (dialect === 'postgres') {
      const compression = await sql<{ method: string | null }>`
        select pg_column_compression(raw_body) as method from inbound_webhook where id = ${receipt!.id}`.execute(
        t.database.db,
      );
      expect(compression.rows[0]?.method).toBe('lz4');
    }
  });
});
