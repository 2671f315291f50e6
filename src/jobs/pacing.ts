/**
 * What a worker loop does between two rows. Workers that share a process with
 * the HTTP server take turns with it on one event loop; how much of the loop
 * they may take is decided here.
 */
export type Pacer = {
  /** Called after each row with how long it took; resolves when the next may start. */
  pause(workedMs: number): Promise<void>;
};

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Only a turn of the event loop: requests that arrived meanwhile are read
 * before the next row. Enough where nothing else needs the process (`waymark
 * worker`), and for light traffic.
 */
export const everyTurn: Pacer = { pause: () => nextTurn() };

export type SharePacerOptions = {
  /** The part of the event loop background work keeps while the server is busy (0 < share ≤ 1). */
  share: number;
  /** The longest single pause, so a slow row never parks the worker for long. */
  maxPauseMs: number;
};

export const DEFAULT_BUSY_SHARE: SharePacerOptions = { share: 0.1, maxPauseMs: 250 };

/**
 * While the server is busy, background work keeps only `share` of the event
 * loop: after a row that took w ms it waits w × (1 − share) ÷ share. Answering
 * a platform's webhook in time matters more than applying it at once (Shopify
 * gives up after 5 s and retries, adding load exactly when there is a
 * backlog); what is accepted is in the inbox and is worked off as soon as the
 * burst passes. The share never drops to zero, so a sustained flood slows
 * processing but never stops it.
 */
export function shareWhenBusy(isBusy: () => boolean, options: SharePacerOptions = DEFAULT_BUSY_SHARE): Pacer {
  const factor = (1 - options.share) / options.share;
  return {
    pause(workedMs) {
      if (!isBusy()) return nextTurn();
      const waitMs = Math.min(options.maxPauseMs, Math.max(1, workedMs * factor));
      return new Promise((resolve) => setTimeout(resolve, waitMs));
    },
  };
}
