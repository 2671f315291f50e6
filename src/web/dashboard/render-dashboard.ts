import { Eta } from 'eta/core';

import type { Badge } from './labels.js';
import { ANALYTICS_PAGE } from './templates/analytics.js';
import { ATTENTION_PAGE } from './templates/attention.js';
import { CHECK_RESULT, CONNECTION_PAGE } from './templates/connection.js';
import { BADGE, CSRF, ERROR_PAGE, LAYOUT, NO_STORE_PAGE, TIME } from './templates/layout.js';
import { INVITATION_PAGE, LOGIN_PAGE } from './templates/login.js';
import { ORDER_DETAIL_PAGE } from './templates/order-detail.js';
import { ORDERS_PAGE } from './templates/orders.js';
import {
  API_KEYS_PAGE,
  BRANDING_PAGE,
  CARRIERS_PAGE,
  WEBHOOK_LOG_PAGE,
  TEMPLATES_PAGE,
  MESSAGE_PREVIEW_PAGE,
  EMAIL_PREVIEW_PAGE,
  FIELD_ERROR,
  NOTIFICATION_RULES_PAGE,
  PENDING_SECTION_PAGE,
  SETTINGS_NAV,
  USERS_PAGE,
  WEBHOOKS_PAGE,
} from './templates/settings.js';

/** A time the page shows: the instant for `<time datetime>`, the text in the store's zone. */
export type TimeView = { iso: string | null; text: string };
export type Option = { value: string; label: string; selected: boolean };
export type Flash = { tone: 'success' | 'info' | 'warning' | 'danger'; text: string };

export type NavItem = { href: string; label: string; active: boolean; count?: number | null };

/** Who is signed in and where: everything the frame around a page needs. */
export type Chrome = {
  user: { email: string };
  stores: { storeId: string; storeName: string }[];
  store: { id: string; name: string; slug: string; role: 'owner' | 'staff' } | null;
  csrfToken: string;
  nav: NavItem[];
};

export type PageBase = {
  title: string;
  chrome: Chrome | null;
  flash?: Flash | null;
  scripts?: string[];
  /** The session's CSRF token, for forms in the page body. */
  csrfToken?: string;
};

export type LoginView = PageBase & {
  chrome: null;
  csrfToken: string;
  email: string;
  next: string | null;
  error: string | null;
  notice: string | null;
};

export type ErrorView = PageBase & { heading: string; message: string };

export type OrderRowView = {
  href: string;
  number: string;
  placedAt: TimeView;
  customerName: string;
  email: string | null;
  orderStatus: Badge;
  summary: Badge;
  shipments: { carrier: string; trackingNumber: string; status: Badge }[];
};

export type OrdersView = PageBase & {
  filters: { q: string; carrier: string; from: string; to: string };
  options: { orderStatus: Option[]; shippingStatus: Option[]; shippingSummary: Option[]; carriers: string[] };
  filtered: boolean;
  error: string | null;
  total: number;
  rows: OrderRowView[];
  firstHref: string | null;
  nextHref: string | null;
  csvHref: string;
};

export type EventView = {
  at: TimeView;
  local: string | null;
  status: Badge;
  substatus: string;
  reason: string | null;
  description: string | null;
  location: string | null;
  rawCode: string | null;
  rawStatus: string | null;
  source: string;
};

export type ShipmentView = {
  anchor: string;
  carrier: string;
  confidence: string;
  trackingNumber: string;
  service: string | null;
  platformShipmentStatus: string | null;
  status: Badge;
  tracker: Badge;
  substatus: string;
  substatusCode: string;
  reason: string | null;
  actionRequired: boolean;
  attemptNumber: number;
  dates: { label: string; time: TimeView }[];
  estimates: { label: string; value: string }[];
  signedBy: string | null;
  events: EventView[];
  actions: { refresh: string; carrier: string; delivered: string; canMarkDelivered: boolean };
};

export type OrderDetailView = PageBase & {
  csrfToken: string;
  order: {
    number: string;
    placedAt: TimeView;
    platformLabel: string;
    orderStatus: Badge;
    financialStatus: string | null;
    cancelReason: string | null;
    platformStatus: { key: string; value: string }[];
    summary: Badge;
    promised: string | null;
    customer: { name: string | null; email: string | null; phone: string | null; language: string | null };
    address: string | null;
    lineItems: { name: string; sku: string | null; quantity: number }[];
  };
  shipments: ShipmentView[];
  journal: {
    at: TimeView;
    subject: string;
    field: string;
    from: string;
    to: string;
    cause: string;
    ref: string | null;
  }[];
  notifications: {
    created: TimeView;
    subject: string;
    milestone: string;
    channel: string;
    recipient: string | null;
    state: Badge;
    reason: string | null;
    attempts: number;
    sentAt: TimeView;
    resend: string | null;
  }[];
  carrierOptions: string[];
};

