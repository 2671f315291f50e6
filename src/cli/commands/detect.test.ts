import { PassThrough, Writable } from 'node:stream';

import { Command } from 'commander';
import { describe, expect, it } from 'vitest';

import { sandboxTrackingNumber } from '../../core/detection/index.js';

import { createStreamLineWriter, registerDetectCommand, runDetect, runDetectCommand } from './detect.js';

type Line = { input: string; carrier: string | null; valid: boolean; service?: string; candidates: unknown[] };

const parse = (text: string): Line[] =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Line);

function collectingStream(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('runDetect', () => {
  it('should answer each non-empty line with one JSON line, in input order', async () => {
    const out: string[] = [];
    const summary = await runDetect(
      ['1Z5R89390357567127', '', '   ', '776094337676', 'not a number', '\t9400111206206406260787  '],
      (line) => {
        out.push(line);
      },
    );
    expect(summary).toEqual({ lines: 4, detected: 3 });
    expect(out.map((line) => (JSON.parse(line) as Line).input)).toEqual([
      '1Z5R89390357567127',
      '776094337676',
      'not a number',
      '9400111206206406260787',
    ]);
    expect(out[0]).toBe(
      '{"input":"1Z5R89390357567127","carrier":"ups","valid":true,"service":"UPS United States Ground",' +
        '"candidates":[{"carrier":"ups","name":"UPS","valid":true,"checksumVerified":true,"service":"UPS United States Ground"}]}',
    );
    expect(JSON.parse(out[2]!)).toEqual({ input: 'not a number', carrier: null, valid: false, candidates: [] });
  });

  it('should keep the order when the writer is slow and asynchronous', async () => {
    async function* lines(): AsyncGenerator<string> {
      for (let index = 0; index < 200; index++) {
        if (index % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
        yield `${index % 2 === 0 ? 'WMK' : 'X'}${index}`;
      }
    }
    const out: string[] = [];
    await runDetect(lines(), async (line) => {
      await new Promise((resolve) => setImmediate(resolve));
      out.push((JSON.parse(line) as Line).input);
    });
    expect(out).toEqual(Array.from({ length: 200 }, (_, index) => `${index % 2 === 0 ? 'WMK' : 'X'}${index}`));
  });

  it('should stream 100k lines without reading ahead of the writer', async () => {
    const total = 100_000;
    let produced = 0;
    let written = 0;
    let furthestAhead = 0;
    let outOfOrder = 0;
    function* lines(): Generator<string> {
      for (let index = 0; index < total; index++) {
        produced++;
        yield index % 10 === 9 ? '' : sandboxTrackingNumber(1, index);
      }
    }
    const summary = await runDetect(lines(), (line) => {
      written++;
      const { input, carrier } = JSON.parse(line) as Line;
      const index = Number(input.slice(4));
      // The generator has produced exactly the line being written, and not one more.
      furthestAhead = Math.max(furthestAhead, produced - (index + 1));
      if (carrier !== 'sandbox' || index !== written - 1 + Math.floor((written - 1) / 9)) outOfOrder++;
      // Every 1000th line, make the loop wait as a full stdout would.
      return written % 1000 === 0 ? new Promise<void>((resolve) => setImmediate(resolve)) : true;
    });
    expect(summary).toEqual({ lines: total * 0.9, detected: total * 0.9 });
    expect(written).toBe(total * 0.9);
    expect(outOfOrder).toBe(0);
    expect(furthestAhead).toBe(0);
  });

  it('should stop with the writer’s error', async () => {
    const failing = runDetect(['1Z5R89390357567127', '776094337676'], () => {
      throw Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    });
    await expect(failing).rejects.toThrow('EPIPE');
  });
});

describe('createStreamLineWriter', () => {
  it('should batch lines and wait for drain when the stream is full', async () => {
    const received: string[] = [];
    let pendingWrites = 0;
    let mostPending = 0;
    // A slow consumer with a tiny buffer: write() returns false almost at once.
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        pendingWrites++;
        mostPending = Math.max(mostPending, pendingWrites);
        setTimeout(() => {
          pendingWrites--;
          received.push(chunk.toString('utf8'));
          callback();
        }, 1);
      },
    });
    const writer = createStreamLineWriter(slow, 4096);
    let waits = 0;
    const total = 5000;
    for (let index = 0; index < total; index++) {
      const accepted = writer.write(`{"n":${index},"padding":"${'x'.repeat(40)}"}`);
      if (accepted instanceof Promise) {
        waits++;
        await accepted;
      }
      // Never more than one batch beyond the stream's own buffer.
      expect(slow.writableLength).toBeLessThanOrEqual(1024 + 4096 + 64);
    }
    await writer.flush();
    expect(waits).toBeGreaterThan(0);
    expect(mostPending).toBe(1);
    const lines = received.join('').split('\n').filter(Boolean);
    expect(lines).toHaveLength(total);
    expect(lines.map((line) => (JSON.parse(line) as { n: number }).n)).toEqual(
      Array.from({ length: total }, (_, i) => i),
    );
  });

  it('should send a small batch on the next turn of the event loop, for interactive use', async () => {
    const { stream, text } = collectingStream();
    const writer = createStreamLineWriter(stream);
    void writer.write('one');
    expect(text()).toBe('');
    await new Promise((resolve) => setImmediate(resolve));
    expect(text()).toBe('one\n');
  });

  it('should surface a stream error to the next write', async () => {
    const broken = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const writer = createStreamLineWriter(broken, 1);
    void writer.write('a');
    await new Promise((resolve) => setImmediate(resolve));
    expect(() => writer.write('b')).toThrow('EPIPE');
    await expect(writer.flush()).rejects.toThrow('EPIPE');
  });
});

