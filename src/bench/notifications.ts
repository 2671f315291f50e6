import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import BetterSqlite3 from 'better-sqlite3';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';

import { LinkSigner } from '../adapters/auth/signed-link.js';
import { messageIdFor } from '../adapters/notify/email/smtp.email.js';
import { emailFromHeader } from '../app/deliver-notification.js';
import { messageRenderer } from '../cli/notifications.js';
import type { NewNotification } from '../core/ports/storage.port.js';
import { migrateToLatest, openDatabase } from '../storage/create-database.js';
import type { DialectName } from '../storage/migrations/column-types.js';
import { SecretBox } from '../storage/secret-box.js';
import { Storage } from '../storage/storage.js';
import { processCpuMs } from './child-process.js';
import { benchDatabaseName, databaseUrl, onAdmin, track, untrack, type Disposable } from './databases.js';

/**
 * Notification delivery (Waymark issues 5 and 8): N orders, each with one
 * planned order-confirmation email, delivered by `waymark worker` processes
 * (one, then three, each on a fresh copy of the data) to an SMTP server in
 * this process; and, in the same run, the same number of messages of the same
 * rendered content sent by bare nodemailer to the same server (one sender,
 * then three concurrent ones), each sending one message at a time over a
 * pooled connection, as a worker does.
 *
 * Rates are counted at the SMTP server from the first accepted message to the
 * last, so process start-up (and the first SMTP connection) is left out of
 * both; start-up is reported on its own. Every idempotency key must arrive
 * exactly once and every outbox row must end `sent`.
 */

export type NotificationTarget = 'bare' | 'waymark';

export type NotificationRun = {
  target: NotificationTarget;
  /** Worker processes, or concurrent bare senders. */
  processes: number;
  messages: number;
  /**
   * The measured window: from the first accepted message (Waymark: or the moment the last worker said it was
   * running, if later) to the last one.
   */
  seconds: number;
  /** Messages accepted within that window, after its first. */
  measuredMessages: number;
  perSecond: number;
  /** Waymark: spawn to every worker running. Bare: first send call to the first accepted message. */
  startupSeconds: number;
  /** Keys received more than once, and planned keys never received. */
  duplicates: number;
  missing: number;
  meanMessageBytes: number;
  /** CPU of the worker processes between the first and the last message, per message (Waymark only). */
  workerCpuMsPerMessage: number | null;
  /** Outbox rows by state after the workers stopped (Waymark only). */
  states: Record<string, number> | null;
  /**
   * PostgreSQL only: commits in the copy from spawn to exit, per message; includes start-up and the idle polls
   * of the worker's other queues.
   */
  commitsPerMessage: number | null;
  /** Lines at warn level or above from the workers. */
  warnings: number;
};

export type NotificationsResult = {
  dialect: DialectName;
  messages: number;
  seedSeconds: number;
  runs: NotificationRun[];
  /** Waymark messages/s ÷ bare messages/s, with one and with three processes. */
  ratios: { one: number; three: number };
  ok: boolean;
};

export type NotificationsOptions = {
  messages: number;
  postgresUrl?: string;
  log: (line: string) => void;
};

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const PUBLIC_URL = 'https://track.waymark.test';
const EMAIL_FROM = 'orders@waymark.test';
const STORE_NAME = 'Bench Outfitters';
const KEY_HEADER = /^x-waymark-notification-key:[ \t]*(.+)$/im;
const RUN_TIMEOUT_MS = 10 * 60_000;
const READY_LINE = 'waymark worker is running';

// ---------------------------------------------------------------------------
// SMTP server

/** Accepts everything; counts messages by their notification key and times the first and the last. */
class CountingSmtpServer {
  readonly byKey = new Map<string, number>();
  received = 0;
  bytes = 0;
  firstAt = 0;
  lastAt = 0;
  #target = Number.POSITIVE_INFINITY;
  #reached: (() => void) | null = null;
  readonly #server: SMTPServer;

