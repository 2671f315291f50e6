import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

import BetterSqlite3 from 'better-sqlite3';

export type Machine = {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
  sqlite: string;
  postgres?: { version: string; settings: Record<string, string> };
  /** The code measured: HEAD and how many files differ from it (others work in the same checkout). */
  code: { commit: string; changedFiles: number };
  /** 1-, 5- and 15-minute load averages when the run started and when it ended: other work on the machine. */
  loadAverage: { start: number[]; end?: number[] };
};

function git(args: string[]): string | null {
  const result = spawnSync('git', args, { encoding: 'utf8', timeout: 10_000 });
  return result.status === 0 ? result.stdout.trim() : null;
}

function describeCode(): Machine['code'] {
  const commit = git(['rev-parse', '--short', 'HEAD']) ?? 'unknown';
  const status = git(['status', '--porcelain']);
  return { commit, changedFiles: status ? status.split('\n').length : 0 };
}

export const loadAverage = (): number[] => os.loadavg().map((n) => Math.round(n * 100) / 100);

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    const model = line?.split(':')[1]?.trim();
    if (model) return model;
  } catch {
    // not Linux: fall back to what Node reports
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function osName(): string {
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
    if (pretty) return `${pretty}, kernel ${os.release()} ${os.arch()}`;
  } catch {
    // no os-release
  }
  return `${os.type()} ${os.release()} ${os.arch()}`;
}

export function describeMachine(): Machine {
  const memory = new BetterSqlite3(':memory:');
  const sqlite = (memory.prepare('select sqlite_version() as v').get() as { v: string }).v;
  memory.close();
  return {
    cpus: os.availableParallelism(),
    cpuModel: cpuModel(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: osName(),
    node: process.version,
    sqlite,
    code: describeCode(),
    loadAverage: { start: loadAverage() },
  };
}
