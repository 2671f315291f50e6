import { afterAll, beforeAll, expect, it } from 'vitest';

import { describeEachDatabase } from '../../test-support/databases.js';
import { createTestStorage, FIXED_NOW, seedStore, type TestStorage } from '../../test-support/factories.js';

const WEEK_LATER = '2026-12-03T12:00:00.000Z';
const after = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();

describeEachDatabase('InvitationRepository', (dialect) => {
  let t: TestStorage;
  let counter = 0;
  beforeAll(async () => {
    t = await createTestStorage(dialect);
  });
  afterAll(async () => {
    await t.drop();
  });

  async function twoStores() {
    counter += 1;
    const mine = await seedStore(t.storage, { name: `Mine ${counter}` });
    const theirs = await seedStore(t.storage, { name: `Theirs ${counter}` });
    return { mine, theirs, invitations: t.storage.repositories.invitations };
  }

  it('should find an open invitation by its token hash, accept it once, and then no longer find it', async () => {
    const { mine, invitations } = await twoStores();
    const { id } = await invitations.createInvitation(
      {
        storeId: mine.id,
        email: ' New@Example.COM ',
        role: 'owner',
        tokenHash: `hash-a-${counter}`,
        expiresAt: WEEK_LATER,
      },
      FIXED_NOW,
    );

    const found = await invitations.findOpenInvitation(`hash-a-${counter}`, FIXED_NOW);
    const [first, second] = await Promise.all([
      invitations.acceptInvitation(id, FIXED_NOW),
      invitations.acceptInvitation(id, FIXED_NOW),
    ]);
    const afterwards = await invitations.findOpenInvitation(`hash-a-${counter}`, FIXED_NOW);

    expect(found).toEqual({
      id,
      storeId: mine.id,
      storeName: `Mine ${counter}`,
      email: 'new@example.com',
      role: 'owner',
      createdAt: FIXED_NOW,
      expiresAt: WEEK_LATER,
    });
    expect([first, second].sort()).toEqual([false, true]);
    expect(afterwards).toBeUndefined();
  });

  it('should treat an invitation as closed from its expiry, and prune it a while after', async () => {
    const { mine, invitations } = await twoStores();
    const { id } = await invitations.createInvitation(
      {
        storeId: mine.id,
        email: 'late@example.com',
        role: 'staff',
        tokenHash: `hash-b-${counter}`,
        expiresAt: WEEK_LATER,
      },
      FIXED_NOW,
    );

    const justBefore = await invitations.findOpenInvitation(`hash-b-${counter}`, after(WEEK_LATER, -1));
    const atExpiry = await invitations.findOpenInvitation(`hash-b-${counter}`, WEEK_LATER);
    const acceptedLate = await invitations.acceptInvitation(id, WEEK_LATER);
    const listed = await invitations.listOpenInvitations(mine.id, WEEK_LATER);
    const keptYet = await invitations.prune(WEEK_LATER);
    const pruned = await invitations.prune(after(WEEK_LATER, 1));

    expect(justBefore?.id).toBe(id);
    expect(atExpiry).toBeUndefined();
    expect(acceptedLate).toBe(false);
    expect(listed).toEqual([]);
    expect(keptYet).toBe(0);
    expect(pruned).toBeGreaterThanOrEqual(1);
  });

  it("should list and withdraw a store's own open invitations only", async () => {
    const { mine, theirs, invitations } = await twoStores();
    const base = { role: 'staff' as const, expiresAt: WEEK_LATER };
    const older = await invitations.createInvitation(
      { ...base, storeId: mine.id, email: 'one@example.com', tokenHash: `hash-c1-${counter}` },
      FIXED_NOW,
    );
    const newer = await invitations.createInvitation(
      { ...base, storeId: mine.id, email: 'two@example.com', tokenHash: `hash-c2-${counter}` },
      after(FIXED_NOW, 1_000),
    );
    const foreign = await invitations.createInvitation(
      { ...base, storeId: theirs.id, email: 'three@example.com', tokenHash: `hash-c3-${counter}` },
      FIXED_NOW,
    );

    const listed = await invitations.listOpenInvitations(mine.id, FIXED_NOW);
    const acrossStores = await invitations.revokeInvitation(mine.id, foreign.id);
    const withdrawn = await invitations.revokeInvitation(mine.id, older.id);
    const again = await invitations.revokeInvitation(mine.id, older.id);
    const left = await invitations.listOpenInvitations(mine.id, FIXED_NOW);
    const theirsLeft = await invitations.listOpenInvitations(theirs.id, FIXED_NOW);

    expect(listed.map((i) => i.email)).toEqual(['two@example.com', 'one@example.com']);
    expect(acrossStores).toBe(false);
    expect(withdrawn).toBe(true);
    expect(again).toBe(false);
    expect(left.map((i) => i.id)).toEqual([newer.id]);
    expect(theirsLeft.map((i) => i.id)).toEqual([foreign.id]);
  });
});
