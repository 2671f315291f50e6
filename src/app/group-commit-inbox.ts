import type { AcceptedWebhook, InboxStore } from '../core/ports/storage.port.js';

export type InboxReceipt = { id: string; duplicate: boolean };

type Waiting = {
  input: AcceptedWebhook;
  now: string;
  resolve: (receipt: InboxReceipt) => void;
  reject: (error: unknown) => void;
};

/** Deliveries committed together at most; keeps one statement's bound parameters far below either database's limit. */
const DEFAULT_MAX_BATCH = 100;
/** Batches committed at once; see the constructor. */
const DEFAULT_MAX_IN_FLIGHT = 3;

/**
 * Group commit for webhook intake. Every delivery must be committed before
 * its 2xx, but a commit per delivery costs more than everything else a request
 * does. Deliveries that arrive while the event loop is busy, or while earlier
 * batches are being committed, are stored together with one statement and one
 * commit; each caller is answered only after that commit. An idle
 * server commits a lone delivery on the next turn of the event loop, so
 * batching adds no waiting of its own.
 *
 * A batch that fails is retried one delivery at a time, so one bad delivery
 * (say, a byte PostgreSQL refuses) fails alone and the others are stored.
 */
export class GroupCommitInbox {
  #waiting: Waiting[] = [];
  #scheduled = false;
  #inFlight = 0;
  #idle: Array<() => void> = [];

  /**
   * @param maxInFlight Batches being committed at once. On PostgreSQL a commit waits for its WAL
   *   flush, and the next batch can be sent meanwhile (the server flushes concurrent commits together);
   *   on SQLite commits are synchronous and one runs at a time whatever this says.
   */
  readonly #maxBatch: number;
  readonly #maxInFlight: number;

  constructor(
    private readonly inbox: Pick<InboxStore, 'acceptWebhooks'>,
    options: { maxBatch?: number; maxInFlight?: number } = {},
  ) {
    this.#maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
    this.#maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  }

  /** Resolves once the delivery is committed (or was already stored: `duplicate`). */
  acceptWebhook(input: AcceptedWebhook, now: string): Promise<InboxReceipt> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ input, now, resolve, reject });
      this.#schedule();
    });
  }

  /** Resolves when nothing is waiting or being committed; for an orderly shutdown. */
  whenIdle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #isIdle(): boolean {
    return this.#inFlight === 0 && !this.#scheduled && this.#waiting.length === 0;
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.#maxInFlight) return;
    this.#scheduled = true;
    // setImmediate, not a microtask: requests read in the same poll phase join this batch.
    setImmediate(() => {
      this.#scheduled = false;
      this.#launch();
    });
  }

  #launch(): void {
    while (this.#waiting.length > 0 && this.#inFlight < this.#maxInFlight) {
      const batch = this.#waiting.splice(0, this.#maxBatch);
      this.#inFlight += 1;
      void this.#commit(batch).finally(() => {
        this.#inFlight -= 1;
        // Deliveries that arrived while every slot was busy form the next batch.
        if (this.#waiting.length > 0) this.#schedule();
        else if (this.#isIdle()) for (const resolve of this.#idle.splice(0)) resolve();
      });
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
