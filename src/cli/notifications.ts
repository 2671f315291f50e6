import { LinkSigner } from '../adapters/auth/signed-link.js';
import { createSmtpEmailSender, type SmtpEmailSender } from '../adapters/notify/email/smtp.email.js';
import { smsSegments, toE164, truncateSms } from '../adapters/notify/sms/phone-number.js';
import { createTwilioSmsSender } from '../adapters/notify/sms/twilio.sms.js';
import { validateEndpointUrl } from '../adapters/notify/webhook/endpoint-url.js';
import {
  createStandardWebhookSender,
  generateWebhookSecret,
} from '../adapters/notify/webhook/standard-webhooks.sender.js';
import type { DeliveryDeps } from '../app/deliver-notification.js';
import type { EndpointPolicy } from '../app/manage-webhook-endpoints.js';
import { DomainError, ErrorCode } from '../core/errors.js';
import { systemClock, type Clock } from '../core/ports/clock.port.js';
import type { LinkBuilder, MessageRenderer, SmsSender, StaffEmailSender } from '../core/ports/notifier.port.js';
import type { Config } from '../config/config.js';
import type { TemplateRenderer } from '../core/ports/notification-template.port.js';
import type { NotificationTools } from '../http/routes/api/notification-templates.routes.js';
import { createTemplateRenderer, inputFromContext } from '../web/notifications/template-renderer.js';
import type { Logger } from 'pino';
import type { Storage } from '../storage/storage.js';
import { renderNotification } from '../web/notifications/render-notification.js';

const templateInput = inputFromContext;

/** The templates of `web/notifications`, as the delivery worker sees them. SMS kept to two segments. */
export const messageRenderer: MessageRenderer = {
  renderEmail: (context) => renderNotification({ ...templateInput(context, 'email'), channel: 'email' }),
  renderSms: (context) => ({
    body: truncateSms(renderNotification({ ...templateInput(context, 'sms'), channel: 'sms' }).body, 2),
  }),
};

/** Unsubscribe links must keep working in old messages; two years covers any sensible archive. */
const UNSUBSCRIBE_LINK_DAYS = 730;
const DAY_MS = 86_400_000;

export function buildLinks(
  config: Config,
  secretKey: Buffer,
  clock: Clock = systemClock,
): { signer: LinkSigner; links: LinkBuilder } {
  const signer = new LinkSigner(secretKey);
  const base = (config.publicUrl ?? `http://localhost:${config.port}`).replace(/\/$/, '');
  const inDays = (days: number) => new Date(Date.parse(clock.now()) + days * DAY_MS);
  return {
    signer,
    links: {
      trackingUrl: (storeId, orderId) =>
        `${base}/t/${signer.sign({ kind: 'track', storeId, orderId }, inDays(config.trackingLinkDays))}`,
      unsubscribeUrl: (storeId, channel, recipient) =>
        `${base}/u/${signer.sign({ kind: 'unsubscribe', storeId, channel, recipient }, inDays(UNSUBSCRIBE_LINK_DAYS))}`,
    },
  };
}

/** Numbers as customers typed them become E.164 at send time; one that cannot is a permanent failure. */
function normalisingSms(sender: SmsSender): SmsSender {
  return {
    send(message) {
      const to = toE164(message.to);
      if (!to)
        return Promise.reject(
          new DomainError(ErrorCode.InvalidInput, `not a mobile number in international form: ${message.to}`),
        );
      return sender.send({ ...message, to });
    },
  };
}

export function buildEndpointPolicy(config: Config): EndpointPolicy {
  return {
    validateUrl: async (url) => {
      await validateEndpointUrl(url, { allowPrivateNetworks: config.webhooksAllowPrivateNetworks });
    },
    generateSecret: generateWebhookSecret,
  };
}

/**
 * Senders from the configuration. A channel without a transport (no SMTP_URL,
 * no Twilio credentials) has no sender: its messages stay in the local outbox.
 */
export function buildDelivery(
  config: Config,
  storage: Storage,
  links: LinkBuilder,
  logger?: Logger,
): { delivery: Omit<DeliveryDeps, 'uow' | 'clock'>; close(): void } {
  let email: SmtpEmailSender | null = null;
  if (config.smtp.url) email = createSmtpEmailSender({ url: config.smtp.url, pool: true });
  const { accountSid, authToken, from, baseUrl } = config.twilio;
  const sms =
    accountSid && authToken && from
      ? normalisingSms(createTwilioSmsSender({ accountSid, authToken, from, ...(baseUrl ? { baseUrl } : {}) }))
      : null;
  return {
    delivery: {
      senders: {
        email,
        sms,
        webhook: createStandardWebhookSender({ allowPrivateNetworks: config.webhooksAllowPrivateNetworks }),
      },
      renderer: messageRenderer,
      links,
      endpoints: storage.repositories.webhookEndpoints,
      emailFrom: config.smtp.from ?? null,
      templates: { store: storage.repositories.notificationTemplates, renderer: templateRenderer },
      webhookDeliveries: storage.repositories.webhookDeliveries,
      ...(logger ? { warn: (fields: Record<string, unknown>, message: string) => logger.warn(fields, message) } : {}),
    },
    close: () => email?.close(),
  };
}

/** An owner waits on the page while an invitation is sent: a silent mail server fails it in seconds, not minutes. */
const STAFF_MAIL_TIMEOUT_MS = 10_000;

/**
 * Email to the store's own people (dashboard invitations), sent while the
 * owner waits: only when SMTP_URL and WAYMARK_EMAIL_FROM are both set.
 */
export function buildStaffMail(config: Config): { sender: StaffEmailSender; from: string } | undefined {
  const { url, from } = config.smtp;
  if (!url || !from) return undefined;
  return { sender: createSmtpEmailSender({ url, timeoutMs: STAFF_MAIL_TIMEOUT_MS }), from };
}

/** Templates with SMS cut to the same two segments as `messageRenderer`, and counted for previews. */
export const templateRenderer: TemplateRenderer = createTemplateRenderer({
  fit: (body) => truncateSms(body, 2),
  count: (body) => smsSegments(body),
});

/** The template, preview, test-send and replay routes: the same senders and templates as delivery. */
export function buildNotificationTools(
  storage: Storage,
  delivery: Omit<DeliveryDeps, 'uow' | 'clock'>,
): NotificationTools {
  return {
    templates: storage.repositories.notificationTemplates,
    renderer: templateRenderer,
    links: delivery.links,
    senders: delivery.senders,
    emailFrom: delivery.emailFrom,
    testLog: storage.repositories.notifications,
    deliveries: storage.repositories.webhookDeliveries,
    endpointSecrets: storage.repositories.webhookEndpoints,
  };
}
