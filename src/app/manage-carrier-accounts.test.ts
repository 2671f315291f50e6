import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createCarrierClientFactory } from '../cli/carriers.js';
import { parseConfig } from '../config/config.js';
import type { CarrierClientFactory } from '../core/ports/carrier-account.port.js';
import type { CarrierClient } from '../core/ports/carrier.port.js';
import { CarrierAccountRepository } from '../storage/repositories/carrier-account.repository.js';
import { SecretBox } from '../storage/secret-box.js';
import { describeEachDatabase } from '../test-support/databases.js';
import { FakeHttpServer } from '../test-support/fake-http-server.js';
import {
  createTestStorage,
  FIXED_NOW,
  ManualClock,
  orderFields,
  seedStore,
  type TestStorage,
} from '../test-support/factories.js';
import {
  CARRIER_ACCOUNT_FIELDS,
  createCarrierClientResolver,
  listCarrierAccounts,
  removeCarrierAccount,
  setCarrierAccount,
  setCarrierAccountEnabled,
  setCarrierAccountRateLimit,
  testCarrierAccount,
  type CarrierAccountDeps,
} from './manage-carrier-accounts.js';

const UPS_PROBE_ROUTE = 'GET /api/track/v1/details/1Z0000000000000000';

function upsFixture(name: string): unknown {
  return JSON.parse(
    readFileSync(new URL(`../adapters/carriers/ups/__fixtures__/${name}`, import.meta.url), 'utf8'),
  ) as unknown;
}

function errorOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: { code: string; message: string }) => error,
  );
}

describe('CARRIER_ACCOUNT_FIELDS', () => {
  it('should name the fields exactly as the clients and the environment do', () => {
    expect(CARRIER_ACCOUNT_FIELDS).toEqual({
      ups: ['clientId', 'clientSecret'],
      fedex: ['clientId', 'clientSecret'],
      usps: ['clientId', 'clientSecret'],
      dhl: ['apiKey'],
    });
  });
});

