import type { Milestone } from '../../core/notification/milestone.js';
import type {
  RenderSubject,
  RenderedMessage,
  TemplateChannel,
  TemplateParts,
  TemplateRenderer,
} from '../../core/ports/notification-template.port.js';
import type { MessageContext } from '../../core/ports/notifier.port.js';
import type { Substatus } from '../../core/shipment/shipping-status.js';
import type { NotificationTemplateInput } from './render-notification.js';
import { renderNotification, resolveNotificationLocale } from './render-notification.js';
import { sampleNotificationInput } from './sample-data.js';
import { renderOverride, validateOverride } from './template-override.js';

/** How SMS bodies are cut to the sending budget and counted; the SMS adapter knows both. */
export type SmsFitting = {
  fit(body: string): string;
  count(body: string): { segments: number; encoding: 'GSM-7' | 'UCS-2' };
};

/** A message to render as the templates see it; shared by the delivery worker and previews. */
export function inputFromContext(context: MessageContext, channel: TemplateChannel): NotificationTemplateInput {
  const { store, order, shipment } = context;
  return {
    milestone: context.milestone as Milestone,
    channel,
    locale: context.locale,
    store: { name: store.name, locale: store.locale, timeZone: store.timeZone, branding: store.branding },
    order: { number: order.number, customerName: order.customer.name },
    shipment: shipment
      ? {
          carrier: shipment.carrier,
          trackingNumber: shipment.trackingNumber,
          status: shipment.status,
          substatus: shipment.substatus,
          estimatedDelivery: shipment.predictedEdd ?? shipment.carrierEddLatest,
        }
      : null,
    trackingUrl: context.trackingUrl,
    unsubscribeUrl: context.unsubscribeUrl,
    attemptNumber: context.attemptNumber,
    exceptionKind: (context.exceptionKind as Substatus | null) ?? null,
  };
}

function inputFor(subject: RenderSubject, channel: TemplateChannel): NotificationTemplateInput {
  if (subject.kind === 'message') return inputFromContext(subject.context, channel);
  const sample = sampleNotificationInput(subject.milestone, subject.locale, channel);
  const { store } = subject;
  return {
    ...sample,
    store: { name: store.name, locale: store.locale, timeZone: store.timeZone, branding: store.branding },
  };
}

/** The built-in templates and stores' overrides of `web/notifications`, behind the use cases' port. */
export function createTemplateRenderer(sms: SmsFitting): TemplateRenderer {
  return {
    languageFor: (customerLanguage, storeLocale) => resolveNotificationLocale(customerLanguage, storeLocale).language,

    render(subject: RenderSubject, channel: TemplateChannel, override: TemplateParts | null): RenderedMessage {
      const input = inputFor(subject, channel);
      const rendered = override ? renderOverride(input, override) : renderNotification(input);
      if ('body' in rendered) {
        const body = sms.fit(rendered.body);
        const { segments, encoding } = sms.count(body);
        return { channel: 'sms', body, segments, encoding };
      }
      return { channel: 'email', ...rendered };
    },

    validate: (key, parts) => validateOverride(key, parts),
  };
}
