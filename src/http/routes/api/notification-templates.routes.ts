import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import type { WebhookEndpointSource } from '../../../app/deliver-notification.js';
import {
  deleteNotificationTemplate,
  getNotificationTemplate,
  listNotificationTemplates,
  saveNotificationTemplate,
} from '../../../app/manage-notification-templates.js';
import { previewNotification } from '../../../app/preview-notification.js';
import { sendTestNotification } from '../../../app/send-test-notification.js';
import { MILESTONES } from '../../../core/notification/milestone.js';
import type { Clock } from '../../../core/ports/clock.port.js';
import {
  TEMPLATE_CHANNELS,
  TEMPLATE_LOCALES,
  type NotificationTemplate,
  type NotificationTemplateStore,
  type TemplateParts,
  type TemplateRenderer,
  type TestNotificationLog,
} from '../../../core/ports/notification-template.port.js';
import type { EmailSender, LinkBuilder, SmsSender, WebhookSender } from '../../../core/ports/notifier.port.js';
import type { UnitOfWork } from '../../../core/ports/storage.port.js';
import type { WebhookDeliveryLog } from '../../../core/ports/webhook-delivery.port.js';
import { storeIdOf } from '../../plugins/api-auth.js';
import { ErrorSchema } from '../../schemas/order.schema.js';

/**
 * What the template, preview, test-send and webhook-replay routes need
 * beyond storage: the senders and templates the delivery worker uses, so a
 * preview or a test is exactly what a customer would get.
 */
export type NotificationTools = {
  templates: NotificationTemplateStore;
  renderer: TemplateRenderer;
  links: LinkBuilder;
  senders: { email: EmailSender | null; sms: SmsSender | null; webhook: WebhookSender | null };
  emailFrom: string | null;
  testLog: TestNotificationLog;
  deliveries: WebhookDeliveryLog;
  /** Enabled endpoints with their secrets, for replays. */
  endpointSecrets: WebhookEndpointSource;
};

const milestone = z.enum(MILESTONES);
const channel = z.enum(TEMPLATE_CHANNELS);
const locale = z.enum(TEMPLATE_LOCALES);
const KeyParams = z.object({ milestone, channel, locale });

const eta = (what: string) =>
  z
    .string()
    .nullable()
    .optional()
    .describe(
      `${what}: an Eta template over \`it\` (<%= it.order %>, <% if (it.carrier) { %>…<% } %>); leave out to keep the built-in one`,
    );

const PartsSchema = z
  .object({
    subject: eta('Email subject'),
    html: eta('Email HTML (values are HTML-escaped)'),
    text: eta('Email plain text'),
    body: eta('SMS text, link included (<%= it.url %>)'),
  })
  .strict();