describeEachDatabase('manage carrier accounts', (dialect) => {
  let t: TestStorage;
  let deps: CarrierAccountDeps;
  const clock = new ManualClock();
  beforeEach(async () => {
    t = await createTestStorage(dialect);
    clock.set(FIXED_NOW);
    deps = { clock, accounts: t.storage.repositories.carrierAccounts, stores: t.storage.repositories.stores };
  });
  afterEach(async () => {
    await t.drop();
  });

  describe('setCarrierAccount', () => {
    it('should store an account and list which fields are set, never their values', async () => {
      const store = await seedStore(t.storage);

      const set = await setCarrierAccount(deps, store.id, {
        carrier: 'fedex',
        credentials: { clientId: ' fedex-key ', clientSecret: 'fedex-secret' },
        ratePerSecond: 2,
      });
      const listed = await listCarrierAccounts(deps, store.id);
      const opened = await deps.accounts.findCarrierAccount(store.id, 'fedex');

      expect(set).toMatchObject({ carrier: 'fedex', fieldsSet: ['clientId', 'clientSecret'], ratePerSecond: 2 });
      expect(listed).toEqual([set]);
      expect(JSON.stringify(listed)).not.toContain('fedex-secret');
      // Trimmed as typed into a form.
      expect(opened?.credentials).toEqual({ clientId: 'fedex-key', clientSecret: 'fedex-secret' });
    });

    it('should make shipments parked for want of credentials due at once, and only those', async () => {
      const store = await seedStore(t.storage);
      const order = await t.storage.repositories.orders.insertOrder(store.id, orderFields(), FIXED_NOW);
      const park = async (trackingNumber: string, carrier: string, trackerState: 'error_carrier_auth' | 'active') => {
        const { shipment } = await t.storage.repositories.shipments.insertShipment(
          store.id,
          {
            orderId: order.id,
            externalId: null,
            carrier,
            carrierConfidence: 'given',
            trackingNumber,
            service: null,
            trackerState,
            shippedAt: FIXED_NOW,
            nextCheckAt: '2026-11-27T00:00:00.000Z',
          },
          FIXED_NOW,
        );
        return shipment.id;
      };
      const waiting = await park('1Z0000000000000001', 'ups', 'error_carrier_auth');
      const otherCarrier = await park('449044304137821', 'fedex', 'error_carrier_auth');
      const healthy = await park('1Z0000000000000002', 'ups', 'active');
      clock.advance(60_000);

      await setCarrierAccount(deps, store.id, { carrier: 'ups', credentials: { clientId: 'id', clientSecret: 's' } });
      const byId = async (id: string) => t.storage.repositories.shipments.findShipmentById(store.id, id);

      expect(await byId(waiting)).toMatchObject({ trackerState: 'active', nextCheckAt: clock.now() });
      expect(await byId(otherCarrier)).toMatchObject({ trackerState: 'error_carrier_auth' });
      expect(await byId(healthy)).toMatchObject({ nextCheckAt: '2026-11-27T00:00:00.000Z' });
    });

    it('should rotate one secret and keep the other stored fields', async () => {
      const store = await seedStore(t.storage);
      await setCarrierAccount(deps, store.id, { carrier: 'ups', credentials: { clientId: 'id', clientSecret: 'old' } });

      await setCarrierAccount(deps, store.id, { carrier: 'ups', credentials: { clientSecret: 'new' } });
      const disabled = await setCarrierAccount(deps, store.id, { carrier: 'ups', credentials: {}, isEnabled: false });

      expect(disabled).toMatchObject({ isEnabled: false, fieldsSet: ['clientId', 'clientSecret'] });
      expect((await deps.accounts.findCarrierAccount(store.id, 'ups'))?.credentials).toEqual({
        clientId: 'id',
        clientSecret: 'new',
      });
    });

    it('should ask for every field again when the stored ones no longer open', async () => {
      const store = await seedStore(t.storage);
      const foreign = new CarrierAccountRepository(t.database.db, new SecretBox(randomBytes(32)));
      await foreign.upsertCarrierAccount(
        store.id,
        'ups',
        { credentials: { clientId: 'a', clientSecret: 'b' } },
        FIXED_NOW,
      );

      const partial = await errorOf(
        setCarrierAccount(deps, store.id, { carrier: 'ups', credentials: { clientSecret: 'new' } }),
      );
      await setCarrierAccount(deps, store.id, { carrier: 'ups', credentials: { clientId: 'a', clientSecret: 'new' } });

      expect(partial).toMatchObject({
        code: 'invalid_input',
        message: 'ups needs clientId, clientSecret; clientId is missing',
      });
      expect((await deps.accounts.findCarrierAccount(store.id, 'ups'))?.credentials.clientSecret).toBe('new');
    });

    it.each([
      [{ carrier: 'ontrac', credentials: { apiKey: 'k' } }, /carrier must be one of ups, fedex, usps, dhl/],
      [
        { carrier: 'ups', credentials: { clientId: 'id' } },
        /ups needs clientId, clientSecret; clientSecret is missing/,
      ],
      [{ carrier: 'dhl', credentials: { apiKey: '   ' } }, /dhl apiKey must not be empty/],
      [{ carrier: 'dhl', credentials: { apiKey: 'k', apiSecret: 's' } }, /dhl takes apiKey; unknown field "apiSecret"/],
      [{ carrier: 'dhl', credentials: { apiKey: 'k' }, ratePerSecond: 0 }, /ratePerSecond must be a positive number/],
      [{ carrier: 'dhl', credentials: { apiKey: 'k' }, ratePerSecond: Number.NaN }, /ratePerSecond must be a positive/],
    ])('should refuse %j as invalid input', async (input, message) => {
      const store = await seedStore(t.storage);

      const error = await errorOf(setCarrierAccount(deps, store.id, input));

      expect(error.code).toBe('invalid_input');
      expect(error.message).toMatch(message);
      expect(await deps.accounts.listCarrierAccounts(store.id)).toEqual([]);
    });

    it('should answer not found for a store that does not exist', async () => {
      const error = await errorOf(
        setCarrierAccount(deps, '0190a000-0000-7000-8000-000000000000', {
          carrier: 'dhl',
          credentials: { apiKey: 'k' },
        }),
      );

      expect(error).toMatchObject({ code: 'not_found', message: 'store not found' });
    });
  });

  describe('remove, enable and rate limit', () => {
    it('should change only an account that exists and answer not found otherwise', async () => {
      const store = await seedStore(t.storage);
      await setCarrierAccount(deps, store.id, { carrier: 'dhl', credentials: { apiKey: 'k' } });

      await setCarrierAccountEnabled(deps, store.id, 'dhl', false);
      await setCarrierAccountRateLimit(deps, store.id, 'dhl', 1000 / 86_400);
      const changed = await listCarrierAccounts(deps, store.id);
      await removeCarrierAccount(deps, store.id, 'dhl');
      const errors = await Promise.all([
        errorOf(removeCarrierAccount(deps, store.id, 'dhl')),
        errorOf(setCarrierAccountEnabled(deps, store.id, 'ups', true)),
        errorOf(setCarrierAccountRateLimit(deps, store.id, 'usps', 1)),
      ]);

      expect(changed).toEqual([expect.objectContaining({ isEnabled: false, ratePerSecond: 1000 / 86_400 })]);
      expect(await listCarrierAccounts(deps, store.id)).toEqual([]);
      expect(errors.map((e) => [e.code, e.message])).toEqual([
        ['not_found', 'this store has no dhl account'],
        ['not_found', 'this store has no ups account'],
        ['not_found', 'this store has no usps account'],
      ]);
    });
  });

  describe('testCarrierAccount', () => {
    let ups: FakeHttpServer;
    let buildClient: CarrierClientFactory;
    beforeEach(async () => {
      ups = await new FakeHttpServer().start();
      buildClient = createCarrierClientFactory(
        parseConfig({ WAYMARK_UPS_BASE_URL: ups.url }),
        pino({ level: 'silent' }),
      );
      const good = `Basic ${Buffer.from('ups-id:ups-secret').toString('base64')}`;
      ups.on('POST /security/v1/oauth/token', (request) =>
        request.headers.authorization === good
          ? { body: { access_token: 'tok', expires_in: '14399' } }
          : { status: 401, body: upsFixture('auth_error_250003.json') },
      );
      ups.on(UPS_PROBE_ROUTE, () => ({ body: upsFixture('not_found_TW0001_http200.json') }));
    });
    afterEach(async () => {
      await ups.stop();
    });

    async function storeWithUps(clientSecret: string) {
      const store = await seedStore(t.storage);
      await setCarrierAccount(deps, store.id, { carrier: 'ups', credentials: { clientId: 'ups-id', clientSecret } });
      return store;
    }

    it('should report ok when the carrier gives a token and answers the probe', async () => {
      const store = await storeWithUps('ups-secret');

      const result = await testCarrierAccount({ ...deps, buildClient }, store.id, 'ups');

      expect(result).toEqual({ ok: true, carrier: 'ups', checkedAt: FIXED_NOW, answer: 'not_found_yet' });
      expect(ups.requestsTo(UPS_PROBE_ROUTE)).toHaveLength(1);
    });

    it('should report refused credentials as upstream_auth_failed without calling track', async () => {
      const store = await storeWithUps('wrong-secret');

      const result = await testCarrierAccount({ ...deps, buildClient }, store.id, 'ups');

      expect(result).toMatchObject({ ok: false, carrier: 'ups', code: 'upstream_auth_failed' });
      expect(ups.requestsTo(UPS_PROBE_ROUTE)).toEqual([]);
    });

    it('should report a carrier outage as upstream_unavailable', async () => {
      const store = await storeWithUps('ups-secret');
      ups.queue(UPS_PROBE_ROUTE, { status: 503, body: 'Service Unavailable' });

      const result = await testCarrierAccount({ ...deps, buildClient }, store.id, 'ups');

      expect(result).toMatchObject({ ok: false, code: 'upstream_unavailable' });
    });

    it('should report credentials sealed under another key as secret_key_mismatch', async () => {
      const store = await seedStore(t.storage);
      const foreign = new CarrierAccountRepository(t.database.db, new SecretBox(randomBytes(32)));
      await foreign.upsertCarrierAccount(
        store.id,
        'ups',
        { credentials: { clientId: 'a', clientSecret: 'b' } },
        FIXED_NOW,
      );

      const result = await testCarrierAccount({ ...deps, buildClient }, store.id, 'ups');

      expect(result).toMatchObject({ ok: false, code: 'secret_key_mismatch' });
      expect(ups.requests).toEqual([]);
    });

    it('should answer not found when the store has no account for the carrier', async () => {
      const store = await seedStore(t.storage);

      const error = await errorOf(testCarrierAccount({ ...deps, buildClient }, store.id, 'ups'));

      expect(error).toMatchObject({ code: 'not_found' });
    });
  });

  describe('createCarrierClientResolver', () => {
    function recordingFactory() {
      const built: { carrier: string; credential: string; secret: string | undefined }[] = [];
      const buildClient: CarrierClientFactory = (carrier, credentials, options) => {
        built.push({ carrier, credential: options.credential, secret: credentials.clientSecret });
        return { carrier, maxBatchSize: 1, track: () => Promise.resolve(new Map()) };
      };
      return { built, buildClient };
    }
    const instanceUps: CarrierClient = { carrier: 'ups', maxBatchSize: 1, track: () => Promise.resolve(new Map()) };

    it('should reuse a store account’s client until the account changes', async () => {
      const store = await seedStore(t.storage);
      const set = await setCarrierAccount(deps, store.id, {
        carrier: 'ups',
        credentials: { clientId: 'a', clientSecret: 'one' },
      });
      const { built, buildClient } = recordingFactory();
      const sut = createCarrierClientResolver({ accounts: deps.accounts, buildClient, instanceWide: new Map() });

      const first = await sut.clientFor(store.id, 'ups');
      const again = await sut.clientFor(store.id, 'ups');
      await setCarrierAccount(deps, store.id, { carrier: 'ups', credentials: { clientSecret: 'two' } });
      const changed = await sut.clientFor(store.id, 'ups');

      expect(first).toMatchObject({ kind: 'client', credential: set.id });
      expect(again.kind === 'client' && first.kind === 'client' && again.client === first.client).toBe(true);
      expect(changed.kind === 'client' && first.kind === 'client' && changed.client !== first.client).toBe(true);
      expect(built.map((b) => b.secret)).toEqual(['one', 'two']);
    });

    it('should fall back to the instance-wide client when the account is disabled or absent, else say none', async () => {
      const store = await seedStore(t.storage);
      await setCarrierAccount(deps, store.id, { carrier: 'ups', credentials: { clientId: 'a', clientSecret: 'b' } });
      await setCarrierAccountEnabled(deps, store.id, 'ups', false);
      const { built, buildClient } = recordingFactory();
      const sut = createCarrierClientResolver({
        accounts: deps.accounts,
        buildClient,
        instanceWide: new Map([['ups', instanceUps]]),
      });

      const disabled = await sut.clientFor(store.id, 'ups');
      const absent = await sut.clientFor(store.id, 'fedex');

      expect(disabled).toEqual({ kind: 'client', client: instanceUps, credential: 'env' });
      expect(absent).toEqual({ kind: 'credentials_missing' });
      expect(built).toEqual([]);
    });
  });
});
