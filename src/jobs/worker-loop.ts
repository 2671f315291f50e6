import { hostname } from 'node:os';

import type { Logger } from 'pino';

import { isDomainError } from '../core/errors.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { WorkQueue } from '../core/ports/work-queue.port.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from '../core/scheduling/backoff.js';

/** Error codes that no retry can fix: the row goes straight to dead. */
const PERMANENT_CODES = new Set(['invalid_input', 'malformed_json', 'not_found', 'forbidden', 'signature_invalid']);

export function isPermanentFailure(error: unknown): boolean {
  return isDomainError(error) && PERMANENT_CODES.has(error.code);
}

export type WorkerLoopOptions<Row extends { id: string; attempts: number }> = {
  queue: WorkQueue<Row>;
  /** Does the work for one row; returns the changes that complete it. Throws to retry. */
  handle: (row: Row) => Promise<Record<string, unknown>>;
  clock: Clock;
  logger: Logger;
  batchSize: number;
  leaseMs: number;
  pollIntervalMs: number;
  maxAttempts: number;
  backoff?: BackoffPolicy;
  /** Applied with the dead marker when a row is parked. */
  deadChanges?: Record<string, unknown>;
  onOutcome?: (outcome: 'done' | 'retry' | 'dead' | 'lost', seconds: number) => void;
};

/** A running worker loop, whatever rows it works. */
export interface Worker {
  readonly owner: string;
  start(): void;
  stop(): Promise<void>;
  runOnce(): Promise<number>;
}

let loopCounter = 0;

/**
 * Claims due rows in batches and works them one by one. `stop()` stops
 * claiming, lets the row in hand finish, and gives the rest of the batch
 * back so another worker takes them at once.
 */
export class WorkerLoop<Row extends { id: string; attempts: number }> implements Worker {
  readonly owner: string;
  #running = false;
  #stopping = false;
  #done: Promise<void> = Promise.resolve();
  #wake: (() => void) | null = null;

  constructor(private readonly options: WorkerLoopOptions<Row>) {
    loopCounter += 1;
    this.owner = `${hostname()}:${process.pid}:${options.queue.name}:${loopCounter}:${Math.random().toString(36).slice(2, 8)}`;
  }

  get isRunning(): boolean {
    return this.#running;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#stopping = false;
    this.#done = this.#run().finally(() => {
      this.#running = false;
    });
  }

  /** Runs one claim-and-work pass; returns how many rows it took. For tests and benchmarks. */
  async runOnce(): Promise<number> {
    const { queue, clock, batchSize, leaseMs } = this.options;
    const rows = await queue.claim({ owner: this.owner, limit: batchSize, leaseMs, now: clock.now() });
    for (let index = 0; index < rows.length; index += 1) {
      if (this.#stopping) {
        await queue.release(
          this.owner,
          clock.now(),
          rows.slice(index).map((r) => r.id),
        );
        break;
      }
      await this.#work(rows[index]!);
    }
    return rows.length;
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#done;
  }

  async #run(): Promise<void> {
    const { logger, pollIntervalMs } = this.options;
    while (!this.#stopping) {
      let claimed = 0;
      try {
        claimed = await this.runOnce();
      } catch (error) {
        // The database may be restarting; wait and try again rather than die.
        logger.warn({ err: error, queue: this.options.queue.name }, 'worker pass failed; retrying');
      }
      if (claimed === 0 && !this.#stopping) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollIntervalMs);
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.#wake = null;
      }
    }
  }

  async #work(row: Row): Promise<void> {
    const { queue, handle, clock, logger, maxAttempts, onOutcome } = this.options;
    const started = performance.now();
    let outcome: 'done' | 'retry' | 'dead' | 'lost';
    try {
      const changes = await handle(row);
      outcome = (await queue.complete(row.id, this.owner, changes)) ? 'done' : 'lost';
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const permanent = isPermanentFailure(error);
      outcome = await queue.fail(row.id, this.owner, message, {
        now: clock.now(),
        maxAttempts: permanent ? row.attempts : maxAttempts,
        backoff: this.options.backoff ?? DEFAULT_BACKOFF,
        ...(this.options.deadChanges ? { deadChanges: this.options.deadChanges } : {}),
      });
      const log = outcome === 'dead' ? logger.error.bind(logger) : logger.warn.bind(logger);
      log({ err: error, queue: queue.name, rowId: row.id, attempt: row.attempts, outcome }, `work failed: ${message}`);
    }
    if (outcome === 'lost')
      logger.warn(
        { queue: queue.name, rowId: row.id },
        'lease lost before the work was recorded; another worker has the row',
      );
    onOutcome?.(outcome, (performance.now() - started) / 1000);
  }
}
