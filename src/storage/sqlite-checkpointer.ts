import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the checkpointing thread copies committed pages into the database file. */
export const CHECKPOINT_INTERVAL_MS = 200;

/**
 * Pages the writing connection lets the WAL reach before it checkpoints itself, when the thread
 * does the regular work. Only a safety net (the thread cannot keep up, or has stopped); about 40 MB.
 */
export const SAFETY_NET_CHECKPOINT_PAGES = 10_000;

// Plain CommonJS for an `eval` worker: it needs no compiled file next to this one, so it runs the same
// from TypeScript sources under Vitest and from dist/. better-sqlite3 is required by its resolved path.
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
let failures = 0;
const timer = setInterval(() => {
  try {
    // PASSIVE never waits for the writer or readers: it copies what it can, and the writer goes on.
    db.pragma('wal_checkpoint(PASSIVE)');
    failures = 0;
  } catch (error) {
    failures += 1;
    if (failures === 1) parentPort.postMessage({ warning: String(error && error.message || error) });
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.postMessage({ stopped: true });
});
`;

export type BackgroundCheckpoints = { stop(): Promise<void> };

/**
 * Runs SQLite's WAL checkpoints on a second connection in a worker thread.
 * A checkpoint copies committed pages from the WAL into the database file and
 * syncs it; done by the writing connection itself (SQLite's default, every
 * 1,000 pages), that copy and its fsync happen inside some unlucky commit, on
 * the event loop. Measured on this project's intake (3.5 KB rows in batches),
 * it is about a third of the wall time of every write.
 */
export function startBackgroundCheckpoints(
  path: string,
  options: { intervalMs?: number; onWarning?: (message: string) => void } = {},
): BackgroundCheckpoints {
  const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(THREAD_SOURCE, {
    eval: true,
    workerData: { path, driverPath, intervalMs: options.intervalMs ?? CHECKPOINT_INTERVAL_MS },
  });
  // Never what keeps a process alive.
  worker.unref();
  let stopped: Promise<void> | null = null;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('message', (message: { warning?: string }) => {
    if (message.warning) options.onWarning?.(message.warning);
  });
  worker.on('error', (error) => options.onWarning?.(error.message));
  return {
    stop() {
      stopped ??= (async () => {
        const acknowledged = new Promise<void>((resolve) =>
          worker.on('message', (message: { stopped?: boolean }) => {
            if (message.stopped) resolve();
          }),
        );
        worker.postMessage('stop');
        await Promise.race([acknowledged, exited]);
        await worker.terminate();
      })();
      return stopped;
    },
  };
}
