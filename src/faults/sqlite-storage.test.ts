import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { pino, type Logger } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';

import { buildTestApp, errorOf, seedStoreWithKey, type TestApp } from '../test-support/build-test-app.js';
import { waitFor } from './waymark-process.js';

/**
 * SQLite's two ways of refusing a write: another process holding the write
 * lock longer than busy_timeout (5 s), and a full disk. Either must reach
 * the client as a clear 503/507 with its own code — not a 500, not a hang —
 * while reads keep working, and must leave the file intact.
 */

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The product's busy_timeout plus room for a loaded machine. */
const BUSY_ANSWER_WITHIN_MS = 5_000 + 5_000;

type LogLine = { level: number; msg: string; err?: { code?: string } };

function capturingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

let orderSequence = 0;
function orderBody(): Record<string, unknown> {
  orderSequence += 1;
  return {
    externalId: `sqlite-fault-${orderSequence}`,
    number: `#SF${orderSequence}`,
    customer: { email: `buyer${orderSequence}@example.com`, name: 'Ada Buyer' },
    // Text that fills pages quickly, so the "full" case needs few requests.
    lineItems: Array.from({ length: 20 }, (_, index) => ({ name: `Item ${index} ${'x'.repeat(200)}`, quantity: 1 })),
    shipments: [{ trackingNumber: `SBX1${String(10_000_000 + orderSequence)}` }],
  };
}

/**
 * Another process that takes SQLite's write lock (BEGIN EXCLUSIVE) and holds
 * it until told to let go, as a backup tool or a stray `sqlite3` shell would.
 */
async function holdWriteLock(path: string): Promise<{ release(): Promise<void> }> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.exec('BEGIN EXCLUSIVE');
    process.stdout.write('locked\\n');
    process.stdin.on('data', () => { db.exec('ROLLBACK'); db.close(); process.exit(0); });
  `;
  const child = spawn(process.execPath, ['-e', script, path], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitFor('the other process to hold the lock', () => (output.includes('locked') ? true : undefined), 15_000, 20);
  return {
    async release() {
      child.stdin.write('release\n');
      await exited;
    },
  };
}

function integrityOf(path: string): string {
  const check = new BetterSqlite3(path, { readonly: true });
  try {
    return (check.pragma('integrity_check', { simple: true }) as string) ?? '';
  } finally {
    check.close();
  }
}

describe('a locked or full SQLite file [sqlite]', () => {
  let t: TestApp | undefined;

  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function setUp(): Promise<{ app: TestApp; auth: { authorization: string }; lines: LogLine[]; path: string }> {
    const { logger, lines } = capturingLogger();
    const app = await buildTestApp('sqlite', { extraDeps: () => ({ logger }) });
    t = app;
    const { auth } = await seedStoreWithKey(app.storage);
    return { app, auth, lines, path: app.testStorage.database.url.slice('sqlite:'.length) };
  }

  it('answers 503 database_busy while another process holds the write lock, reads on, and recovers when it lets go', async () => {
    const { app, auth, lines, path } = await setUp();
    const before = await app.app.inject({ method: 'POST', url: '/api/v1/orders', headers: auth, payload: orderBody() });
    expect(before.statusCode).toBe(201);

    const lock = await holdWriteLock(path);
    let refused;
    let refusedInMs: number;
    let read;
    try {
      const startedAt = Date.now();
      refused = await app.app.inject({ method: 'POST', url: '/api/v1/orders', headers: auth, payload: orderBody() });
      refusedInMs = Date.now() - startedAt;
      read = await app.app.inject({ url: '/api/v1/orders', headers: auth });
    } finally {
      await lock.release();
    }

    expect(refused.statusCode, refused.body).toBe(503);
    expect(errorOf(refused)).toEqual({
      code: 'database_busy',
      message: expect.stringMatching(/locked by another process.*retry/) as string,
    });
    expect(refusedInMs).toBeLessThan(BUSY_ANSWER_WITHIN_MS);
    // WAL readers do not need the write lock.
    expect(read.statusCode).toBe(200);
    expect(read.json<{ total: number }>().total).toBe(1);
    // One clear line in the log for the refused request, naming the cause.
    const errors = lines.filter((line) => line.level >= 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ msg: expect.stringMatching(/locked by another process/) as string });

    const after = await app.app.inject({ method: 'POST', url: '/api/v1/orders', headers: auth, payload: orderBody() });
    expect(after.statusCode, after.body).toBe(201);
    expect(integrityOf(path)).toBe('ok');
  }, 30_000);

  it('answers 507 storage_full when the file cannot grow, keeps serving reads, stores nothing half-written, and is intact after', async () => {
    const { app, auth, path } = await setUp();
    const db = app.testStorage.database.db;
    const first = await app.app.inject({ method: 'POST', url: '/api/v1/orders', headers: auth, payload: orderBody() });
    expect(first.statusCode).toBe(201);
    const firstId = first.json<{ id: string }>().id;

    // A disk that is full right now: the file may not grow by a single page (same error path as ENOSPC: SQLITE_FULL).
    const pages = await sql<{ page_count: number }>`pragma page_count`.execute(db);
    await sql.raw(`pragma max_page_count = ${pages.rows[0]!.page_count}`).execute(db);

    const answers: number[] = [];
    let full;
    for (let attempt = 0; attempt < 50 && !full; attempt += 1) {
      const response = await app.app.inject({
        method: 'POST',
        url: '/api/v1/orders',
        headers: auth,
        payload: orderBody(),
      });
      answers.push(response.statusCode);
      if (response.statusCode === 507) full = response;
    }
    expect(
      answers.filter((status) => status !== 201 && status !== 507),
      JSON.stringify(answers),
    ).toEqual([]);
    if (!full) throw new Error(`no 507 after ${answers.length} writes: ${JSON.stringify(answers)}`);
    expect(errorOf(full)).toEqual({
      code: 'storage_full',
      message: expect.stringMatching(/storage is full/) as string,
    });

    const list = await app.app.inject({ url: '/api/v1/orders', headers: auth });
    const one = await app.app.inject({ url: `/api/v1/orders/${firstId}`, headers: auth });
    expect(list.statusCode).toBe(200);
    expect(one.statusCode).toBe(200);
    // The refused order left no trace: every stored order is one that was acknowledged.
    expect(list.json<{ total: number }>().total).toBe(answers.filter((status) => status === 201).length + 1);
    const orphans = await sql<{ n: number }>`
      select count(*) as n from shipment where order_id not in (select id from sales_order)`.execute(db);
    expect(Number(orphans.rows[0]!.n)).toBe(0);

    // Space freed: writes work again, and the file is sound.
    await sql.raw('pragma max_page_count = 1073741823').execute(db);
    const after = await app.app.inject({ method: 'POST', url: '/api/v1/orders', headers: auth, payload: orderBody() });
    expect(after.statusCode, after.body).toBe(201);
    const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
    expect(check.rows.map((row) => row.integrity_check)).toEqual(['ok']);
    expect(integrityOf(path)).toBe('ok');
  }, 30_000);
});