  constructor() {
    this.#server = new SMTPServer({
      logger: false,
      secure: false,
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      disableReverseLookup: true,
      closeTimeout: 100,
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          // Header lines unfolded: nodemailer folds long ones, and the key header is long.
          const head = (raw.toString('utf8', 0, Math.min(raw.length, 8192)).split(/\r?\n\r?\n/, 1)[0] ?? '').replace(
            /\r?\n[ \t]+/g,
            ' ',
          );
          const key = KEY_HEADER.exec(head)?.[1]?.trim() ?? '(none)';
          this.byKey.set(key, (this.byKey.get(key) ?? 0) + 1);
          this.bytes += raw.length;
          this.received += 1;
          const now = performance.now();
          if (this.received === 1) this.firstAt = now;
          this.lastAt = now;
          if (this.received >= this.#target) this.#reached?.();
          callback(null, `Ok: queued as Q${this.received}`);
        });
      },
    });
    this.#server.on('error', () => undefined);
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    return (this.#server.server.address() as AddressInfo).port;
  }

  reset(): void {
    this.byKey.clear();
    this.received = 0;
    this.bytes = 0;
    this.firstAt = 0;
    this.lastAt = 0;
    this.#target = Number.POSITIVE_INFINITY;
    this.#reached = null;
  }

  /** Resolves when `count` messages have arrived since the last reset. */
  waitFor(count: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${this.received} of ${count} messages arrived within ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      if (this.received >= count) return done();
      this.#target = count;
      this.#reached = done;
    });
  }

  /** Duplicates and missing keys against the planned ones. */
  check(keys: readonly string[]): { duplicates: number; missing: number } {
    const duplicates = [...this.byKey.values()].filter((n) => n > 1).length;
    const missing = keys.filter((key) => !this.byKey.has(key)).length;
    return { duplicates, missing };
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.close(resolve));
  }
}

// ---------------------------------------------------------------------------
// Seeded data, copied fresh for every Waymark run

type SampleMessage = { subject: string; html: string; text: string; from: string; unsubscribeUrl: string };

type Seeded = {
  keys: string[];
  recipients: string[];
  sample: SampleMessage;
  seedSeconds: number;
  /** A fresh copy of the seeded database: its DATABASE_URL, a way to read it, and its clean-up. */
  copy(): Promise<DatabaseCopy>;
  dispose(): Promise<void>;
};

type DatabaseCopy = Disposable & {
  url: string;
  states(): Promise<Record<string, number>>;
  commits(): Promise<number | null>;
};