const TemplateSchema = z.object({
  milestone: z.string(),
  channel: z.string(),
  locale: z.string(),
  subject: z.string().nullable(),
  html: z.string().nullable(),
  text: z.string().nullable(),
  body: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const RenderedSchema = z.discriminatedUnion('channel', [
  z.object({ channel: z.literal('email'), subject: z.string(), html: z.string(), text: z.string() }),
  z.object({
    channel: z.literal('sms'),
    body: z.string(),
    segments: z.number().int(),
    encoding: z.enum(['GSM-7', 'UCS-2']),
  }),
]);

const PreviewSchema = z.object({
  milestone: z.string(),
  channel: z.string(),
  locale: z.string(),
  template: z.enum(['draft', 'override', 'built_in']),
  data: z.enum(['sample', 'order']),
  orderId: z.string().nullable(),
  shipmentId: z.string().nullable(),
  message: RenderedSchema,
  warning: z.string().nullable(),
});

const PreviewBody = z
  .object({
    milestone,
    channel,
    locale: locale.optional().describe("default: the customer's language with an order, else the store's"),
    orderId: z.uuid().optional().describe('one of your orders; sample data without it'),
    shipmentId: z.uuid().optional().describe("the order's parcel, for parcel milestones; default the latest"),
    template: PartsSchema.optional().describe('an unsaved template to try; default the saved one, else built-in'),
  })
  .strict();

const E164 = /^\+[1-9]\d{6,14}$/;
const TestBody = PreviewBody.extend({
  to: z.string().max(320).describe('your email address, or your phone number in E.164 (+14155550100) for SMS'),
}).superRefine((value, context) => {
  const ok = value.channel === 'sms' ? E164.test(value.to) : z.email().safeParse(value.to).success;
  if (!ok) {
    context.addIssue({
      code: 'custom',
      path: ['to'],
      message: value.channel === 'sms' ? 'a phone number in E.164, like +14155550100' : 'an email address',
    });
  }
});

const TestResultSchema = z.object({
  notificationId: z.string(),
  idempotencyKey: z.string(),
  state: z.enum(['sent', 'failed']),
  providerMessageId: z.string().nullable(),
  reason: z.string().nullable(),
  preview: PreviewSchema,
});

const TestNotificationSchema = z.object({
  id: z.string(),
  milestone: z.string(),
  channel: z.string(),
  recipient: z.string().nullable(),
  idempotencyKey: z.string(),
  state: z.string().describe('sending, sent or failed'),
  reason: z.string().nullable(),
  providerMessageId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

function partsOf(body: z.infer<typeof PartsSchema>): TemplateParts {
  return { subject: body.subject ?? null, html: body.html ?? null, text: body.text ?? null, body: body.body ?? null };
}

function templateView(template: NotificationTemplate) {
  const { storeId: _storeId, ...view } = template;
  return view;
}

function previewRequest(body: z.infer<typeof PreviewBody>) {
  return {
    milestone: body.milestone,
    channel: body.channel,
    locale: body.locale ?? null,
    orderId: body.orderId ?? null,
    shipmentId: body.shipmentId ?? null,
    draft: body.template ? partsOf(body.template) : null,
  };
}

export function registerNotificationTemplateRoutes(
  app: FastifyInstance,
  deps: NotificationTools & { uow: UnitOfWork; clock: Clock },
): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const templateDeps = { clock: deps.clock, templates: deps.templates, renderer: deps.renderer };
  const previewDeps = { uow: deps.uow, templates: deps.templates, renderer: deps.renderer, links: deps.links };
  const tags = ['notifications'];

  routes.get(
    '/notification-templates',
    {
      schema: {
        summary: "The store's own templates (overrides of the built-in ones)",
        tags,
        response: { 200: z.object({ data: z.array(TemplateSchema) }), 401: ErrorSchema },
      },
    },
    async (request) => ({
      data: (await listNotificationTemplates(templateDeps, storeIdOf(request))).map(templateView),
    }),
  );

  routes.get(
    '/notification-templates/:milestone/:channel/:locale',
    {
      schema: {
        summary: 'One template override; 404 when the built-in template is in use',
        tags,
        params: KeyParams,
        response: { 200: TemplateSchema, 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request) => templateView(await getNotificationTemplate(templateDeps, storeIdOf(request), request.params)),
  );

  routes.put(
    '/notification-templates/:milestone/:channel/:locale',
    {
      schema: {
        summary: 'Create or replace a template override, after checking it renders sample data',
        description:
          'Email: any of subject, html and text (left out: the built-in part); SMS: body. Eta templates limited to ' +
          '<%= it.name %> and if / else if / else over the variables: store, order, customer, carrier, trackingNumber, ' +
          'edd, eddShort, attempt, url, lang, unsubscribeUrl, problem, logoUrl, supportEmail, supportUrl, ' +
          'primaryColour, accentColour, buttonTextColour. A template that does not pass answers 400 naming the part and line.',
        tags,
        params: KeyParams,
        body: PartsSchema,
        response: { 200: TemplateSchema, 201: TemplateSchema, 400: ErrorSchema, 401: ErrorSchema },
      },
    },
    async (request, reply) => {
      const saved = await saveNotificationTemplate(
        templateDeps,
        storeIdOf(request),
        request.params,
        partsOf(request.body),
      );
      return reply.status(saved.created ? 201 : 200).send(templateView(saved.template));
    },
  );

  routes.delete(
    '/notification-templates/:milestone/:channel/:locale',
    {
      schema: {
        summary: 'Delete a template override: the built-in template is used again',
        tags,
        params: KeyParams,
        response: { 204: z.null(), 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request, reply) => {
      await deleteNotificationTemplate(templateDeps, storeIdOf(request), request.params);
      return reply.status(204).send(null);
    },
  );

  routes.post(
    '/notifications/preview',
    {
      schema: {
        summary: 'Render a message as a customer would get it, from sample data or one of your orders',
        tags,
        body: PreviewBody,
        response: { 200: PreviewSchema, 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request) => previewNotification(previewDeps, storeIdOf(request), previewRequest(request.body)),
  );

  routes.post(
    '/notifications/test',
    {
      schema: {
        summary: 'Send the preview to your own address or number now, marked as a test',
        description:
          'The subject (SMS text) starts with "[Test]" and the idempotency key with "test:". The send is recorded ' +
          '(GET /notifications/tests) but never against the order, so it does not count as, or block, the ' +
          'customer\'s message. A provider refusal is state "failed" with the reason.',
        tags,
        body: TestBody,
        response: { 200: TestResultSchema, 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request) =>
      sendTestNotification(
        {
          ...previewDeps,
          clock: deps.clock,
          senders: { email: deps.senders.email, sms: deps.senders.sms },
          emailFrom: deps.emailFrom,
          log: deps.testLog,
        },
        storeIdOf(request),
        { ...previewRequest(request.body), to: request.body.to },
      ),
  );

  routes.get(
    '/notifications/tests',
    {
      schema: {
        summary: 'Test sends, newest first',
        tags,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict(),
        response: { 200: z.object({ data: z.array(TestNotificationSchema) }), 400: ErrorSchema, 401: ErrorSchema },
      },
    },
    async (request) => ({
      data: (await deps.testLog.listTestNotifications(storeIdOf(request), request.query.limit)).map((n) => ({
        id: n.id,
        milestone: n.milestone,
        channel: n.channel,
        recipient: n.recipient,
        idempotencyKey: n.idempotencyKey,
        state: n.state,
        reason: n.reason,
        providerMessageId: n.providerMessageId,
        details: n.payload,
        createdAt: n.createdAt,
        sentAt: n.sentAt,
      })),
    }),
  );
}
