import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';

import type { DialectName } from '../storage/migrations/column-types.js';
import { runEventsBenchmark, type EventsResult } from './apply-events.js';
import { runClaimBenchmark, type ClaimsResult } from './claim-due.js';
import { createBenchDatabase, disposeAll, postgresSettings, serverVersion } from './databases.js';
import { describeMachine } from './machine.js';
import { formatClaims, formatEvents, formatMachine, formatPlans } from './report.js';

const USAGE = `Usage: npm run bench -- [options]

  --quick              claim sizes 10k and 100k only
  --sizes=10k,100k,1M  claim sizes (active shipments); k and M suffixes allowed
  --only=events|claims run one of the two benchmarks
  --dialects=sqlite,postgres
                       default: sqlite, plus postgres when WAYMARK_BENCH_POSTGRES_URL is set
  --max-growth=3       fail (exit 1) when claim time grows more than this from the smallest to the largest size
  --plans              print the claim query plan at every size (always in the JSON)
  --help

Results: a table on stdout and JSON in .bench/results.json.`;

const DEFAULT_SIZES = [10_000, 100_000, 1_000_000];
const QUICK_SIZES = [10_000, 100_000];

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
  only: 'events' | 'claims' | null;
  dialects: DialectName[];
  maxGrowth: number;
  plans: boolean;
  postgresUrl: string | undefined;
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
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return null;
  const postgresUrl = process.env.WAYMARK_BENCH_POSTGRES_URL || undefined;
  const sizes = values.sizes ? values.sizes.split(',').map(parseSize) : values.quick ? QUICK_SIZES : DEFAULT_SIZES;
  const only = values.only ?? null;
  if (only !== null && only !== 'events' && only !== 'claims') throw new Error('--only must be events or claims');
  const dialects = (values.dialects ?? (postgresUrl ? 'sqlite,postgres' : 'sqlite')).split(',').map((d) => d.trim());
  for (const dialect of dialects) {
    if (dialect !== 'sqlite' && dialect !== 'postgres') throw new Error(`unknown dialect "${dialect}"`);
    if (dialect === 'postgres' && !postgresUrl) throw new Error('postgres needs WAYMARK_BENCH_POSTGRES_URL');
  }
  const maxGrowth = Number(values['max-growth']);
  if (!(maxGrowth > 0)) throw new Error('--max-growth must be a positive number');
  return {
    sizes: [...sizes].sort((a, b) => a - b),
    only,
    dialects: dialects as DialectName[],
    maxGrowth,
    plans: values.plans,
    postgresUrl,
  };
}

type DialectRun = {
  dialect: DialectName;
  version: string;
  events?: EventsResult;
  claims?: ClaimsResult;
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

  for (const dialect of settings.dialects) {
    const common = settings.postgresUrl ? { postgresUrl: settings.postgresUrl } : {};
    // One throwaway database for the server's version and settings.
    const probe = await createBenchDatabase(dialect, common);
    const version = await serverVersion(probe.raw);
    if (dialect === 'postgres') machine.postgres = { version, settings: await postgresSettings(probe.raw) };
    await probe.dispose();

    const run: DialectRun = { dialect, version };
    runs.push(run);
    if (settings.only !== 'claims') {
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
    if (settings.only !== 'events') {
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

  const sections = [`Waymark benchmarks — ${startedAt}`, formatMachine(machine)];
  for (const run of runs) {
    if (run.events) sections.push(formatEvents(run.events));
    if (run.claims) {
      sections.push(formatClaims(run.claims));
      if (settings.plans || (run.claims.growth && !run.claims.growth.flat)) sections.push(formatPlans(run.claims));
    }
  }
  process.stdout.write(`\n${sections.join('\n\n')}\n`);

  const dir = join(process.cwd(), '.bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'results.json');
  const settingsOut = { ...settings, postgresUrl: settings.postgresUrl ? '(set)' : null };
  writeFileSync(
    file,
    `${JSON.stringify({ startedAt, finishedAt: new Date().toISOString(), settings: settingsOut, machine, runs, failures }, null, 2)}\n`,
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
