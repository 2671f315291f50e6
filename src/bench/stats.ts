/** Summary of repeated timings, in milliseconds. */
export type Summary = {
  samples: number[];
  median: number;
  /** Nearest-rank p95: with fewer than 20 samples this is the slowest one. */
  p95: number;
  min: number;
  max: number;
};

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    samples: [...samples],
    median: median(sorted),
    p95: percentile(sorted, 95),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

export type LatencySummary = { p50: number; p90: number; p99: number; max: number };

/** A load run's 2xx count and rate, and the percentiles of its 2xx latencies (ms). */
export function summariseAnswers(
  latencies: readonly number[],
  statusCodes: Readonly<Record<string, number>>,
  seconds: number,
): { ok: number; okPerSecond: number; latency: LatencySummary } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const ok = Object.entries(statusCodes)
    .filter(([code]) => code.startsWith('2'))
    .reduce((sum, [, n]) => sum + n, 0);
  return {
    ok,
    okPerSecond: ok / seconds,
    latency: {
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1] ?? Number.NaN,
    },
  };
}

export type Repetitions = { warmup: number; reps: number };

/**
 * Runs `once` for the warm-up rounds (discarded) and then the measured
 * rounds. `once` times itself and returns milliseconds, so it can keep
 * set-up and clean-up outside the measurement.
 */
export async function measure(
  { warmup, reps }: Repetitions,
  once: (round: number, warm: boolean) => Promise<number>,
): Promise<Summary> {
  const samples: number[] = [];
  for (let round = 0; round < warmup + reps; round += 1) {
    const ms = await once(round, round < warmup);
    if (round >= warmup) samples.push(ms);
  }
  return summarize(samples);
}
