/**
 * `waymark detect [numbers...]`: recognise the carrier of tracking numbers. Numbers come from
 * the arguments or, when there are none, from stdin, one per line; each non-empty line gives one
 * JSON line on stdout, in input order:
 * `{"input","carrier","valid","service"?,"candidates":[…]}`.
 *
 * Streams in constant memory: lines are read with `node:readline` (which pauses stdin when it
 * runs ahead), output is written in batches and the loop waits for 'drain' when stdout is full.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

import type { Command } from 'commander';

import { detectCarrier } from '../../core/detection/index.js';

/** Takes one output line (without newline). A returned promise means "wait before the next line". */
export type LineWriter = (line: string) => boolean | void | Promise<void>;

export interface DetectSummary {
  /** Non-empty input lines, each answered with one output line. */
  lines: number;
  /** Lines whose carrier was recognised. */
  detected: number;
}

/**
 * The command's core, without a process: one JSON line per non-empty input line, in order.
 * Lines are trimmed; blank lines are skipped. Pulls the next line only after `write` has
 * accepted the previous one (awaiting it when it returns a promise), so nothing is buffered.
 */
export async function runDetect(
  lines: AsyncIterable<string> | Iterable<string>,
  write: LineWriter,
): Promise<DetectSummary> {
  const summary: DetectSummary = { lines: 0, detected: 0 };
  for await (const line of lines) {
    const input = line.trim();
    if (input === '') continue;
    const result = detectCarrier(input);
    summary.lines++;
    if (result.carrier !== null) summary.detected++;
    const accepted = write(JSON.stringify(result));
    if (accepted instanceof Promise) await accepted;
  }
  return summary;
}

export interface StreamLineWriter {
  write: LineWriter;
  /** Writes what is still batched and waits until the stream has taken it. Does not end the stream. */
  flush: () => Promise<void>;
}

/** Default batch: one write call per ~64 KiB of output instead of one per line. */
const BATCH_BYTES = 64 * 1024;

/**
 * Writes lines to a stream in batches: a batch goes out when it reaches `batchBytes` or, at the
 * latest, on the next turn of the event loop (so interactive use still answers line by line).
 * When the stream reports it is full, `write` returns a promise that settles on 'drain'; a
 * stream error (EPIPE when the reader went away) makes later writes and `flush` throw it.
 */
export function createStreamLineWriter(stream: Writable, batchBytes = BATCH_BYTES): StreamLineWriter {
  let batch: string[] = [];
  let batchSize = 0;
  let scheduled = false;
  let drained: Promise<void> | null = null;
  let failure: Error | null = null;

  stream.on('error', (error: Error) => {
    failure ??= error;
  });

  const send = (): void => {
    scheduled = false;
    if (batch.length === 0 || failure !== null) return;
    const chunk = batch.join('');
    batch = [];
    batchSize = 0;
    if (!stream.write(chunk) && drained === null) {
      const waiting = once(stream, 'drain').then(() => {
        drained = null;
      });
      waiting.catch(() => undefined); // handled by whoever awaits it; never an unhandled rejection
      drained = waiting;
    }
  };

  const write: LineWriter = (line) => {
    if (failure !== null) throw failure;
    batch.push(line, '\n');
    batchSize += line.length + 1;
    if (batchSize >= batchBytes) send();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(send);
    }
    return drained ?? true;
  };

  const flush = async (): Promise<void> => {
    send();
    if (drained !== null) await drained;
    if (failure !== null) throw failure;
  };

  return { write, flush };
}

export interface DetectIo {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable;
  stderr: Writable;
}

function isBrokenPipe(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'EPIPE';
}

/** What the `detect` action does, with its streams passed in. */
export async function runDetectCommand(numbers: readonly string[], io: DetectIo): Promise<DetectSummary> {
  const output = createStreamLineWriter(io.stdout);
  const reader = numbers.length > 0 ? null : createInterface({ input: io.stdin, crlfDelay: Infinity, terminal: false });
  if (reader && io.stdin.isTTY) {
    io.stderr.write('Reading tracking numbers from stdin, one per line; end with Ctrl-D.\n');
  }
  try {
    const summary = await runDetect(reader ?? numbers, output.write);
    await output.flush();
    return summary;
  } catch (error) {
    // The reader of our output went away (`waymark detect < numbers | head`): stop quietly.
    if (isBrokenPipe(error)) return { lines: 0, detected: 0 };
    throw error;
  } finally {
    reader?.close();
  }
}

const HELP_AFTER = `
Output, one JSON line per number, in input order:
  {"input":"1Z5R89390357567127","carrier":"ups","valid":true,"service":"UPS United States Ground",
   "candidates":[{"carrier":"ups","name":"UPS","valid":true,"checksumVerified":true,"service":"UPS United States Ground"}]}

  carrier     carrier code (ups, usps, fedex, dhl, amazon, canada_post, s10, sandbox, ...),
              null when nothing valid matched
  valid       whether a format matched and its check digit (where it has one) passed
  candidates  every format that matched, best first: check digit verified, then valid without
              a check digit, then matched but failed

Spaces and dashes in numbers are ignored, case does not matter. Blank lines are skipped.
Formats come from tracking_number_data 2.0.0 (MIT).

Examples:
  $ waymark detect 1Z5R89390357567127 9400111206206406260787
  $ waymark detect < numbers.txt > carriers.jsonl
`;

export function registerDetectCommand(
  program: Command,
  io: DetectIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
): void {
  program
    .command('detect')
    .summary('recognise the carrier of tracking numbers')
    .description(
      'Recognise the carrier of tracking numbers given as arguments, or read from stdin (one per line) when none are given.',
    )
    .argument('[numbers...]', 'tracking numbers (default: read stdin, one per line)')
    .addHelpText('after', HELP_AFTER)
    .action(async (numbers: string[]) => {
      await runDetectCommand(numbers, io);
    });
}