async function seedData(
  dialect: DialectName,
  messages: number,
  secretKey: Buffer,
  postgresUrl: string | undefined,
): Promise<Seeded> {
  const dir = mkdtempSync(join(tmpdir(), 'waymark-bench-notify-'));
  let url: string;
  let seedName = '';
  if (dialect === 'sqlite') {
    url = `sqlite:${join(dir, 'seed.db')}`;
  } else {
    if (!postgresUrl) throw new Error('WAYMARK_BENCH_POSTGRES_URL is not set');
    seedName = benchDatabaseName('waymark_bench_notify');
    await onAdmin(postgresUrl, `create database ${seedName}`);
    url = databaseUrl(postgresUrl, seedName);
  }
  const copies = new Set<DatabaseCopy>();
  const seeded: Pick<Seeded, 'dispose'> = {
    async dispose() {
      untrack(seeded);
      for (const copy of [...copies]) await copy.dispose().catch(() => undefined);
      if (seedName && postgresUrl) await onAdmin(postgresUrl, `drop database if exists ${seedName} with (force)`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  track(seeded);

  const started = performance.now();
  const opened = openDatabase(url);
  await migrateToLatest(opened.db, opened.dialect);
  const storage = Storage.fromDatabase(opened.db, opened.dialect, new SecretBox(secretKey));
  const keys: string[] = [];
  const recipients: string[] = [];
  let sample: SampleMessage;
  try {
    const now = new Date().toISOString();
    const store = await storage.repositories.stores.createStore({ name: STORE_NAME, platform: 'api' }, now);
    let planned: NewNotification[] = [];
    let firstOrderId = '';
    for (let index = 0; index < messages; index += 1) {
      const recipient = `customer${index}@example.com`;
      const order = await storage.repositories.orders.insertOrder(
        store.id,
        {
          externalId: `bench-${index}`,
          number: `#N${100000 + index}`,
          orderStatus: 'processing',
          financialStatus: 'paid',
          platformStatus: { status: 'processing' },
          cancelReason: null,
          customer: { email: recipient, name: 'Ada Buyer', phone: null, language: 'en' },
          shippingAddress: { city: 'Lyon', region: null, postalCode: '69001', country: 'FR' },
          lineItems: [{ externalId: '1', sku: 'SKU-1', name: 'Lamp', quantity: 1 }],
          promisedDeliveryDate: null,
          placedAt: now,
          platformUpdatedAt: now,
          shippingSummary: 'not_shipped',
        },
        now,
      );
      if (index === 0) firstOrderId = order.id;
      const idempotencyKey = `order:${order.id}:order_confirmed:0:email`;
      keys.push(idempotencyKey);
      recipients.push(recipient);
      // The rows the planner writes for an order confirmation, through the same repository call.
      planned.push({
        storeId: store.id,
        orderId: order.id,
        shipmentId: null,
        milestone: 'order_confirmed',
        channel: 'email',
        recipient,
        idempotencyKey,
        state: 'planned',
        reason: null,
        payload: { attemptNumber: 0 },
      });
      if (planned.length === 500 || index === messages - 1) {
        await storage.repositories.notifications.planNotifications(planned, now);
        planned = [];
      }
    }
    // The bare sender sends what a worker renders for these orders: the built-in template, signed links of the same length.
    const storeRow = await storage.repositories.stores.findStoreById(store.id);
    const order = await storage.repositories.orders.findOrderById(store.id, firstOrderId);
    if (!storeRow || !order) throw new Error('seeded store or order not found');
    const signer = new LinkSigner(secretKey);
    const later = (days: number): Date => new Date(Date.now() + days * 86_400_000);
    const trackingUrl = `${PUBLIC_URL}/t/${signer.sign({ kind: 'track', storeId: store.id, orderId: order.id }, later(90))}`;
    const unsubscribeUrl = `${PUBLIC_URL}/u/${signer.sign(
      { kind: 'unsubscribe', storeId: store.id, channel: 'email', recipient: recipients[0]! },
      later(730),
    )}`;
    const rendered = messageRenderer.renderEmail({
      milestone: 'order_confirmed',
      locale: 'en',
      store: storeRow,
      order,
      shipment: null,
      trackingUrl,
      unsubscribeUrl,
      attemptNumber: 0,
      exceptionKind: null,
    });
    sample = { ...rendered, from: emailFromHeader(storeRow, EMAIL_FROM), unsubscribeUrl };
  } finally {
    await storage.close();
  }
  const seedSeconds = (performance.now() - started) / 1000;

  let copyCounter = 0;
  const copy = async (): Promise<DatabaseCopy> => {
    copyCounter += 1;
    if (dialect === 'sqlite') {
      const path = join(dir, `run-${copyCounter}.db`);
      copyFileSync(join(dir, 'seed.db'), path);
      if (existsSync(join(dir, 'seed.db-wal'))) copyFileSync(join(dir, 'seed.db-wal'), `${path}-wal`);
      const database: DatabaseCopy = {
        url: `sqlite:${path}`,
        states() {
          const db = new BetterSqlite3(path, { readonly: true });
          try {
            const rows = db.prepare('select state, count(*) as n from notification group by state').all() as {
              state: string;
              n: number;
            }[];
            return Promise.resolve(Object.fromEntries(rows.map((r) => [r.state, r.n])));
          } finally {
            db.close();
          }
        },
        commits: () => Promise.resolve(null),
        dispose() {
          copies.delete(database);
          for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
          return Promise.resolve();
        },
      };
      copies.add(database);
      return database;
    }
    const serverUrl = postgresUrl!;
    const name = `${seedName}_${copyCounter}`;
    await onAdmin(serverUrl, `create database ${name} template ${seedName}`);
    const copyUrl = databaseUrl(serverUrl, name);
    const query = async <Row extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<Row[]> => {
      const client = new pg.Client({ connectionString: copyUrl });
      await client.connect();
      try {
        return (await client.query<Row>(text, values)).rows;
      } finally {
        await client.end();
      }
    };
    const database: DatabaseCopy = {
      url: copyUrl,
      async states() {
        const rows = await query<{ state: string; n: string }>(
          'select state, count(*) as n from notification group by state',
        );
        return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
      },
      async commits() {
        // A fresh backend sees the latest flushed statistics, not a snapshot of an earlier read.
        const rows = await query<{ n: string }>('select xact_commit as n from pg_stat_database where datname = $1', [
          name,
        ]);
        return Number(rows[0]?.n ?? NaN);
      },
      async dispose() {
        copies.delete(database);
        await onAdmin(serverUrl, `drop database if exists ${name} with (force)`);
      },
    };
    copies.add(database);
    return database;
  };

  return { keys, recipients, sample, seedSeconds, copy, dispose: seeded.dispose };
}

// ---------------------------------------------------------------------------
// Waymark workers

type Worker = Disposable & { process: ChildProcess; ready: Promise<void>; warnings(): number; tail(): string[] };

function startWorker(env: NodeJS.ProcessEnv): Worker {
  const child = spawn(process.execPath, [CLI, 'worker'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));
  const lines: string[] = [];
  let warnings = 0;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    void exited.then(() => reject(new Error(`a worker exited before it was running:\n  ${lines.join('\n  ')}`)));
  });
  // Settled either way by then; a rejection nobody awaits any more is not an error.
  ready.catch(() => undefined);
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) {
        if (line.trim() === '') continue;
        if (line.includes(READY_LINE)) markReady();
        lines.push(line);
        if (lines.length > 50) lines.shift();
        // pino: warn is 40, error 50, fatal 60.
        if (Number(/"level":(\d+)/.exec(line)?.[1] ?? 0) >= 40) warnings += 1;
      }
    });
  }
  const worker: Worker = {
    process: child,
    ready,
    warnings: () => warnings,
    tail: () => [...lines],
    async dispose() {
      untrack(worker);
      if (!running) return;
      const stuck = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(stuck);
    },
  };
  track(worker);
  return worker;
}

