import type { Milestone } from './milestone.js';

export const Channel = { Email: 'email', Sms: 'sms', Webhook: 'webhook' } as const;
export type Channel = (typeof Channel)[keyof typeof Channel];
export const CHANNELS = Object.values(Channel);

export type ChannelSettings = { enabled: boolean; milestones: Milestone[] };

/** A store's notification rules: which milestones go out on which channel. */
export type NotificationSettings = Record<Channel, ChannelSettings>;

const PROBLEMS: Milestone[] = ['attempt_failed', 'exception', 'return_to_sender'];

/**
 * A new store emails the customer at shipped, out for delivery, available for
 * pickup, delivered and every problem milestone; SMS stays off until
 * configured; merchant webhooks receive every milestone once an endpoint exists.
 */
export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  email: {
    enabled: true,
    milestones: ['shipped', 'out_for_delivery', 'available_for_pickup', 'delivered', 'all_delivered', ...PROBLEMS],
  },
  sms: { enabled: false, milestones: ['out_for_delivery', 'available_for_pickup', 'delivered', ...PROBLEMS] },
  webhook: {
    enabled: true,
    milestones: [
      'order_confirmed',
      'order_cancelled',
      'shipped',
      'in_transit',
      'out_for_delivery',
      'available_for_pickup',
      'attempt_failed',
      'delivered',
      'exception',
      'return_to_sender',
      'all_delivered',
      // The scheduled alerts tell the merchant's systems at once; customers hear of them only where the store opts in.
      'fulfillment_delayed',
      'stalled_in_transit',
      'predicted_late',
      'arriving_today',
    ],
  },
};

/** The store's stored settings over the defaults; unknown keys ignored. */
export function resolveNotificationSettings(stored: Record<string, unknown>): NotificationSettings {
  const resolved: NotificationSettings = structuredClone(DEFAULT_NOTIFICATION_SETTINGS);
  for (const channel of CHANNELS) {
    const value = stored[channel];
    if (typeof value !== 'object' || value === null) continue;
    const candidate = value as Partial<ChannelSettings>;
    if (typeof candidate.enabled === 'boolean') resolved[channel].enabled = candidate.enabled;
    if (Array.isArray(candidate.milestones))
      resolved[channel].milestones = candidate.milestones.filter((m): m is Milestone => typeof m === 'string');
  }
  return resolved;
}
