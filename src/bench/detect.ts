import { createRequire } from 'node:module';

import { allCouriers, getTracking } from 'ts-tracking-number';

import { TRACKING_NUMBER_DATA } from '../core/detection/dataset.js';
import { definitionId } from '../core/detection/definitions.js';
import { CARRIER_CODES, detectCarrier } from '../core/detection/index.js';
import { summarize, type Summary } from './stats.js';

/**
 * (c) Carrier detection (Waymark issue 3): Waymark's `detectCarrier` against the
 * npm package ts-tracking-number, on the same inputs, in the same process.
 *
 * Inputs are every test number of the vendored tracking_number_data set
 * (`test_numbers.valid` and `.invalid` of each format), exactly as written
 * there (some have spaces), repeated until about `detections` calls per
 * library. Throughput is timed in blocks that alternate between the two
 * libraries, rotating which goes first, so drift on a shared machine hits
 * both alike; the result is the ratio of their median block rates.
 *
 * Accuracy uses the one answer each library gives for a number: Waymark's
 * `carrier` (the best valid reading) and ts-tracking-number's
 * `getTracking(n)?.courier.code` (the first courier, in its own fixed order,
 * with a valid reading). A valid test number counts as right when that answer
 * is its courier; an invalid one when the answer is not its courier.
 */

/**
 * ts-tracking-number's courier codes → Waymark's. Both come from the
 * `courier_code` of the same tracking_number_data courier files, so the codes
 * coincide; the table is explicit so that a code the package adds in a later
 * version fails the benchmark instead of silently counting as a miss.
 */
export const TS_TRACKING_NUMBER_CODES: Readonly<Record<string, string>> = {
  amazon: 'amazon',
  dhl: 'dhl',
  fedex: 'fedex',
  ontrac: 'ontrac',
  s10: 's10',
  ups: 'ups',
  usps: 'usps',
};

export type TestNumber = {
  /** Waymark carrier code of the courier file the number is listed in. */
  courier: string;
  /** `${courier}/${format id}`. */
  format: string;
  formatName: string;
  number: string;
  expected: 'valid' | 'invalid';
};

export function datasetTestNumbers(): TestNumber[] {
  const numbers: TestNumber[] = [];
  for (const courier of TRACKING_NUMBER_DATA) {
    for (const spec of courier.tracking_numbers) {
      const format = `${courier.courier_code}/${definitionId(spec)}`;
      const common = { courier: courier.courier_code, format, formatName: spec.name };
      for (const number of spec.test_numbers?.valid ?? []) numbers.push({ ...common, number, expected: 'valid' });
      for (const number of spec.test_numbers?.invalid ?? []) numbers.push({ ...common, number, expected: 'invalid' });
    }
  }
  return numbers;
}

export type LibraryName = 'waymark' | 'ts-tracking-number';

/** Each library's single answer for a number, as a Waymark carrier code (null: nothing valid). */
const ANSWER: Record<LibraryName, (number: string) => string | null> = {
  waymark: (number) => detectCarrier(number).carrier,
  'ts-tracking-number': (number) => {
    const code = getTracking(number)?.courier.code;
    if (code === undefined) return null;
    const mapped = TS_TRACKING_NUMBER_CODES[code];
    if (mapped === undefined) throw new Error(`ts-tracking-number answered courier "${code}", which has no mapping`);
    return mapped;
  },
};

/** The calls that are timed: the library's public entry point, result kept so it cannot be optimised away. */
const CALL: Record<LibraryName, (number: string) => unknown> = {
  waymark: (number) => detectCarrier(number),
  'ts-tracking-number': (number) => getTracking(number),
};

export type AccuracyCounts = {
  valid: number;
  validRight: number;
  /** Valid numbers answered with another carrier. */
  validOtherCarrier: number;
  /** Valid numbers with no answer at all. */
  validNothing: number;
  invalid: number;
  invalidRight: number;
};

export type Miss = { number: string; format: string; expected: 'valid' | 'invalid'; answer: string | null };

export type LibraryAccuracy = {
  library: LibraryName;
  all: AccuracyCounts;
  /** Only the test numbers of couriers both libraries know (ts-tracking-number's 7). */
  shared: AccuracyCounts;
  byCourier: Record<string, AccuracyCounts>;
  misses: Miss[];
};

/** The installed ts-tracking-number version, for the report. */
export function tsTrackingNumberVersion(): string {
  const pkg = createRequire(import.meta.url)('ts-tracking-number/package.json') as { version?: string };
  return pkg.version ?? 'unknown';
}

export type DetectResult = {
  tsTrackingNumberVersion: string;
  testNumbers: { valid: number; invalid: number; couriers: number; sharedCouriers: string[] };
  detectionsPerLibrary: number;
  blocks: number;
  blockSize: number;
  warmupBlocks: number;
  libraries: {
    library: LibraryName;
    /** Milliseconds per block. */
    ms: Summary;
    /** Detections per second from the median block. */
    perSecond: number;
    /** Microseconds per detection from the median block. */
    microsecondsPerDetection: number;
  }[];
  /** Waymark detections/s ÷ ts-tracking-number detections/s (median blocks). */
  speedup: number;
  accuracy: LibraryAccuracy[];
  /** Waymark only: valid numbers for which some valid candidate is the right courier (even when not ranked first). */
  waymarkValidAmongCandidates: number;
  /** Waymark only: invalid numbers with no valid candidate at all for their courier. */
  waymarkInvalidNoCandidate: number;
};

