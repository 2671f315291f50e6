import { createReadStream, existsSync } from 'node:fs';

import type { Command } from 'commander';
import { parse } from 'csv-parse';

import { CSV_COLUMNS, importOrders, parseOrderRows, REQUIRED_CSV_COLUMNS } from '../../app/import-orders-csv.js';
import { UsageError } from '../usage-error.js';
import { printJson, withCommonOptions, withRuntime } from './common.js';

function progressBar(done: number, total: number): string {
  const width = 30;
  const filled = Math.round((done / Math.max(total, 1)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} orders`;
}

async function readRows(file: string): Promise<{ line: number; record: Record<string, string> }[]> {
  const rows: { line: number; record: Record<string, string> }[] = [];
  const parser = createReadStream(file).pipe(
    parse({
      bom: true,
      trim: true,
      skip_empty_lines: true,
      info: true,
      columns: (header: string[]) => {
        const names = header.map((name) => name.trim().toLowerCase());
        const missing = REQUIRED_CSV_COLUMNS.filter((column) => !names.includes(column));
        if (missing.length > 0)
          throw new UsageError(`${file}: header lacks ${missing.join(', ')} (columns: ${CSV_COLUMNS.join(', ')})`);
        const unknown = names.filter((name) => !(CSV_COLUMNS as readonly string[]).includes(name));
        if (unknown.length > 0)
          throw new UsageError(`${file}: unknown column ${unknown.join(', ')} (columns: ${CSV_COLUMNS.join(', ')})`);
        return names;
      },
    }),
  );
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      rows.push({ line: info.lines, record });
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${file}: ${(error as Error).message}`);
  }
  return rows;
}

export function registerImportCommand(program: Command): void {
  withCommonOptions(
    program
      .command('import')
      .description('import orders of an "api" store from a CSV file, all or nothing')
      .argument('<file>', 'CSV file with a header row')
      .option('--store <idOrSlug>', 'the store to import into (platform api)')
      .addHelpText(
        'after',
        `
Columns (header row, any order; external_id and number required):
  ${CSV_COLUMNS.join(', ')}
One row per parcel: an order shipped in two parcels is two rows with the same external_id;
an order not shipped yet has an empty tracking_number. Times are ISO-8601 (2026-11-26T10:00:00Z).
Every row is checked first; with any error nothing is imported and each error is printed
with its line number. Re-importing the same file changes nothing (orders are matched by
external_id, parcels by tracking number).`,
      ),
  ).action((file: string, flags: { store?: string; databaseUrl?: string; dataDir?: string; logLevel?: string }) => {
    const storeRef = flags.store;
    if (!storeRef) throw new UsageError('--store is required (id or slug of a store of platform api)');
    if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
    return withRuntime(flags, async (runtime) => {
      const stores = runtime.storage.repositories.stores;
      const store = /^[0-9a-f-]{36}$/i.test(storeRef)
        ? await stores.findStoreById(storeRef)
        : await stores.findStoreBySlug(storeRef);
      if (!store) throw new UsageError(`no store with id or slug "${storeRef}"`);

      const rows = await readRows(file);
      const { orders, errors } = parseOrderRows(rows, runtime.clock.now());
      if (errors.length > 0) {
        for (const error of errors.slice(0, 100)) process.stderr.write(`${file}:${error.line}: ${error.message}\n`);
        if (errors.length > 100) process.stderr.write(`… and ${errors.length - 100} more\n`);
        const rowsInError = new Set(errors.map((error) => error.line)).size;
        throw new UsageError(`${rowsInError} row(s) in error; nothing imported`);
      }
      const tty = process.stderr.isTTY;
      let lastShown = -1;
      const totals = await importOrders(
        { uow: runtime.storage, clock: runtime.clock },
        store.id,
        orders,
        (done, total) => {
          const tenth = Math.floor((done / total) * 10);
          if (tty) process.stderr.write(`\r${progressBar(done, total)}`);
          else if (tenth !== lastShown) {
            lastShown = tenth;
            process.stderr.write(`${progressBar(done, total)}\n`);
          }
        },
      );
      if (tty) process.stderr.write('\n');
      printJson({ store: store.slug, rows: rows.length, orders: orders.length, ...totals });
    });
  });
}
