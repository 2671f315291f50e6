import { afterEach, beforeEach, expect, it } from 'vitest';

import { buildTestApp, errorOf, seedStoreWithKey, type TestApp } from '../../../test-support/build-test-app.js';
import { describeEachDatabase } from '../../../test-support/databases.js';

describeEachDatabase('GET /api/v1/notifications', (dialect) => {
  let t: TestApp;

  beforeEach(async () => {
    t = await buildTestApp(dialect);
  });
  afterEach(async () => {
    await t.close();
  });

  it('should list what an order caused: shipped emailed, suppressed where there is no email, and never another store’s', async () => {
    const { auth } = await seedStoreWithKey(t.storage, { name: 'Mine' });
    const other = await seedStoreWithKey(t.storage, { name: 'Theirs' });
    const body = (externalId: string, email: string | null) => ({
      externalId,
      number: externalId,
      orderStatus: 'fulfilled',
      placedAt: t.clock.now(),
      updatedAt: t.clock.now(),
      customer: { email },
      shipments: [{ trackingNumber: 'SBX100000123' }],
    });
    const withEmail = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/orders',
        headers: auth,
        payload: body('N1', 'ada@example.com'),
      })
    ).json<{ id: string }>();
    const withoutEmail = (
      await t.app.inject({ method: 'POST', url: '/api/v1/orders', headers: auth, payload: body('N2', null) })
    ).json<{ id: string }>();
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: auth,
      payload: body('N1', 'ada@example.com'),
    });

    const listed = await t.app.inject({
      method: 'GET',
      url: `/api/v1/notifications?orderId=${withEmail.id}`,
      headers: auth,
    });
    const suppressed = await t.app.inject({
      method: 'GET',
      url: `/api/v1/notifications?orderId=${withoutEmail.id}`,
      headers: auth,
    });
    const foreign = await t.app.inject({
      method: 'GET',
      url: `/api/v1/notifications?orderId=${withEmail.id}`,
      headers: other.auth,
    });

    const rows = listed.json<{
      data: { channel: string; milestone: string; state: string; recipient: string | null }[];
    }>().data;
    expect(rows.filter((r) => r.channel === 'email').map((r) => [r.milestone, r.state, r.recipient])).toEqual([
      ['shipped', 'planned', 'ada@example.com'],
    ]);
    expect(rows.filter((r) => r.milestone === 'shipped' && r.channel === 'email')).toHaveLength(1);
    expect(
      suppressed
        .json<{ data: { channel: string; state: string; reason: string }[] }>()
        .data.find((r) => r.channel === 'email'),
    ).toMatchObject({ state: 'suppressed', reason: 'no customer email' });
    expect(foreign.statusCode).toBe(404);
    expect(errorOf(foreign).code).toBe('not_found');
  });
});
