import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';

import type { DialectName } from '../storage/migrations/column-types.js';
import { runEventsBenchmark, type EventsResult } from './apply-events.js';
import { runPollsBenchmark, type PollsResult } from './apply-polls.js';
import { runClaimBenchmark, type ClaimsResult } from './claim-due.js';
import { createBenchDatabase, disposeAll, postgresSettings, serverVersion } from './databases.js';
import { runDetectBenchmark, type DetectResult } from './detect.js';
import { runIngestBenchmark, type IngestResult } from './ingest.js';
import { describeMachine, loadAverage } from './machine.js';
import { runNotificationsBenchmark, type NotificationsResult } from './notifications.js';
import { runTrackingBenchmark, type TrackingResult } from './tracking-page.js';
import { formatWorkerScaling } from './worker-scaling-report.js';
import { runWorkerScalingBenchmark, type WorkerScalingResult } from './worker-scaling.js';
import {
  formatClaims,
  formatDetect,
  formatEvents,
  formatIngest,
  formatMachine,
  formatNotifications,
  formatPlans,
  formatPolls,
  formatTracking,
} from './report.js';

const USAGE = `Usage: npm run bench -- [options]

  --quick              smaller runs: claims at 10k and 100k, 100k detections,
                       1k shipments for events100k, 1 × 3 s per server for ingest
  --only=LIST          comma-separated, any of: events, claims, detect, events100k, ingest, tracking,
                       notifications, workers
                       (default: all of them, in that order)
  --dialects=sqlite,postgres
                       default: sqlite, plus postgres when WAYMARK_BENCH_POSTGRES_URL is set
  --sizes=10k,100k,1M  claim sizes (active shipments); k and M suffixes allowed
  --max-growth=3       fail (exit 1) when claim time grows more than this from the smallest to the largest size
  --plans              print the claim query plan at every size (always in the JSON)
  --detections=1M      detect: detections per library (default 1M; --quick 100k)
  --shipments=10k      events100k: shipments, 10 events each (default 10k; --quick 1k)
  --ingest-seconds=10  ingest: seconds per measured run (default 10; --quick 3)
  --ingest-rounds=2    ingest: measured runs per server, alternating (default 2; --quick 1)
  --connections=50     ingest: concurrent keep-alive connections
  --body-bytes=3.5k    ingest: size of each orders/create body
  --ingest-command=start
                       ingest: run Waymark as \`waymark start\` (HTTP and workers, default)
                       or \`waymark serve\` (HTTP only, to see what the in-process worker costs)
  --tracking-orders=10k,1M
                       tracking: order counts, a Waymark server each (default 10k,1M; --quick 10k,100k)
  --tracking-sample=10k
                       tracking: orders whose pages are requested, each with events (default 10k)
  --tracking-seconds=10, --tracking-rounds=2
                       tracking: seconds per measured run, runs per target (default 10 and 2; --quick 3 and 1)
  --tracking-connections=10
                       tracking: concurrent keep-alive connections
  --tracking-paced-rate=50
                       tracking: one more run per target held to this many requests/s, for latency
                       below saturation (0: none)
  --tracking-no-lookup tracking: skip the look-up form (POST /track/{slug})
  --tracking-cpu-prof  tracking: V8 CPU profiles of the Waymark servers into .bench/cpu-profiles/,
                       summarised in the report (profiling slows the servers: not for the numbers)
  --notifications=2000 notifications: planned emails delivered by 1 and 3 \`waymark worker\` processes to a
                       local SMTP server, against bare nodemailer (default 2000; --quick 500)
  --worker-deliveries=5000
                       workers: Shopify orders/create deliveries in the inbox, applied by 1 and 3
                       \`waymark worker\` processes, against plain SQL (default 5000; --quick 1000)
  --worker-shipments=2000
                       workers: shipments, each with one EasyPost tracker.updated delivery in the inbox
                       (default 2000; --quick 500)
  --help

Results: a table on stdout and JSON in .bench/results.json.`;

const DEFAULT_SIZES = [10_000, 100_000, 1_000_000];
const QUICK_SIZES = [10_000, 100_000];

const BENCHMARKS = [
  'events',
  'claims',
  'detect',
  'events100k',
  'ingest',
  'tracking',
  'notifications',
  'workers',
] as const;
type BenchmarkName = (typeof BENCHMARKS)[number];
const isBenchmark = (name: string): name is BenchmarkName => (BENCHMARKS as readonly string[]).includes(name);

