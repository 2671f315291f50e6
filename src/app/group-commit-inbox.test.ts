import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { AcceptedWebhook, InboxStore } from '../core/ports/storage.port.js';
import { describeEachDatabase } from '../test-support/databases.js';
import { createTestStorage, FIXED_NOW, seedStore, type TestStorage } from '../test-support/factories.js';
import { GroupCommitInbox } from './group-commit-inbox.js';

function delivery(storeId: string | null, eventId: string | null, body = `{"id":"${eventId}"}`): AcceptedWebhook {
  return {
    storeId,
    source: 'platform:shopify',
    topic: 'orders/create',
    providerEventId: eventId,
    headers: { 'x-shopify-topic': 'orders/create' },
    rawBody: body,
  };
}

/** Counts the statements the group commit makes, around the real repository. */
function countingInbox(inbox: InboxStore): { store: Pick<InboxStore, 'acceptWebhooks'>; batches: number[] } {
  const batches: number[] = [];
  return {
    batches,
    store: {
      acceptWebhooks(inputs, now) {
        batches.push(inputs.length);
        return inbox.acceptWebhooks(inputs, now);
      },
    },
  };
}

describeEachDatabase('GroupCommitInbox', (dialect) => {
  let t: TestStorage;
  let storeId: string;

  beforeEach(async () => {
    t = await createTestStorage(dialect);
    storeId = (await seedStore(t.storage)).id;
  });
  afterEach(async () => {
    await t.drop();
  });

  async function storedRows() {
    return t.database.db
      .selectFrom('inbound_webhook')
      .select(['id', 'provider_event_id', 'raw_body', 'state'])
      .orderBy('provider_event_id')
      .execute();
  }

  it('should commit deliveries that arrive together in one statement, and answer each with its own stored row', async () => {
    const counting = countingInbox(t.storage.repositories.inbox);
    const inbox = new GroupCommitInbox(counting.store);
    const ids = Array.from({ length: 60 }, (_, index) => `event-${String(index).padStart(3, '0')}`);

    const receipts = await Promise.all(ids.map((id) => inbox.acceptWebhook(delivery(storeId, id), FIXED_NOW)));
    const rows = await storedRows();

    expect(counting.batches).toEqual([60]);
    expect(rows.map((row) => row.provider_event_id)).toEqual(ids);
    expect(rows.every((row) => row.state === 'pending')).toBe(true);
    expect(receipts.map((receipt) => receipt.duplicate)).toEqual(ids.map(() => false));
    expect(receipts.map((receipt) => receipt.id)).toEqual(
      ids.map((id) => rows.find((row) => row.provider_event_id === id)?.id),
    );
  });

  it('should split a larger burst into batches of at most the limit, in arrival order', async () => {
    const counting = countingInbox(t.storage.repositories.inbox);
    const inbox = new GroupCommitInbox(counting.store, { maxBatch: 25 });

    await Promise.all(
      Array.from({ length: 60 }, (_, index) => inbox.acceptWebhook(delivery(storeId, `e-${index}`), FIXED_NOW)),
    );

    expect(counting.batches).toEqual([25, 25, 10]);
    expect(await storedRows()).toHaveLength(60);
  });

  it('should store a delivery once when it is repeated within a batch or was stored before, and give the stored id', async () => {
    const inbox = new GroupCommitInbox(t.storage.repositories.inbox);
    const earlier = await inbox.acceptWebhook(delivery(storeId, 'stored-before'), FIXED_NOW);

    const [again, first, repeat, other] = await Promise.all([
      inbox.acceptWebhook(delivery(storeId, 'stored-before'), FIXED_NOW),
      inbox.acceptWebhook(delivery(storeId, 'twice-in-batch'), FIXED_NOW),
      inbox.acceptWebhook(delivery(storeId, 'twice-in-batch'), FIXED_NOW),
      inbox.acceptWebhook(delivery(storeId, 'once'), FIXED_NOW),
    ]);
    const rows = await storedRows();

    expect(rows.map((row) => row.provider_event_id)).toEqual(['once', 'stored-before', 'twice-in-batch']);
    expect(again).toEqual({ id: earlier.id, duplicate: true });
    expect(first?.duplicate).toBe(false);
    expect(repeat).toEqual({ id: first?.id, duplicate: true });
    expect(other?.duplicate).toBe(false);
  });

  it('should store a delivery whose id holds a lone surrogate, and recognise it when it comes again', async () => {
    const inbox = new GroupCommitInbox(t.storage.repositories.inbox);
    // A JSON "\udfff" escape parses to a lone surrogate; both databases store it as U+FFFD.
    const oddId = `scope:${String.fromCharCode(0xdfff)}:hash`;

    const first = await inbox.acceptWebhook(delivery(storeId, oddId), FIXED_NOW);
    const again = await inbox.acceptWebhook(delivery(storeId, oddId), FIXED_NOW);

    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ id: first.id, duplicate: true });
    expect(await storedRows()).toHaveLength(1);
  });

  it('should recognise deliveries without a provider id by their body', async () => {
    const inbox = new GroupCommitInbox(t.storage.repositories.inbox);

    const [first, same, different] = await Promise.all([
      inbox.acceptWebhook(delivery(storeId, null, '{"a":1}'), FIXED_NOW),
      inbox.acceptWebhook(delivery(storeId, null, '{"a":1}'), FIXED_NOW),
      inbox.acceptWebhook(delivery(storeId, null, '{"a":2}'), FIXED_NOW),
    ]);

    expect(same).toEqual({ id: first?.id, duplicate: true });
    expect(different?.duplicate).toBe(false);
    expect(await storedRows()).toHaveLength(2);
  });

  it('should store the rest of a batch when one delivery cannot be stored, and fail only that one', async () => {
    const real = t.storage.repositories.inbox;
    const inbox = new GroupCommitInbox({
      acceptWebhooks(inputs, now) {
        if (inputs.some((input) => input.providerEventId === 'poison'))
          return Promise.reject(new Error('value refused by the database'));
        return real.acceptWebhooks(inputs, now);
      },
    });

    const results = await Promise.allSettled(
      ['a', 'poison', 'b'].map((id) => inbox.acceptWebhook(delivery(storeId, id), FIXED_NOW)),
    );

    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await storedRows()).map((row) => row.provider_event_id)).toEqual(['a', 'b']);
  });

  it('should answer only after the commit: every delivery it answered is in the database', async () => {
    const inbox = new GroupCommitInbox(t.storage.repositories.inbox, { maxBatch: 7 });
    const answered: string[] = [];

    await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        inbox.acceptWebhook(delivery(storeId, `d-${index}`), FIXED_NOW).then(async (receipt) => {
          const row = await t.database.db
            .selectFrom('inbound_webhook')
            .select('id')
            .where('id', '=', receipt.id)
            .executeTakeFirst();
          if (row) answered.push(receipt.id);
        }),
      ),
    );
    await inbox.whenIdle();

    expect(answered).toHaveLength(40);
  });
});

