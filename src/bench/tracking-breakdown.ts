import { randomBytes } from 'node:crypto';

import BetterSqlite3 from 'better-sqlite3';
import Fastify from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { pino } from 'pino';
import { z } from 'zod';

import { LinkSigner } from '../adapters/auth/signed-link.js';
import { getOrder } from '../app/get-order.js';
import { systemClock } from '../core/ports/clock.port.js';
import { buildApp } from '../http/build-app.js';
import { sendPage } from '../http/web/page-security.js';
import { Metrics } from '../http/metrics.js';
import { openDatabase } from '../storage/create-database.js';
import { parseSecretKey, SecretBox } from '../storage/secret-box.js';
import { Storage } from '../storage/storage.js';
import { negotiatePageLocale } from '../web/tracking/page-locale.js';
import { renderOrderPage } from '../web/tracking/render-tracking-page.js';
import { buildTrackingView } from '../web/tracking/tracking-view.js';
import { applyProductionPragmas } from './databases.js';
import { median } from './stats.js';

/**
 * Where one tracking page's CPU goes, measured in this process on a benchmark
 * database: each part of the signed-link route called on its own over the
 * sampled orders, timed with `process.cpuUsage()` (user + system, so other
 * processes on a busy machine do not count), median of 5 interleaved rounds;
 * and the whole route through the real app with `inject` (no socket). On
 * SQLite, the same reads through prepared better-sqlite3 statements show the
 * floor under the storage layer. On PostgreSQL the database's work runs in its
 * server processes, so the CPU measured here is the Node side only (the
 * driver, Kysely, the app), and the raw-statement parts are left out.
 */

export type BreakdownPart = { part: string; calls: number; cpuMicroseconds: number };

export type BreakdownInput = {
  /** What the storage layer opens: `sqlite:PATH` or a PostgreSQL URL. */
  databaseUrl: string;
  /** The SQLite file, for the raw-statement parts; null on PostgreSQL, which skips them. */
  sqlitePath: string | null;
  secretKey: string;
  storeId: string;
  orders: readonly { orderId: string; token: string }[];
  /** Calls per part, after as many warm-up calls on other orders (so give twice as many orders). */
  calls: number;
};

/** Maps the whole file on the machine measured (the 1M file is about 1.7 GiB). */
const MMAP_BYTES = 2 ** 31;

const ACCEPT_LANGUAGE = 'en-GB,en;q=0.9';

/** Rounds each part is measured in, interleaved with the other parts; the result is the median round. */
const ROUNDS = 5;

/** CPU time of calls `from` … `to` − 1, µs per call. */
async function cpuPerCall(once: (i: number) => unknown, from: number, to: number): Promise<number> {
  const before = process.cpuUsage();
  for (let i = from; i < to; i += 1) await once(i);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / (to - from);
}

type PageReads = {
  store(storeId: string): unknown;
  order(storeId: string, orderId: string): unknown;
  shipments(orderId: string): { id: string }[];
  events(shipmentId: string): unknown;
  /** The four reads of one page, in order. */
  all(storeId: string, orderStoreId: string, orderId: string): void;
};

/** The reads of a signed-link page as prepared statements: the SQL the repositories send, without Kysely. */
function pageReads(db: BetterSqlite3.Database): PageReads {
  const store = db.prepare('select * from store where id = ?');
  const order = db.prepare('select * from sales_order where id = ? and store_id = ?');
  const shipments = db.prepare('select * from shipment where order_id in (?) order by created_at, id');
  const events = db.prepare(
    'select * from tracking_event where shipment_id in (?) order by shipment_id, occurred_at, sequence, dedupe_key',
  );
  const reads: PageReads = {
    store: (storeId) => store.get(storeId),
    order: (storeId, orderId) => order.get(orderId, storeId),
    shipments: (orderId) => shipments.all(orderId) as { id: string }[],
    events: (shipmentId) => events.all(shipmentId),
    all(storeId, orderStoreId, orderId) {
      reads.store(storeId);
      reads.order(orderStoreId, orderId);
      for (const shipment of reads.shipments(orderId)) reads.events(shipment.id);
    },
  };
  return reads;
}

