import { describe, expect, it } from 'vitest';

import { StoreLookupCache, type StoreWithSecrets } from './store-lookup-cache.js';

function fakeStore(id: string, isEnabled = true): StoreWithSecrets {
  return {
    store: { id, isEnabled } as StoreWithSecrets['store'],
    secrets: { webhookSecret: `secret-of-${id}` } as StoreWithSecrets['secrets'],
  };
}

function harness(options: { ttlMs?: number; maxEntries?: number } = {}) {
  let now = 0;
  const reads: string[] = [];
  const rows = new Map<string, StoreWithSecrets>([['a', fakeStore('a')]]);
  const failing = new Set<string>();
  const cache = new StoreLookupCache(
    (id) => {
      reads.push(id);
      if (failing.has(id)) return Promise.reject(new Error('database unavailable'));
      return Promise.resolve(rows.get(id));
    },
    { ttlMs: options.ttlMs ?? 5_000, maxEntries: options.maxEntries ?? 100, monotonicMs: () => now },
  );
  return { cache, reads, rows, failing, advance: (ms: number) => (now += ms) };
}

describe('StoreLookupCache', () => {
  it('should read a store once for a burst, and again once the time to live has passed', async () => {
    const h = harness();

    await Promise.all([h.cache.get('a'), h.cache.get('a'), h.cache.get('a')]);
    h.advance(4_999);
    await h.cache.get('a');
    h.rows.set('a', fakeStore('a', false));
    h.advance(1);
    const afterExpiry = await h.cache.get('a');

    expect(h.reads).toEqual(['a', 'a']);
    expect(afterExpiry?.store.isEnabled).toBe(false);
  });

  it('should remember an unknown store for the same time, so retries for a removed store do not all hit the database', async () => {
    const h = harness();

    const first = await h.cache.get('gone');
    const second = await h.cache.get('gone');

    expect(first).toBeUndefined();
    expect(second).toBeUndefined();
    expect(h.reads).toEqual(['gone']);
  });

  it('should not remember a failed read: the next request tries the database again', async () => {
    const h = harness();
    h.failing.add('a');

    await expect(h.cache.get('a')).rejects.toThrow('database unavailable');
    h.failing.delete('a');
    const found = await h.cache.get('a');

    expect(found?.store.id).toBe('a');
    expect(h.reads).toEqual(['a', 'a']);
  });

  it('should keep at most its bound of entries, dropping the oldest, however many ids are tried', async () => {
    const h = harness({ maxEntries: 3 });

    for (const id of ['a', 'x1', 'x2', 'x3']) await h.cache.get(id);
    await h.cache.get('x3');
    await h.cache.get('a');

    expect(h.reads).toEqual(['a', 'x1', 'x2', 'x3', 'a']);
  });

  it('should read every time when its time to live is zero', async () => {
    const off = harness({ ttlMs: 0 });

    await off.cache.get('a');
    await off.cache.get('a');

    expect(off.reads).toEqual(['a', 'a']);
  });
});
