import { COMPUTED_ALERTS, MILESTONE_SUBJECT, MILESTONES } from '../../core/notification/milestone.js';
import { CHANNELS, type Channel } from '../../core/notification/notification-settings.js';
import type { StoreMember } from '../../core/ports/session.port.js';
import type { StoreBranding } from '../../core/store/store.js';
import { channelLabel, milestoneLabel, roleLabel } from './labels.js';
import type { BrandingView, NotificationRulesView, UsersView } from './render-dashboard.js';

export const SETTINGS_SECTIONS = [
  ['branding', 'Branding'],
  ['connection', 'Connection'],
  ['notifications', 'Notifications'],
  ['templates', 'Templates'],
  ['carriers', 'Carriers'],
  ['webhooks', 'Webhooks'],
  ['api-keys', 'API keys'],
  ['users', 'Users'],
] as const;
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number][0];

export function settingsTabs(active: SettingsSection) {
  return SETTINGS_SECTIONS.map(([key, label]) => ({
    href: `/dashboard/settings/${key}`,
    label,
    active: key === active,
  }));
}

const BRANDING_FIELDS: readonly {
  name: keyof StoreBranding;
  label: string;
  type: string;
  placeholder: string | null;
  hint: string | null;
  colour?: boolean;
}[] = [
  { name: 'displayName', label: 'Display name', type: 'text', placeholder: null, hint: 'Defaults to the store name.' },
  {
    name: 'logoUrl',
    label: 'Logo URL',
    type: 'url',
    placeholder: 'https://cdn.example.com/logo.png',
    hint: 'An https:// image, about 160 × 48 px.',
  },
  { name: 'primaryColor', label: 'Primary colour', type: 'text', placeholder: '#111827', hint: null, colour: true },
  { name: 'accentColor', label: 'Accent colour', type: 'text', placeholder: '#2563eb', hint: null, colour: true },
  { name: 'supportEmail', label: 'Support email', type: 'email', placeholder: 'help@example.com', hint: null },
  { name: 'supportUrl', label: 'Support page', type: 'url', placeholder: 'https://example.com/help', hint: null },
];

export function brandingFields(
  values: Partial<Record<keyof StoreBranding, string | null>>,
  errors: Partial<Record<keyof StoreBranding, string>>,
): BrandingView['fields'] {
  return BRANDING_FIELDS.map((f) => ({
    name: f.name,
    label: f.label,
    type: f.type,
    value: values[f.name] ?? '',
    placeholder: f.placeholder,
    hint: f.hint,
    colour: f.colour ?? false,
    error: errors[f.name] ?? null,
  }));
}

export function notificationRulesParts(rules: {
  channels: Record<Channel, { enabled: boolean; milestones: string[] }>;
  quietHours: { start: string; end: string } | null;
}): Pick<NotificationRulesView, 'channels' | 'milestones' | 'quietStart' | 'quietEnd'> {
  return {
    channels: CHANNELS.map((c) => ({ value: c, label: channelLabel(c), enabled: rules.channels[c].enabled })),
    milestones: MILESTONES.map((m) => ({
      value: m,
      label: milestoneLabel(m),
      computed: COMPUTED_ALERTS.has(m),
      cells: CHANNELS.map((c) => ({
        channel: c,
        channelLabel: channelLabel(c),
        checked: rules.channels[c].milestones.includes(m),
      })),
    })),
    quietStart: rules.quietHours?.start ?? '',
    quietEnd: rules.quietHours?.end ?? '',
  };
}

/** Event types an outbound webhook endpoint may subscribe to: `shipment.delivered`, `order.order_confirmed`… */
export const WEBHOOK_EVENT_TYPES = MILESTONES.map((m) => `${MILESTONE_SUBJECT[m]}.${m}`);

export function memberRows(
  members: StoreMember[],
  currentUserId: string,
  canRemove: (userId: string) => boolean,
  timeOf: (iso: string) => { iso: string; text: string },
): UsersView['members'] {
  return members.map((m) => ({
    email: m.email,
    roleLabel: roleLabel(m.role),
    since: timeOf(m.since),
    isYou: m.userId === currentUserId,
    remove: canRemove(m.userId) ? `/dashboard/settings/users/${m.userId}/remove` : null,
  }));
}
