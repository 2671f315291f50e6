import { randomBytes } from 'node:crypto';

import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { SecretBox } from '../storage/secret-box.js';
import { Storage } from '../storage/storage.js';
import { buildTestApp, errorOf, seedStoreWithKey, type TestApp } from '../test-support/build-test-app.js';
import { createTestDatabase, describeEachDatabase } from '../test-support/databases.js';
import { ManualClock } from '../test-support/factories.js';
import { buildApp } from './build-app.js';
import { Metrics } from './metrics.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type ReadyBody = { status: string; error?: { code: string; message: string } };

describeEachDatabase('health routes', (dialect) => {
  describe('on a migrated database', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await buildTestApp(dialect);
    });
    afterAll(async () => {
      await t.close();
    });

    describe('GET /healthz', () => {
      it('should answer 200 with status ok when the process is up', async () => {
        const response = await t.app.inject({ url: '/healthz' });

        expect(response.statusCode).toBe(200);
        expect(response.json()).toEqual({ status: 'ok' });
      });
    });

    describe('GET /favicon.ico', () => {
      it('should answer the Waymark icon, cacheable, so pages that name no icon log no 404', async () => {
        const response = await t.app.inject({ url: '/favicon.ico' });

        expect(response.statusCode).toBe(200);
        expect(response.headers['content-type']).toBe('image/svg+xml');
        expect(response.headers['cache-control']).toBe('public, max-age=86400');
        expect(response.body).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      });
    });

    describe('GET /readyz', () => {
      it('should answer 200 ready when the database is reachable and every migration is applied', async () => {
        const response = await t.app.inject({ url: '/readyz' });

        expect(response.statusCode).toBe(200);
        expect(response.json()).toEqual({ status: 'ready' });
      });
    });

    describe('GET /metrics', () => {
      it('should answer Prometheus text counting the requests answered so far', async () => {
        await t.app.inject({ url: '/healthz' });

        const response = await t.app.inject({ url: '/metrics' });

        expect(response.statusCode).toBe(200);
        expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
        expect(response.body).toContain('# TYPE waymark_http_requests_total counter');
        expect(response.body).toMatch(
          /waymark_http_requests_total\{method="GET",route="\/healthz",status="200"\} [1-9]/,
        );
        expect(response.body).toContain('waymark_http_request_duration_seconds_bucket');
      });

      it('should expose the queue and database metrics next to the HTTP ones', async () => {
        const response = await t.app.inject({ url: '/metrics' });

        expect(response.body).toContain('# TYPE waymark_worker_items_total counter');
        expect(response.body).toContain('# TYPE waymark_worker_item_duration_seconds histogram');
        expect(response.body).toContain('# TYPE waymark_db_query_duration_seconds histogram');
      });

      it('should label requests by route pattern, never by the raw path, when ids and unknown paths are requested', async () => {
        const { auth } = await seedStoreWithKey(t.storage);
        const id = '0b7c2f7e-8a5e-4d1c-9a53-2f9f4c1d7e61';
        await t.app.inject({ url: `/api/v1/orders/${id}`, headers: auth });
        await t.app.inject({ url: '/no/such/page/12345' });

        const response = await t.app.inject({ url: '/metrics' });

        expect(response.body).toContain('route="/api/v1/orders/:id",status="404"');
        expect(response.body).toContain('route="unmatched",status="404"');
        expect(response.body).not.toContain(id);
        expect(response.body).not.toContain('12345');
      });
    });

    describe('x-request-id', () => {
      it('should echo the client request id when it is sane', async () => {
        const response = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'edge-7f3a.42:retry_1' } });

        expect(response.headers['x-request-id']).toBe('edge-7f3a.42:retry_1');
      });

      it('should generate a fresh uuid per request when the client sends none', async () => {
        const first = await t.app.inject({ url: '/healthz' });
        const second = await t.app.inject({ url: '/healthz' });

        expect(first.headers['x-request-id']).toMatch(UUID);
        expect(second.headers['x-request-id']).toMatch(UUID);
        expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
      });

      it.each([
        ['contains spaces', 'a b c'],
        ['has characters outside the safe set', 'id<script>'],
        ['is not ASCII', 'idé'],
        ['is longer than 128 characters', 'x'.repeat(129)],
        ['is empty', ''],
      ])('should replace the client request id with a generated one when it %s', async (_case, given) => {
        const response = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': given } });

        expect(response.headers['x-request-id']).toMatch(UUID);
      });

      it('should keep a 128-character request id, the longest accepted', async () => {
        const given = 'r'.repeat(128);

        const response = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': given } });

        expect(response.headers['x-request-id']).toBe(given);
      });

      it('should carry the request id on error answers too when the route is unknown or the key missing', async () => {
        const notFound = await t.app.inject({ url: '/nope', headers: { 'x-request-id': 'trace-404' } });
        const unauthorized = await t.app.inject({ url: '/api/v1/orders', headers: { 'x-request-id': 'trace-401' } });

        expect(notFound.statusCode).toBe(404);
        expect(notFound.headers['x-request-id']).toBe('trace-404');
        expect(unauthorized.statusCode).toBe(401);
        expect(unauthorized.headers['x-request-id']).toBe('trace-401');
      });
    });
  });

  describe('GET /readyz when the database is not usable', () => {
    let t: TestApp | undefined;

    afterEach(async () => {
      await t?.close();
      t = undefined;
    });

    it('should answer 503 naming the pending migrations until they are applied, then 200', async () => {
      const database = await createTestDatabase(dialect, { migrate: false });
      const secretBox = new SecretBox(randomBytes(32));
      const storage = Storage.fromDatabase(database.db, database.dialect, secretBox);
      t = await buildTestApp(dialect, { storage: { storage, database, secretBox, drop: () => database.drop() } });

      const pending = await t.app.inject({ url: '/readyz' });
      await storage.migrate();
      const migrated = await t.app.inject({ url: '/readyz' });

      expect(pending.statusCode).toBe(503);
      const body = pending.json<ReadyBody>();
      expect(body.status).toBe('not_ready');
      expect(body.error?.code).toBe('not_ready');
      expect(body.error?.message).toContain('migrations pending');
      for (const name of storage.knownMigrations()) expect(body.error?.message).toContain(name);
      expect(migrated.statusCode).toBe(200);
      expect(migrated.json()).toEqual({ status: 'ready' });
    });

    it('should answer 503 database unreachable while /healthz stays 200 when the database connection is closed', async () => {
      t = await buildTestApp(dialect);
      await t.storage.close();

      const ready = await t.app.inject({ url: '/readyz' });
      const live = await t.app.inject({ url: '/healthz' });

      expect(ready.statusCode).toBe(503);
      expect(ready.json<ReadyBody>()).toMatchObject({ status: 'not_ready', error: { code: 'not_ready' } });
      expect(ready.json<ReadyBody>().error?.message).toMatch(/^database unreachable/);
      expect(live.statusCode).toBe(200);
    });

    it.runIf(dialect === 'postgres')(
      'should answer 503 database unreachable when the PostgreSQL server does not answer',
      async () => {
        const secretBox = new SecretBox(randomBytes(32));
        const storage = Storage.open('postgres://postgres@127.0.0.1:1/waymark_nowhere', secretBox, { poolSize: 1 });
        const app = await buildApp({
          uow: storage,
          health: storage,
          clock: new ManualClock(),
          metrics: new Metrics({ defaultMetrics: false }),
          logger: pino({ level: 'silent' }),
          bodyLimit: 64 * 1024,
        });

        try {
          const response = await app.inject({ url: '/readyz' });

          expect(response.statusCode).toBe(503);
          expect(errorOf(response).message).toMatch(/^database unreachable/);
        } finally {
          await app.close();
          await storage.close();
        }
      },
    );
  });
});
