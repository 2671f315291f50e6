import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildApp } from '../http/build-app.js';
import { Metrics } from '../http/metrics.js';
import { buildTestApp, seedStoreWithKey, type TestApp } from '../test-support/build-test-app.js';
import { createTestStorage } from '../test-support/factories.js';
import { openRawClient, type StalledClient } from './raw-http.js';

const CONNECTION_TIMEOUT_MS = 1000;
const REQUEST_TIMEOUT_MS = 1500;
/** Generous for a loaded 2-CPU machine, and still far below the 30 s defaults. */
const CLOSED_WITHIN_MS = 8000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('slow clients', () => {
  let t: TestApp;
  let port: number;
  let auth: { authorization: string };

  beforeAll(async () => {
    t = await buildTestApp('sqlite', {
      extraDeps: () => ({ requestTimeoutMs: REQUEST_TIMEOUT_MS, connectionTimeoutMs: CONNECTION_TIMEOUT_MS }),
    });
    auth = (await seedStoreWithKey(t.storage)).auth;
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(async () => {
    await t.close();
  });

  const postHead = (contentLength: number) =>
    `POST /api/v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${auth.authorization}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${contentLength}\r\n\r\n`;

  async function healthCheck(): Promise<{ status: number; ms: number }> {
    const started = Date.now();
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    return { status: response.status, ms: Date.now() - started };
  }

  /** The close, or after CLOSED_WITHIN_MS our own hang-up (so a failing server fails the test instead of hanging it). */
  async function closedOrGiveUp(
    client: StalledClient,
    drip: NodeJS.Timeout,
  ): Promise<{ afterMs: number; received: string }> {
    const giveUp = setTimeout(() => client.socket.destroy(), CLOSED_WITHIN_MS + 500);
    try {
      return await client.closed;
    } finally {
      clearTimeout(giveUp);
      clearInterval(drip);
    }
  }

  it('should drop a client that sends headers and a few body bytes then stalls, and serve others meanwhile', async () => {
    const stalled = await openRawClient(port, `${postHead(200)}{"externalId":`);
    await sleep(200);
    const meanwhile = await healthCheck();
    const { afterMs, received } = await stalled.closed;

    expect(meanwhile.status).toBe(200);
    expect(meanwhile.ms).toBeLessThan(CONNECTION_TIMEOUT_MS);
    expect(afterMs).toBeGreaterThanOrEqual(CONNECTION_TIMEOUT_MS - 100);
    expect(afterMs).toBeLessThan(CLOSED_WITHIN_MS);
    // Either a 408 or simply the end of the socket; never a handled request.
    expect(received === '' || received.startsWith('HTTP/1.1 408')).toBe(true);
  });

  it('should stop a client that trickles its body slower than the request timeout allows', async () => {
    const trickler = await openRawClient(port, postHead(1000));
    let sent = 0;
    const drip = setInterval(() => {
      if (!trickler.socket.writable) return;
      trickler.socket.write('{');
      sent += 1;
    }, 250);
    const meanwhile = await healthCheck();
    const { afterMs, received } = await closedOrGiveUp(trickler, drip);

    expect(meanwhile.status).toBe(200);
    expect(sent).toBeLessThan(1000);
    expect(afterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    expect(afterMs).toBeLessThan(CLOSED_WITHIN_MS);
    expect(received === '' || received.startsWith('HTTP/1.1 408')).toBe(true);
  });

  it('should stop a client that trickles its header lines (slowloris)', async () => {
    const loris = await openRawClient(port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    let line = 0;
    const drip = setInterval(() => {
      if (loris.socket.writable) loris.socket.write(`X-Slow-${(line += 1)}: ${'a'.repeat(10)}\r\n`);
    }, 250);
    const meanwhile = await healthCheck();
    const { afterMs, received } = await closedOrGiveUp(loris, drip);

    expect(meanwhile.status).toBe(200);
    expect(afterMs).toBeLessThan(CLOSED_WITHIN_MS);
    expect(received === '' || received.startsWith('HTTP/1.1 408')).toBe(true);
  });

  it('should still serve many clients while several slow ones hang', async () => {
    const slow = await Promise.all(Array.from({ length: 8 }, () => openRawClient(port, `${postHead(500)}{`)));
    const checks = await Promise.all(Array.from({ length: 10 }, () => healthCheck()));
    const closed = await Promise.all(slow.map((client) => client.closed));

    expect(checks.every((check) => check.status === 200)).toBe(true);
    expect(closed.every((close) => close.afterMs < CLOSED_WITHIN_MS)).toBe(true);
  });

  it('should keep 30 s request and connection timeouts when none are configured', async () => {
    const storage = await createTestStorage('sqlite');
    const app = await buildApp({
      uow: storage.storage,
      health: storage.storage,
      clock: { now: () => new Date().toISOString() },
      metrics: new Metrics({ defaultMetrics: false }),
      logger: pino({ level: 'silent' }),
      bodyLimit: 1024,
    });
    try {
      expect(app.server.requestTimeout).toBe(30_000);
      expect(app.server.timeout).toBe(30_000);
      // Node lets a trickled body run to the headers deadline when that is later (60 s by default).
      expect(app.server.headersTimeout).toBeLessThanOrEqual(app.server.requestTimeout);
    } finally {
      await app.close();
      await storage.drop();
    }
  });
});
