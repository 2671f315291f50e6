import { DomainError, ErrorCode } from '../core/errors.js';
import { TEST_NOTIFICATION_KEY_PREFIX, type TestNotificationLog } from '../core/ports/notification-template.port.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { EmailSender, SmsSender } from '../core/ports/notifier.port.js';
import { emailFromHeader } from './deliver-notification.js';
import {
  previewNotification,
  type NotificationPreview,
  type PreviewDeps,
  type PreviewRequest,
} from './preview-notification.js';

export type TestSendDeps = PreviewDeps & {
  clock: Clock;
  senders: { email: EmailSender | null; sms: SmsSender | null };
  /** `WAYMARK_EMAIL_FROM`. */
  emailFrom: string | null;
  log: TestNotificationLog;
};

export type TestSendRequest = PreviewRequest & {
  /** An email address or a phone number in E.164, per the channel: the merchant's own, not a customer's. */
  to: string;
};

export type TestSendResult = {
  /** The ledger row of the test (`GET /api/v1/notifications/tests`). */
  notificationId: string;
  idempotencyKey: string;
  state: 'sent' | 'failed';
  providerMessageId: string | null;
  /** The provider's refusal, when it refused. */
  reason: string | null;
  preview: NotificationPreview;
};

/** Marks the message for whoever opens it; a test must not pass for the real thing. */
const TEST_MARK = '[Test]';

/**
 * Renders the preview of a milestone (sample or real order, draft, saved or
 * built-in template) and sends it now through the configured provider to a
 * merchant's address or number: the subject (the SMS text) marked "[Test]",
 * the idempotency key `test:<uuid>`, recorded in the ledger as a test —
 * against no order, so it never stands for, or blocks, the customer's
 * message for that milestone. The provider's refusal is a result
 * (`state: 'failed'` with the reason), not an error; a channel with no
 * provider configured is `invalid_input`.
 */
export async function sendTestNotification(
  deps: TestSendDeps,
  storeId: string,
  request: TestSendRequest,
): Promise<TestSendResult> {
  const sender = deps.senders[request.channel];
  if (!sender) {
    throw new DomainError(
      ErrorCode.InvalidInput,
      request.channel === 'email'
        ? 'email is not configured on this server (SMTP_URL): nothing can be sent'
        : 'SMS is not configured on this server (TWILIO_*): nothing can be sent',
    );
  }
  if (request.channel === 'email' && !deps.emailFrom) {
    throw new DomainError(ErrorCode.InvalidInput, 'WAYMARK_EMAIL_FROM is not set on this server: no email can be sent');
  }
  const preview = await previewNotification(deps, storeId, request, { recipient: request.to });
  const store = await deps.uow.repositories.stores.findStoreById(storeId);
  if (!store) throw new DomainError(ErrorCode.NotFound, 'store not found');

  const idempotencyKey = `${TEST_NOTIFICATION_KEY_PREFIX}${globalThis.crypto.randomUUID()}`;
  const notificationId = await deps.log.recordTestNotification(
    {
      storeId,
      milestone: request.milestone,
      channel: request.channel,
      recipient: request.to,
      idempotencyKey,
      payload: {
        test: true,
        locale: preview.locale,
        template: preview.template,
        data: preview.data,
        orderId: preview.orderId,
        shipmentId: preview.shipmentId,
      },
    },
    deps.clock.now(),
  );

  try {
    const { message } = preview;
    const sent =
      message.channel === 'email'
        ? await deps.senders.email!.send({
            to: request.to,
            from: emailFromHeader(store, deps.emailFrom!),
            replyTo: store.branding.supportEmail,
            subject: `${TEST_MARK} ${message.subject}`,
            html: message.html,
            text: message.text,
            unsubscribeUrl: deps.links.unsubscribeUrl(storeId, 'email', request.to),
            idempotencyKey,
            milestone: request.milestone,
          })
        : await deps.senders.sms!.send({ to: request.to, body: `${TEST_MARK} ${message.body}`, idempotencyKey });
    await deps.log.finishTestNotification(
      notificationId,
      { state: 'sent', providerMessageId: sent.providerMessageId },
      deps.clock.now(),
    );
    return {
      notificationId,
      idempotencyKey,
      state: 'sent',
      providerMessageId: sent.providerMessageId,
      reason: null,
      preview,
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await deps.log.finishTestNotification(notificationId, { state: 'failed', reason }, deps.clock.now());
    return { notificationId, idempotencyKey, state: 'failed', providerMessageId: null, reason, preview };
  }
}
