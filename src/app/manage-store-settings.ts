import { z } from 'zod';

import { DomainError, ErrorCode } from '../core/errors.js';
import { isMilestone, type Milestone } from '../core/notification/milestone.js';
import { CHANNELS, type Channel, resolveNotificationSettings } from '../core/notification/notification-settings.js';
import type { QuietHours } from '../core/notification/quiet-hours.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { Store, StoreBranding } from '../core/store/store.js';

/** Where a store's branding and notification rules are kept. */
export type StoreSettingsStore = {
  findStoreById(id: string): Promise<Store | undefined>;
  setStoreBranding(id: string, branding: StoreBranding, now: string): Promise<void>;
  setNotificationSettings(id: string, settings: Record<string, unknown>, now: string): Promise<void>;
};

const emptyToNull = (value: unknown): unknown =>
  typeof value === 'string' && value.trim().length === 0 ? null : typeof value === 'string' ? value.trim() : value;

const HEX_COLOUR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/**
 * Branding lands in `src` and `href` attributes and in CSS of pages and
 * emails, where escaping alone does not stop `javascript:` or a CSS
 * expression: so URLs must be https (http also for the support link) and
 * colours plain hex.
 */
const BrandingSchema = z.object({
  displayName: z.preprocess(emptyToNull, z.string().max(80, 'at most 80 characters').nullable()),
  logoUrl: z.preprocess(
    emptyToNull,
    z
      .url({ protocol: /^https$/, message: 'must be an https:// address' })
      .max(500, 'at most 500 characters')
      .nullable(),
  ),
  primaryColor: z.preprocess(
    emptyToNull,
    z.string().regex(HEX_COLOUR, 'must be a hex colour such as #1f2937').nullable(),
  ),
  accentColor: z.preprocess(
    emptyToNull,
    z.string().regex(HEX_COLOUR, 'must be a hex colour such as #2563eb').nullable(),
  ),
  supportEmail: z.preprocess(emptyToNull, z.email('must be an email address').max(254).nullable()),
  supportUrl: z.preprocess(
    emptyToNull,
    z
      .url({ protocol: /^https?$/, message: 'must be an http:// or https:// address' })
      .max(500, 'at most 500 characters')
      .nullable(),
  ),
});

export type BrandingInput = Record<keyof StoreBranding, unknown>;

/** Field → message; empty when the input is valid. */
export type FieldErrors = Partial<Record<keyof StoreBranding, string>>;

export function validateBranding(input: BrandingInput): { branding: StoreBranding } | { errors: FieldErrors } {
  const parsed = BrandingSchema.safeParse(input);
  if (parsed.success) {
    const b = parsed.data;
    return {
      branding: {
        ...b,
        primaryColor: b.primaryColor?.toLowerCase() ?? null,
        accentColor: b.accentColor?.toLowerCase() ?? null,
      },
    };
  }
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as keyof StoreBranding | undefined;
    if (field && !errors[field]) errors[field] = issue.message;
  }
  return { errors };
}

export async function updateStoreBranding(
  deps: { settings: StoreSettingsStore; clock: Clock },
  storeId: string,
  input: BrandingInput,
): Promise<{ ok: true; branding: StoreBranding } | { ok: false; errors: FieldErrors }> {
  const validated = validateBranding(input);
  if ('errors' in validated) return { ok: false, errors: validated.errors };
  await deps.settings.setStoreBranding(storeId, validated.branding, deps.clock.now());
  return { ok: true, branding: validated.branding };
}

export type NotificationRulesInput = {
  enabledChannels: string[];
  milestones: Partial<Record<string, string[]>>;
  quietStart: string;
  quietEnd: string;
};

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The stored rules as the form shows them. */
export function readNotificationRules(store: Store): {
  channels: Record<Channel, { enabled: boolean; milestones: Milestone[] }>;
  quietHours: QuietHours | null;
} {
  const resolved = resolveNotificationSettings(store.notificationSettings);
  const quiet = store.notificationSettings.quietHours;
  const quietHours =
    typeof quiet === 'object' &&
    quiet !== null &&
    typeof (quiet as QuietHours).start === 'string' &&
    typeof (quiet as QuietHours).end === 'string'
      ? { start: (quiet as QuietHours).start, end: (quiet as QuietHours).end }
      : null;
  return { channels: resolved, quietHours };
}

/**
 * Saves which milestones go out on which channel, and the quiet hours. Keys
 * of the stored settings this form does not own (template overrides, for
 * instance) are kept as they are.
 */
export async function updateNotificationRules(
  deps: { settings: StoreSettingsStore; clock: Clock },
  storeId: string,
  input: NotificationRulesInput,
): Promise<void> {
  const store = await deps.settings.findStoreById(storeId);
  if (!store) throw new DomainError(ErrorCode.NotFound, 'store not found');
  const start = input.quietStart.trim();
  const end = input.quietEnd.trim();
  let quietHours: QuietHours | null = null;
  if (start || end) {
    if (!HH_MM.test(start) || !HH_MM.test(end))
      throw new DomainError(ErrorCode.InvalidInput, 'quiet hours need both a start and an end time (HH:MM)');
    if (start === end)
      throw new DomainError(ErrorCode.InvalidInput, 'quiet hours must start and end at different times');
    quietHours = { start, end };
  }
  const rules: Record<string, unknown> = {};
  for (const channel of CHANNELS) {
    const chosen = input.milestones[channel] ?? [];
    const unknown = chosen.filter((m) => !isMilestone(m));
    if (unknown.length > 0)
      throw new DomainError(ErrorCode.InvalidInput, `unknown milestone: ${unknown.slice(0, 3).join(', ')}`);
    rules[channel] = {
      enabled: input.enabledChannels.includes(channel),
      milestones: [...new Set(chosen)].filter(isMilestone),
    };
  }
  await deps.settings.setNotificationSettings(
    storeId,
    { ...store.notificationSettings, ...rules, quietHours },
    deps.clock.now(),
  );
}
