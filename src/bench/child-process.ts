import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { track, untrack, type Disposable } from './databases.js';

/** Linux reports /proc times in clock ticks of 1/100 s. */
const CLOCK_TICKS = 100;

/** utime + stime of a process so far, in ms (Linux /proc; NaN elsewhere). */
export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** A benchmark's server or worker process, killed on errors and Ctrl-C with the rest. */
export type Child = Disposable & {
  process: ChildProcess;
  /** CPU time the process has used so far (user + system), ms; NaN where /proc is missing. */
  cpuMs(): number;
  /** The last lines of stdout and stderr. */
  tail(): string[];
  warnings(): number;
  kill(signal: NodeJS.Signals): Promise<void>;
};

/** Spawns `node ARGS` and resolves once a line of its output matches `ready`; counts warn+ log lines. */
export function startChild(
  label: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  timeoutMs = 60_000,
): Promise<{ child: Child; match: RegExpExecArray }> {
  const proc = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let warnings = 0;
  let exited = false;
  const exit = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  void exit.then(() => (exited = true));
  const child: Child = {
    process: proc,
    cpuMs: () => processCpuMs(proc.pid),
    tail: () => lines.slice(-20),
    warnings: () => warnings,
    async kill(signal) {
      if (!exited) proc.kill(signal);
      await exit;
    },
    async dispose() {
      untrack(child);
      await child.kill('SIGKILL');
    },
  };
  track(child);
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`${label} did not start within ${timeoutMs / 1000} s`)), timeoutMs);
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void child.dispose().finally(() => reject(new Error(`${error.message}\n  ${lines.slice(-20).join('\n  ')}`)));
    };
    const onLine = (line: string): void => {
      if (line.trim() === '') return;
      lines.push(line);
      if (lines.length > 200) lines.shift();
      // pino: warn is 40, error 50, fatal 60.
      const level = /"level":(\d+)/.exec(line)?.[1];
      if (level !== undefined && Number(level) >= 40) warnings += 1;
      const match = ready.exec(line);
      if (match && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve({ child, match });
      }
    };
    for (const stream of [proc.stdout, proc.stderr]) {
      let buffered = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buffered += chunk;
        const complete = buffered.split('\n');
        buffered = complete.pop() ?? '';
        for (const line of complete) onLine(line);
      });
    }
    proc.once('exit', (code, signal) => fail(new Error(`${label} exited (${signal ?? code}) before it was ready`)));
  });
}
