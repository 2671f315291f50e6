import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics of one process. A registry per process (not the global
 * one) so tests can build many apps side by side.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;
  readonly dbQueryDuration: Histogram<'kind'>;
  readonly dbQueryErrors: Counter<'kind'>;
  readonly workItems: Counter<'queue' | 'outcome'>;
  readonly workDuration: Histogram<'queue'>;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false)
      collectDefaultMetrics({ register: this.registry, prefix: 'waymark_process_' });
    this.httpRequests = new Counter({
      name: 'waymark_http_requests_total',
      help: 'HTTP requests answered, by route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: 'waymark_http_request_duration_seconds',
      help: 'Time to answer an HTTP request.',
      labelNames: ['method', 'route'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.dbQueryDuration = new Histogram({
      name: 'waymark_db_query_duration_seconds',
      help: 'Database query time, by statement kind.',
      labelNames: ['kind'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [this.registry],
    });
    this.dbQueryErrors = new Counter({
      name: 'waymark_db_query_errors_total',
      help: 'Database queries that failed, by statement kind.',
      labelNames: ['kind'],
      registers: [this.registry],
    });
    this.workItems = new Counter({
      name: 'waymark_worker_items_total',
      help: 'Rows workers finished, by queue and outcome (done, retry, dead, lost).',
      labelNames: ['queue', 'outcome'],
      registers: [this.registry],
    });
    this.workDuration = new Histogram({
      name: 'waymark_worker_item_duration_seconds',
      help: 'Time a worker spent on one row.',
      labelNames: ['queue'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers: [this.registry],
    });
  }

  /** For Kysely's `log` hook: the statement kind is its first SQL word. */
  observeQuery(sqlText: string, durationMs: number, failed: boolean): void {
    const kind = /^\s*(\w+)/.exec(sqlText)?.[1]?.toLowerCase() ?? 'other';
    this.dbQueryDuration.observe({ kind }, durationMs / 1000);
    if (failed) this.dbQueryErrors.inc({ kind });
  }
}