describe('GroupCommitInbox without a database', () => {
  it('should commit a lone delivery on the next turn of the event loop, without waiting for company', async () => {
    const batches: number[] = [];
    const inbox = new GroupCommitInbox({
      acceptWebhooks: (inputs) => {
        batches.push(inputs.length);
        return Promise.resolve(inputs.map((_, index) => ({ id: `id-${index}`, duplicate: false })));
      },
    });

    const receipt = await inbox.acceptWebhook(delivery('s', 'only'), FIXED_NOW);

    expect(receipt).toEqual({ id: 'id-0', duplicate: false });
    expect(batches).toEqual([1]);
  });

  it('should gather deliveries that arrive while every commit slot is busy into the next batch', async () => {
    const batches: string[][] = [];
    const releases: Array<() => void> = [];
    const inbox = new GroupCommitInbox(
      {
        acceptWebhooks: async (inputs) => {
          batches.push(inputs.map((input) => input.providerEventId ?? ''));
          if (batches.length <= 2) await new Promise<void>((resolve) => releases.push(resolve));
          return inputs.map((input) => ({ id: input.providerEventId ?? '', duplicate: false }));
        },
      },
      { maxInFlight: 2 },
    );
    const turn = () => new Promise((resolve) => setImmediate(resolve));

    const first = inbox.acceptWebhook(delivery('s', 'first'), FIXED_NOW);
    await turn();
    const second = inbox.acceptWebhook(delivery('s', 'second'), FIXED_NOW);
    await turn();
    const later = ['third', 'fourth'].map((id) => inbox.acceptWebhook(delivery('s', id), FIXED_NOW));
    await turn();
    const whileBusy = [...batches];
    for (const release of releases) release();
    await Promise.all([first, second, ...later]);
    await inbox.whenIdle();

    expect(whileBusy).toEqual([['first'], ['second']]);
    expect(batches).toEqual([['first'], ['second'], ['third', 'fourth']]);
  });
});
