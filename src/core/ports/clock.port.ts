/** Time comes from here, so tests control it. */
export interface Clock {
  /** The current instant, ISO-8601 UTC with milliseconds. */
  now(): string;
}

export const systemClock: Clock = { now: () => new Date().toISOString() };
