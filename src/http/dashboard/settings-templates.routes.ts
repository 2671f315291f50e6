import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

import {
  deleteNotificationTemplate,
  listNotificationTemplates,
  saveNotificationTemplate,
} from '../../app/manage-notification-templates.js';
import { previewNotification, type NotificationPreview } from '../../app/preview-notification.js';
import { sendTestNotification } from '../../app/send-test-notification.js';
import { DomainError, ErrorCode, isDomainError } from '../../core/errors.js';
import { isMilestone, MILESTONES } from '../../core/notification/milestone.js';
import {
  TEMPLATE_CHANNELS,
  TEMPLATE_LOCALES,
  type TemplateChannel,
  type TemplateKey,
  type TemplateLocale,
  type TemplateParts,
} from '../../core/ports/notification-template.port.js';
import { queryString } from '../../web/dashboard/format.js';
import { channelLabel, milestoneLabel } from '../../web/dashboard/labels.js';
import { renderDashboardPage, type Flash, type PageViews } from '../../web/dashboard/render-dashboard.js';
import { settingsTabs } from '../../web/dashboard/settings.view.js';
import {
  chromeOf,
  currentStoreOf,
  noticeOf,
  redirectAfterPost,
  renderPage,
  signedInOf,
  type DashboardDeps,
  type TemplateTools,
} from './dashboard-context.js';
import { parseForm, textField } from './forms.js';
import { storeOf } from './orders.routes.js';

const OWNER_ONLY = { config: { dashboardOwnerOnly: true } } as const;
const LOCALE_NAME: Readonly<Record<TemplateLocale, string>> = {
  en: 'English',
  es: 'Spanish',
  fr: 'French',
  de: 'German',
};

const KeyFields = {
  milestone: textField(40),
  channel: textField(10),
  locale: textField(5),
};
const KeyQuery = z.object(KeyFields);
const SaveBody = z.object({
  ...KeyFields,
  subject: textField(2_000),
  html: textField(100_000),
  text: textField(50_000),
  body: textField(2_000),
});
const TestBody = z.object({ ...KeyFields, to: textField(254) });

/** The template asked for, defaulting to the store's language and the first shipping news. */
function keyOf(query: { milestone: string; channel: string; locale: string }, storeLocale: string): TemplateKey {
  const locale = (TEMPLATE_LOCALES as readonly string[]).includes(query.locale)
    ? (query.locale as TemplateLocale)
    : (((TEMPLATE_LOCALES as readonly string[]).includes(storeLocale.slice(0, 2))
        ? storeLocale.slice(0, 2)
        : 'en') as TemplateLocale);
  return {
    milestone: isMilestone(query.milestone) ? query.milestone : 'shipped',
    channel: (TEMPLATE_CHANNELS as readonly string[]).includes(query.channel)
      ? (query.channel as TemplateChannel)
      : 'email',
    locale,
  };
}

function draftOf(key: TemplateKey, body: z.infer<typeof SaveBody>): TemplateParts {
  const part = (value: string): string | null => (value.trim().length > 0 ? value : null);
  return key.channel === 'email'
    ? { subject: part(body.subject), html: part(body.html), text: part(body.text), body: null }
    : { subject: null, html: null, text: null, body: part(body.body) };
}

/**
 * The preview frame's document. An email is HTML built for mail clients, with
 * inline styles throughout, so this one response cannot carry the dashboard's
 * strict policy (`sendPage`): it gets its own, stricter where it matters — no
 * script at all, a sandboxed unique origin, nothing loaded but https images,
 * framable by the dashboard only.
 */
function sendMessagePreview(reply: FastifyReply, html: string): FastifyReply {
  return reply
    .status(200)
    .header(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; font-src https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox",
    )
    .header('x-frame-options', 'SAMEORIGIN')
    .header('cache-control', 'private, no-store')
    .header('x-content-type-options', 'nosniff')
    .type('text/html; charset=utf-8')
    .send(html);
}

function previewDocument(preview: NotificationPreview): string {
  const message = preview.message;
  if (message.channel === 'email') {
    return renderDashboardPage('email-preview', {
      title: 'Email preview',
      chrome: null,
      subject: message.subject,
      html: message.html,
      text: message.text,
      note: preview.warning,
    });
  }
  return renderDashboardPage('message-preview', {
    title: 'SMS preview',
    chrome: null,
    heading: 'SMS',
    text: message.body,
    note: `${message.body.length} characters · ${message.segments} segment${message.segments === 1 ? '' : 's'} · ${message.encoding}${preview.warning ? ` · ${preview.warning}` : ''}`,
  });
}

function problemDocument(message: string): string {
  return renderDashboardPage('message-preview', {
    title: 'Preview',
    chrome: null,
    heading: 'This draft does not render',
    text: message,
    note: null,
  });
}

