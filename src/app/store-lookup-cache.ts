import type { Store, StoreSecrets } from '../core/store/store.js';

export type StoreWithSecrets = { store: Store; secrets: StoreSecrets };

type Entry = { expiresAt: number; value: Promise<StoreWithSecrets | undefined> };

/**
 * Stores and their opened secrets kept for a few seconds, for webhook intake:
 * a burst of deliveries for one store reads and decrypts its row once, not
 * once per delivery. Concurrent misses share one read. An unknown id is
 * remembered too (platforms retry deliveries for a removed store), and the
 * number of entries is bounded so random ids cannot grow it.
 *
 * The price is staleness of at most `ttlMs`: a store disabled, or a webhook
 * secret replaced, takes effect on intake that much later. Secret rotation
 * keeps the previous secret valid for far longer, so no delivery is refused
 * because of it.
 */
export class StoreLookupCache {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly load: (storeId: string) => Promise<StoreWithSecrets | undefined>,
    private readonly options: { ttlMs: number; maxEntries: number; monotonicMs?: () => number },
  ) {}

  get(storeId: string): Promise<StoreWithSecrets | undefined> {
    if (this.options.ttlMs <= 0) return this.load(storeId);
    const now = this.options.monotonicMs ? this.options.monotonicMs() : performance.now();
    const cached = this.#entries.get(storeId);
    if (cached && cached.expiresAt > now) return cached.value;
    if (cached) this.#entries.delete(storeId);
    const value = this.load(storeId);
    const entry: Entry = { expiresAt: now + this.options.ttlMs, value };
    this.#entries.set(storeId, entry);
    // A failed read is not remembered: the next delivery tries again.
    value.catch(() => {
      if (this.#entries.get(storeId) === entry) this.#entries.delete(storeId);
    });
    // Map keeps insertion order: the oldest entry goes first.
    if (this.#entries.size > this.options.maxEntries) this.#entries.delete(this.#entries.keys().next().value as string);
    return value;
  }
}
