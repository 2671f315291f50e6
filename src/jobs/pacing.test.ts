import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { everyTurn, shareWhenBusy } from './pacing.js';

describe('shareWhenBusy', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setImmediate'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function pauseLength(pause: Promise<void>): Promise<number> {
    let done = false;
    void pause.then(() => (done = true));
    let waited = 0;
    while (!done && waited < 10_000) {
      await vi.advanceTimersByTimeAsync(1);
      waited += 1;
    }
    return waited;
  }

  it('should keep background work to a tenth of the event loop while the server is busy', async () => {
    const pacer = shareWhenBusy(() => true, { share: 0.1, maxPauseMs: 1_000 });

    const waited = await pauseLength(pacer.pause(20));

    expect(waited).toBe(180);
  });

  it('should never park a worker longer than the cap, nor skip the pause after a row that took no time', async () => {
    const pacer = shareWhenBusy(() => true, { share: 0.1, maxPauseMs: 250 });

    const long = await pauseLength(pacer.pause(500));
    const instant = await pauseLength(pacer.pause(0));

    expect(long).toBe(250);
    expect(instant).toBe(1);
  });

  it('should only take a turn of the event loop when the server is not busy', async () => {
    let busy = false;
    const pacer = shareWhenBusy(() => busy, { share: 0.1, maxPauseMs: 250 });

    const idle = await pauseLength(pacer.pause(20));
    busy = true;
    const loaded = await pauseLength(pacer.pause(20));

    expect(idle).toBe(1);
    expect(loaded).toBe(180);
  });
});

describe('everyTurn', () => {
  it('should let I/O that is already waiting run before the next row', async () => {
    const order: string[] = [];
    const io = new Promise<void>((resolve) =>
      setImmediate(() => {
        order.push('request');
        resolve();
      }),
    );

    await everyTurn.pause(5);
    order.push('next row');
    await io;

    expect(order).toEqual(['request', 'next row']);
  });
});