export type AttentionView = PageBase & {
  kind: string | null;
  kinds: { label: string; count: number; href: string; active: boolean }[];
  total: number;
  rows: {
    kind: Badge;
    detail: string | null;
    orderHref: string;
    orderNumber: string;
    parcel: string | null;
    status: Badge | null;
    age: string;
    since: TimeView;
    nextStep: string;
  }[];
  truncated: boolean;
  csvHref: string;
  sourceNote: string;
};

export type TableView = { columns: string[]; numeric: boolean[]; rows: (string | number)[][] };

export type AnalyticsView = PageBase & {
  rangeText: string;
  ranges: { label: string; href: string; active: boolean }[];
  panels: {
    id: string;
    title: string;
    description: string;
    wide: boolean;
    tableOpen: boolean;
    table: TableView;
    csvHref: string;
  }[];
  /** Already escaped for a script element by `jsonForScript`. */
  chartJson: string;
};

export type SettingsBase = PageBase & {
  csrfToken: string;
  tabs: { href: string; label: string; active: boolean }[];
};

export type BrandingView = SettingsBase & {
  fields: {
    name: string;
    label: string;
    type: string;
    value: string;
    placeholder: string | null;
    hint: string | null;
    colour: boolean;
    error: string | null;
  }[];
  previewUrl: string;
};

export type NotificationRulesView = SettingsBase & {
  error: string | null;
  timeZone: string;
  channels: { value: string; label: string; enabled: boolean }[];
  milestones: {
    value: string;
    label: string;
    computed: boolean;
    cells: { channel: string; channelLabel: string; checked: boolean }[];
  }[];
  quietStart: string;
  quietEnd: string;
};

export type ApiKeysView = SettingsBase & {
  created: { key: string } | null;
  keys: { prefix: string; name: string | null; created: TimeView; lastUsed: TimeView; revoke: string }[];
};

export type UsersView = SettingsBase & {
  error: string | null;
  form: { email: string; role: string };
  members: { email: string; roleLabel: string; since: TimeView; isYou: boolean; remove: string | null }[];
  /** The link of the invitation just made, shown once, and whether it was emailed (`off`: no staff mail set up). */
  invited: { email: string; link: string; emailed: 'sent' | 'failed' | 'off'; emailError: string | null } | null;
  invitations: { email: string; roleLabel: string; expires: TimeView; withdraw: string }[];
  /** Whether Waymark emails invitations itself (staff mail is set up). */
  invitesByEmail: boolean;
};

/** The page an invitation link opens, before its holder has a session. */
export type InvitationView = PageBase & {
  chrome: null;
  csrfToken: string;
  action: string;
  storeName: string;
  email: string;
  roleLabel: string;
  hasAccount: boolean;
  error: string | null;
};

export type WebhooksView = SettingsBase & {
  available: boolean;
  error: string | null;
  created: { secret: string } | null;
  form: { url: string };
  eventTypes: { value: string; checked: boolean }[];
  endpoints: {
    url: string;
    events: string;
    created: TimeView;
    state: Badge;
    enabled: boolean;
    toggle: string;
    log: string | null;
  }[];
};

export type PendingSectionView = SettingsBase & { heading: string; message: string; items: string[] };

export type TemplatesView = SettingsBase & {
  available: boolean;
  /** The editor's heading, e.g. "Shipped · Email · English". */
  editorTitle: string;
  key: { milestone: string; channel: string; locale: string };
  choices: { milestones: Option[]; channels: Option[]; locales: Option[] };
  overrides: { label: string; href: string }[];
  overridden: boolean;
  fields: { name: string; label: string; value: string; rows: number }[];
  previewUrl: string;
  error: string | null;
  testTo: string;
  testResult: Flash | null;
};

/** Not a dashboard page: the document inside the template preview frame. */
export type MessagePreviewView = PageBase & { heading: string | null; text: string; note: string | null };
export type EmailPreviewView = PageBase & { subject: string; html: string; text: string; note: string | null };

export type WebhookLogView = SettingsBase & {
  endpoint: { url: string };
  error: string | null;
  canReplay: boolean;
  deliveries: {
    at: TimeView;
    attempt: number;
    isReplay: boolean;
    eventType: string;
    messageId: string;
    outcome: Badge;
    error: string | null;
    statusCode: string;
    responseMs: string;
    body: string;
    replayUrl: string;
  }[];
  firstHref: string | null;
  nextHref: string | null;
};

