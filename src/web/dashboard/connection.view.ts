import type { CarrierAccountTestResult } from '../../app/manage-carrier-accounts.js';
import type { ConnectionTestResult, StoreConnection } from '../../app/manage-store-connection.js';
import type { WebhookRegistration } from '../../app/register-platform-webhooks.js';
import { ErrorCode } from '../../core/errors.js';
import type { Platform } from '../../core/store/store.js';
import { carrierName, humanise, type Badge } from './labels.js';
import type { CheckResultView, ConnectionView, SettingsBase } from './render-dashboard.js';

const PLATFORM_LABEL: Readonly<Record<Platform, string>> = {
  shopify: 'Shopify',
  bigcommerce: 'BigCommerce',
  woocommerce: 'WooCommerce',
  magento: 'Adobe Commerce (Magento)',
  api: 'REST API',
  sandbox: 'Sandbox',
};

export function platformLabel(platform: Platform): string {
  return PLATFORM_LABEL[platform];
}

/** The field as the platform's admin names it, and where to find it. */
const FIELD_TEXT: Readonly<Record<string, { label: string; hint: string | null; secret: boolean }>> = {
  'shopify.accessToken': {
    label: 'Admin API access token',
    hint: 'shpat_… from the custom app’s API credentials; needs read_orders.',
    secret: true,
  },
  'shopify.shopDomain': {
    label: 'Shop domain',
    hint: 'The *.myshopify.com name, only when the domain above is a custom one.',
    secret: false,
  },
  'bigcommerce.storeHash': { label: 'Store hash', hint: 'From the API path: stores/{hash}/v3.', secret: false },
  'bigcommerce.accessToken': {
    label: 'Access token',
    hint: 'Of a store API account with Orders read-only (modify to register webhooks).',
    secret: true,
  },
  'bigcommerce.standardWebhooksSecret': {
    label: 'Standard Webhooks secret',
    hint: 'Optional: when your BigCommerce app signs its webhooks (whsec_…).',
    secret: true,
  },
  'woocommerce.consumerKey': { label: 'Consumer key', hint: 'ck_… of a REST API key with Read access.', secret: true },
  'woocommerce.consumerSecret': { label: 'Consumer secret', hint: 'cs_… of the same key.', secret: true },
  'magento.accessToken': { label: 'Access token', hint: 'Of an integration with Sales read access.', secret: true },
  'magento.consumerKey': {
    label: 'Consumer key',
    hint: 'OAuth 1.0a of the integration: the three values together, or none for a bearer token.',
    secret: true,
  },
  'magento.consumerSecret': { label: 'Consumer secret', hint: null, secret: true },
  'magento.accessTokenSecret': { label: 'Access token secret', hint: null, secret: true },
};

function fieldText(platform: Platform, name: string) {
  return FIELD_TEXT[`${platform}.${name}`] ?? { label: humanise(name), hint: null, secret: true };
}

const SET: Badge = { text: 'Set', tone: 'success', title: 'Credential: set' };
const NOT_SET: Badge = { text: 'Not set', tone: 'neutral', title: 'Credential: not set' };
const MISSING: Badge = { text: 'Missing', tone: 'warning', title: 'Credential: required, not set' };

/** Why there is nothing to connect, in the merchant's words. */
const NOTHING_TO_CONNECT: Partial<Record<Platform, string>> = {
  api: 'This store sends its orders to Waymark through the REST API (POST /api/v1/orders with an API key), so there is no platform to connect and no webhook to register.',
  sandbox:
    'This is a sandbox store: Waymark makes up its orders and parcels itself, so there is no platform to connect and no webhook to register.',
};

/** What the Connection page shows of the store, before any form error or check result. */
export type ConnectionParts = Omit<ConnectionView, keyof SettingsBase | 'error' | 'check' | 'registration'>;

/** This server was started without what a connection needs (tests, embedded uses): the page says so. */
export const CONNECTION_UNAVAILABLE: ConnectionParts = {
  available: false,
  connectable: false,
  nothingToConnect: null,
  platform: '',
  details: [],
  webhookUrl: null,
  publicUrlSet: false,
  secretsReadable: true,
  fields: [],
  webhookSecret: { isSet: false, state: { text: 'Not set', tone: 'neutral', title: 'Webhook secret: not set' } },
  previousWebhookSecretSet: false,
  otherFields: '',
};