/** The page's reads as prepared better-sqlite3 statements, without and with a memory map: SQLite only. */
function rawReadParts(
  path: string,
  storeId: string,
  orderStoreId: string,
  orders: BreakdownInput['orders'],
  /** The shipments of each order, in the same order. */
  shipmentIds: readonly (readonly string[])[],
  closers: (() => void)[],
): [string, (i: number) => unknown][] {
  const at = (i: number) => orders[i % orders.length]!;
  const raw = new BetterSqlite3(path, { readonly: true });
  closers.push(() => raw.close());
  applyProductionPragmas(raw);
  const reads = pageReads(raw);
  const mapped = new BetterSqlite3(path, { readonly: true });
  closers.push(() => mapped.close());
  applyProductionPragmas(mapped);
  mapped.pragma(`mmap_size = ${MMAP_BYTES}`);
  const readsMapped = pageReads(mapped);
  return [
    [
      'for comparison: the same 4 reads as prepared better-sqlite3 statements',
      (i) => reads.all(storeId, orderStoreId, at(i).orderId),
    ],
    ['  of it: the store by id', () => reads.store(storeId)],
    ['  of it: the order by id', (i) => reads.order(orderStoreId, at(i).orderId)],
    ['  of it: the shipments of the order', (i) => reads.shipments(at(i).orderId)],
    [
      '  of it: the events of those shipments',
      (i) => {
        for (const id of shipmentIds[i % shipmentIds.length]!) reads.events(id);
      },
    ],
    [
      `for comparison: the same 4 reads with mmap_size = ${MMAP_BYTES / 2 ** 30} GiB`,
      (i) => readsMapped.all(storeId, orderStoreId, at(i).orderId),
    ],
  ];
}

