import { table } from './report.js';
import type { WorkerScalingResult, WorkloadResult } from './worker-scaling.js';

const DIALECT_NAME = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const;

const WHAT: Record<WorkloadResult['name'], string> = {
  inbox: 'Shopify orders/create deliveries in the inbox, each a new order',
  events: 'EasyPost tracker.updated deliveries in the inbox, one per seeded shipment',
};

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const states = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .map(([state, n]) => `${state} ${int(n)}`)
    .join(', ') || 'none';

function formatWorkload(dialect: WorkerScalingResult['dialect'], workload: WorkloadResult): string {
  const unit = workload.unit;
  const title =
    `${DIALECT_NAME[dialect]} — workers/${workload.name}: ${int(workload.deliveries)} ${WHAT[workload.name]}` +
    (workload.unit === 'events' ? ` (${workload.unitsPerDelivery} new scans each)` : '') +
    `; rate from their release (every worker running) to the last processed_at, one run each on a fresh database`;
  const rows = workload.runs.map((run) => {
    const share = run.workerCpuMs.map((ms) => `${Math.round((ms / (run.seconds * 1000)) * 100)}%`);
    return [
      `Waymark, ${run.workers} worker process${run.workers > 1 ? 'es' : ''}`,
      int(run.deliveries),
      run.seconds.toFixed(2),
      int(run.perSecond),
      (run.perSecond / workload.baseline.perSecond).toFixed(2),
      run.startupSeconds.toFixed(2),
      share.join(' '),
      run.workerCpuMsPerUnit.toFixed(2),
      run.databaseCpuMs === null ? '' : `${Math.round((run.databaseCpuMs / (run.seconds * 1000)) * 100)}%`,
      run.commitsPerDelivery === null ? '' : run.commitsPerDelivery.toFixed(1),
      String(run.warnings),
    ];
  });
  const baseline = workload.baseline;
  rows.push([
    baseline.label,
    int(baseline.units / workload.unitsPerDelivery),
    baseline.seconds.toFixed(2),
    int(baseline.perSecond),
    '1.00',
  ]);
  const written = Object.entries(workload.rowsPerDelivery)
    .map(([tableName, n]) => `${tableName} ${n.toFixed(n % 1 === 0 ? 0 : 2)}`)
    .join(', ');
  return [
    title,
    table(
      [
        'run',
        'deliveries',
        's',
        `${unit}/s`,
        '÷ baseline',
        'start-up s',
        'CPU per worker (% of a core)',
        `worker CPU ms/${unit === 'events' ? 'event' : 'delivery'}`,
        'PG backends CPU (% of a core)',
        'PG commits/delivery (whole run)',
        'warnings',
      ],
      rows,
    ),
    `Rows Waymark wrote per delivery: ${written || 'none'}. Notifications by state when the inbox was empty: ` +
      workload.runs.map((run) => `${run.workers} worker(s) ${states(run.notificationStates)}`).join('; ') +
      '.',
    `Waymark ÷ baseline: ${workload.ratios.one.toFixed(2)} with one worker, ${workload.ratios.three.toFixed(2)} with three; ` +
      `three workers ÷ one: ${workload.scaling.toFixed(2)}; every delivery applied exactly once: ` +
      (workload.problems.length === 0 ? 'OK' : `FAIL (${workload.problems.join('; ')})`),
  ].join('\n');
}

export function formatWorkerScaling(result: WorkerScalingResult): string {
  return result.workloads.map((workload) => formatWorkload(result.dialect, workload)).join('\n\n');
}
