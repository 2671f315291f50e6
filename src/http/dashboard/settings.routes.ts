import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

import {
  ACCOUNT_CARRIERS,
  CARRIER_ACCOUNT_FIELDS,
  isAccountCarrier,
  listCarrierAccounts,
  removeCarrierAccount,
  setCarrierAccount,
  setCarrierAccountEnabled,
  testCarrierAccount,
  type CarrierAccountTestResult,
} from '../../app/manage-carrier-accounts.js';
import {
  canRemoveMember,
  createStoreApiKey,
  removeStoreUser,
  revokeStoreApiKey,
} from '../../app/manage-store-access.js';
import {
  readNotificationRules,
  updateNotificationRules,
  updateStoreBranding,
  type FieldErrors,
} from '../../app/manage-store-settings.js';
import { listWebhookDeliveries, requireStoreEndpoint } from '../../app/list-webhook-deliveries.js';
import { registerWebhookEndpoint } from '../../app/manage-webhook-endpoints.js';
import { addOrInviteStoreUser, listStoreInvitations, withdrawStoreInvitation } from '../../app/store-invitations.js';
import { replayWebhookDelivery } from '../../app/replay-webhook-delivery.js';
import { DomainError, ErrorCode, isDomainError } from '../../core/errors.js';
import { CHANNELS } from '../../core/notification/notification-settings.js';
import { isDashboardRole, type DashboardRole } from '../../core/ports/session.port.js';
import type { StoreBranding } from '../../core/store/store.js';
import { queryString } from '../../web/dashboard/format.js';
import { renderInvitationEmail } from '../../web/dashboard/invitation-email.js';
import { carrierCheckView } from '../../web/dashboard/connection.view.js';
import { badge, carrierName, credentialFieldLabel, roleLabel } from '../../web/dashboard/labels.js';
import { timeView } from '../../web/dashboard/orders.view.js';
import type { PageViews, SettingsBase, UsersView } from '../../web/dashboard/render-dashboard.js';
import {
  brandingFields,
  memberRows,
  notificationRulesParts,
  settingsTabs,
  WEBHOOK_EVENT_TYPES,
  type SettingsSection,
} from '../../web/dashboard/settings.view.js';
import {
  chromeOf,
  currentStoreOf,
  noticeOf,
  redirectAfterPost,
  renderPage,
  signedInOf,
  type DashboardDeps,
} from './dashboard-context.js';
import { checkboxValues, idParamOf, parseForm, textField } from './forms.js';
import { stashReveal, takeReveal } from './one-time-reveal.js';
import { storeOf } from './orders.routes.js';

const OWNER_ONLY = { config: { dashboardOwnerOnly: true } } as const;

const BrandingBody = z.object({
  displayName: textField(200),
  logoUrl: textField(1000),
  primaryColor: textField(40),
  accentColor: textField(40),
  supportEmail: textField(400),
  supportUrl: textField(1000),
});

const RulesBody = z.object({
  enabled: checkboxValues,
  email: checkboxValues,
  sms: checkboxValues,
  webhook: checkboxValues,
  quietStart: textField(5),
  quietEnd: textField(5),
});

const ApiKeyBody = z.object({ name: textField(200) });
const UserBody = z.object({ email: textField(254), role: textField(10), password: textField(1024) });
const WebhookBody = z.object({ url: textField(2048), eventTypes: checkboxValues });
const CarrierParams = z.object({ carrier: z.string().max(20) });
const UserParams = z.object({ id: z.uuid() });
const ReplayParams = z.object({ id: z.uuid(), deliveryId: z.uuid() });
const CursorQuery = z.object({ cursor: textField(400) });

/** The frame every settings page shares. */
export function base(request: FastifyRequest, section: SettingsSection, title: string): SettingsBase {
  return {
    title: `${title} · Settings`,
    chrome: chromeOf(request, 'settings'),
    flash: noticeOf(request),
    csrfToken: signedInOf(request).session.csrfToken,
    tabs: settingsTabs(section),
  };
}

/** A known, user-caused refusal shown on the form; anything else goes to the error page. */
export function formError(error: unknown): string {
  if (isDomainError(error) && (error.code === ErrorCode.InvalidInput || error.code === ErrorCode.InvalidTransition))
    return error.message;
  throw error;
}

