/**
 * The third server of the webhook ingest benchmark, run as its own process by
 * `ingest.ts`: the work an intake cannot skip, and nothing else. Like the bare
 * route it is a plain Fastify server with the same raw-body parser and body
 * limit; unlike it, each delivery is verified (HMAC-SHA256 of the raw bytes,
 * compared in constant time), parsed (a body that is not JSON gets 400), and
 * committed to `inbound_webhook` with its dedupe key and kept headers before
 * the 2xx, batched by Waymark's own group commit, with SQLite's checkpoints on
 * Waymark's checkpoint thread. No store look-up, no logging, no metrics, no
 * hooks, no query builder: one prepared statement per batch size.
 *
 * It answers "how fast could any server be here that does what the issue
 * requires", so Waymark's distance from the bare route splits into what the
 * required work costs on this machine and what Waymark adds to it.
 *
 * Settings come from the environment: DATABASE_URL (`sqlite:PATH` or a
 * PostgreSQL URL, migrated and holding the store), WEBHOOK_SECRET, STORE_ID.
 * It prints `listening PORT` on stdout once it listens.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

import BetterSqlite3 from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';

import { GroupCommitInbox, type InboxReceipt } from '../app/group-commit-inbox.js';
import { headersToKeep } from '../app/ingest-carrier-webhook.js';
import type { AcceptedWebhook } from '../core/ports/storage.port.js';
import { newId } from '../storage/ids.js';
import { InboxState, inboxDedupeKey } from '../storage/repositories/inbound-webhook.repository.js';
import { startBackgroundCheckpoints } from '../storage/sqlite-checkpointer.js';

const BODY_LIMIT = 1_048_576;
const COLUMNS = [
  'id',
  'store_id',
  'source',
  'topic',
  'provider_event_id',
  'dedupe_key',
  'headers',
  'raw_body',
  'received_at',
  'next_attempt_at',
  'state',
] as const;

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const databaseUrl = setting('DATABASE_URL');
const secret = setting('WEBHOOK_SECRET');
const storeId = setting('STORE_ID');

type Row = { dedupeKey: string; values: unknown[] };

/** `INSERT … VALUES (…), (…) ON CONFLICT DO NOTHING RETURNING dedupe_key` for `count` rows. */
function insertSql(count: number, placeholder: (index: number) => string): string {
  const tuples: string[] = [];
  for (let row = 0; row < count; row += 1) {
    tuples.push(`(${COLUMNS.map((_, column) => placeholder(row * COLUMNS.length + column)).join(', ')})`);
  }
  return (
    `insert into inbound_webhook (${COLUMNS.join(', ')}) values ${tuples.join(', ')} ` +
    `on conflict (dedupe_key) do nothing returning dedupe_key`
  );
}

function openInsert(): { insert: (rows: readonly Row[]) => Promise<Set<string>>; close: () => Promise<void> } {
  if (databaseUrl.startsWith('sqlite:')) {
    const path = databaseUrl.slice('sqlite:'.length);
    const sqlite = new BetterSqlite3(path);
    // Waymark's settings for its own connection (storage/create-database.ts).
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    const checkpoints = startBackgroundCheckpoints(path);
    const statements = new Map<number, BetterSqlite3.Statement>();
    return {
      insert: (rows) => {
        let statement = statements.get(rows.length);
        if (!statement) {
          statement = sqlite.prepare(insertSql(rows.length, () => '?'));
          statements.set(rows.length, statement);
        }
        const stored = statement.all(rows.flatMap((row) => row.values)) as { dedupe_key: string }[];
        return Promise.resolve(new Set(stored.map((row) => row.dedupe_key)));
      },
      close: async () => {
        await checkpoints.stop();
        sqlite.close();
      },
    };
  }
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const texts = new Map<number, string>();
  return {
    insert: async (rows) => {
      let text = texts.get(rows.length);
      if (!text) {
        text = insertSql(rows.length, (index) => `$${index + 1}`);
        texts.set(rows.length, text);
      }
      const result = await pool.query<{ dedupe_key: string }>(
        text,
        rows.flatMap((row) => row.values),
      );
      return new Set(result.rows.map((row) => row.dedupe_key));
    },
    close: () => pool.end(),
  };
}

const database = openInsert();
const inbox = new GroupCommitInbox({
  async acceptWebhooks(inputs: readonly AcceptedWebhook[], now: string): Promise<InboxReceipt[]> {
    const rows = inputs.map((input): Row => {
      const dedupeKey = inboxDedupeKey(input);
      const id = newId();
      const values = [
        id,
        input.storeId,
        input.source,
        input.topic,
        input.providerEventId,
        dedupeKey,
        JSON.stringify(input.headers),
        input.rawBody,
        now,
        now,
        InboxState.Pending,
      ];
      return { dedupeKey, values };
    });
    const stored = await database.insert(rows);
    // The bench never repeats a delivery, so a duplicate's stored id is not looked up.
    return rows.map((row) => ({ id: String(row.values[0]), duplicate: !stored.has(row.dedupeKey) }));
  },
});

const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT });
app.removeAllContentTypeParsers();
app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
app.post<{ Params: { platform: string; storeId: string } }>('/webhooks/:platform/:storeId', async (request, reply) => {
  const body = request.body;
  if (!Buffer.isBuffer(body) || request.params.storeId !== storeId)
    return reply.status(404).send({ error: 'not found' });
  const signature = request.headers['x-shopify-hmac-sha256'];
  const given = Buffer.from(typeof signature === 'string' ? signature : '', 'base64');
  const expected = createHmac('sha256', secret).update(body).digest();
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return reply.status(401).send({ error: 'signature' });
  const rawBody = body.toString('utf8');
  try {
    JSON.parse(rawBody);
  } catch {
    return reply.status(400).send({ error: 'not JSON' });
  }
  const topic = request.headers['x-shopify-topic'];
  const webhookId = request.headers['x-shopify-webhook-id'];
  const receipt = await inbox.acceptWebhook(
    {
      storeId,
      source: `platform:${request.params.platform}`,
      topic: typeof topic === 'string' ? topic : null,
      providerEventId: typeof webhookId === 'string' ? webhookId : null,
      headers: headersToKeep(request.headers),
      rawBody,
    },
    new Date().toISOString(),
  );
  return reply.status(200).send({ received: true, duplicate: receipt.duplicate });
});

await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);

const stop = (): void => {
  void app
    .close()
    .then(() => inbox.whenIdle())
    .then(() => database.close())
    .finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