export function registerTemplateSettingsRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const tools = deps.templates;
  const previewDeps = tools
    ? { uow: deps.uow, templates: tools.store, renderer: tools.renderer, links: tools.links }
    : null;

  async function editorPage(
    request: FastifyRequest,
    reply: FastifyReply,
    input: {
      key?: TemplateKey;
      draft?: TemplateParts | null;
      error?: string | null;
      testResult?: Flash | null;
      testTo?: string;
    } = {},
  ) {
    const store = await storeOf(deps, request);
    const key = input.key ?? keyOf(parseForm(KeyQuery, request.query), store.locale);
    const view: PageViews['settings-templates'] = {
      title: 'Templates · Settings',
      chrome: chromeOf(request, 'settings'),
      flash: noticeOf(request),
      csrfToken: signedInOf(request).session.csrfToken,
      tabs: settingsTabs('templates'),
      available: !!tools,
      editorTitle: `${milestoneLabel(key.milestone)} · ${channelLabel(key.channel)} · ${LOCALE_NAME[key.locale]}`,
      key,
      choices: {
        milestones: MILESTONES.map((m) => ({ value: m, label: milestoneLabel(m), selected: m === key.milestone })),
        channels: TEMPLATE_CHANNELS.map((c) => ({ value: c, label: channelLabel(c), selected: c === key.channel })),
        locales: TEMPLATE_LOCALES.map((l) => ({ value: l, label: LOCALE_NAME[l], selected: l === key.locale })),
      },
      overrides: [],
      overridden: false,
      fields: [],
      previewUrl: `/dashboard/settings/templates/preview${queryString(key)}`,
      error: input.error ?? null,
      testTo: input.testTo ?? signedInOf(request).user.email,
      testResult: input.testResult ?? null,
    };
    if (tools) {
      const overrides = await listNotificationTemplates(
        { ...tools, templates: tools.store, clock: deps.clock },
        store.id,
      );
      const saved = overrides.find(
        (o) => o.milestone === key.milestone && o.channel === key.channel && o.locale === key.locale,
      );
      const parts = input.draft ?? saved ?? null;
      view.overridden = !!saved;
      view.overrides = overrides.map((o) => ({
        label: `${milestoneLabel(o.milestone)} · ${channelLabel(o.channel)} · ${o.locale}`,
        href: `/dashboard/settings/templates${queryString({ milestone: o.milestone, channel: o.channel, locale: o.locale })}`,
      }));
      view.fields =
        key.channel === 'email'
          ? [
              { name: 'subject', label: 'Subject', value: parts?.subject ?? '', rows: 2 },
              { name: 'html', label: 'HTML body', value: parts?.html ?? '', rows: 12 },
              { name: 'text', label: 'Plain-text body', value: parts?.text ?? '', rows: 6 },
            ]
          : [{ name: 'body', label: 'Text message', value: parts?.body ?? '', rows: 4 }];
    }
    return renderPage(reply, 'settings-templates', view, { status: input.error ? 400 : 200 });
  }

  function requireTools(): { tools: TemplateTools; previewDeps: NonNullable<typeof previewDeps> } {
    if (!tools || !previewDeps) throw new DomainError(ErrorCode.NotFound, 'template editing is not configured');
    return { tools, previewDeps };
  }

  app.get('/settings/templates', OWNER_ONLY, (request, reply) => editorPage(request, reply));

  // What the store's customers get now for this key (saved override or built-in), with sample data.
  app.get('/settings/templates/preview', OWNER_ONLY, async (request, reply) => {
    const store = await storeOf(deps, request);
    const key = keyOf(parseForm(KeyQuery, request.query), store.locale);
    const preview = await previewNotification(requireTools().previewDeps, store.id, { ...key });
    return sendMessagePreview(reply, previewDocument(preview));
  });

  // The unsaved draft, posted by the editor's "Preview draft" button into the preview frame.
  app.post('/settings/templates/preview', OWNER_ONLY, async (request, reply) => {
    const body = parseForm(SaveBody, request.body);
    const store = await storeOf(deps, request);
    const key = keyOf(body, store.locale);
    try {
      const preview = await previewNotification(requireTools().previewDeps, store.id, {
        ...key,
        draft: draftOf(key, body),
      });
      return sendMessagePreview(reply, previewDocument(preview));
    } catch (error) {
      if (isDomainError(error) && error.code === ErrorCode.InvalidInput)
        return sendMessagePreview(reply, problemDocument(error.message));
      throw error;
    }
  });

  app.post('/settings/templates', OWNER_ONLY, async (request, reply) => {
    const body = parseForm(SaveBody, request.body);
    const { tools: t } = requireTools();
    const store = currentStoreOf(request);
    const key = keyOf(body, 'en');
    const draft = draftOf(key, body);
    try {
      await saveNotificationTemplate({ ...t, templates: t.store, clock: deps.clock }, store.id, key, draft);
    } catch (error) {
      if (isDomainError(error) && error.code === ErrorCode.InvalidInput)
        return editorPage(request, reply, { key, draft, error: error.message });
      throw error;
    }
    return redirectAfterPost(reply, `/dashboard/settings/templates${queryString({ ...key, done: 'template-saved' })}`);
  });

  app.post('/settings/templates/reset', OWNER_ONLY, async (request, reply) => {
    const body = parseForm(KeyQuery, request.body);
    const { tools: t } = requireTools();
    const key = keyOf(body, 'en');
    await deleteNotificationTemplate({ ...t, templates: t.store, clock: deps.clock }, currentStoreOf(request).id, key);
    return redirectAfterPost(reply, `/dashboard/settings/templates${queryString({ ...key, done: 'template-reset' })}`);
  });

  app.post('/settings/templates/test', OWNER_ONLY, async (request, reply) => {
    const body = parseForm(TestBody, request.body);
    const { tools: t, previewDeps: p } = requireTools();
    const key = keyOf(body, 'en');
    try {
      const result = await sendTestNotification(
        { ...p, clock: deps.clock, senders: t.senders, emailFrom: t.emailFrom, log: t.testLog },
        currentStoreOf(request).id,
        { ...key, to: body.to.trim() },
      );
      return await editorPage(request, reply, {
        key,
        testTo: body.to,
        testResult:
          result.state === 'sent'
            ? { tone: 'success', text: `Test sent to ${body.to.trim()}.` }
            : { tone: 'danger', text: `The provider refused the test: ${result.reason ?? 'no reason given'}` },
      });
    } catch (error) {
      if (isDomainError(error) && error.code === ErrorCode.InvalidInput)
        return editorPage(request, reply, { key, testTo: body.to, error: error.message });
      throw error;
    }
  });
}
