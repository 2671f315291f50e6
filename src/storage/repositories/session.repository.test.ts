import { afterEach, beforeEach, expect, it } from 'vitest';

import { describeEachDatabase } from '../../test-support/databases.js';
import { createTestStorage, FIXED_NOW, seedStore, type TestStorage } from '../../test-support/factories.js';

const later = (minutes: number): string => new Date(Date.parse(FIXED_NOW) + minutes * 60_000).toISOString();

describeEachDatabase('session and dashboard user repositories', (dialect) => {
  let t: TestStorage;
  beforeEach(async () => {
    t = await createTestStorage(dialect);
  });
  afterEach(async () => {
    await t.drop();
  });

  async function seedUser(email = 'owner@example.com') {
    return t.storage.repositories.users.createUser(email, 'scrypt$hash', FIXED_NOW);
  }

  it('should find a session by its token hash and keep its store, CSRF token and times', async () => {
    const user = await seedUser();
    const store = await seedStore(t.storage);
    const sessions = t.storage.repositories.sessions;

    const created = await sessions.createSession(
      { tokenHash: 'a'.repeat(64), userId: user.id, storeId: store.id, csrfToken: 'csrf-1', expiresAt: later(60) },
      FIXED_NOW,
    );
    const found = await sessions.findSessionByTokenHash('a'.repeat(64));
    const missing = await sessions.findSessionByTokenHash('b'.repeat(64));

    expect(found).toEqual({
      id: created.id,
      userId: user.id,
      storeId: store.id,
      csrfToken: 'csrf-1',
      createdAt: FIXED_NOW,
      lastSeenAt: FIXED_NOW,
      expiresAt: later(60),
    });
    expect(missing).toBeUndefined();
  });

  it('should move the last activity and the chosen store, and delete a session', async () => {
    const user = await seedUser();
    const [first, second] = [await seedStore(t.storage), await seedStore(t.storage)];
    const sessions = t.storage.repositories.sessions;
    const created = await sessions.createSession(
      { tokenHash: 'c'.repeat(64), userId: user.id, storeId: first.id, csrfToken: 'x', expiresAt: later(600) },
      FIXED_NOW,
    );

    await sessions.touchSession(created.id, later(5));
    const touched = await sessions.findSessionByTokenHash('c'.repeat(64));
    await sessions.setSessionStore(created.id, second.id, later(6));
    const switched = await sessions.findSessionByTokenHash('c'.repeat(64));
    await sessions.deleteSession(created.id);

    expect(touched?.lastSeenAt).toBe(later(5));
    expect(switched?.storeId).toBe(second.id);
    expect(switched?.lastSeenAt).toBe(later(6));
    expect(await sessions.findSessionByTokenHash('c'.repeat(64))).toBeUndefined();
  });

  it('should delete sessions past their absolute end or idle too long, and keep live ones', async () => {
    const user = await seedUser();
    const sessions = t.storage.repositories.sessions;
    const make = (hash: string, expiresAt: string) =>
      sessions.createSession({ tokenHash: hash, userId: user.id, storeId: null, csrfToken: 'x', expiresAt }, FIXED_NOW);
    await make('1'.repeat(64), later(10));
    const idle = await make('2'.repeat(64), later(1000));
    const live = await make('3'.repeat(64), later(1000));
    await sessions.touchSession(live.id, later(30));

    const deleted = await sessions.deleteExpiredSessions(later(20), later(15));

    expect(deleted).toBe(2);
    expect(await sessions.findSessionByTokenHash('1'.repeat(64))).toBeUndefined();
    expect(await sessions.findSessionByTokenHash('2'.repeat(64))).toBeUndefined();
    expect((await sessions.findSessionByTokenHash('3'.repeat(64)))?.id).toBe(live.id);
    expect(idle.id).not.toBe(live.id);
  });

  it('should forget the chosen store when that store is deleted, and the session when the user is', async () => {
    const user = await seedUser();
    const store = await seedStore(t.storage);
    await t.storage.repositories.sessions.createSession(
      { tokenHash: 'd'.repeat(64), userId: user.id, storeId: store.id, csrfToken: 'x', expiresAt: later(60) },
      FIXED_NOW,
    );

    await t.database.db.deleteFrom('store').where('id', '=', store.id).execute();
    const afterStore = await t.storage.repositories.sessions.findSessionByTokenHash('d'.repeat(64));
    await t.database.db.deleteFrom('app_user').where('id', '=', user.id).execute();
    const afterUser = await t.storage.repositories.sessions.findSessionByTokenHash('d'.repeat(64));

    expect(afterStore?.storeId).toBeNull();
    expect(afterUser).toBeUndefined();
  });

  it('should list a user memberships by store name and a store members, and revoke access', async () => {
    const owner = await seedUser('owner@example.com');
    const staff = await seedUser('staff@example.com');
    const zeta = await seedStore(t.storage, { name: 'Zeta Shop' });
    const alpha = await seedStore(t.storage, { name: 'Alpha Shop' });
    const users = t.storage.repositories.users;
    await users.grantStoreAccess(owner.id, zeta.id, 'owner', FIXED_NOW);
    await users.grantStoreAccess(owner.id, alpha.id, 'staff', FIXED_NOW);
    await users.grantStoreAccess(staff.id, zeta.id, 'staff', FIXED_NOW);

    const memberships = await users.listMemberships(owner.id);
    const members = await users.listStoreMembers(zeta.id);
    const revoked = await users.revokeStoreAccess(staff.id, zeta.id);
    const revokedAgain = await users.revokeStoreAccess(staff.id, zeta.id);

    expect(memberships).toEqual([
      { storeId: alpha.id, storeName: 'Alpha Shop', storeSlug: 'alpha-shop', role: 'staff' },
      { storeId: zeta.id, storeName: 'Zeta Shop', storeSlug: 'zeta-shop', role: 'owner' },
    ]);
    expect(members).toEqual([
      { userId: owner.id, email: 'owner@example.com', role: 'owner', since: FIXED_NOW },
      { userId: staff.id, email: 'staff@example.com', role: 'staff', since: FIXED_NOW },
    ]);
    expect(revoked).toBe(true);
    expect(revokedAgain).toBe(false);
    expect(await users.listStoreMembers(zeta.id)).toHaveLength(1);
  });
});
