import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';

import type { Store } from '../core/store/store.js';
import { buildApp, type AppDeps } from '../http/build-app.js';
import { Metrics } from '../http/metrics.js';
import type { DialectName } from '../storage/migrations/column-types.js';
import type { Storage } from '../storage/storage.js';
import { createTestStorage, FIXED_NOW, ManualClock, seedStore, type TestStorage } from './factories.js';

export const TEST_BODY_LIMIT = 64 * 1024;

export type TestApp = {
  app: FastifyInstance;
  storage: Storage;
  testStorage: TestStorage;
  clock: ManualClock;
  metrics: Metrics;
  /** Closes the app, then drops the database. */
  close(): Promise<void>;
};

/** The whole HTTP app over a fresh migrated database, never listening: drive it with `app.inject`. */
export async function buildTestApp(
  dialect: DialectName,
  options: {
    apiRateLimit?: number;
    storage?: TestStorage;
    clock?: ManualClock;
    /** More wiring for the routes under test (senders, templates…), built over the test storage. */
    extraDeps?: (storage: Storage) => Partial<AppDeps>;
  } = {},
): Promise<TestApp> {
  const testStorage = options.storage ?? (await createTestStorage(dialect));
  const clock = options.clock ?? new ManualClock();
  const metrics = new Metrics({ defaultMetrics: false });
  const app = await buildApp({
    uow: testStorage.storage,
    health: testStorage.storage,
    clock,
    metrics,
    logger: pino({ level: 'silent' }),
    bodyLimit: TEST_BODY_LIMIT,
    ...(options.apiRateLimit === undefined ? {} : { apiRateLimit: options.apiRateLimit }),
    ...options.extraDeps?.(testStorage.storage),
  });
  await app.ready();
  return {
    app,
    storage: testStorage.storage,
    testStorage,
    clock,
    metrics,
    async close() {
      await app.close();
      await testStorage.drop();
    },
  };
}

/** A store with one API key; the header goes straight into `inject`. */
export async function seedStoreWithKey(
  storage: Storage,
  overrides: Parameters<typeof seedStore>[1] = {},
): Promise<{ store: Store; key: string; keyId: string; auth: { authorization: string } }> {
  const store = await seedStore(storage, overrides);
  const created = await storage.repositories.apiKeys.createApiKey(store.id, null, FIXED_NOW);
  return { store, key: created.key, keyId: created.id, auth: { authorization: `Bearer ${created.key}` } };
}

export type ErrorBody = { error: { code: string; message: string; details?: unknown } };

/** The error envelope of a response, failing loudly when the body is anything else. */
export function errorOf(response: LightMyRequestResponse): ErrorBody['error'] {
  const body = response.json<ErrorBody>();
  if (typeof body !== 'object' || body === null || typeof body.error !== 'object' || body.error === null) {
    throw new Error(`expected an error envelope, got ${response.statusCode} ${response.body}`);
  }
  return body.error;
}
