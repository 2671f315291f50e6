import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';
import { describe } from 'vitest';

import { migrateToLatest, openDatabase, type OpenDatabase } from '../storage/create-database.js';
import type { DialectName } from '../storage/migrations/column-types.js';

export const POSTGRES_URL = process.env.WAYMARK_TEST_POSTGRES_URL;

/** The dialects every storage test runs on; PostgreSQL only when a URL is given. */
export const DIALECTS: DialectName[] = POSTGRES_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export type TestDatabase = OpenDatabase & { url: string; drop(): Promise<void> };

/** Runs the suite once per available database. */
export function describeEachDatabase(name: string, body: (dialect: DialectName) => void): void {
  for (const dialect of DIALECTS) {
    describe(`${name} [${dialect}]`, () => body(dialect));
  }
}

/**
 * A fresh, migrated, empty database: a new SQLite file in a temp folder, or
 * a new PostgreSQL database created on the test server (dropped by `drop`).
 */
export async function createTestDatabase(
  dialect: DialectName,
  options: { migrate?: boolean; poolSize?: number } = {},
): Promise<TestDatabase> {
  let url: string;
  let cleanup: () => Promise<void>;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'waymark-test-'));
    url = `sqlite:${join(dir, 'test.db')}`;
    cleanup = () => Promise.resolve(rmSync(dir, { recursive: true, force: true }));
  } else {
    if (!POSTGRES_URL) throw new Error('WAYMARK_TEST_POSTGRES_URL is not set');
    const name = `waymark_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const parsed = new URL(POSTGRES_URL);
    parsed.pathname = `/${name}`;
    url = parsed.toString();
    cleanup = async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    };
  }
  const opened = openDatabase(url, { poolSize: options.poolSize });
  if (options.migrate !== false) await migrateToLatest(opened.db, opened.dialect);
  let dropped = false;
  return {
    ...opened,
    url,
    async drop() {
      if (dropped) return;
      dropped = true;
      await opened.close();
      await cleanup();
    },
  };
}
