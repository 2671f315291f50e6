import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';

import { openDatabase, type OpenDatabase } from './create-database.js';

let dir: string;
let opened: OpenDatabase | null = null;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'waymark-checkpoint-'));
});
afterEach(async () => {
  await opened?.close();
  opened = null;
  rmSync(dir, { recursive: true, force: true });
});

/** About 2,500 pages of 4 KB: more than SQLite's own checkpoint threshold, less than the safety net. */
async function writePages(database: OpenDatabase): Promise<void> {
  await sql`create table filler (id integer primary key, body text not null)`.execute(database.db);
  const body = 'x'.repeat(3_900);
  for (let batch = 0; batch < 25; batch += 1) {
    await database.db.transaction().execute(async (trx) => {
      for (let row = 0; row < 100; row += 1) await sql`insert into filler (body) values (${body})`.execute(trx);
    });
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return condition();
}

it('should copy committed pages into the database file from its thread, not inside the writing connection', async () => {
  const path = join(dir, 'waymark.db');
  opened = openDatabase(`sqlite:${path}`, { backgroundCheckpoints: true });

  await writePages(opened);
  const copied = await waitFor(() => statSync(path).size > 8_000_000, 5_000);
  const rows = await sql<{ n: number }>`select count(*) as n from filler`.execute(opened.db);

  expect(copied).toBe(true);
  expect(rows.rows[0]?.n).toBe(2_500);
});

it('should leave the checkpoints to the writing connection when it runs without the thread (short commands)', async () => {
  const path = join(dir, 'waymark.db');
  opened = openDatabase(`sqlite:${path}`);
  const autocheckpoint = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(opened.db);

  await writePages(opened);

  expect(autocheckpoint.rows[0]?.wal_autocheckpoint).toBe(1_000);
  expect(statSync(path).size).toBeGreaterThan(4_000_000);
});

it('should leave a consistent database when closed: every row readable by a new connection, no WAL left behind', async () => {
  const path = join(dir, 'waymark.db');
  opened = openDatabase(`sqlite:${path}`, { backgroundCheckpoints: true });
  await writePages(opened);

  await opened.close();
  const walLeft = existsSync(`${path}-wal`);
  opened = openDatabase(`sqlite:${path}`);
  const rows = await sql<{ n: number }>`select count(*) as n from filler`.execute(opened.db);
  const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(opened.db);

  expect(rows.rows[0]?.n).toBe(2_500);
  expect(check.rows[0]?.integrity_check).toBe('ok');
  expect(walLeft).toBe(false);
});
