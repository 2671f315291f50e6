import type { EventsResult } from './apply-events.js';
import { formatSize, type ClaimsResult } from './claim-due.js';
import type { Machine } from './machine.js';

const DIALECT_NAME = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const;

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));

/** A plain-text table: first column left-aligned, the rest right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function formatMachine(machine: Machine): string {
  const lines = [
    `CPU      ${machine.cpus} × ${machine.cpuModel}`,
    `Memory   ${machine.memoryGiB} GiB`,
    `OS       ${machine.os}`,
    `Node     ${machine.node}`,
    `SQLite   ${machine.sqlite} (better-sqlite3)`,
  ];
  if (machine.postgres) {
    const settings = Object.entries(machine.postgres.settings)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    lines.push(`Postgres ${machine.postgres.version}${settings ? ` (${settings})` : ''}`);
  }
  return lines.join('\n');
}

export function formatEvents(result: EventsResult): string {
  const title =
    `${DIALECT_NAME[result.dialect]} — applying tracking events: ${result.batchSize} events per transaction, ` +
    `${int(result.rowsPerRep)} rows per repetition, median and p95 of ${result.reps} after ${result.warmup} warm-up`;
  const rows = result.paths.map((p) => [
    p.label,
    int(p.rowsPerSecond.median),
    int(p.rowsPerSecond.p95),
    ms(p.ms.median),
    ms(p.ms.p95),
    `${ms((p.ms.median * 1000) / (result.rowsPerRep / result.batchSize))} µs`,
    p.path === 'raw'
      ? '1.00'
      : p.ratioToRaw < 1
        ? `${p.ratioToRaw.toFixed(2)} (${(1 / p.ratioToRaw).toFixed(1)}× slower)`
        : `${p.ratioToRaw.toFixed(2)} (not slower)`,
  ]);
  return [
    title,
    table(['path', 'rows/s median', 'rows/s p95', 'ms median', 'ms p95', 'per batch', 'ratio ÷ raw'], rows),
  ].join('\n');
}

export function formatClaims(result: ClaimsResult): string {
  const title =
    `${DIALECT_NAME[result.dialect]} — claim ${int(result.limit)} due shipments ` +
    `(lease ${result.leaseMs / 1000} s), median and p95 of ${result.reps} after ${result.warmup} warm-up`;
  const rows = result.sizes.map((s) => [
    formatSize(s.active),
    int(s.delivered),
    int(s.due),
    int(s.active + s.delivered),
    s.seedSeconds.toFixed(1),
    ms(s.ms.median),
    ms(s.ms.p95),
    ms(s.ms.min),
  ]);
  const lines = [
    title,
    table(
      ['active', 'delivered', 'due', 'rows in table', 'seed s', 'claim ms median', 'claim ms p95', 'claim ms min'],
      rows,
    ),
  ];
  const breakdown = result.sizes.filter((s) => s.sqlite);
  if (breakdown.length > 0) {
    lines.push(
      'where a SQLite claim goes (medians of 5 more claims, automatic checkpoints off):',
      table(
        ['active', 'WAL pages/claim', 'claim w/o checkpoint ms', 'checkpoint of those pages ms', 'sum ms'],
        breakdown.map((s) => [
          formatSize(s.active),
          int(s.sqlite!.walPagesPerClaim),
          ms(s.sqlite!.claimWithoutCheckpointMs),
          ms(s.sqlite!.checkpointMs),
          ms(s.sqlite!.claimWithoutCheckpointMs + s.sqlite!.checkpointMs),
        ]),
      ),
    );
    const [small, large] = [breakdown[0]!.sqlite!, breakdown[breakdown.length - 1]!.sqlite!];
    if (breakdown.length > 1) {
      lines.push(
        `claim w/o checkpoint ${formatSize(breakdown[breakdown.length - 1]!.active)} ÷ ${formatSize(breakdown[0]!.active)}: ` +
          `${(large.claimWithoutCheckpointMs / small.claimWithoutCheckpointMs).toFixed(2)}×; ` +
          `with its own checkpoint: ${((large.claimWithoutCheckpointMs + large.checkpointMs) / (small.claimWithoutCheckpointMs + small.checkpointMs)).toFixed(2)}×`,
      );
    }
  }
  if (result.growth) {
    const g = result.growth;
    lines.push(
      `claim time ${g.label}: ${g.ratio.toFixed(2)}× (limit ${g.max}×) — ${g.flat ? 'flat, OK' : 'NOT FLAT: FAIL'}`,
    );
  }
  return lines.join('\n');
}

export function formatPlans(result: ClaimsResult): string {
  return result.sizes
    .map((s) => [`${DIALECT_NAME[result.dialect]} claim plan at ${formatSize(s.active)}:`, ...s.plan].join('\n  '))
    .join('\n');
}
