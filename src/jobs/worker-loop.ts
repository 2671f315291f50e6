import { hostname } from 'node:os';

import type { Logger } from 'pino';

import { isDomainError } from '../core/errors.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { WorkQueue } from '../core/ports/work-queue.port.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from '../core/scheduling/backoff.js';
import { everyTurn, type Pacer } from './pacing.js';

/** Error codes that no retry can fix: the row goes straight to dead. */
const PERMANENT_CODES = new Set(['invalid_input', 'malformed_json', 'not_found', 'forbidden', 'signature_invalid']);

export function isPermanentFailure(error: unknown): boolean {
  return isDomainError(error) && PERMANENT_CODES.has(error.code);
}

export type WorkerLoopOptions<Row extends { id: string; attempts: number }> = {
  queue: WorkQueue<Row>;
  /** Does the work for one row; returns the changes that complete it. Throws to retry. */
  handle?: (row: Row) => Promise<Record<string, unknown>>;
  /** Or the whole claimed batch at once (carriers that take many numbers a call). */
  handleBatch?: (rows: Row[]) => Promise<Map<string, BatchItemResult>>;
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
  /** Between rows; default a turn of the event loop (`jobs/pacing.ts`). */
  pacer?: Pacer;
};

/** A running worker loop, whatever rows it works. */
export interface Worker {
  readonly owner: string;
  start(): void;
  stop(): Promise<void>;
  runOnce(): Promise<number>;
}

export type BatchItemResult = { ok: true; changes: Record<string, unknown> } | { ok: false; error: unknown };

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

  get #pacer(): Pacer {
    return this.options.pacer ?? everyTurn;
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
    const claiming = performance.now();
    const rows = await queue.claim({ owner: this.owner, limit: batchSize, leaseMs, now: clock.now() });
    // A claim of many rows is work too (on SQLite it holds the event loop while it runs).
    if (rows.length > 0) await this.#pacer.pause(performance.now() - claiming);
    if (this.options.handleBatch && rows.length > 0) {
      await this.#workBatch(rows, this.options.handleBatch);
      return rows.length;
    }
    for (let index = 0; index < rows.length; index += 1) {
      if (this.#stopping) {
        await queue.release(
          this.owner,
          clock.now(),
          rows.slice(index).map((r) => r.id),
        );
        break;
      }
      const started = performance.now();
      await this.#work(rows[index]!);
      // better-sqlite3 is synchronous: without a pause between rows a busy worker starves HTTP in the same process.
      await this.#pacer.pause(performance.now() - started);
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

  async #workBatch(rows: Row[], handleBatch: (rows: Row[]) => Promise<Map<string, BatchItemResult>>): Promise<void> {
    const started = performance.now();
    let results: Map<string, BatchItemResult>;
    try {
      results = await handleBatch(rows);
    } catch (error) {
      results = new Map(rows.map((row) => [row.id, { ok: false, error }]));
    }
    const batchMs = performance.now() - started;
    const seconds = batchMs / 1000 / rows.length;
    await this.#pacer.pause(batchMs);
    for (const row of rows) {
      const result = results.get(row.id) ?? { ok: false, error: new Error('no result for claimed row') };
      const finishing = performance.now();
      await this.#finish(row, result, seconds);
      await this.#pacer.pause(performance.now() - finishing);
    }
  }

  async #work(row: Row): Promise<void> {
    const handle = this.options.handle;
    if (!handle) throw new Error('WorkerLoop needs handle or handleBatch');
    const started = performance.now();
    let result: BatchItemResult;
    try {
      result = { ok: true, changes: await handle(row) };
    } catch (error) {
      result = { ok: false, error };
    }
    await this.#finish(row, result, (performance.now() - started) / 1000);
  }

  async #finish(row: Row, result: BatchItemResult, seconds: number): Promise<void> {
    const { queue, clock, logger, maxAttempts, onOutcome } = this.options;
    let outcome: 'done' | 'retry' | 'dead' | 'lost';
    if (result.ok) {
      outcome = (await queue.complete(row.id, this.owner, result.changes)) ? 'done' : 'lost';
    } else {
      const error = result.error;
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
    onOutcome?.(outcome, seconds);
  }
}
