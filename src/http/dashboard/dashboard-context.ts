import type { FastifyReply, FastifyRequest } from 'fastify';

import type { WebhookEndpointSource } from '../../app/deliver-notification.js';
import type { AlertSource } from '../../app/list-attention-queue.js';
import type { EndpointPolicy, EndpointStore } from '../../app/manage-webhook-endpoints.js';
import type { SessionPolicy, SignedIn } from '../../app/manage-dashboard-sessions.js';
import type { AttemptWindows } from '../../app/attempt-windows.js';
import type { ApiKeyAdmin } from '../../app/manage-store-access.js';
import type { SignInLimits } from '../../app/sign-in-limits.js';
import type { StoreSettingsStore } from '../../app/manage-store-settings.js';
import type { StoreConnectionStore } from '../../app/manage-store-connection.js';
import { DomainError, ErrorCode } from '../../core/errors.js';
import type { Clock } from '../../core/ports/clock.port.js';
import type { CarrierAccountStore, CarrierClientFactory } from '../../core/ports/carrier-account.port.js';
import type { AnalyticsQueries, AttentionQueries } from '../../core/ports/dashboard-queries.port.js';
import type {
  NotificationTemplateStore,
  TemplateRenderer,
  TestNotificationLog,
} from '../../core/ports/notification-template.port.js';
import type {
  EmailSender,
  LinkBuilder,
  SmsSender,
  StaffEmailSender,
  WebhookSender,
} from '../../core/ports/notifier.port.js';
import type { PlatformRegistry } from '../../core/ports/platform.port.js';
import type { Sealer } from '../../core/ports/sealer.port.js';
import type {
  DashboardUserStore,
  InvitationStore,
  PasswordHasher,
  SessionStore,
} from '../../core/ports/session.port.js';
import type { UnitOfWork } from '../../core/ports/storage.port.js';
import type { WebhookDeliveryLog } from '../../core/ports/webhook-delivery.port.js';
import { renderDashboardPage, type Chrome, type PageViews } from '../../web/dashboard/render-dashboard.js';
import { sendPage } from '../web/page-security.js';

/** Template overrides, previews and test sends (the notification templates work). */
export type TemplateTools = {
  store: NotificationTemplateStore;
  renderer: TemplateRenderer;
  links: LinkBuilder;
  senders: { email: EmailSender | null; sms: SmsSender | null };
  emailFrom: string | null;
  testLog: TestNotificationLog;
};

/** Everything the dashboard reads and writes, wired in the composition root. */
export type DashboardDeps = {
  uow: UnitOfWork;
  clock: Clock;
  sessions: SessionStore;
  users: DashboardUserStore;
  invitations: InvitationStore;
  passwords: PasswordHasher;
  settings: StoreSettingsStore;
  apiKeys: ApiKeyAdmin;
  /** Sign-in attempts counted per address and per account, shared by every server process. */
  attempts: AttemptWindows;
  /** Seals a secret shown once (a new API key or webhook secret) for the page the browser is sent to next. */
  sealer: Sealer;
  analytics: AnalyticsQueries;
  attention: AttentionQueries;
  /** Computed alerts (stalled, fulfilment delayed, predicted late) for the attention queue. */
  alerts?: AlertSource;
  webhookEndpoints?: { store: EndpointStore; policy: EndpointPolicy };
  /** The outbound webhook delivery log and what a replay needs; absent, the log is not shown. */
  webhookDeliveries?: { log: WebhookDeliveryLog; sender: WebhookSender | null; secrets: WebhookEndpointSource };
  /** Settings → Templates; absent, the page says template editing is not configured. */
  templates?: TemplateTools;
  /** Emails invitations to new colleagues (SMTP_URL and WAYMARK_EMAIL_FROM); absent, the owner passes the link on. */
  staffMail?: { sender: StaffEmailSender; from: string };
  /** The store's own carrier credentials (Settings → Carriers). */
  carrierAccounts?: CarrierAccountStore;
  /**
   * Builds a client for Settings → Carriers "Test". Without the shared rate
   * budget, so a click never waits for the next budget window (DHL's is six minutes).
   */
  carrierClients?: CarrierClientFactory;
  /** Settings → Connection: the store's platform secrets, the connectors, and where webhooks arrive. */
  connection?: {
    stores: StoreConnectionStore;
    platforms: PlatformRegistry;
    /** WAYMARK_PUBLIC_URL, when set: the base of the webhook URL and what registration needs. */
    publicUrl: string | undefined;
    /** This server's own address, shown in the webhook URL when no public URL is set. */
    localUrl: string;
  };
  sessionPolicy?: SessionPolicy;
  /** Sign-in attempts allowed per window, per client address and per email. */
  loginRateLimit?: SignInLimits;
};

export type DashboardRequestContext = { signedIn: SignedIn; token: string };

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in dashboard user; null on the sign-in page and outside the dashboard. */
    dashboard: DashboardRequestContext | null;
  }
  interface FastifyContextConfig {
    /** Dashboard routes reachable without a session (the sign-in page). */
    dashboardPublic?: boolean;
    /** Dashboard routes only store owners may use (settings, users, API keys). */
    dashboardOwnerOnly?: boolean;
  }
}

/** Chart.js, served from its package by the dashboard (`registerDashboard`). */
export const CHART_SCRIPT = '/assets/vendor/chart.umd.min.js';

