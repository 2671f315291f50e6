import { sql } from 'kysely';

import type { DialectName } from '../storage/migrations/column-types.js';
import { createBenchDatabase, type BenchDatabase, type RawConnection } from './databases.js';
import { mulberry32, seedOrdersAndShipments } from './seed.js';
import { median, summarize, type Repetitions, type Summary } from './stats.js';

/**
 * (b) Claiming due shipments as the table grows: the time of one
 * `storage.claimer('shipment').claim({ limit: 1000 })` at each size, which
 * must stay flat. Each size gets its own fresh database; all are seeded
 * first and then measured in interleaved rounds, so drift on a shared machine
 * does not pass for growth with size. After every measured claim the claimed
 * rows are made due again (untimed, new random due times in the same window),
 * so every repetition claims from the same kind of table.
 */

export type ClaimSizeResult = {
  active: number;
  due: number;
  delivered: number;
  orders: number;
  seedSeconds: number;
  /** Post-seed upkeep production would also have had: WAL checkpoint, or VACUUM ANALYZE on PostgreSQL. */
  upkeepSeconds: number;
  ms: Summary;
  /** The claim statement's plan at this size (EXPLAIN QUERY PLAN, or EXPLAIN ANALYZE rolled back). */
  plan: string[];
  sqlite?: SqliteBreakdown;
};

/** Medians of five extra claims with automatic checkpoints off (SQLite only). */
export type SqliteBreakdown = {
  /** Pages one claim writes to the WAL: roughly the distinct pages its 1,000 rows and index entries live on. */
  walPagesPerClaim: number;
  claimWithoutCheckpointMs: number;
  /** Copying those pages into the database file (and fsync), which an automatic checkpoint does inside some commit. */
  checkpointMs: number;
};

export type ClaimsResult = {
  dialect: DialectName;
  limit: number;
  leaseMs: number;
  warmup: number;
  reps: number;
  sizes: ClaimSizeResult[];
  /** Median claim time at the largest size ÷ at the smallest. */
  growth: { label: string; ratio: number; max: number; flat: boolean } | null;
};

export type ClaimsOptions = Repetitions & {
  sizes: number[];
  limit: number;
  leaseMs: number;
  /** Share of active shipments that are due (at least 2 × limit are, so every claim takes a full batch). */
  dueFraction: number;
  /** Delivered (next_check_at null) shipments per active one. */
  deliveredPerActive: number;
  maxGrowth: number;
  postgresUrl?: string;
  log: (line: string) => void;
};

const HOUR = 3_600_000;

export function formatSize(n: number): string {
  if (n >= 1_000_000 && n % 100_000 === 0) return `${n / 1_000_000}M`;
  if (n >= 1_000 && n % 100 === 0) return `${n / 1_000}k`;
  return String(n);
}

export function dueCount(active: number, fraction: number, limit: number): number {
  return Math.min(active, Math.max(Math.ceil(active * fraction), 2 * limit));
}