export type DetectOptions = {
  /** About how many detections per library in the measured blocks. */
  detections: number;
  blocks: number;
  warmupBlocks: number;
  log: (line: string) => void;
};

const emptyCounts = (): AccuracyCounts => ({
  valid: 0,
  validRight: 0,
  validOtherCarrier: 0,
  validNothing: 0,
  invalid: 0,
  invalidRight: 0,
});

function count(counts: AccuracyCounts, test: TestNumber, answer: string | null): boolean {
  if (test.expected === 'valid') {
    counts.valid += 1;
    if (answer === test.courier) counts.validRight += 1;
    else if (answer === null) counts.validNothing += 1;
    else counts.validOtherCarrier += 1;
    return answer === test.courier;
  }
  counts.invalid += 1;
  if (answer !== test.courier) counts.invalidRight += 1;
  return answer !== test.courier;
}

function accuracyOf(library: LibraryName, tests: readonly TestNumber[], shared: ReadonlySet<string>): LibraryAccuracy {
  const result: LibraryAccuracy = { library, all: emptyCounts(), shared: emptyCounts(), byCourier: {}, misses: [] };
  for (const test of tests) {
    const answer = ANSWER[library](test.number);
    const right = count(result.all, test, answer);
    if (shared.has(test.courier)) count(result.shared, test, answer);
    count((result.byCourier[test.courier] ??= emptyCounts()), test, answer);
    if (!right) result.misses.push({ number: test.number, format: test.format, expected: test.expected, answer });
  }
  return result;
}

export function runDetectBenchmark(options: DetectOptions): DetectResult {
  for (const code of allCouriers.map((courier) => courier.courier_code)) {
    const mapped = TS_TRACKING_NUMBER_CODES[code];
    if (mapped === undefined || !CARRIER_CODES.includes(mapped)) {
      throw new Error(`ts-tracking-number courier "${code}" has no Waymark carrier code mapped`);
    }
  }
  const shared = new Set(allCouriers.map((courier) => TS_TRACKING_NUMBER_CODES[courier.courier_code]!));
  const tests = datasetTestNumbers();
  const inputs = tests.map((test) => test.number);

  // Blocks are whole passes over the inputs, so both libraries see every number equally often.
  const passesPerBlock = Math.max(1, Math.round(options.detections / options.blocks / inputs.length));
  const blockSize = passesPerBlock * inputs.length;
  const libraries: LibraryName[] = ['waymark', 'ts-tracking-number'];
  const samples = new Map<LibraryName, number[]>(libraries.map((l) => [l, []]));
  let sink = 0;
  const rounds = options.warmupBlocks + options.blocks;
  options.log(
    `  ${inputs.length} test numbers × ${passesPerBlock} passes = ${blockSize.toLocaleString('en-US')} detections ` +
      `per block; ${rounds} blocks per library (${options.warmupBlocks} warm-up)`,
  );
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? libraries : [...libraries].reverse();
    for (const library of order) {
      const call = CALL[library];
      const started = performance.now();
      for (let pass = 0; pass < passesPerBlock; pass += 1) {
        for (const input of inputs) if (call(input) !== undefined) sink += 1;
      }
      const ms = performance.now() - started;
      if (round >= options.warmupBlocks) samples.get(library)!.push(ms);
    }
  }
  if (sink === 0) throw new Error('no detection returned anything');

  const measured = libraries.map((library) => {
    const ms = summarize(samples.get(library)!);
    return {
      library,
      ms,
      perSecond: (blockSize / ms.median) * 1000,
      microsecondsPerDetection: (ms.median * 1000) / blockSize,
    };
  });

  // Waymark-only views: what its candidate list knows beyond the single answer.
  let validAmongCandidates = 0;
  let invalidNoCandidate = 0;
  for (const test of tests) {
    const candidates = detectCarrier(test.number).candidates.filter((c) => c.valid && c.carrier === test.courier);
    if (test.expected === 'valid' && candidates.length > 0) validAmongCandidates += 1;
    if (test.expected === 'invalid' && candidates.length === 0) invalidNoCandidate += 1;
  }

  return {
    tsTrackingNumberVersion: tsTrackingNumberVersion(),
    testNumbers: {
      valid: tests.filter((t) => t.expected === 'valid').length,
      invalid: tests.filter((t) => t.expected === 'invalid').length,
      couriers: new Set(tests.map((t) => t.courier)).size,
      sharedCouriers: [...shared].sort(),
    },
    detectionsPerLibrary: blockSize * options.blocks,
    blocks: options.blocks,
    blockSize,
    warmupBlocks: options.warmupBlocks,
    libraries: measured,
    speedup: measured[0]!.perSecond / measured[1]!.perSecond,
    accuracy: libraries.map((library) => accuracyOf(library, tests, shared)),
    waymarkValidAmongCandidates: validAmongCandidates,
    waymarkInvalidNoCandidate: invalidNoCandidate,
  };
}
