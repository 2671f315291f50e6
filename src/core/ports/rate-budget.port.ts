/**
 * A call budget shared by every process of a deployment, so a carrier's
 * published limit holds however many workers run. Implemented on the
 * database (one row per key and time window).
 */
export interface SharedRateBudget {
  /**
   * Counts one call against `key` in the window starting at `windowStart`
   * (ISO) and returns how many calls that window now holds, this one included.
   */
  take(key: string, windowStart: string): Promise<number>;
  /** Drops windows that ended before `before`. */
  prune(before: string): Promise<number>;
}
