import { createHmac } from 'node:crypto';

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { EASYPOST_STATUS_MAP } from '../adapters/carriers/easypost/easypost.status-map.js';
import { reduceShipmentStatus } from '../core/shipment/reduce-shipment-status.js';
import type { ShippingStatus, Substatus } from '../core/shipment/shipping-status.js';
import { createTestDatabase, POSTGRES_URL, type TestDatabase } from '../test-support/databases.js';
import { createApiStore, runCliJson, sleep, startServer, waymarkEnv, WaymarkProcess } from './waymark-process.js';

/**
 * A status storm with workers dying: thousands of tracking events reach
 * `waymark serve` as signed EasyPost webhooks (every step of each parcel's
 * history, in shuffled order, some delivered twice), while three `waymark
 * worker` processes work the inbox and are killed with SIGKILL one after
 * another and replaced. At the end every parcel must hold exactly the events
 * it was sent and the status they add up to, and no notification may have
 * been planned twice. PostgreSQL when WAYMARK_TEST_POSTGRES_URL is set
 * (the scale-out layout), SQLite otherwise.
 */

const PARCELS = 600;
const WORKERS = 3;
const SECRET = 'whsec_storm';
const SEND_CONCURRENCY = 8;

type Step = { status: string; status_detail: string | null };

/** Stories that only move forward, so the last step says where each parcel ends. */
const STORIES: Step[][] = [
  [
    { status: 'pre_transit', status_detail: 'label_created' },
    { status: 'in_transit', status_detail: 'arrived_at_facility' },
    { status: 'in_transit', status_detail: 'departed_facility' },
    { status: 'out_for_delivery', status_detail: 'out_for_delivery' },
    { status: 'delivered', status_detail: 'arrived_at_destination' },
  ],
  [
    { status: 'pre_transit', status_detail: 'label_created' },
    { status: 'in_transit', status_detail: 'arrived_at_facility' },
    { status: 'in_transit', status_detail: 'departed_facility' },
  ],
  [
    { status: 'pre_transit', status_detail: 'label_created' },
    { status: 'in_transit', status_detail: 'arrived_at_facility' },
    { status: 'in_transit', status_detail: 'departed_facility' },
    { status: 'in_transit', status_detail: 'arrived_at_facility' },
    { status: 'out_for_delivery', status_detail: 'out_for_delivery' },
    { status: 'delivered', status_detail: 'arrived_at_destination' },
  ],
  [
    { status: 'pre_transit', status_detail: 'label_created' },
    { status: 'in_transit', status_detail: 'arrived_at_facility' },
    { status: 'return_to_sender', status_detail: null },
  ],
];

type Delivery = { eventId: string; body: Buffer };

function trackingNumberOf(parcel: number): string {
  return `1ZSTORM${String(parcel).padStart(11, '0')}`;
}