function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.trim().replaceAll('_', ''));
  if (!match) throw new Error(`not a size: "${text}" (use e.g. 10k, 250000 or 1M)`);
  const factor = match[2]?.toLowerCase() === 'k' ? 1e3 : match[2]?.toLowerCase() === 'm' ? 1e6 : 1;
  const value = Math.round(Number(match[1]) * factor);
  if (value < 1) throw new Error(`size must be positive: "${text}"`);
  return value;
}

type Settings = {
  sizes: number[];
  only: BenchmarkName[];
  dialects: DialectName[];
  maxGrowth: number;
  plans: boolean;
  postgresUrl: string | undefined;
  detections: number;
  shipments: number;
  notifications: number;
  workers: { deliveries: number; shipments: number };
  ingest: {
    command: 'start' | 'serve';
    seconds: number;
    warmupSeconds: number;
    rounds: number;
    connections: number;
    bodyBytes: number;
  };
  tracking: {
    sizes: number[];
    sampleOrders: number;
    seconds: number;
    warmupSeconds: number;
    rounds: number;
    connections: number;
    pacedRate: number;
    lookup: boolean;
    cpuProfile: boolean;
  };
};

function readSettings(argv: string[]): Settings | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      sizes: { type: 'string' },
      only: { type: 'string' },
      dialects: { type: 'string' },
      'max-growth': { type: 'string', default: '3' },
      plans: { type: 'boolean', default: false },
      detections: { type: 'string' },
      shipments: { type: 'string' },
      notifications: { type: 'string' },
      'worker-deliveries': { type: 'string' },
      'worker-shipments': { type: 'string' },
      'ingest-seconds': { type: 'string' },
      'ingest-rounds': { type: 'string' },
      connections: { type: 'string', default: '50' },
      'body-bytes': { type: 'string', default: '3.5k' },
      'ingest-command': { type: 'string', default: 'start' },
      'tracking-orders': { type: 'string' },
      'tracking-sample': { type: 'string', default: '10k' },
      'tracking-seconds': { type: 'string' },
      'tracking-rounds': { type: 'string' },
      'tracking-connections': { type: 'string', default: '10' },
      'tracking-paced-rate': { type: 'string', default: '50' },
      'tracking-no-lookup': { type: 'boolean', default: false },
      'tracking-cpu-prof': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return null;
  const postgresUrl = process.env.WAYMARK_BENCH_POSTGRES_URL || undefined;
  const sizes = values.sizes ? values.sizes.split(',').map(parseSize) : values.quick ? QUICK_SIZES : DEFAULT_SIZES;
  const only = (values.only ?? BENCHMARKS.join(',')).split(',').map((name) => name.trim());
  for (const name of only) {
    if (!isBenchmark(name)) throw new Error(`--only: unknown benchmark "${name}" (${BENCHMARKS.join(', ')})`);
  }
  const dialects = (values.dialects ?? (postgresUrl ? 'sqlite,postgres' : 'sqlite')).split(',').map((d) => d.trim());
  for (const dialect of dialects) {
    if (dialect !== 'sqlite' && dialect !== 'postgres') throw new Error(`unknown dialect "${dialect}"`);
    if (dialect === 'postgres' && !postgresUrl) throw new Error('postgres needs WAYMARK_BENCH_POSTGRES_URL');
  }
  const maxGrowth = Number(values['max-growth']);
  if (!(maxGrowth > 0)) throw new Error('--max-growth must be a positive number');
  const command = values['ingest-command'];
  if (command !== 'start' && command !== 'serve') throw new Error('--ingest-command must be start or serve');
  const seconds = Number(values['ingest-seconds'] ?? (values.quick ? 3 : 10));
  if (!(seconds >= 1)) throw new Error('--ingest-seconds must be at least 1');
  return {
    sizes: [...sizes].sort((a, b) => a - b),
    // Always in the documented order, whatever order --only lists them in.
    only: BENCHMARKS.filter((name) => only.includes(name)),
    dialects: dialects as DialectName[],
    maxGrowth,
    plans: values.plans,
    postgresUrl,
    detections: values.detections ? parseSize(values.detections) : values.quick ? 100_000 : 1_000_000,
    shipments: values.shipments ? parseSize(values.shipments) : values.quick ? 1_000 : 10_000,
    notifications: values.notifications ? parseSize(values.notifications) : values.quick ? 500 : 2_000,
    workers: {
      deliveries: values['worker-deliveries'] ? parseSize(values['worker-deliveries']) : values.quick ? 1_000 : 5_000,
      shipments: values['worker-shipments'] ? parseSize(values['worker-shipments']) : values.quick ? 500 : 2_000,
    },
    ingest: {
      command,
      seconds,
      warmupSeconds: values.quick ? 1 : 2,
      rounds: values['ingest-rounds'] ? parseSize(values['ingest-rounds']) : values.quick ? 1 : 2,
      connections: parseSize(values.connections),
      bodyBytes: parseSize(values['body-bytes']),
    },
    tracking: {
      sizes: (values['tracking-orders'] ?? (values.quick ? '10k,100k' : '10k,1M')).split(',').map(parseSize),
      sampleOrders: parseSize(values['tracking-sample']),
      seconds: values['tracking-seconds'] ? parseSize(values['tracking-seconds']) : values.quick ? 3 : 10,
      warmupSeconds: values.quick ? 1 : 2,
      rounds: values['tracking-rounds'] ? parseSize(values['tracking-rounds']) : values.quick ? 1 : 2,
      connections: parseSize(values['tracking-connections']),
      pacedRate: values['tracking-paced-rate'] === '0' ? 0 : parseSize(values['tracking-paced-rate']),
      lookup: !values['tracking-no-lookup'],
      cpuProfile: values['tracking-cpu-prof'],
    },
  };
}