export function registerSettingsRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const settingsDeps = { settings: deps.settings, clock: deps.clock };

  app.get('/settings', OWNER_ONLY, async (_request, reply) =>
    reply.status(303).header('location', '/dashboard/settings/branding').send(),
  );

  // Branding, with the tracking page embedded as it will look.
  async function brandingPage(
    request: FastifyRequest,
    reply: FastifyReply,
    form: { values?: Partial<Record<keyof StoreBranding, string | null>>; errors?: FieldErrors } = {},
  ) {
    const store = await storeOf(deps, request);
    const errors = form.errors ?? {};
    return renderPage(
      reply,
      'settings-branding',
      {
        ...base(request, 'branding', 'Branding'),
        fields: brandingFields(form.values ?? store.branding, errors),
        previewUrl: `/track/${encodeURIComponent(store.slug)}?preview=1`,
      },
      { status: Object.keys(errors).length > 0 ? 400 : 200 },
    );
  }

  app.get('/settings/branding', OWNER_ONLY, (request, reply) => brandingPage(request, reply));

  app.post('/settings/branding', OWNER_ONLY, async (request, reply) => {
    const body = parseForm(BrandingBody, request.body);
    const outcome = await updateStoreBranding(settingsDeps, currentStoreOf(request).id, body);
    if (!outcome.ok) return brandingPage(request, reply, { values: body, errors: outcome.errors });
    return redirectAfterPost(reply, '/dashboard/settings/branding?done=branding-saved');
  });

  // Notification rules: milestones × channels, quiet hours.
  async function rulesPage(request: FastifyRequest, reply: FastifyReply, error: string | null = null) {
    const store = await storeOf(deps, request);
    return renderPage(
      reply,
      'settings-notifications',
      {
        ...base(request, 'notifications', 'Notifications'),
        error,
        timeZone: store.timeZone,
        ...notificationRulesParts(readNotificationRules(store)),
      },
      { status: error ? 400 : 200 },
    );
  }

  app.get('/settings/notifications', OWNER_ONLY, (request, reply) => rulesPage(request, reply));

  app.post('/settings/notifications', OWNER_ONLY, async (request, reply) => {
    const body = parseForm(RulesBody, request.body);
    try {
      await updateNotificationRules(settingsDeps, currentStoreOf(request).id, {
        enabledChannels: body.enabled,
        milestones: Object.fromEntries(CHANNELS.map((c) => [c, body[c]])),
        quietStart: body.quietStart,
        quietEnd: body.quietEnd,
      });
    } catch (error) {
      return rulesPage(request, reply, formError(error));
    }
    return redirectAfterPost(reply, '/dashboard/settings/notifications?done=rules-saved');
  });

  // Carrier accounts of the store (the credentials themselves are never shown again).
  async function carriersPage(
    request: FastifyRequest,
    reply: FastifyReply,
    error: string | null = null,
    tested: CarrierAccountTestResult | null = null,
  ) {
    const view: PageViews['settings-carriers'] = {
      ...base(request, 'carriers', 'Carriers'),
      error,
      check: tested ? carrierCheckView(tested) : null,
      accounts: [],
      forms: [],
    };
    const accounts = deps.carrierAccounts;
    if (accounts) {
      const storeId = currentStoreOf(request).id;
      const list = await listCarrierAccounts({ accounts, stores: deps.uow.repositories.stores }, storeId);
      view.accounts = list.map((a) => ({
        carrier: carrierName(a.carrier),
        fields: a.fieldsSet.join(', '),
        state: !a.credentialsReadable
          ? { text: 'Re-enter: unreadable', tone: 'danger', title: 'Sealed with another secret key' }
          : a.isEnabled
            ? { text: 'In use', tone: 'success', title: 'Account: enabled' }
            : { text: 'Disabled', tone: 'neutral', title: 'Account: disabled' },
        enabled: a.isEnabled,
        toggle: `/dashboard/settings/carriers/${a.carrier}/toggle`,
        remove: `/dashboard/settings/carriers/${a.carrier}/remove`,
        test: deps.carrierClients ? `/dashboard/settings/carriers/${a.carrier}/test` : null,
      }));
      view.forms = ACCOUNT_CARRIERS.map((carrier) => ({
        carrier,
        label: carrierName(carrier),
        action: `/dashboard/settings/carriers/${carrier}`,
        hasAccount: list.some((a) => a.carrier === carrier),
        fields: CARRIER_ACCOUNT_FIELDS[carrier].map((name) => ({ name, label: credentialFieldLabel(carrier, name) })),
      }));
    } else {
      view.error = 'Per-store carrier accounts are not configured on this server.';
    }
    return renderPage(reply, 'settings-carriers', view, { status: error ? 400 : 200 });
  }

  function carrierDeps() {
    if (!deps.carrierAccounts) throw new DomainError(ErrorCode.NotFound, 'carrier accounts are not configured');
    return { accounts: deps.carrierAccounts, stores: deps.uow.repositories.stores, clock: deps.clock };
  }

  app.get('/settings/carriers', OWNER_ONLY, (request, reply) => carriersPage(request, reply));

  app.post('/settings/carriers/:carrier', OWNER_ONLY, async (request, reply) => {
    const { carrier } = parseForm(CarrierParams, request.params);
    if (!isAccountCarrier(carrier)) throw new DomainError(ErrorCode.NotFound, 'unknown carrier');
    const body = (request.body ?? {}) as Record<string, unknown>;
    const credentials: Record<string, string> = {};
    for (const field of CARRIER_ACCOUNT_FIELDS[carrier]) {
      const value = body[field];
      if (typeof value === 'string' && value.trim().length > 0) credentials[field] = value.trim();
    }
    try {
      await setCarrierAccount(carrierDeps(), currentStoreOf(request).id, { carrier, credentials });
    } catch (error) {
      return carriersPage(request, reply, formError(error));
    }
    return redirectAfterPost(reply, '/dashboard/settings/carriers?done=carrier-updated');
  });

  app.post('/settings/carriers/:carrier/toggle', OWNER_ONLY, async (request, reply) => {
    const { carrier } = parseForm(CarrierParams, request.params);
    const storeId = currentStoreOf(request).id;
    const account = (await listCarrierAccounts(carrierDeps(), storeId)).find((a) => a.carrier === carrier);
    if (!account) throw new DomainError(ErrorCode.NotFound, 'carrier account not found');
    await setCarrierAccountEnabled(carrierDeps(), storeId, carrier, !account.isEnabled);
    return redirectAfterPost(reply, '/dashboard/settings/carriers?done=carrier-updated');
  });

  // One real, cheap call with the stored credentials; the answer is shown, not stored, so nothing to redirect to.
  app.post('/settings/carriers/:carrier/test', OWNER_ONLY, async (request, reply) => {
    const { carrier } = parseForm(CarrierParams, request.params);
    const buildClient = deps.carrierClients;
    if (!isAccountCarrier(carrier) || !buildClient)
      throw new DomainError(ErrorCode.NotFound, 'carrier test not available');
    const tested = await testCarrierAccount(
      { clock: deps.clock, accounts: carrierDeps().accounts, buildClient },
      currentStoreOf(request).id,
      carrier,
    );
    return carriersPage(request, reply, null, tested);
  });

  app.post('/settings/carriers/:carrier/remove', OWNER_ONLY, async (request, reply) => {
    const { carrier } = parseForm(CarrierParams, request.params);
    await removeCarrierAccount(carrierDeps(), currentStoreOf(request).id, carrier);
    return redirectAfterPost(reply, '/dashboard/settings/carriers?done=carrier-updated');
  });

  // Outbound webhook endpoints.
  async function webhooksPage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { error?: string | null; created?: { secret: string } | null; url?: string; eventTypes?: string[] } = {},
  ) {
    const store = await storeOf(deps, request);
    const endpoints = deps.webhookEndpoints ? await deps.webhookEndpoints.store.listEndpoints(store.id) : [];
    const chosen = new Set(extra.eventTypes ?? []);
    return renderPage(
      reply,
      'settings-webhooks',
      {
        ...base(request, 'webhooks', 'Webhooks'),
        available: !!deps.webhookEndpoints,
        error: extra.error ?? null,
        created: extra.created ?? null,
        form: { url: extra.url ?? '' },
        eventTypes: WEBHOOK_EVENT_TYPES.map((value) => ({ value, checked: chosen.has(value) })),
        endpoints: endpoints.map((e) => ({
          url: e.url,
          events: e.eventTypes.length === 0 ? 'Every event' : e.eventTypes.join(', '),
          created: timeView(e.createdAt, store.timeZone),
          state: e.isEnabled
            ? { text: 'Enabled', tone: 'success', title: 'Endpoint: enabled' }
            : { text: 'Disabled', tone: 'neutral', title: 'Endpoint: disabled' },
          enabled: e.isEnabled,
          toggle: `/dashboard/settings/webhooks/${e.id}/toggle`,
          log: deps.webhookDeliveries ? `/dashboard/settings/webhooks/${e.id}/deliveries` : null,
        })),
      },
      { status: extra.error ? 400 : 200 },
    );
  }

  app.get('/settings/webhooks', OWNER_ONLY, (request, reply) => {
    const secret = takeReveal(request, reply, { sealer: deps.sealer, kind: 'webhook-secret', now: deps.clock.now() });
    return webhooksPage(request, reply, secret === null ? {} : { created: { secret } });
  });

  app.post('/settings/webhooks', OWNER_ONLY, async (request, reply) => {
    const body = parseForm(WebhookBody, request.body);
    const endpoints = deps.webhookEndpoints;
    if (!endpoints) throw new DomainError(ErrorCode.NotFound, 'outbound webhooks are not configured');
    const eventTypes = body.eventTypes.filter((t) => WEBHOOK_EVENT_TYPES.includes(t));
    try {
      const created = await registerWebhookEndpoint(
        { clock: deps.clock, endpoints: endpoints.store, policy: endpoints.policy },
        currentStoreOf(request).id,
        { url: body.url.trim(), eventTypes },
      );
      stashReveal(request, reply, {
        sealer: deps.sealer,
        kind: 'webhook-secret',
        secret: created.secret,
        now: deps.clock.now(),
      });
      return redirectAfterPost(reply, '/dashboard/settings/webhooks?done=endpoint-added');
    } catch (error) {
      return webhooksPage(request, reply, { error: formError(error), url: body.url, eventTypes });
    }
  });

  app.post('/settings/webhooks/:id/toggle', OWNER_ONLY, async (request, reply) => {
    const id = idParamOf(request.params);
    const storeId = currentStoreOf(request).id;
    const store = deps.webhookEndpoints?.store;
    const endpoint = store ? (await store.listEndpoints(storeId)).find((e) => e.id === id) : undefined;
    if (!store || !endpoint) throw new DomainError(ErrorCode.NotFound, 'webhook endpoint not found');
    await store.setEndpointEnabled(storeId, id, !endpoint.isEnabled, deps.clock.now());
    return redirectAfterPost(reply, '/dashboard/settings/webhooks?done=endpoint-updated');
  });

  // The delivery log of one endpoint, and replays.
  function deliveryDeps() {
    const endpoints = deps.webhookEndpoints?.store;
    const log = deps.webhookDeliveries;
    if (!endpoints || !log) throw new DomainError(ErrorCode.NotFound, 'the webhook delivery log is not configured');
    return { endpoints, deliveries: log.log, sender: log.sender, secrets: log.secrets };
  }

  async function deliveryLogPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    error: string | null = null,
  ) {
    const { cursor } = parseForm(CursorQuery, request.query);
    const store = await storeOf(deps, request);
    const logDeps = deliveryDeps();
    const endpoint = await requireStoreEndpoint(logDeps, store.id, id);
    let page;
    try {
      page = await listWebhookDeliveries(logDeps, store.id, id, { limit: 50, cursor: cursor || null });
    } catch (failure) {
      if (isDomainError(failure)) throw failure;
      throw new DomainError(ErrorCode.InvalidInput, 'That page link is not valid any more.', { cause: failure });
    }
    const logUrl = `/dashboard/settings/webhooks/${id}/deliveries`;
    return renderPage(
      reply,
      'settings-webhook-log',
      {
        ...base(request, 'webhooks', 'Webhook deliveries'),
        endpoint: { url: endpoint.url },
        error,
        canReplay: !!logDeps.sender,
        deliveries: page.deliveries.map((d) => ({
          at: timeView(d.attemptedAt, store.timeZone),
          attempt: d.attempt,
          isReplay: d.replayOf !== null,
          eventType: d.eventType,
          messageId: d.messageId,
          outcome: badge.webhookOutcome(d.outcome),
          error: d.error,
          statusCode: d.statusCode === null ? '—' : String(d.statusCode),
          responseMs: d.responseMs === null ? '—' : `${d.responseMs} ms`,
          body: JSON.stringify(d.payload, null, 2),
          replayUrl: `${logUrl}/${d.id}/replay`,
        })),
        firstHref: cursor ? logUrl : null,
        nextHref: page.nextCursor ? `${logUrl}${queryString({ cursor: page.nextCursor })}` : null,
      },
      { status: error ? 409 : 200 },
    );
  }

  app.get('/settings/webhooks/:id/deliveries', OWNER_ONLY, async (request, reply) => {
    const id = idParamOf(request.params);
    return deliveryLogPage(request, reply, id);
  });

  app.post('/settings/webhooks/:id/deliveries/:deliveryId/replay', OWNER_ONLY, async (request, reply) => {
    const { id, deliveryId } = parseForm(ReplayParams, request.params);
    const logDeps = deliveryDeps();
    if (!logDeps.sender) throw new DomainError(ErrorCode.NotFound, 'outbound webhooks are not configured');
    try {
      await replayWebhookDelivery(
        { ...logDeps, sender: logDeps.sender, clock: deps.clock },
        currentStoreOf(request).id,
        id,
        deliveryId,
      );
    } catch (error) {
      if (isDomainError(error) && error.code === ErrorCode.Conflict)
        return deliveryLogPage(request, reply, id, error.message);
      throw error;
    }
    return redirectAfterPost(reply, `/dashboard/settings/webhooks/${id}/deliveries?done=replayed`);
  });

  // API keys: shown once at creation, revocable.
  async function apiKeysPage(request: FastifyRequest, reply: FastifyReply, created: { key: string } | null = null) {
    const store = await storeOf(deps, request);
    const keys = await deps.apiKeys.listApiKeys(store.id);
    return renderPage(reply, 'settings-api-keys', {
      ...base(request, 'api-keys', 'API keys'),
      created,
      keys: keys.map((k) => ({
        prefix: k.prefix,
        name: k.name,
        created: timeView(k.createdAt, store.timeZone),
        lastUsed: timeView(k.lastUsedAt, store.timeZone),
        revoke: `/dashboard/settings/api-keys/${k.id}/revoke`,
      })),
    });
  }

  app.get('/settings/api-keys', OWNER_ONLY, (request, reply) => {
    const key = takeReveal(request, reply, { sealer: deps.sealer, kind: 'api-key', now: deps.clock.now() });
    return apiKeysPage(request, reply, key === null ? null : { key });
  });

  app.post('/settings/api-keys', OWNER_ONLY, async (request, reply) => {
    const body = parseForm(ApiKeyBody, request.body);
    const created = await createStoreApiKey(
      { apiKeys: deps.apiKeys, clock: deps.clock },
      currentStoreOf(request).id,
      body.name,
    );
    stashReveal(request, reply, { sealer: deps.sealer, kind: 'api-key', secret: created.key, now: deps.clock.now() });
    return redirectAfterPost(reply, '/dashboard/settings/api-keys?done=key-created');
  });

  app.post('/settings/api-keys/:id/revoke', OWNER_ONLY, async (request, reply) => {
    const id = idParamOf(request.params);
    await revokeStoreApiKey({ apiKeys: deps.apiKeys, clock: deps.clock }, currentStoreOf(request).id, id);
    return redirectAfterPost(reply, '/dashboard/settings/api-keys?done=key-revoked');
  });

  // Users of the store and their roles, and invitations not yet accepted.
  const accessDeps = {
    users: deps.users,
    invitations: deps.invitations,
    passwords: deps.passwords,
    clock: deps.clock,
  };

  async function usersPage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { error?: string | null; email?: string; role?: string; invited?: UsersView['invited'] } = {},
  ) {
    const store = await storeOf(deps, request);
    const [members, invitations] = await Promise.all([
      deps.users.listStoreMembers(store.id),
      listStoreInvitations(accessDeps, store.id),
    ]);
    const timeOf = (iso: string) => timeView(iso, store.timeZone) as { iso: string; text: string };
    return renderPage(
      reply,
      'settings-users',
      {
        ...base(request, 'users', 'Users'),
        error: extra.error ?? null,
        form: { email: extra.email ?? '', role: extra.role ?? 'staff' },
        members: memberRows(members, signedInOf(request).user.id, (userId) => canRemoveMember(members, userId), timeOf),
        invited: extra.invited ?? null,
        invitations: invitations.map((i) => ({
          email: i.email,
          roleLabel: roleLabel(i.role),
          expires: timeOf(i.expiresAt),
          withdraw: `/dashboard/settings/users/invitations/${i.id}/withdraw`,
        })),
        invitesByEmail: deps.staffMail !== undefined,
      },
      { status: extra.error ? 400 : 200 },
    );
  }

  /**
   * Emails a new invitation when staff mail is configured. The invitation is made
   * already: a failure here only changes what the owner is told, and the link is
   * shown either way, to pass on by hand.
   */
  async function emailInvitation(
    request: FastifyRequest,
    invitation: { id: string; email: string; role: DashboardRole; expiresAt: string; link: string },
  ): Promise<Pick<NonNullable<UsersView['invited']>, 'emailed' | 'emailError'>> {
    const mail = deps.staffMail;
    if (!mail) return { emailed: 'off', emailError: null };
    const content = renderInvitationEmail({
      storeName: currentStoreOf(request).name,
      roleLabel: roleLabel(invitation.role),
      invitedBy: signedInOf(request).user.email,
      link: invitation.link,
      expiresAt: invitation.expiresAt,
    });
    try {
      await mail.sender.sendToStaff({
        to: invitation.email,
        from: mail.from,
        ...content,
        idempotencyKey: `invitation:${invitation.id}`,
      });
      return { emailed: 'sent', emailError: null };
    } catch (error) {
      request.log.warn({ err: error, invitationId: invitation.id }, 'invitation email not sent');
      // The reason travels in the reveal cookie: kept short.
      const reason = isDomainError(error) ? error.message.slice(0, 300) : 'the mail server could not be reached';
      return { emailed: 'failed', emailError: reason };
    }
  }

  app.get('/settings/users', OWNER_ONLY, (request, reply) => {
    const revealed = takeReveal(request, reply, { sealer: deps.sealer, kind: 'invite-link', now: deps.clock.now() });
    const invited = revealed === null ? undefined : (JSON.parse(revealed) as NonNullable<UsersView['invited']>);
    return usersPage(request, reply, invited ? { invited } : {});
  });

  app.post('/settings/users', OWNER_ONLY, async (request, reply) => {
    const body = parseForm(UserBody, request.body);
    if (!isDashboardRole(body.role)) throw new DomainError(ErrorCode.InvalidInput, 'role must be owner or staff');
    let outcome;
    try {
      outcome = await addOrInviteStoreUser(accessDeps, currentStoreOf(request).id, {
        email: body.email,
        role: body.role,
        password: body.password,
      });
    } catch (error) {
      return usersPage(request, reply, { error: formError(error), email: body.email, role: body.role });
    }
    if (outcome.kind === 'added') return redirectAfterPost(reply, '/dashboard/settings/users?done=user-added');
    // The link is built from WAYMARK_PUBLIC_URL when set, else from the address the owner is using.
    const origin = deps.connection?.publicUrl ?? `${request.protocol}://${request.host}`;
    const link = `${origin.replace(/\/+$/, '')}/dashboard/invite/${outcome.token}`;
    const emailed = await emailInvitation(request, { ...outcome, role: body.role, link });
    const invited: NonNullable<UsersView['invited']> = { email: outcome.email, link, ...emailed };
    stashReveal(request, reply, {
      sealer: deps.sealer,
      kind: 'invite-link',
      secret: JSON.stringify(invited),
      now: deps.clock.now(),
    });
    return redirectAfterPost(reply, '/dashboard/settings/users?done=user-invited');
  });

  app.post('/settings/users/invitations/:id/withdraw', OWNER_ONLY, async (request, reply) => {
    const id = idParamOf(request.params);
    await withdrawStoreInvitation(accessDeps, currentStoreOf(request).id, id);
    return redirectAfterPost(reply, '/dashboard/settings/users?done=invitation-withdrawn');
  });

  app.post('/settings/users/:id/remove', OWNER_ONLY, async (request, reply) => {
    const { id } = parseForm(UserParams, request.params);
    try {
      await removeStoreUser({ users: deps.users }, currentStoreOf(request).id, id);
    } catch (error) {
      return usersPage(request, reply, { error: formError(error) });
    }
    return redirectAfterPost(reply, '/dashboard/settings/users?done=user-removed');
  });
}