/** The outcome of a check a button ran (a connection or credentials test), said plainly. */
export type CheckResultView = { tone: Flash['tone']; heading: string; text: string; detail: string | null };

export type ConnectionView = SettingsBase & {
  /** False when this server was started without platform connectors. */
  available: boolean;
  connectable: boolean;
  nothingToConnect: string | null;
  platform: string;
  details: { label: string; value: string; code: boolean }[];
  webhookUrl: string | null;
  publicUrlSet: boolean;
  secretsReadable: boolean;
  fields: {
    name: string;
    label: string;
    hint: string | null;
    secret: boolean;
    required: boolean;
    isSet: boolean;
    state: Badge;
  }[];
  webhookSecret: { isSet: boolean; state: Badge };
  previousWebhookSecretSet: boolean;
  otherFields: string;
  error: string | null;
  check: CheckResultView | null;
  registration: (CheckResultView & { topics: { topic: string; state: Badge }[] }) | null;
};

export type CarriersView = SettingsBase & {
  error: string | null;
  /** The result of the last "Test" click. */
  check: CheckResultView | null;
  accounts: {
    carrier: string;
    fields: string;
    state: Badge;
    enabled: boolean;
    toggle: string;
    remove: string;
    test: string | null;
  }[];
  forms: {
    carrier: string;
    label: string;
    action: string;
    hasAccount: boolean;
    fields: { name: string; label: string }[];
  }[];
};

export type PageViews = {
  login: LoginView;
  invitation: InvitationView;
  error: ErrorView;
  'no-store': PageBase;
  orders: OrdersView;
  order: OrderDetailView;
  attention: AttentionView;
  analytics: AnalyticsView;
  'settings-branding': BrandingView;
  'settings-notifications': NotificationRulesView;
  'settings-api-keys': ApiKeysView;
  'settings-users': UsersView;
  'settings-webhooks': WebhooksView;
  'settings-pending': PendingSectionView;
  'settings-carriers': CarriersView;
  'settings-connection': ConnectionView;
  'settings-webhook-log': WebhookLogView;
  'settings-templates': TemplatesView;
  'message-preview': MessagePreviewView;
  'email-preview': EmailPreviewView;
};

const PAGES: Readonly<Record<keyof PageViews, string>> = {
  login: LOGIN_PAGE,
  invitation: INVITATION_PAGE,
  error: ERROR_PAGE,
  'no-store': NO_STORE_PAGE,
  orders: ORDERS_PAGE,
  order: ORDER_DETAIL_PAGE,
  attention: ATTENTION_PAGE,
  analytics: ANALYTICS_PAGE,
  'settings-branding': BRANDING_PAGE,
  'settings-notifications': NOTIFICATION_RULES_PAGE,
  'settings-api-keys': API_KEYS_PAGE,
  'settings-users': USERS_PAGE,
  'settings-webhooks': WEBHOOKS_PAGE,
  'settings-pending': PENDING_SECTION_PAGE,
  'settings-carriers': CARRIERS_PAGE,
  'settings-connection': CONNECTION_PAGE,
  'settings-webhook-log': WEBHOOK_LOG_PAGE,
  'settings-templates': TEMPLATES_PAGE,
  'message-preview': MESSAGE_PREVIEW_PAGE,
  'email-preview': EMAIL_PREVIEW_PAGE,
};

// Every value is escaped by `<%= %>`; the raw `<%~ %>` appears only for the page
// body, our own partials and JSON already escaped for a script element.
const engine = new Eta({ autoEscape: true, autoTrim: [false, 'nl'], cache: true });
engine.loadTemplate('@layout', LAYOUT);
engine.loadTemplate('@badge', BADGE);
engine.loadTemplate('@csrf', CSRF);
engine.loadTemplate('@time', TIME);
engine.loadTemplate('@settings-nav', SETTINGS_NAV);
engine.loadTemplate('@field-error', FIELD_ERROR);
engine.loadTemplate('@check-result', CHECK_RESULT);
for (const [name, template] of Object.entries(PAGES)) engine.loadTemplate(`@page-${name}`, template);

/** One dashboard page as a complete HTML document. */
export function renderDashboardPage<K extends keyof PageViews>(page: K, view: PageViews[K]): string {
  return engine.render(`@page-${page}`, { flash: null, scripts: [], ...view });
}
