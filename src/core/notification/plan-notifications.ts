import type { DetectedMilestone } from './detect-milestones.js';
import { milestoneIdempotencyKey } from './detect-milestones.js';
import type { MilestoneSubject } from './milestone.js';
import { CHANNELS, type Channel, type NotificationSettings } from './notification-settings.js';

export const NotificationState = {
  /** Waiting for a sender (or kept in the local outbox when no transport is configured). */
  Planned: 'planned',
  Held: 'held',
  Sending: 'sending',
  Sent: 'sent',
  Failed: 'failed',
  /** Decided not to send, with the reason (no recipient, opted out…). */
  Suppressed: 'suppressed',
  Dead: 'dead',
} as const;
export type NotificationState = (typeof NotificationState)[keyof typeof NotificationState];

export type PlannedNotification = {
  milestone: DetectedMilestone['milestone'];
  attemptNumber: number;
  variant: string | null;
  channel: Channel;
  recipient: string | null;
  idempotencyKey: string;
  state: 'planned' | 'suppressed';
  /** Why it will not be sent, for suppressed rows. */
  reason: string | null;
};

/**
 * Turns detected milestones into the rows of the outbox, one per channel the
 * store has switched on for that milestone. A channel without a recipient is
 * recorded as suppressed with the reason, so "why did the customer get
 * nothing?" has an answer. Pure; the keys make the rows idempotent.
 */
export function planNotifications(input: {
  storeId: string;
  subject: MilestoneSubject;
  subjectId: string;
  milestones: DetectedMilestone[];
  settings: NotificationSettings;
  customer: { email: string | null; phone: string | null };
}): PlannedNotification[] {
  const planned: PlannedNotification[] = [];
  for (const detected of input.milestones) {
    for (const channel of CHANNELS) {
      const rule = input.settings[channel];
      if (!rule.enabled || !rule.milestones.includes(detected.milestone)) continue;
      const recipient = channel === 'email' ? input.customer.email : channel === 'sms' ? input.customer.phone : null;
      const missing =
        channel === 'email' && !recipient
          ? 'no customer email'
          : channel === 'sms' && !recipient
            ? 'no customer phone'
            : null;
      planned.push({
        milestone: detected.milestone,
        attemptNumber: detected.attemptNumber,
        variant: detected.variant,
        channel,
        recipient,
        idempotencyKey: milestoneIdempotencyKey({
          storeId: input.storeId,
          subject: input.subject,
          subjectId: input.subjectId,
          milestone: detected.milestone,
          attemptNumber: detected.attemptNumber,
          channel,
          variant: detected.variant,
        }),
        state: missing ? 'suppressed' : 'planned',
        reason: missing,
      });
    }
  }
  return planned;
}