export async function measureTrackingBreakdown(input: BreakdownInput): Promise<BreakdownPart[]> {
  const key = parseSecretKey(input.secretKey);
  const opened = openDatabase(input.databaseUrl);
  const storage = Storage.fromDatabase(opened.db, opened.dialect, new SecretBox(key));
  const closers: (() => void)[] = [];
  const signer = new LinkSigner(key);
  const metrics = new Metrics({ defaultMetrics: false });
  const app = await buildApp({
    uow: storage,
    health: storage,
    clock: systemClock,
    metrics,
    logger: pino({ level: 'silent' }),
    bodyLimit: 1_048_576,
    links: signer,
    lookupAttempts: storage.repositories.rateBudget,
    trustProxy: true,
  });
  const staticPage = 'x'.repeat(5_000);
  // The tracking route's shell inside the real app: its rate limit, its zod params and sendPage's headers, with a
  // static page instead of the look-up and the rendering, to tell the HTTP layer's share from the page's.
  app.withTypeProvider<ZodTypeProvider>().get(
    '/bench-shell/:token',
    {
      schema: { hide: true, params: z.object({ token: z.string().max(1024) }) },
      onRequest: app.rateLimit({ max: 300, timeWindow: '1 minute' }),
    },
    async (_request, reply) => sendPage(reply, staticPage),
  );
  const bare = Fastify({ logger: false });
  bare.get('/t/:token', async (_request, reply) => reply.type('text/html; charset=utf-8').send(staticPage));
  try {
    await app.ready();
    await bare.ready();
    const repositories = storage.repositories;
    const orders = input.orders;
    const at = (i: number) => orders[i % orders.length]!;
    const now = systemClock.now();
    const store = await repositories.stores.findStoreById(input.storeId);
    if (!store) throw new Error('breakdown: the store is missing');
    const locale = negotiatePageLocale(ACCEPT_LANGUAGE, store.locale);
    const views = await Promise.all(orders.map((order) => getOrder(repositories, store.id, order.orderId)));
    const view = (i: number) => {
      const order = views[i % views.length];
      if (!order) throw new Error('breakdown: an order is missing');
      return buildTrackingView({ store, order, locale, now });
    };
    const built = orders.map((_, i) => view(i));
    const shipmentIds = views.map((order) => order?.shipments.map((shipment) => shipment.id) ?? []);

    const parts: [string, (i: number) => unknown][] = [
      [
        'whole route: app.inject GET /t/{token} (all hooks, no socket)',
        (i) =>
          app.inject({
            method: 'GET',
            url: `/t/${at(i).token}`,
            headers: { 'accept-language': ACCEPT_LANGUAGE, 'x-forwarded-for': `10.9.${(i >> 8) & 255}.${i & 255}` },
          }),
      ],
      [
        'the route shell alone: its rate limit, zod params and sendPage headers, a static 5 KB page',
        (i) =>
          app.inject({
            method: 'GET',
            url: `/bench-shell/${at(i).token}`,
            headers: { 'accept-language': ACCEPT_LANGUAGE, 'x-forwarded-for': `10.8.${(i >> 8) & 255}.${i & 255}` },
          }),
      ],
      [
        'for comparison: bare Fastify inject GET /t/{token}, static 5 KB page',
        (i) => bare.inject({ method: 'GET', url: `/t/${at(i).token}` }),
      ],
      [
        'for comparison: app.inject GET /healthz (the app-wide hooks around a tiny route)',
        () => app.inject({ method: 'GET', url: '/healthz' }),
      ],
      ['LinkSigner.check (HMAC of the token)', (i) => signer.check(at(i).token, new Date())],
      ['stores.findStoreById', () => repositories.stores.findStoreById(input.storeId)],
      [
        'getOrder: order, its shipments, their events (3 queries)',
        (i) => getOrder(repositories, store.id, at(i).orderId),
      ],
      ['negotiatePageLocale (Accept-Language en-GB)', () => negotiatePageLocale(ACCEPT_LANGUAGE, store.locale)],
      ['buildTrackingView', (i) => view(i)],
      [
        '  of it: two Intl.DateTimeFormat built per page (safeZone, longDate), measured alone',
        () => {
          new Intl.DateTimeFormat('en', { timeZone: store.timeZone });
          new Intl.DateTimeFormat(locale.formatting, { timeZone: store.timeZone, dateStyle: 'long' }).format(
            Date.now(),
          );
        },
      ],
      [
        'renderOrderPage',
        (i) =>
          renderOrderPage(built[i % built.length]!, { nonce: randomBytes(16).toString('base64') }, `/t/${at(i).token}`),
      ],
    ];
    if (input.sqlitePath !== null)
      parts.push(...rawReadParts(input.sqlitePath, input.storeId, store.id, orders, shipmentIds, closers));
    for (const url of [`/t/${at(0).token}`, `/bench-shell/${at(0).token}`]) {
      const check = await app.inject({ method: 'GET', url, headers: { 'x-forwarded-for': '10.7.0.1' } });
      if (check.statusCode !== 200)
        throw new Error(`breakdown: ${url} answered ${check.statusCode}: ${check.body.slice(0, 300)}`);
    }
    // Warm-up on the first half of the orders; the measured calls use the other half, so their rows are not in
    // SQLite's page cache already, as in a server answering random customers. The parts take turns, round by round,
    // so a busy moment on the machine hits them all.
    for (const [, once] of parts) await cpuPerCall(once, 0, input.calls);
    const samples = parts.map(() => [] as number[]);
    const perRound = Math.max(1, Math.floor(input.calls / ROUNDS));
    for (let round = 0; round < ROUNDS; round += 1) {
      const from = input.calls + round * perRound;
      for (const [index, [, once]] of parts.entries())
        samples[index]!.push(await cpuPerCall(once, from, from + perRound));
    }
    return parts.map(([part], index) => ({
      part,
      calls: perRound * ROUNDS,
      cpuMicroseconds: median(samples[index]!),
    }));
  } finally {
    await app.close();
    await bare.close();
    for (const close of closers) close();
    await storage.close();
  }
}
