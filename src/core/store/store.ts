/** The selling platform a store runs on. `api` stores push orders through the REST API. */
export const Platform = {
  Shopify: 'shopify',
  BigCommerce: 'bigcommerce',
  Magento: 'magento',
  WooCommerce: 'woocommerce',
  Api: 'api',
  Sandbox: 'sandbox',
} as const;
export type Platform = (typeof Platform)[keyof typeof Platform];
export const PLATFORMS = Object.values(Platform);

export function isPlatform(value: unknown): value is Platform {
  return typeof value === 'string' && (PLATFORMS as readonly string[]).includes(value);
}

export type StoreBranding = {
  displayName: string | null;
  logoUrl: string | null;
  primaryColor: string | null;
  accentColor: string | null;
  supportEmail: string | null;
  supportUrl: string | null;
};

/** The tenant. Every other row belongs to exactly one store. */
export type Store = {
  id: string;
  slug: string;
  name: string;
  platform: Platform;
  domain: string | null;
  locale: string;
  timeZone: string;
  branding: StoreBranding;
  /** Per-store notification rules; shape owned by the notification planner. */
  notificationSettings: Record<string, unknown>;
  isEnabled: boolean;
  createdAt: string;
  updatedAt: string;
};

/**
 * Secrets of a store's platform connection. Held encrypted at rest; only the
 * composition roots and adapters see them in clear.
 */
export type StoreSecrets = {
  webhookSecret: string | null;
  /** The previous webhook secret, accepted during a rotation window. */
  previousWebhookSecret: string | null;
  credentials: Record<string, string>;
};

export const EMPTY_BRANDING: StoreBranding = {
  displayName: null,
  logoUrl: null,
  primaryColor: null,
  accentColor: null,
  supportEmail: null,
  supportUrl: null,
};

/** Lowercase, dash-separated, safe in a URL path. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return slug.length > 0 ? slug : 'store';
}