function workerEnv(url: string, dataDir: string, smtpPort: number, secretKey: Buffer): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    DATABASE_URL: url,
    WAYMARK_DATA_DIR: dataDir,
    WAYMARK_SECRET_KEY: secretKey.toString('base64'),
    WAYMARK_PUBLIC_URL: PUBLIC_URL,
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    WAYMARK_EMAIL_FROM: EMAIL_FROM,
    WAYMARK_POLL_INTERVAL_MS: '100',
    // Info, for the start-up line; a worker logs nothing else at info while it delivers.
    LOG_LEVEL: 'info',
    NODE_ENV: 'production',
  };
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']) if (process.env[key]) env[key] = process.env[key];
  return env;
}

async function runWaymark(
  seeded: Seeded,
  smtp: CountingSmtpServer,
  processes: number,
  secretKey: Buffer,
): Promise<NotificationRun> {
  const database = await seeded.copy();
  const dataDir = mkdtempSync(join(tmpdir(), 'waymark-bench-worker-'));
  const workers: Worker[] = [];
  try {
    smtp.reset();
    const expected = seeded.keys.length;
    const commitsBefore = await database.commits();
    const spawnedAt = performance.now();
    for (let index = 0; index < processes; index += 1) {
      workers.push(startWorker(workerEnv(database.url, dataDir, smtp.port, secretKey)));
    }
    await Promise.all(workers.map((w) => w.ready));
    const allRunningAt = performance.now();
    // Measured from the moment every worker is running (or the first message, if later): the first worker
    // delivering alone while the others still start up would otherwise count against three workers.
    if (smtp.received === 0) await smtp.waitFor(1, 60_000);
    const window =
      smtp.received === 1 ? { at: smtp.firstAt, count: 1 } : { at: performance.now(), count: smtp.received };
    const cpuAtFirst = workers.reduce((sum, w) => sum + processCpuMs(w.process.pid), 0);
    await smtp.waitFor(expected, RUN_TIMEOUT_MS);
    const cpuAtLast = workers.reduce((sum, w) => sum + processCpuMs(w.process.pid), 0);
    const seconds = (smtp.lastAt - window.at) / 1000;
    const measured = smtp.received - window.count;
    for (const worker of workers) await worker.dispose();
    // Backends flush their statistics when they exit; give the collector a moment.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const commitsAfter = await database.commits();
    // The last `sent` commits may land just after the last message was accepted.
    let states = await database.states();
    for (let tries = 0; tries < 20 && (states.sent ?? 0) < expected; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      states = await database.states();
    }
    const { duplicates, missing } = smtp.check(seeded.keys);
    return {
      target: 'waymark',
      processes,
      messages: smtp.received,
      seconds,
      // Intervals between the first and the last message.
      perSecond: measured / seconds,
      measuredMessages: measured,
      startupSeconds: (allRunningAt - spawnedAt) / 1000,
      duplicates,
      missing,
      meanMessageBytes: smtp.bytes / smtp.received,
      workerCpuMsPerMessage: (cpuAtLast - cpuAtFirst) / measured,
      states,
      commitsPerMessage:
        commitsBefore === null || commitsAfter === null ? null : (commitsAfter - commitsBefore) / expected,
      warnings: workers.reduce((sum, w) => sum + w.warnings(), 0),
    };
  } catch (error) {
    const tail = workers.flatMap((w) => w.tail()).slice(-20);
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n  ${tail.join('\n  ')}`, {
      cause: error,
    });
  } finally {
    for (const worker of workers) await worker.dispose().catch(() => undefined);
    await database.dispose().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// Bare nodemailer

/**
 * `processes` senders in this process, each a pooled nodemailer transport
 * sending its share one message at a time, as one worker does.
 */
async function runBare(seeded: Seeded, smtp: CountingSmtpServer, processes: number): Promise<NotificationRun> {
  smtp.reset();
  const { sample, keys, recipients } = seeded;
  const transports = Array.from({ length: processes }, () =>
    nodemailer.createTransport({
      url: `smtp://127.0.0.1:${smtp.port}`,
      pool: true,
      maxRecipients: 1,
      disableFileAccess: true,
      disableUrlAccess: true,
    }),
  );
  const mail = (index: number): SendMailOptions => ({
    from: sample.from,
    to: recipients[index]!,
    subject: sample.subject,
    text: sample.text,
    html: sample.html,
    messageId: messageIdFor(keys[index]!, EMAIL_FROM),
    list: { unsubscribe: sample.unsubscribeUrl },
    headers: {
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'X-Waymark-Notification-Key': keys[index]!,
      'X-Waymark-Milestone': 'order_confirmed',
    },
  });
  const startedAt = performance.now();
  try {
    await Promise.all(
      transports.map(async (transport, sender) => {
        for (let index = sender; index < keys.length; index += processes) await transport.sendMail(mail(index));
      }),
    );
  } finally {
    for (const transport of transports) transport.close();
  }
  const seconds = (smtp.lastAt - smtp.firstAt) / 1000;
  const { duplicates, missing } = smtp.check(keys);
  return {
    target: 'bare',
    processes,
    messages: smtp.received,
    seconds,
    perSecond: (smtp.received - 1) / seconds,
    measuredMessages: smtp.received - 1,
    startupSeconds: (smtp.firstAt - startedAt) / 1000,
    duplicates,
    missing,
    meanMessageBytes: smtp.bytes / smtp.received,
    workerCpuMsPerMessage: null,
    states: null,
    commitsPerMessage: null,
    warnings: 0,
  };
}