export const SESSION_COOKIE = 'waymark_session';
export const LOGIN_CSRF_COOKIE = 'waymark_login_csrf';

export type NavKey = 'orders' | 'attention' | 'analytics' | 'settings';

const NAV: readonly { key: NavKey; href: string; label: string }[] = [
  { key: 'orders', href: '/dashboard/orders', label: 'Orders' },
  { key: 'attention', href: '/dashboard/attention', label: 'Needs attention' },
  { key: 'analytics', href: '/dashboard/analytics', label: 'Analytics' },
  { key: 'settings', href: '/dashboard/settings', label: 'Settings' },
];

export function signedInOf(request: FastifyRequest): SignedIn {
  if (!request.dashboard) throw new DomainError(ErrorCode.Unauthorized, 'sign in first');
  return request.dashboard.signedIn;
}

/** The store the request acts on: every query of a dashboard page is scoped to it. */
export function currentStoreOf(request: FastifyRequest): {
  id: string;
  name: string;
  slug: string;
  role: 'owner' | 'staff';
} {
  const current = signedInOf(request).current;
  if (!current) throw new DomainError(ErrorCode.Forbidden, 'your account cannot open any store');
  return { id: current.storeId, name: current.storeName, slug: current.storeSlug, role: current.role };
}

export function chromeOf(request: FastifyRequest, active: NavKey | null): Chrome {
  const signedIn = signedInOf(request);
  const store = signedIn.current
    ? {
        id: signedIn.current.storeId,
        name: signedIn.current.storeName,
        slug: signedIn.current.storeSlug,
        role: signedIn.current.role,
      }
    : null;
  return {
    user: { email: signedIn.user.email },
    stores: signedIn.memberships.map((m) => ({ storeId: m.storeId, storeName: m.storeName })),
    store,
    csrfToken: signedIn.session.csrfToken,
    nav: NAV.filter((item) => item.key !== 'settings' || store?.role === 'owner').map((item) => ({
      href: item.href,
      label: item.label,
      active: item.key === active,
    })),
  };
}

export function renderPage<K extends keyof PageViews>(
  reply: FastifyReply,
  page: K,
  view: PageViews[K],
  options: { status?: number } = {},
): FastifyReply {
  return sendPage(reply, renderDashboardPage(page, view), options);
}

/** Whether the browser reached us over HTTPS (directly or, with `trustProxy`, through a proxy): cookies get `Secure`. */
export function isTls(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

/** POST → redirect → GET, so a reload never repeats an action. */
export function redirectAfterPost(reply: FastifyReply, location: string): FastifyReply {
  return reply.status(303).header('location', location).send();
}

/** Only our own dashboard paths may be a redirect target after sign-in (no open redirect). */
export function safeNextPath(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  if (!/^\/dashboard(\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*)?$/.test(value) || value.includes('//')) return null;
  if (value.startsWith('/dashboard/login') || value.startsWith('/dashboard/logout')) return null;
  return value;
}

/** Messages shown after a redirect, chosen by a fixed key: the query never carries text to display. */
export const NOTICES = {
  refreshed: { tone: 'success', text: 'Tracking refresh requested: the next worker pass asks the carrier.' },
  'carrier-corrected': { tone: 'success', text: 'Carrier corrected; the parcel will be tracked again with it.' },
  delivered: { tone: 'success', text: 'Parcel marked delivered, recorded as a merchant override.' },
  resent: { tone: 'success', text: 'A new attempt of the notification is planned.' },
  'store-switched': { tone: 'info', text: 'Store opened.' },
  'branding-saved': { tone: 'success', text: 'Branding saved.' },
  'rules-saved': { tone: 'success', text: 'Notification rules saved.' },
  'key-created': { tone: 'success', text: 'API key created.' },
  'key-revoked': { tone: 'success', text: 'API key revoked.' },
  'user-added': { tone: 'success', text: 'User added to the store.' },
  'user-removed': { tone: 'success', text: 'User removed from the store.' },
  'user-invited': { tone: 'success', text: 'Invitation created.' },
  'invitation-withdrawn': { tone: 'success', text: 'Invitation withdrawn: its link no longer works.' },
  'invitation-accepted': { tone: 'success', text: 'Invitation accepted. Sign in to open the store.' },
  'endpoint-added': { tone: 'success', text: 'Webhook endpoint added.' },
  'endpoint-updated': { tone: 'success', text: 'Webhook endpoint updated.' },
  'carrier-updated': { tone: 'success', text: 'Carrier account updated.' },
  'connection-saved': { tone: 'success', text: 'Credentials saved. Test the connection to check them.' },
  replayed: { tone: 'success', text: 'Delivery replayed: its outcome is the newest row.' },
  'template-saved': { tone: 'success', text: 'Template saved: the next messages use it.' },
  'template-reset': { tone: 'success', text: 'Back to the built-in template.' },
  'signed-out': { tone: 'info', text: 'You are signed out.' },
} as const satisfies Record<string, { tone: 'success' | 'info' | 'warning' | 'danger'; text: string }>;

export function noticeOf(
  request: FastifyRequest,
): { tone: 'success' | 'info' | 'warning' | 'danger'; text: string } | null {
  const key = (request.query as Record<string, unknown> | undefined)?.done;
  return typeof key === 'string' && Object.hasOwn(NOTICES, key) ? NOTICES[key as keyof typeof NOTICES] : null;
}
