import { DomainError, ErrorCode } from '../core/errors.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { NotificationRecord, UnitOfWork } from '../core/ports/storage.port.js';

const RESEND_MARK = ':resend:';
const WAITING: ReadonlySet<NotificationRecord['state']> = new Set(['planned', 'held', 'sending']);

/** The key of the message a resend repeats: a resend of a resend counts against the first message. */
function baseKey(key: string): string {
  const at = key.indexOf(RESEND_MARK);
  return at === -1 ? key : key.slice(0, at);
}

/**
 * Plans another attempt of a message the merchant wants sent again (the
 * customer lost the email, fixed their address). The ledger's key is
 * one per (subject, milestone, attempt, variant, channel), so a resend gets
 * its own key: the original's with `:resend:N` appended (the original's parts
 * are URI-encoded, so the mark cannot collide with them). The customer's
 * current contact is used, and only one resend of a message waits at a time,
 * so a double-clicked button sends once.
 */
export async function resendNotification(
  deps: { uow: UnitOfWork; clock: Clock },
  input: { storeId: string; notificationId: string; actor: string },
): Promise<{ idempotencyKey: string }> {
  const now = deps.clock.now();
  return deps.uow.transaction(async (stores) => {
    const original = await stores.notifications.findNotification(input.notificationId);
    if (!original || original.storeId !== input.storeId || !original.orderId)
      throw new DomainError(ErrorCode.NotFound, 'notification not found');
    if (WAITING.has(original.state))
      throw new DomainError(ErrorCode.InvalidTransition, 'this message has not been sent yet; it is still waiting');
    const order = await stores.orders.findOrderById(input.storeId, original.orderId);
    if (!order) throw new DomainError(ErrorCode.NotFound, 'notification not found');

    const recipient =
      original.channel === 'email' ? order.customer.email : original.channel === 'sms' ? order.customer.phone : null;
    if (original.channel !== 'webhook' && !recipient)
      throw new DomainError(
        ErrorCode.InvalidInput,
        `the customer has no ${original.channel === 'email' ? 'email address' : 'phone number'} to send to`,
      );

    const base = baseKey(original.idempotencyKey);
    const resends = (await stores.notifications.listNotificationsForOrder(input.storeId, order.id)).filter((n) =>
      n.idempotencyKey.startsWith(`${base}${RESEND_MARK}`),
    );
    if (resends.some((n) => WAITING.has(n.state)))
      throw new DomainError(ErrorCode.InvalidTransition, 'a resend of this message is already waiting to be sent');
    const idempotencyKey = `${base}${RESEND_MARK}${resends.length + 1}`;
    const planned = await stores.notifications.planNotifications(
      [
        {
          storeId: input.storeId,
          orderId: order.id,
          shipmentId: original.shipmentId,
          milestone: original.milestone,
          channel: original.channel,
          recipient,
          idempotencyKey,
          state: 'planned',
          reason: null,
          payload: { ...original.payload, resendOf: original.id, requestedBy: input.actor },
        },
      ],
      now,
    );
    if (planned === 0) throw new DomainError(ErrorCode.Conflict, 'a resend of this message was just planned');
    return { idempotencyKey };
  });
}