export function connectionParts(connection: StoreConnection): ConnectionParts {
  const { store } = connection;
  return {
    available: true,
    connectable: connection.connectable,
    nothingToConnect: NOTHING_TO_CONNECT[store.platform] ?? null,
    platform: platformLabel(store.platform),
    details: [
      { label: 'Platform', value: platformLabel(store.platform), code: false },
      { label: 'Domain', value: store.domain ?? '—', code: store.domain !== null },
      { label: 'Slug', value: store.slug, code: true },
      { label: 'Store id', value: store.id, code: true },
    ],
    webhookUrl: connection.webhookUrl,
    publicUrlSet: connection.publicUrlSet,
    secretsReadable: connection.secretsReadable,
    fields: connection.credentialFields.map((f) => {
      const text = fieldText(store.platform, f.name);
      return {
        name: f.name,
        label: text.label,
        hint: text.hint,
        secret: text.secret,
        required: f.required,
        isSet: f.isSet,
        state: f.isSet ? SET : f.required ? MISSING : NOT_SET,
      };
    }),
    webhookSecret: { isSet: connection.webhookSecretSet, state: connection.webhookSecretSet ? SET : MISSING },
    previousWebhookSecretSet: connection.previousWebhookSecretSet,
    otherFields: connection.otherCredentialsSet.join(', '),
  };
}

/** A classified failure, said plainly; `who` is the carrier or platform by name. */
export function explainFailure(code: string, who: string): string {
  switch (code) {
    case ErrorCode.UpstreamAuthFailed:
      return `${who} refused these credentials, or they lack a permission Waymark needs.`;
    case ErrorCode.UpstreamUnavailable:
      return `${who} is unavailable or did not answer in time. Try again in a few minutes.`;
    case ErrorCode.UpstreamRateLimited:
      return `${who} asked Waymark to slow down. Try again in a minute.`;
    case ErrorCode.UpstreamInvalidResponse:
      return `${who} answered with something Waymark could not read: check the domain and the account.`;
    case ErrorCode.SecretKeyMismatch:
      return 'The stored credentials were sealed with another WAYMARK_SECRET_KEY and cannot be read: enter them again.';
    case ErrorCode.ConfigInvalid:
      return 'The credentials are incomplete or malformed, or this server cannot build a client for them.';
    default:
      return 'The check failed.';
  }
}

function failure(code: string, message: string, who: string, heading: string): CheckResultView {
  return { tone: 'danger', heading, text: explainFailure(code, who), detail: `${code}: ${message}` };
}

export function connectionCheckView(result: ConnectionTestResult): CheckResultView {
  const who = platformLabel(result.platform);
  switch (result.status) {
    case 'ok':
      return {
        tone: 'success',
        heading: 'Connection works',
        text: `${who} accepted the stored credentials and answered.`,
        detail: null,
      };
    case 'skipped':
      return {
        tone: 'warning',
        heading: 'Not tested',
        text: `Nothing was asked of ${who}: ${result.reason}.`,
        detail: null,
      };
    case 'failed':
      return failure(result.code, result.message, who, 'Connection failed');
  }
}

export function carrierCheckView(result: CarrierAccountTestResult): CheckResultView {
  const who = carrierName(result.carrier);
  if (result.ok) {
    return {
      tone: 'success',
      heading: `${who}: credentials work`,
      text: `${who} accepted these credentials and answered a tracking request.`,
      detail: null,
    };
  }
  return failure(result.code, result.message, who, `${who}: test failed`);
}

const REGISTERED: Badge = { text: 'Registered', tone: 'success', title: 'Webhook topic: registered' };
const FAILED: Badge = { text: 'Failed', tone: 'danger', title: 'Webhook topic: failed' };

export function registrationView(
  registration: WebhookRegistration,
  platform: Platform,
): ConnectionView['registration'] {
  const who = platformLabel(platform);
  switch (registration.status) {
    case 'registered':
      return {
        tone: 'success',
        heading: 'Webhooks registered',
        text: `${who} will send every topic below to ${registration.callbackUrl}. Registering again is harmless.`,
        detail: null,
        topics: registration.topics.map((t) => ({ topic: t.topic, state: REGISTERED })),
      };
    case 'skipped':
      return {
        tone: 'warning',
        heading: 'Webhooks skipped',
        text: `Nothing was registered: ${registration.reason}.`,
        detail: null,
        topics: [],
      };
    case 'failed':
      return {
        tone: 'danger',
        heading: 'Webhook registration failed',
        text: `${explainFailure(registration.error.code, who)} Topics registered before the failure stay registered; polling still syncs the store.`,
        detail: `${registration.error.code}: ${registration.error.message}`,
        topics: registration.topic ? [{ topic: registration.topic, state: FAILED }] : [],
      };
  }
}
