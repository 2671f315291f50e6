import { afterEach, beforeEach, expect, it } from 'vitest';

import type { TemplateKey, TemplateParts } from '../../core/ports/notification-template.port.js';
import { describeEachDatabase } from '../../test-support/databases.js';
import { createTestStorage, FIXED_NOW, seedStore, type TestStorage } from '../../test-support/factories.js';

const KEY: TemplateKey = { milestone: 'shipped', channel: 'email', locale: 'fr' };
const PARTS: TemplateParts = { subject: 'Expédié : <%= it.order %>', html: null, text: 'Bonjour', body: null };
const LATER = '2026-11-27T08:00:00.000Z';

describeEachDatabase('NotificationTemplateRepository', (dialect) => {
  let t: TestStorage;
  beforeEach(async () => {
    t = await createTestStorage(dialect);
  });
  afterEach(async () => {
    await t.drop();
  });

  it('should insert a template, then replace it under the same key', async () => {
    const templates = t.storage.repositories.notificationTemplates;
    const store = await seedStore(t.storage);

    const first = await templates.saveTemplate(store.id, KEY, PARTS, FIXED_NOW);
    const second = await templates.saveTemplate(store.id, KEY, { ...PARTS, subject: null, html: '<p>x</p>' }, LATER);

    expect(first).toEqual({
      created: true,
      template: { storeId: store.id, ...KEY, ...PARTS, createdAt: FIXED_NOW, updatedAt: FIXED_NOW },
    });
    expect(second).toEqual({
      created: false,
      template: {
        storeId: store.id,
        ...KEY,
        subject: null,
        html: '<p>x</p>',
        text: 'Bonjour',
        body: null,
        createdAt: FIXED_NOW,
        updatedAt: LATER,
      },
    });
    expect(await templates.listTemplates(store.id)).toHaveLength(1);
  });

  it("should keep each store's templates to itself and list them in key order", async () => {
    const templates = t.storage.repositories.notificationTemplates;
    const mine = await seedStore(t.storage, { name: 'Mine' });
    const theirs = await seedStore(t.storage, { name: 'Theirs' });
    const sms: TemplateKey = { milestone: 'delivered', channel: 'sms', locale: 'en' };
    const smsParts: TemplateParts = { subject: null, html: null, text: null, body: 'Delivered <%= it.url %>' };
    await templates.saveTemplate(mine.id, KEY, PARTS, FIXED_NOW);
    await templates.saveTemplate(mine.id, sms, smsParts, FIXED_NOW);
    await templates.saveTemplate(theirs.id, KEY, PARTS, FIXED_NOW);

    const listed = await templates.listTemplates(mine.id);
    const deletedTheirsFromMine = await templates.deleteTemplate(mine.id, { ...KEY, locale: 'de' });
    const deleted = await templates.deleteTemplate(mine.id, KEY);

    expect(listed.map((x) => `${x.milestone}/${x.channel}/${x.locale}`)).toEqual([
      'delivered/sms/en',
      'shipped/email/fr',
    ]);
    expect(listed[0]?.body).toBe('Delivered <%= it.url %>');
    expect(deletedTheirsFromMine).toBe(false);
    expect(deleted).toBe(true);
    expect(await templates.findTemplate(mine.id, KEY)).toBeUndefined();
    expect(await templates.findTemplate(theirs.id, KEY)).toMatchObject({ storeId: theirs.id, subject: PARTS.subject });
  });
});

describeEachDatabase('NotificationRepository test sends', (dialect) => {
  let t: TestStorage;
  beforeEach(async () => {
    t = await createTestStorage(dialect);
  });
  afterEach(async () => {
    await t.drop();
  });

  it('should record a test send apart from any order, finish it, and list it newest first', async () => {
    const notifications = t.storage.repositories.notifications;
    const store = await seedStore(t.storage);
    const input = {
      storeId: store.id,
      milestone: 'shipped',
      channel: 'email' as const,
      recipient: 'merchant@shop.example',
      payload: { test: true },
    };

    const sentId = await notifications.recordTestNotification({ ...input, idempotencyKey: 'test:a' }, FIXED_NOW);
    const failedId = await notifications.recordTestNotification({ ...input, idempotencyKey: 'test:b' }, LATER);
    const inFlight = await notifications.findNotification(sentId);
    await notifications.finishTestNotification(sentId, { state: 'sent', providerMessageId: 'Q1' }, LATER);
    await notifications.finishTestNotification(failedId, { state: 'failed', reason: '550 no such user' }, LATER);
    const due = await t.storage.claimer('notification').claim({ owner: 'w', limit: 10, leaseMs: 1000, now: LATER });

    expect(inFlight).toMatchObject({ state: 'sending', orderId: null, nextAttemptAt: null, idempotencyKey: 'test:a' });
    expect(due).toEqual([]);
    expect(await notifications.listTestNotifications(store.id, 10)).toMatchObject([
      { id: failedId, state: 'failed', reason: '550 no such user' },
      { id: sentId, state: 'sent', providerMessageId: 'Q1', sentAt: LATER, payload: { test: true } },
    ]);
  });
});