type DialectRun = {
  dialect: DialectName;
  version: string;
  events?: EventsResult;
  claims?: ClaimsResult;
  /** events100k */
  polls?: PollsResult;
  ingest?: IngestResult;
  tracking?: TrackingResult;
  notifications?: NotificationsResult;
  workers?: WorkerScalingResult;
};

const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function main(): Promise<number> {
  const settings = readSettings(process.argv.slice(2));
  if (!settings) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const startedAt = new Date().toISOString();
  const machine = describeMachine();
  const runs: DialectRun[] = [];
  const failures: string[] = [];

  const wants = (name: BenchmarkName): boolean => settings.only.includes(name);
  const common = settings.postgresUrl ? { postgresUrl: settings.postgresUrl } : {};
  // Detection needs no database.
  const databaseBenchmarks = settings.only.some((name) => name !== 'detect');
  for (const dialect of databaseBenchmarks ? settings.dialects : []) {
    // One throwaway database for the server's version and settings.
    const probe = await createBenchDatabase(dialect, common);
    const version = await serverVersion(probe.raw);
    if (dialect === 'postgres') machine.postgres = { version, settings: await postgresSettings(probe.raw) };
    await probe.dispose();
    runs.push({ dialect, version });
  }

  // The benchmarks that existed first run first, on every database, as they always did.
  for (const run of runs) {
    const dialect = run.dialect;
    if (wants('events')) {
      log(`[${dialect}] applying tracking events…`);
      run.events = await runEventsBenchmark(dialect, {
        ...common,
        warmup: 2,
        reps: 10,
        batchSize: 10,
        // PostgreSQL commits wait for fsync; fewer batches keep its run to a few minutes.
        batchesPerRep: dialect === 'sqlite' ? 1000 : 400,
        log,
      });
      log(formatEvents(run.events));
    }
    if (wants('claims')) {
      log(`[${dialect}] claiming due shipments…`);
      run.claims = await runClaimBenchmark(dialect, {
        ...common,
        warmup: 3,
        reps: 15,
        sizes: settings.sizes,
        limit: 1000,
        leaseMs: 60_000,
        dueFraction: 0.01,
        deliveredPerActive: 1,
        maxGrowth: settings.maxGrowth,
        log,
      });
      if (run.claims.growth && !run.claims.growth.flat) {
        failures.push(
          `${dialect}: claim time grew ${run.claims.growth.ratio.toFixed(2)}× (${run.claims.growth.label}), ` +
            `more than ${settings.maxGrowth}×`,
        );
      }
    }
  }

  let detect: DetectResult | undefined;
  if (wants('detect')) {
    log('[detect] Waymark detectCarrier vs ts-tracking-number…');
    detect = runDetectBenchmark({ detections: settings.detections, blocks: 10, warmupBlocks: 1, log });
    log(formatDetect(detect));
  }

  for (const run of wants('events100k') ? runs : []) {
    log(`[${run.dialect}] ${settings.shipments * 10} events to ${settings.shipments} shipments in 5 polls…`);
    run.polls = await runPollsBenchmark(run.dialect, {
      ...common,
      shipments: settings.shipments,
      warmupShipments: Math.min(200, Math.ceil(settings.shipments / 10)),
      chunkSize: Math.max(1, Math.min(1000, Math.round(settings.shipments / 10))),
      log,
    });
    log(formatPolls(run.polls));
  }

  for (const run of wants('ingest') ? runs : []) {
    log(
      `[${run.dialect}] webhook ingest: waymark ${settings.ingest.command} against a bare Fastify route and a server doing only the essential work…`,
    );
    run.ingest = await runIngestBenchmark(run.dialect, { ...common, ...settings.ingest, log });
    log(formatIngest(run.ingest));
    const waymarkRuns = run.ingest.runs.filter((r) => r.target === 'waymark');
    const bad = waymarkRuns.reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0);
    if (bad > 0) failures.push(`${run.dialect}: Waymark gave ${bad} webhook deliveries no 2xx answer`);
    if (!run.ingest.durability.ok) {
      const d = run.ingest.durability;
      failures.push(
        `${run.dialect}: inbound_webhook holds ${d.rows} rows for ${d.answered2xx} 2xx answers ` +
          `(${d.missing} answered but missing, ${d.unexpected} unexpected)`,
      );
    }
  }

  for (const run of wants('notifications') ? runs : []) {
    run.notifications = await runNotificationsBenchmark(run.dialect, {
      ...common,
      messages: settings.notifications,
      log,
    });
    log(formatNotifications(run.notifications));
    if (!run.notifications.ok) failures.push(`${run.dialect}: notifications lost, duplicated or not marked sent`);
  }

  for (const run of wants('workers') ? runs : []) {
    run.workers = await runWorkerScalingBenchmark(run.dialect, { ...common, ...settings.workers, log });
    log(formatWorkerScaling(run.workers));
    for (const workload of run.workers.workloads) {
      for (const problem of workload.problems) failures.push(`${run.dialect}: workers/${workload.name}: ${problem}`);
    }
  }

  for (const run of wants('tracking') ? runs : []) {
    log(`[${run.dialect}] tracking page: waymark serve against a bare Fastify route…`);
    run.tracking = await runTrackingBenchmark(run.dialect, {
      ...common,
      ...settings.tracking,
      eventsPerShipment: 8,
      ...(settings.tracking.cpuProfile ? { cpuProfileDir: join(process.cwd(), '.bench', 'cpu-profiles') } : {}),
      log,
    });
    log(formatTracking(run.tracking));
    const bad = Object.entries(run.tracking.summary)
      .filter(([id]) => id !== 'bare')
      .reduce((sum, [, s]) => sum + s.non2xx + s.errors, 0);
    if (bad > 0) failures.push(`${run.dialect}: tracking: Waymark answered ${bad} tracking requests with no 2xx`);
  }

  machine.loadAverage.end = loadAverage();
  const sections = [`Waymark benchmarks — ${startedAt}`, formatMachine(machine)];
  for (const run of runs) {
    if (run.events) sections.push(formatEvents(run.events));
    if (run.claims) {
      sections.push(formatClaims(run.claims));
      if (settings.plans || (run.claims.growth && !run.claims.growth.flat)) sections.push(formatPlans(run.claims));
    }
  }
  if (detect) sections.push(formatDetect(detect));
  for (const run of runs) if (run.polls) sections.push(formatPolls(run.polls));
  for (const run of runs) if (run.ingest) sections.push(formatIngest(run.ingest));
  for (const run of runs) if (run.notifications) sections.push(formatNotifications(run.notifications));
  for (const run of runs) if (run.workers) sections.push(formatWorkerScaling(run.workers));
  for (const run of runs) if (run.tracking) sections.push(formatTracking(run.tracking));
  process.stdout.write(`\n${sections.join('\n\n')}\n`);

  const dir = join(process.cwd(), '.bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'results.json');
  const settingsOut = { ...settings, postgresUrl: settings.postgresUrl ? '(set)' : null };
  writeFileSync(
    file,
    `${JSON.stringify({ startedAt, finishedAt: new Date().toISOString(), settings: settingsOut, machine, runs, detect, failures }, null, 2)}\n`,
  );
  process.stdout.write(`\nJSON: ${relative(process.cwd(), file)}\n`);

  if (failures.length > 0) {
    process.stderr.write(`\nBENCHMARK FAILED\n${failures.map((f) => `  ${f}`).join('\n')}\n`);
    return 1;
  }
  return 0;
}

process.once('SIGINT', () => {
  log('interrupted: removing benchmark databases…');
  void disposeAll().finally(() => process.exit(130));
});

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(
    `\nbenchmark error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
} finally {
  await disposeAll();
}
