/** Counters in fixed time windows, shared by every server process (the database's rate windows). */
export type AttemptWindows = {
  /** Adds one to the key's count in the window and returns the new count, atomically. */
  take(key: string, windowStart: string): Promise<number>;
  count(key: string, windowStart: string): Promise<number>;
};

/** The fixed window that holds `nowIso`: its start (which names the counter's row) and the seconds it has left. */
export function fixedWindow(nowIso: string, windowMs: number): { start: string; retryAfterSeconds: number } {
  const now = Date.parse(nowIso);
  const start = Math.floor(now / windowMs) * windowMs;
  return { start: new Date(start).toISOString(), retryAfterSeconds: Math.ceil((start + windowMs - now) / 1000) };
}