describe('runDetectCommand', () => {
  it('should read numbers from the arguments', async () => {
    const out = collectingStream();
    const err = collectingStream();
    const summary = await runDetectCommand(['1Z5R89390357567127', 'SBX100000001'], {
      stdin: new PassThrough(),
      stdout: out.stream,
      stderr: err.stream,
    });
    expect(summary).toEqual({ lines: 2, detected: 2 });
    expect(parse(out.text()).map((line) => line.carrier)).toEqual(['ups', 'sandbox']);
    expect(err.text()).toBe('');
  });

  it('should read stdin line by line when no numbers are given, with CRLF and a missing final newline', async () => {
    const stdin = new PassThrough();
    const out = collectingStream();
    const done = runDetectCommand([], { stdin, stdout: out.stream, stderr: collectingStream().stream });
    stdin.write('1Z5R89390357567127\r\n\r\n');
    stdin.write('7766094');
    stdin.write('337676\n  \nRB123456785GB');
    stdin.end();
    expect(await done).toEqual({ lines: 3, detected: 2 });
    expect(parse(out.text()).map((line) => [line.input, line.carrier])).toEqual([
      ['1Z5R89390357567127', 'ups'],
      ['7766094337676', null],
      ['RB123456785GB', 's10'],
    ]);
  });

  it('should stop quietly when the reader of its output goes away', async () => {
    const stdin = new PassThrough();
    const broken = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const done = runDetectCommand([], { stdin, stdout: broken, stderr: collectingStream().stream });
    for (let index = 0; index < 20_000; index++) stdin.write('1Z5R89390357567127\n');
    stdin.end();
    await expect(done).resolves.toEqual({ lines: 0, detected: 0 });
  });
});

describe('registerDetectCommand', () => {
  function program(stdinText?: string): { program: Command; out: () => string; help: () => string } {
    const out = collectingStream();
    let help = '';
    const stdin = new PassThrough();
    if (stdinText !== undefined) stdin.end(stdinText);
    const root = new Command('waymark').exitOverride().configureOutput({
      writeOut: (text) => {
        help += text;
      },
      writeErr: (text) => {
        help += text;
      },
    });
    registerDetectCommand(root, { stdin, stdout: out.stream, stderr: collectingStream().stream });
    return { program: root, out: out.text, help: () => help };
  }

  it('should add `waymark detect [numbers...]`', async () => {
    const { program: root, out } = program();
    await root.parseAsync(['detect', '1Z5R89390357567127', '1 Z 5R8 939 0357 5671 27'], { from: 'user' });
    expect(parse(out()).map((line) => line.carrier)).toEqual(['ups', 'ups']);
  });

  it('should read stdin when given no numbers', async () => {
    const { program: root, out } = program('776094337676\n\n9400111206206406260787\n');
    await root.parseAsync(['detect'], { from: 'user' });
    expect(parse(out()).map((line) => line.carrier)).toEqual(['fedex', 'usps']);
  });

  it('should explain itself in --help', async () => {
    const { program: root, help } = program();
    await expect(root.parseAsync(['detect', '--help'], { from: 'user' })).rejects.toMatchObject({
      code: 'commander.helpDisplayed',
    });
    expect(help()).toContain('Usage: waymark detect [options] [numbers...]');
    expect(help()).toContain('"candidates"');
    expect(help()).toContain('waymark detect < numbers.txt');
  });
});
