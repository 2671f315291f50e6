import { describe, expect, it } from 'vitest';

import { RequestPressure } from './request-pressure.js';

describe('RequestPressure', () => {
  function harness(threshold: number) {
    let now = 1_000;
    const pressure = new RequestPressure(threshold, () => now);
    return { pressure, advance: (ms: number) => (now += ms), burst: (n: number) => range(n, () => pressure.record()) };
  }
  function range(n: number, each: () => void): void {
    for (let index = 0; index < n; index += 1) each();
  }

  it('should call the server busy once a window holds the threshold of requests, and not below it', () => {
    const h = harness(50);

    h.burst(49);
    const below = h.pressure.isBusy();
    h.burst(1);

    expect(below).toBe(false);
    expect(h.pressure.isBusy()).toBe(true);
  });

  it('should stay busy through the next window, then calm down when requests stop', () => {
    const h = harness(50);
    h.burst(60);

    h.advance(150);
    const nextWindow = h.pressure.isBusy();
    h.advance(100);
    const twoLater = h.pressure.isBusy();

    expect(nextWindow).toBe(true);
    expect(twoLater).toBe(false);
  });

  it('should forget an old burst after a long quiet spell, even if the next request comes much later', () => {
    const h = harness(50);
    h.burst(60);

    h.advance(10_000);
    h.burst(1);

    expect(h.pressure.isBusy()).toBe(false);
  });
});

describe('RequestPressure in the app', () => {
  it('should see every request the app answers, whatever its route', async () => {
    // A stopped clock: every request falls in one window however slowly a loaded machine runs them.
    const pressure = new RequestPressure(50, () => 0);
    const { buildTestApp } = await import('../test-support/build-test-app.js');
    const test = await buildTestApp('sqlite', { extraDeps: () => ({ pressure }) });
    try {
      for (let index = 0; index < 49; index += 1) await test.app.inject({ method: 'GET', url: '/healthz' });
      const before = pressure.isBusy();
      await test.app.inject({ method: 'POST', url: '/webhooks/shopify/not-a-store', payload: {} });

      expect(before).toBe(false);
      expect(pressure.isBusy()).toBe(true);
    } finally {
      await test.close();
    }
  });
});