/** One webhook per step of the history, each carrying the history so far, as EasyPost sends them. */
function deliveriesFor(parcel: number, startedAt: number): { deliveries: Delivery[]; story: Step[] } {
  const story = STORIES[parcel % STORIES.length]!;
  const details = story.map((step, index) => ({
    object: 'TrackingDetail',
    message: `${step.status} ${index}`,
    status: step.status,
    status_detail: step.status_detail,
    datetime: new Date(startedAt + index * 3_600_000 + parcel * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    tracking_location: { object: 'TrackingLocation', city: 'DENVER', state: 'CO', country: 'US', zip: null },
  }));
  const deliveries = details.map((_, index) => {
    const body = {
      id: `evt_storm_${parcel}_${index}`,
      object: 'Event',
      description: 'tracker.updated',
      mode: 'test',
      created_at: details[index]!.datetime,
      result: {
        object: 'Tracker',
        id: `trk_storm_${parcel}`,
        tracking_code: trackingNumberOf(parcel),
        carrier: 'UPS',
        status: story[index]!.status,
        status_detail: story[index]!.status_detail,
        tracking_details: details.slice(0, index + 1),
      },
    };
    return { eventId: body.id, body: Buffer.from(JSON.stringify(body)) };
  });
  return { deliveries, story };
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe('a status storm while workers are killed -9 again and again [soak]', () => {
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;
  let server: WaymarkProcess;
  let baseUrl: string;
  const workers: WaymarkProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(POSTGRES_URL ? 'postgres' : 'sqlite', { migrate: false });
    env = waymarkEnv(database.url, {
      WAYMARK_EASYPOST_WEBHOOK_SECRET: SECRET,
      WAYMARK_POLL_INTERVAL_MS: '100',
      WAYMARK_LEASE_MS: '3000',
      WAYMARK_WORKER_BATCH: '20',
    });
    await runCliJson(['migrate'], env);
    ({ process: server, baseUrl } = await startServer('serve', env));
  }, 180_000);

  afterAll(async () => {
    await Promise.all([server?.stop(), ...workers.map((w) => w.stop())]);
    await database?.drop();
  });

  it('applies every event exactly once and plans no notification twice', async () => {
    const { key } = await createApiStore(env, 'Storm Shop');
    const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    for (let start = 0; start < PARCELS; start += SEND_CONCURRENCY) {
      await Promise.all(
        Array.from({ length: Math.min(SEND_CONCURRENCY, PARCELS - start) }, async (_, offset) => {
          const parcel = start + offset;
          const response = await fetch(`${baseUrl}/api/v1/orders`, {
            method: 'POST',
            headers: auth,
            body: JSON.stringify({
              externalId: `storm-${parcel}`,
              number: `#S${parcel}`,
              customer: { email: `storm${parcel}@example.com`, name: 'Storm Buyer' },
              shipments: [{ trackingNumber: trackingNumberOf(parcel), carrier: 'ups' }],
            }),
          });
          expect(response.status, await response.text()).toBe(201);
        }),
      );
    }

    const startedAt = Date.now() - 12 * 3_600_000;
    const stories = new Map<string, Step[]>();
    const all: Delivery[] = [];
    for (let parcel = 0; parcel < PARCELS; parcel += 1) {
      const { deliveries, story } = deliveriesFor(parcel, startedAt);
      stories.set(trackingNumberOf(parcel), story);
      all.push(...deliveries);
    }
    // A fifth delivered twice, as providers retry.
    const queue = shuffled([...all, ...shuffled(all).slice(0, Math.floor(all.length / 5))]);

    for (let i = 0; i < WORKERS; i += 1) workers.push(new WaymarkProcess(['worker'], env));
    const inboxPending = async (): Promise<number> => {
      const pending = await database.db
        .selectFrom('inbound_webhook')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('next_attempt_at', 'is not', null)
        .executeTakeFirstOrThrow();
      return Number(pending.n);
    };
    let sending = true;
    let kills = 0;
    let killsWhileWorkWaited = 0;
    // A worker dies every half second to two seconds for as long as there is work, and a new one takes its place.
    const killer = (async () => {
      const giveUpAt = Date.now() + 15 * 60_000;
      for (;;) {
        await sleep(500 + Math.random() * 1_500);
        const pending = await inboxPending();
        if (!sending && pending === 0 && kills >= 20) break;
        if (Date.now() > giveUpAt) throw new Error(`the inbox did not drain: ${pending} rows still pending`);
        const index = Math.floor(Math.random() * workers.length);
        await workers[index]!.killHard();
        kills += 1;
        if (pending > 0) killsWhileWorkWaited += 1;
        workers[index] = new WaymarkProcess(['worker'], env);
      }
    })();

    const statuses = new Map<number, number>();
    let next = 0;
    await Promise.all(
      Array.from({ length: SEND_CONCURRENCY }, async () => {
        while (next < queue.length) {
          const delivery = queue[next]!;
          next += 1;
          const signature = createHmac('sha256', SECRET).update(delivery.body).digest('hex');
          const response = await fetch(`${baseUrl}/webhooks/carriers/easypost`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-hmac-signature': `hmac-sha256-hex=${signature}` },
            body: delivery.body,
          });
          await response.arrayBuffer();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        }
      }),
    );
    sending = false;
    // The killing goes on while the inbox drains; it stops once the inbox is empty.
    await killer;
    expect(killsWhileWorkWaited, `${kills} kills`).toBeGreaterThanOrEqual(10);

    expect(
      [...statuses.keys()].filter((status) => status < 200 || status >= 300),
      JSON.stringify([...statuses]),
    ).toEqual([]);
    const inbox = await database.db
      .selectFrom('inbound_webhook')
      .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('state')
      .execute();
    expect(
      inbox.map((row) => [row.state, Number(row.n)]),
      `${kills} kills`,
    ).toEqual([['processed', all.length]]);

    // Every parcel holds exactly the steps it was sent, and the status they add up to.
    const events = await database.db
      .selectFrom('tracking_event')
      .innerJoin('shipment', 'shipment.id', 'tracking_event.shipment_id')
      .select([
        'shipment.tracking_number',
        'tracking_event.occurred_at',
        'tracking_event.sequence',
        'tracking_event.status',
        'tracking_event.substatus',
        'tracking_event.reason',
        'tracking_event.dedupe_key',
      ])
      .execute();
    const shipments = await database.db.selectFrom('shipment').select(['id', 'tracking_number', 'status']).execute();
    const wrong: string[] = [];
    for (const shipment of shipments) {
      const story = stories.get(shipment.tracking_number)!;
      const own = events.filter((event) => event.tracking_number === shipment.tracking_number);
      const reduced = reduceShipmentStatus(
        own.map((event) => ({
          occurredAt: event.occurred_at,
          sequence: event.sequence === null ? null : Number(event.sequence),
          status: event.status as ShippingStatus,
          substatus: event.substatus as Substatus,
          reason: event.reason as never,
          dedupeKey: event.dedupe_key,
        })),
      );
      const expected = EASYPOST_STATUS_MAP[story.at(-1)!.status]!.status;
      if (own.length !== story.length || shipment.status !== expected || reduced.status !== expected) {
        wrong.push(
          `${shipment.tracking_number}: ${own.length}/${story.length} events, ${shipment.status} (reduced ${reduced.status}), expected ${expected}`,
        );
      }
    }
    expect(wrong.slice(0, 10), `${wrong.length} of ${shipments.length} parcels wrong after ${kills} kills`).toEqual([]);

    // No notification planned twice: neither the same key, nor the same milestone of a parcel on one channel.
    const duplicateKeys = await sql<{ n: number }>`
      select count(*) as n from (
        select idempotency_key from notification group by idempotency_key having count(*) > 1) d`.execute(database.db);
    expect(Number(duplicateKeys.rows[0]!.n)).toBe(0);
    const repeated = await sql<{ subject: string; milestone: string; channel: string; n: number }>`
      select coalesce(shipment_id, order_id) as subject, milestone, channel, count(*) as n
      from notification
      where milestone in ('shipped', 'in_transit', 'out_for_delivery', 'delivered', 'return_to_sender', 'all_delivered')
      group by coalesce(shipment_id, order_id), milestone, channel
      having count(*) > 1`.execute(database.db);
    expect(repeated.rows).toEqual([]);
    // And the parcels that arrived did get their delivered message planned.
    const delivered = await sql<{ n: number }>`
      select count(distinct shipment_id) as n from notification where milestone = 'delivered'`.execute(database.db);
    const deliveredParcels = shipments.filter((s) => s.status === 'delivered').length;
    expect(Number(delivered.rows[0]!.n)).toBe(deliveredParcels);
    process.stdout.write(
      `[status storm soak] ${JSON.stringify({ deliveries: queue.length, distinctEvents: events.length, kills, killsWhileWorkWaited, deliveredParcels })}\n`,
    );
  });
});
