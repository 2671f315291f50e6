import { afterAll, beforeAll, expect, it } from 'vitest';

import { DomainError, ErrorCode } from '../core/errors.js';
import type { Stores, UnitOfWork } from '../core/ports/storage.port.js';
import { describeEachDatabase } from '../test-support/databases.js';
import { fastPasswords } from '../test-support/dashboard.js';
import { createTestStorage, ManualClock, seedStore, type TestStorage } from '../test-support/factories.js';
import { acceptStoreInvitation, addOrInviteStoreUser, openInvitation } from './store-invitations.js';

describeEachDatabase('store invitations', (dialect) => {
  let t: TestStorage;
  let counter = 0;
  const clock = new ManualClock();

  beforeAll(async () => {
    t = await createTestStorage(dialect);
  });
  afterAll(async () => {
    await t.drop();
  });

  function deps(uow: UnitOfWork = t.storage) {
    const stores = t.storage.repositories;
    return { uow, users: stores.users, invitations: stores.invitations, passwords: fastPasswords, clock };
  }

  async function invited(): Promise<{ token: string; email: string; storeId: string }> {
    counter += 1;
    const store = await seedStore(t.storage, { name: `Shop ${counter}` });
    const outcome = await addOrInviteStoreUser(deps(), store.id, {
      email: `new${counter}@example.com`,
      role: 'staff',
      password: '',
    });
    if (outcome.kind !== 'invited') throw new Error('expected an invitation');
    return { token: outcome.token, email: outcome.email, storeId: store.id };
  }

  it('should leave the link usable when joining fails half-way, and use it up when joining succeeds', async () => {
    const { token, email, storeId } = await invited();
    // The account cannot be created the first time: everything the transaction did must be undone.
    let failures = 1;
    const flaky: UnitOfWork = {
      repositories: t.storage.repositories,
      transaction: (work) =>
        t.storage.transaction((stores) => {
          const users: Stores['users'] = Object.assign(Object.create(stores.users) as Stores['users'], {
            createUser: (...args: Parameters<Stores['users']['createUser']>) => {
              if (failures-- > 0) return Promise.reject(new DomainError(ErrorCode.Conflict, 'simulated failure'));
              return stores.users.createUser(...args);
            },
          });
          return work({ ...stores, users });
        }),
    };

    const first = await acceptStoreInvitation(deps(flaky), token, 'a password of my own').catch((e: unknown) => e);
    const stillOpen = await openInvitation(deps(), token);
    const second = await acceptStoreInvitation(deps(flaky), token, 'a password of my own');
    const members = await t.storage.repositories.users.listStoreMembers(storeId);
    const third = await acceptStoreInvitation(deps(), token, 'a password of my own').catch((e: unknown) => e);

    expect(first).toBeInstanceOf(DomainError);
    expect(stillOpen.invitation.email).toBe(email);
    expect(second).toEqual({ email, created: true });
    expect(members.map((m) => [m.email, m.role])).toEqual([[email, 'staff']]);
    expect((third as DomainError).code).toBe(ErrorCode.NotFound);
  });

  it('should let one of two simultaneous acceptances of a link win, and make one account', async () => {
    const { token, email, storeId } = await invited();

    const outcomes = await Promise.allSettled([
      acceptStoreInvitation(deps(), token, 'first tab password'),
      acceptStoreInvitation(deps(), token, 'second tab password'),
    ]);
    const members = await t.storage.repositories.users.listStoreMembers(storeId);

    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(members.map((m) => m.email)).toEqual([email]);
  });
});