// ---------------------------------------------------------------------------

export async function runNotificationsBenchmark(
  dialect: DialectName,
  options: NotificationsOptions,
): Promise<NotificationsResult> {
  const { messages, log } = options;
  if (messages < 2) throw new Error('notifications: at least 2 messages');
  const secretKey = randomBytes(32);
  const smtp = await new CountingSmtpServer().start();
  let seeded: Seeded | undefined;
  try {
    log(`[${dialect}] notifications: seeding ${messages} orders with a planned email each…`);
    seeded = await seedData(dialect, messages, secretKey, options.postgresUrl);
    const runs: NotificationRun[] = [];
    // Mirrored order (bare, Waymark, Waymark, bare) so drift over the run weighs on both alike.
    for (const [target, processes] of [
      ['bare', 1],
      ['waymark', 1],
      ['waymark', 3],
      ['bare', 3],
    ] as const) {
      log(`[${dialect}] notifications: ${target}, ${processes} ${target === 'bare' ? 'sender(s)' : 'worker(s)'}…`);
      const run =
        target === 'bare'
          ? await runBare(seeded, smtp, processes)
          : await runWaymark(seeded, smtp, processes, secretKey);
      log(`  ${run.perSecond.toFixed(0)} messages/s, ${run.duplicates} duplicates, ${run.missing} missing`);
      runs.push(run);
    }
    const rate = (target: NotificationTarget, processes: number): number =>
      runs.find((r) => r.target === target && r.processes === processes)?.perSecond ?? NaN;
    const ok = runs.every(
      (r) =>
        r.messages === messages &&
        r.duplicates === 0 &&
        r.missing === 0 &&
        (r.states === null || (r.states.sent === messages && Object.keys(r.states).length === 1)),
    );
    return {
      dialect,
      messages,
      seedSeconds: seeded.seedSeconds,
      runs,
      ratios: { one: rate('waymark', 1) / rate('bare', 1), three: rate('waymark', 3) / rate('bare', 3) },
      ok,
    };
  } finally {
    await seeded?.dispose();
    await smtp.stop();
  }
}
