import { randomBytes } from 'node:crypto';

import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';

import { describeEachDatabase } from '../../test-support/databases.js';
import { createTestStorage, FIXED_NOW, seedStore, type TestStorage } from '../../test-support/factories.js';
import { newId } from '../ids.js';
import { SecretBox } from '../secret-box.js';
import { CarrierAccountRepository } from './carrier-account.repository.js';

const LATER = '2026-11-26T13:00:00.000Z';
const UPS = { clientId: 'ups-id', clientSecret: 'ups-secret-value' };

describeEachDatabase('CarrierAccountRepository', (dialect) => {
  let t: TestStorage;
  let accounts: CarrierAccountRepository;
  beforeEach(async () => {
    t = await createTestStorage(dialect);
    accounts = t.storage.repositories.carrierAccounts;
  });
  afterEach(async () => {
    await t.drop();
  });

  it('should create one account per store and carrier and replace its credentials on a second upsert', async () => {
    const store = await seedStore(t.storage);

    const created = await accounts.upsertCarrierAccount(store.id, 'ups', { credentials: UPS }, FIXED_NOW);
    const replaced = await accounts.upsertCarrierAccount(
      store.id,
      'ups',
      { credentials: { clientId: 'ups-id', clientSecret: 'rotated' } },
      LATER,
    );
    const opened = await accounts.findCarrierAccount(store.id, 'ups');
    const rows = await t.database.db.selectFrom('carrier_account').selectAll().execute();

    expect(replaced.id).toBe(created.id);
    expect(rows).toHaveLength(1);
    expect(opened).toMatchObject({
      id: created.id,
      storeId: store.id,
      carrier: 'ups',
      isEnabled: true,
      ratePerSecond: null,
      createdAt: FIXED_NOW,
      updatedAt: LATER,
      credentials: { clientId: 'ups-id', clientSecret: 'rotated' },
    });
  });

  it('should keep the credentials sealed at rest, bound to their row', async () => {
    const store = await seedStore(t.storage);
    const created = await accounts.upsertCarrierAccount(store.id, 'ups', { credentials: UPS }, FIXED_NOW);

    const row = await t.database.db.selectFrom('carrier_account').selectAll().executeTakeFirstOrThrow();

    expect(row.credentials_sealed).not.toContain(UPS.clientSecret);
    expect(row.credentials_sealed).not.toContain(UPS.clientId);
    expect(t.secretBox.openJson(row.credentials_sealed, `carrier_account:${created.id}`)).toEqual(UPS);
    expect(() => t.secretBox.openJson(row.credentials_sealed, `carrier_account:${newId()}`)).toThrow(/does not open/);
  });

  it('should list a store’s accounts with the fields that are set and never their values', async () => {
    const store = await seedStore(t.storage);
    const other = await seedStore(t.storage, { name: 'Other Shop' });
    await accounts.upsertCarrierAccount(store.id, 'ups', { credentials: UPS, ratePerSecond: 2 }, FIXED_NOW);
    await accounts.upsertCarrierAccount(store.id, 'dhl', { credentials: { apiKey: 'dhl-key' } }, FIXED_NOW);
    await accounts.upsertCarrierAccount(other.id, 'fedex', { credentials: UPS }, FIXED_NOW);

    const listed = await accounts.listCarrierAccounts(store.id);

    expect(listed.map((a) => [a.carrier, a.fieldsSet, a.ratePerSecond, a.credentialsReadable])).toEqual([
      ['dhl', ['apiKey'], null, true],
      ['ups', ['clientId', 'clientSecret'], 2, true],
    ]);
    expect(JSON.stringify(listed)).not.toMatch(/ups-secret-value|dhl-key|ups-id/);
  });

  it('should list accounts sealed under another key as unreadable instead of failing', async () => {
    const store = await seedStore(t.storage);
    const foreign = new CarrierAccountRepository(t.database.db, new SecretBox(randomBytes(32)));
    await foreign.upsertCarrierAccount(store.id, 'usps', { credentials: UPS }, FIXED_NOW);

    const listed = await accounts.listCarrierAccounts(store.id);

    expect(listed).toEqual([expect.objectContaining({ carrier: 'usps', fieldsSet: [], credentialsReadable: false })]);
    await expect(accounts.findCarrierAccount(store.id, 'usps')).rejects.toMatchObject({
      code: 'secret_key_mismatch',
    });
  });

  it('should disable, re-enable, set the rate limit and delete only the named account', async () => {
    const store = await seedStore(t.storage);
    const other = await seedStore(t.storage, { name: 'Other Shop' });
    await accounts.upsertCarrierAccount(store.id, 'ups', { credentials: UPS }, FIXED_NOW);
    await accounts.upsertCarrierAccount(other.id, 'ups', { credentials: UPS }, FIXED_NOW);

    const disabled = await accounts.setCarrierAccountEnabled(store.id, 'ups', false, FIXED_NOW);
    const afterDisable = await accounts.findCarrierAccount(store.id, 'ups');
    await accounts.setCarrierAccountEnabled(store.id, 'ups', true, FIXED_NOW);
    const limited = await accounts.setCarrierAccountRateLimit(store.id, 'ups', 0.5, FIXED_NOW);
    const afterLimit = await accounts.findCarrierAccount(store.id, 'ups');
    const missing = await accounts.setCarrierAccountEnabled(store.id, 'fedex', false, FIXED_NOW);
    const deleted = await accounts.deleteCarrierAccount(store.id, 'ups');
    const deletedAgain = await accounts.deleteCarrierAccount(store.id, 'ups');

    expect(disabled).toBe(true);
    expect(afterDisable?.isEnabled).toBe(false);
    expect(limited).toBe(true);
    expect(afterLimit).toMatchObject({ isEnabled: true, ratePerSecond: 0.5 });
    // Each change moves updated_at even on a frozen clock: client caches key on it.
    expect(afterLimit!.updatedAt > afterDisable!.updatedAt).toBe(true);
    expect(missing).toBe(false);
    expect([deleted, deletedAgain]).toEqual([true, false]);
    expect(await accounts.findCarrierAccount(store.id, 'ups')).toBeUndefined();
    expect(await accounts.findCarrierAccount(other.id, 'ups')).toBeDefined();
  });

  it('should keep the stored rate and state when an upsert leaves them out', async () => {
    const store = await seedStore(t.storage);
    await accounts.upsertCarrierAccount(
      store.id,
      'ups',
      { credentials: UPS, ratePerSecond: 3, isEnabled: false },
      FIXED_NOW,
    );

    const replaced = await accounts.upsertCarrierAccount(store.id, 'ups', { credentials: UPS }, FIXED_NOW);

    expect(replaced).toMatchObject({ ratePerSecond: 3, isEnabled: false });
  });

  it('should refuse a second row for the same store and carrier at the database', async () => {
    const store = await seedStore(t.storage);
    await accounts.upsertCarrierAccount(store.id, 'ups', { credentials: UPS }, FIXED_NOW);

    const duplicate = t.database.db
      .insertInto('carrier_account')
      .values({
        id: newId(),
        store_id: store.id,
        carrier: 'ups',
        credentials_sealed: 'x',
        rate_limit_per_second: null,
        is_enabled: 1,
        created_at: FIXED_NOW,
        updated_at: FIXED_NOW,
      })
      .execute();

    await expect(duplicate).rejects.toThrow(/unique|duplicate/i);
  });

  it('should end with exactly one account when two upserts race', async () => {
    const store = await seedStore(t.storage);

    await Promise.all([
      accounts.upsertCarrierAccount(
        store.id,
        'fedex',
        { credentials: { clientId: 'a', clientSecret: 'a' } },
        FIXED_NOW,
      ),
      accounts.upsertCarrierAccount(
        store.id,
        'fedex',
        { credentials: { clientId: 'b', clientSecret: 'b' } },
        FIXED_NOW,
      ),
    ]);
    const count = await sql<{ n: number }>`select count(*) as n from carrier_account`.execute(t.database.db);
    const opened = await accounts.findCarrierAccount(store.id, 'fedex');

    expect(Number(count.rows[0]?.n)).toBe(1);
    expect(['a', 'b']).toContain(opened?.credentials.clientId);
  });

  it('should delete a store’s accounts with the store', async () => {
    const store = await seedStore(t.storage);
    await accounts.upsertCarrierAccount(store.id, 'ups', { credentials: UPS }, FIXED_NOW);

    await t.database.db.deleteFrom('store').where('id', '=', store.id).execute();

    expect(await t.database.db.selectFrom('carrier_account').selectAll().execute()).toEqual([]);
  });
});
