import type { AcceptedWebhook, InboxStore } from '../core/ports/storage.port.js';

export type InboxReceipt = { id: string; duplicate: boolean };

type Waiting = {
  input: AcceptedWebhook;
  now: string;
  resolve: (receipt: InboxReceipt) => void;
  reject: (error: unknown) => void;
};

/** Deliveries committed together at most; keeps one statement's bound parameters far below either database's limit. */
export const DEFAULT_MAX_BATCH = 100;

/**
 * Group commit for webhook intake. Every delivery must be committed before
 * its 2xx, but a commit per delivery costs more than everything else a request
 * does. Deliveries that arrive while the event loop is busy, or while the
 * previous batch is being committed, are stored together with one statement
 * and one commit; each caller is answered only after that commit. An idle
 * server commits a lone delivery on the next turn of the event loop, so
 * batching adds no waiting of its own.
 *
 * A batch that fails is retried one delivery at a time, so one bad delivery
 * (say, a byte PostgreSQL refuses) fails alone and the others are stored.
 */
export class GroupCommitInbox {
  #waiting: Waiting[] = [];
  #scheduled = false;
  #committing = false;
  #idle: Array<() => void> = [];

  constructor(
    private readonly inbox: Pick<InboxStore, 'acceptWebhooks'>,
    private readonly maxBatch = DEFAULT_MAX_BATCH,
  ) {}

  /** Resolves once the delivery is committed (or was already stored: `duplicate`). */
  acceptWebhook(input: AcceptedWebhook, now: string): Promise<InboxReceipt> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ input, now, resolve, reject });
      this.#schedule();
    });
  }

  /** Resolves when nothing is waiting or being committed; for an orderly shutdown. */
  whenIdle(): Promise<void> {
    if (!this.#committing && !this.#scheduled && this.#waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #schedule(): void {
    if (this.#scheduled || this.#committing) return;
    this.#scheduled = true;
    // setImmediate, not a microtask: requests read in the same poll phase join this batch.
    setImmediate(() => {
      this.#scheduled = false;
      void this.#commitAll();
    });
  }

  async #commitAll(): Promise<void> {
    this.#committing = true;
    try {
      // Deliveries that arrive while a batch is being committed form the next one.
      while (this.#waiting.length > 0) await this.#commit(this.#waiting.splice(0, this.maxBatch));
    } finally {
      this.#committing = false;
      for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  async #commit(batch: Waiting[]): Promise<void> {
    // The batch is stored at the moment of its commit: the latest arrival's time.
    const now = batch.reduce((latest, item) => (item.now > latest ? item.now : latest), batch[0]!.now);
    try {
      const receipts = await this.inbox.acceptWebhooks(
        batch.map((item) => item.input),
        now,
      );
      batch.forEach((item, index) => item.resolve(receipts[index]!));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      for (const item of batch) {
        try {
          const [receipt] = await this.inbox.acceptWebhooks([item.input], item.now);
          item.resolve(receipt!);
        } catch (single) {
          item.reject(single);
        }
      }
    }
  }
}
