import type { DetectedMilestone } from '../core/notification/detect-milestones.js';
import type { MilestoneSubject } from '../core/notification/milestone.js';
import { resolveNotificationSettings } from '../core/notification/notification-settings.js';
import { planNotifications } from '../core/notification/plan-notifications.js';
import type { Stores } from '../core/ports/storage.port.js';
import type { Order } from '../core/order/order.js';
import type { Store } from '../core/store/store.js';

/** News older than this is history being imported, not something to tell a customer now. */
const STALE_AFTER_MS = 72 * 60 * 60 * 1000;

/**
 * Writes the messages a set of milestones calls for into the outbox, in the
 * caller's transaction — so a status change and the messages it causes are
 * committed together or not at all, and the idempotency keys make a repeat a
 * no-op. Milestones about something that happened days ago (the first pull of
 * a store's past orders) are recorded as suppressed instead of sent.
 */
export async function planMilestoneNotifications(
  stores: Stores,
  input: {
    storeId: string;
    orderId: string;
    shipmentId: string | null;
    subject: MilestoneSubject;
    milestones: DetectedMilestone[];
    /** When the news itself happened (the carrier event, the platform update). */
    happenedAt: string | null;
    now: string;
    /** The store and the order as the caller already holds them: each one given is a read saved. */
    store?: Store;
    order?: Order;
  },
): Promise<number> {
  if (input.milestones.length === 0) return 0;
  const [store, order] = await Promise.all([
    input.store?.id === input.storeId ? input.store : stores.stores.findStoreById(input.storeId),
    input.order?.id === input.orderId ? input.order : stores.orders.findOrderById(input.storeId, input.orderId),
  ]);
  if (!store || !order) return 0;
  const stale = input.happenedAt !== null && Date.parse(input.now) - Date.parse(input.happenedAt) > STALE_AFTER_MS;
  const planned = planNotifications({
    storeId: input.storeId,
    subject: input.subject,
    subjectId: input.subject === 'order' ? input.orderId : (input.shipmentId ?? input.orderId),
    milestones: input.milestones,
    settings: resolveNotificationSettings(store.notificationSettings),
    customer: { email: order.customer.email, phone: order.customer.phone },
  });
  return stores.notifications.planNotifications(
    planned.map((p) => ({
      storeId: input.storeId,
      orderId: input.orderId,
      shipmentId: input.shipmentId,
      milestone: p.milestone,
      channel: p.channel,
      recipient: p.recipient,
      idempotencyKey: p.idempotencyKey,
      state: stale ? 'suppressed' : p.state,
      reason: stale ? 'stale: happened more than 3 days before Waymark learned of it' : p.reason,
      payload: { attemptNumber: p.attemptNumber, variant: p.variant, happenedAt: input.happenedAt },
    })),
    input.now,
  );
}