/** Makes the given rows due again, as a completed check would (untimed). */
async function makeDueAgain(
  database: BenchDatabase,
  ids: string[],
  now: number,
  random: () => number,
): Promise<number> {
  const dues = ids.map(() => new Date(now - 1000 - Math.floor(random() * (24 * HOUR - 1000))).toISOString());
  const db = database.storage.db;
  const result =
    database.dialect === 'sqlite'
      ? await sql`
          update shipment
             set next_check_at = v.due, lease_owner = null, lease_until = null, attempts = 0
            from (select json_extract(value, '$[0]') as id, json_extract(value, '$[1]') as due
                    from json_each(${JSON.stringify(ids.map((id, i) => [id, dues[i]]))})) as v
           where shipment.id = v.id`.execute(db)
      : await sql`
          update shipment as s
             set next_check_at = v.due, lease_owner = null, lease_until = null, attempts = 0
            from unnest(${ids}::uuid[], ${dues}::timestamptz[]) as v(id, due)
           where s.id = v.id`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Post-seed upkeep a running installation would have had by the time the table is this big. */
async function upkeep(raw: RawConnection): Promise<void> {
  if (raw.dialect === 'sqlite') raw.db.pragma('wal_checkpoint(TRUNCATE)');
  else await raw.client.query('vacuum analyze');
}

/** Parameters of the claim statement, in the order Kysely binds them (SET values, then the due subquery). */
function claimParameters(options: { owner: string; now: string; leaseUntil: string; limit: number }): unknown[] {
  return [options.leaseUntil, options.owner, options.leaseUntil, options.now, options.limit];
}

async function explainClaim(raw: RawConnection, claimSql: string | undefined, params: unknown[]): Promise<string[]> {
  if (!claimSql) return ['(claim statement not captured)'];
  const count =
    raw.dialect === 'sqlite'
      ? (claimSql.match(/\?/g) ?? []).length
      : Math.max(0, ...[...claimSql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
  if (count !== params.length)
    return [`(claim statement has ${count} parameters, expected ${params.length})`, claimSql];
  if (raw.dialect === 'sqlite') {
    const rows = raw.db.prepare(`explain query plan ${claimSql}`).all(...params) as {
      id: number;
      parent: number;
      detail: string;
    }[];
    const depth = new Map<number, number>([[0, -1]]);
    return rows.map((row) => {
      const d = (depth.get(row.parent) ?? -1) + 1;
      depth.set(row.id, d);
      return `${'  '.repeat(d)}${row.detail}`;
    });
  }
  // EXPLAIN ANALYZE runs the UPDATE; roll it back.
  await raw.client.query('begin');
  try {
    const result = await raw.client.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${claimSql}`, params);
    return result.rows.map((r) => r['QUERY PLAN']);
  } finally {
    await raw.client.query('rollback');
  }
}

type Prepared = {
  active: number;
  due: number;
  delivered: number;
  orders: number;
  seedMs: number;
  upkeepMs: number;
  database: BenchDatabase;
  claimSql: () => string | undefined;
  random: () => number;
  samples: number[];
};

/** Claims once and checks the rows; returns the claim's milliseconds and the claimed ids. */
async function claimRows(
  size: Prepared,
  options: ClaimsOptions,
  owner: string,
  now: string,
): Promise<{ ms: number; ids: string[] }> {
  const claimer = size.database.storage.claimer('shipment');
  const started = performance.now();
  const rows = await claimer.claim({ owner, limit: options.limit, leaseMs: options.leaseMs, now });
  const ms = performance.now() - started;
  if (rows.length !== options.limit) {
    throw new Error(`claim at ${formatSize(size.active)} took ${rows.length} rows, expected ${options.limit}`);
  }
  if (rows.some((r) => r.lease_owner !== owner || r.status !== 'in_transit')) {
    throw new Error(`claim at ${formatSize(size.active)} returned a row it should not have`);
  }
  return { ms, ids: rows.map((r) => r.id) };
}

async function resetRows(size: Prepared, ids: string[], nowMs: number): Promise<void> {
  const reset = await makeDueAgain(size.database, ids, nowMs, size.random);
  if (reset !== ids.length) throw new Error(`reset ${reset} rows, expected ${ids.length}`);
}

/**
 * SQLite only: where a claim's time goes. With automatic checkpoints off and
 * the WAL restarted first, the WAL's frames after a claim are the pages the
 * claim wrote; the checkpoint that copies them into the database file (and
 * syncs it) is timed apart.
 */
async function sqliteBreakdown(
  size: Prepared,
  options: ClaimsOptions,
  now: string,
  nowMs: number,
): Promise<SqliteBreakdown> {
  const db = size.database.storage.db;
  const statementMs: number[] = [];
  const checkpointMs: number[] = [];
  const pages: number[] = [];
  const autocheckpoint = Number(
    (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db)).rows[0]?.wal_autocheckpoint ??
      1000,
  );
  await sql`pragma wal_autocheckpoint = 0`.execute(db);
  try {
    for (let round = 0; round < 5; round += 1) {
      // RESTART, not TRUNCATE: the WAL file keeps its size, so the claim does not pay for growing it.
      await sql`pragma wal_checkpoint(RESTART)`.execute(db);
      const claimed = await claimRows(size, options, `bench:breakdown:${round}`, now);
      statementMs.push(claimed.ms);
      const started = performance.now();
      const checkpoint = await sql<{ log: number }>`pragma wal_checkpoint(PASSIVE)`.execute(db);
      checkpointMs.push(performance.now() - started);
      pages.push(Number(checkpoint.rows[0]?.log ?? Number.NaN));
      await resetRows(size, claimed.ids, nowMs);
    }
  } finally {
    await sql.raw(`pragma wal_autocheckpoint = ${autocheckpoint}`).execute(db);
  }
  return {
    walPagesPerClaim: median(pages),
    claimWithoutCheckpointMs: median(statementMs),
    checkpointMs: median(checkpointMs),
  };
}

export async function runClaimBenchmark(dialect: DialectName, options: ClaimsOptions): Promise<ClaimsResult> {
  const nowMs = Date.now();
  const now = new Date(nowMs).toISOString();
  const prepared: Prepared[] = [];
  try {
    // Every size is seeded first and measured afterwards, interleaved, so
    // drift on a shared machine does not pass for growth with size.
    for (const active of options.sizes) {
      const due = dueCount(active, options.dueFraction, options.limit);
      const delivered = Math.round(active * options.deliveredPerActive);
      let claimSql: string | undefined;
      const database = await createBenchDatabase(dialect, {
        ...(options.postgresUrl ? { postgresUrl: options.postgresUrl } : {}),
        onQuery: (text) => {
          if (/^update "shipment"/i.test(text)) claimSql = text;
        },
      });
      const size: Prepared = {
        active,
        due,
        delivered,
        orders: 0,
        seedMs: 0,
        upkeepMs: 0,
        database,
        claimSql: () => claimSql,
        random: mulberry32(active),
        samples: [],
      };
      prepared.push(size);
      const store = await database.storage.repositories.stores.createStore(
        { name: 'Bench Shop', platform: 'api' },
        now,
      );
      options.log(
        `  ${formatSize(active)}: seeding ${(active + delivered).toLocaleString('en-US')} shipments ` +
          `(${due.toLocaleString('en-US')} due, ${delivered.toLocaleString('en-US')} delivered)…`,
      );
      const seeded = await seedOrdersAndShipments(database.raw, {
        storeId: store.id,
        now,
        active,
        due,
        delivered,
        shipmentsPerOrder: 10,
        activeStatus: 'in_transit',
      });
      size.orders = seeded.orders;
      size.seedMs = seeded.ms;
      const upkeepStarted = performance.now();
      await upkeep(database.raw);
      size.upkeepMs = performance.now() - upkeepStarted;
      options.log(`  ${formatSize(active)}: seeded in ${(seeded.ms / 1000).toFixed(1)} s`);
    }

    const rounds = options.warmup + options.reps;
    for (let round = 0; round < rounds; round += 1) {
      // Rotate which size goes first.
      const order = prepared.map((_, i) => prepared[(i + round) % prepared.length]!);
      for (const size of order) {
        const claimed = await claimRows(size, options, `bench:${process.pid}:${round}`, now);
        await resetRows(size, claimed.ids, nowMs);
        if (round >= options.warmup) size.samples.push(claimed.ms);
      }
    }

    const sizes: ClaimSizeResult[] = [];
    const leaseUntil = new Date(nowMs + options.leaseMs).toISOString();
    for (const size of prepared) {
      const plan = await explainClaim(
        size.database.raw,
        size.claimSql(),
        claimParameters({ owner: 'bench:explain', now, leaseUntil, limit: options.limit }),
      );
      const result: ClaimSizeResult = {
        active: size.active,
        due: size.due,
        delivered: size.delivered,
        orders: size.orders,
        seedSeconds: size.seedMs / 1000,
        upkeepSeconds: size.upkeepMs / 1000,
        ms: summarize(size.samples),
        plan,
      };
      if (dialect === 'sqlite') result.sqlite = await sqliteBreakdown(size, options, now, nowMs);
      sizes.push(result);
      options.log(
        `  ${formatSize(size.active)}: claim median ${result.ms.median.toFixed(2)} ms, p95 ${result.ms.p95.toFixed(2)} ms`,
      );
    }

    const first = sizes[0];
    const last = sizes[sizes.length - 1];
    const growth =
      first && last && first !== last
        ? {
            label: `${formatSize(last.active)} ÷ ${formatSize(first.active)}`,
            ratio: last.ms.median / first.ms.median,
            max: options.maxGrowth,
            flat: last.ms.median / first.ms.median <= options.maxGrowth,
          }
        : null;
    return {
      dialect,
      limit: options.limit,
      leaseMs: options.leaseMs,
      warmup: options.warmup,
      reps: options.reps,
      sizes,
      growth,
    };
  } finally {
    for (const size of prepared) await size.database.dispose();
  }
}
