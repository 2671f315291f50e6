import { describe, expect, it } from 'vitest';

import { DEFAULT_NOTIFICATION_SETTINGS, resolveNotificationSettings } from './notification-settings.js';
import { planNotifications } from './plan-notifications.js';

const base = { storeId: 's1', subject: 'shipment' as const, subjectId: 'sh1', settings: DEFAULT_NOTIFICATION_SETTINGS };

describe('planNotifications', () => {
  it('should email the default milestones, webhook every milestone, and leave SMS off for a new store', () => {
    const planned = planNotifications({
      ...base,
      milestones: [{ milestone: 'delivered', attemptNumber: 0, variant: null }],
      customer: { email: 'a@example.com', phone: '+14155550100' },
    });

    expect(planned.map((p) => [p.channel, p.state, p.recipient])).toEqual([
      ['email', 'planned', 'a@example.com'],
      ['webhook', 'planned', null],
    ]);
  });

  it('should not email in_transit by default but send it to webhooks', () => {
    const planned = planNotifications({
      ...base,
      milestones: [{ milestone: 'in_transit', attemptNumber: 0, variant: null }],
      customer: { email: 'a@example.com', phone: null },
    });

    expect(planned.map((p) => p.channel)).toEqual(['webhook']);
  });

  it('should record a suppressed row with the reason when the customer has no email', () => {
    const planned = planNotifications({
      ...base,
      milestones: [{ milestone: 'shipped', attemptNumber: 0, variant: null }],
      customer: { email: null, phone: null },
    });

    expect(planned[0]).toMatchObject({ channel: 'email', state: 'suppressed', reason: 'no customer email' });
  });

  it('should give each attempt and each exception kind its own key, and the same key for a repeat', () => {
    const plan = (attemptNumber: number, variant: string | null, milestone: 'out_for_delivery' | 'exception') =>
      planNotifications({
        ...base,
        milestones: [{ milestone, attemptNumber, variant }],
        customer: { email: 'a@example.com', phone: null },
      })[0]!.idempotencyKey;

    expect(plan(1, null, 'out_for_delivery')).toBe(plan(1, null, 'out_for_delivery'));
    expect(plan(1, null, 'out_for_delivery')).not.toBe(plan(2, null, 'out_for_delivery'));
    expect(plan(0, 'customs_hold', 'exception')).not.toBe(plan(0, 'delayed_weather', 'exception'));
  });

  it('should honour stored settings over the defaults', () => {
    const settings = resolveNotificationSettings({ sms: { enabled: true }, email: { milestones: ['delivered'] } });
    const planned = planNotifications({
      ...base,
      settings,
      milestones: [{ milestone: 'out_for_delivery', attemptNumber: 1, variant: null }],
      customer: { email: 'a@example.com', phone: '+14155550100' },
    });

    expect(planned.map((p) => p.channel)).toEqual(['sms', 'webhook']);
  });
});
