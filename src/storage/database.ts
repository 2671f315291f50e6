import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Column conventions, identical on both databases so repositories have one
 * code path: instants are ISO-8601 UTC strings (TEXT on SQLite, TIMESTAMPTZ on
 * PostgreSQL, read back as ISO strings), booleans are 0/1 integers, JSON is
 * text parsed in the repository, ids are UUIDv7 strings made by the application.
 */
type Instant = string;
type Flag = number;
type JsonText = string;

/** Columns every claimable (worker-leased) table has. */
export interface LeaseColumns {
  lease_owner: string | null;
  lease_until: Instant | null;
  attempts: Generated<number>;
  last_error: string | null;
}

export interface StoreTable extends LeaseColumns {
  id: string;
  slug: string;
  name: string;
  platform: string;
  domain: string | null;
  locale: string;
  time_zone: string;
  branding: JsonText;
  notification_settings: JsonText;
  /** AES-256-GCM sealed JSON of StoreSecrets. */
  secrets_sealed: string;
  is_enabled: Flag;
  /** When the store's pull sync is next due; null for stores that are not pulled (api). */
  next_sync_at: Instant | null;
  last_synced_at: Instant | null;
  /** Opt-in: post carrier news back to the selling platform (Shopify fulfilment events). */
  platform_write_back: Generated<Flag>;
  created_at: Instant;
  updated_at: Instant;
}

export interface SalesOrderTable {
  id: string;
  store_id: string;
  external_id: string;
  number: string;
  /** Lowercase, without `#`, for look-ups that ignore how the number was typed. */
  number_key: string;
  order_status: string;
  financial_status: string | null;
  platform_status: JsonText;
  cancel_reason: string | null;
  customer_email: string | null;
  /** Lowercased email, for the customer look-up. */
  customer_email_key: string | null;
  customer_name: string | null;
  customer_phone: string | null;
  customer_language: string | null;
  ship_city: string | null;
  ship_region: string | null;
  ship_postal_code: string | null;
  /** Uppercase postal code without spaces, for the customer look-up. */
  ship_postal_code_key: string | null;
  ship_country: string | null;
  line_items: JsonText;
  promised_delivery_date: string | null;
  placed_at: Instant;
  platform_updated_at: Instant | null;
  shipping_summary: string;
  created_at: Instant;
  updated_at: Instant;
}

export interface ShipmentTable extends LeaseColumns {
  id: string;
  store_id: string;
  order_id: string;
  external_id: string | null;
  carrier: string | null;
  carrier_confidence: string;
  tracking_number: string;
  service: string | null;
  items: JsonText;
  status: string;
  substatus: string;
  reason: string | null;
  action_required: Flag;
  attempt_number: number;
  tracker_state: string;
  carrier_edd_first: string | null;
  carrier_edd_latest: string | null;
  predicted_edd: string | null;
  /** The prediction's 10th–90th percentile dates, confidence, basis and sample count (delivery intelligence). */
  predicted_edd_earliest: string | null;
  predicted_edd_latest: string | null;
  predicted_edd_confidence: string | null;
  predicted_edd_basis: string | null;
  predicted_edd_samples: number | null;
  predicted_at: Instant | null;
  /** The local date from which the parcel counts as late against its promise; the alert scan's range. */
  late_from: string | null;
  signed_by: string | null;
  shipped_at: Instant | null;
  first_scan_at: Instant | null;
  out_for_delivery_at: Instant | null;
  delivered_at: Instant | null;
  exception_at: Instant | null;
  last_event_at: Instant | null;
  /** When the tracker is next due for a carrier call; null when not tracked any more. */
  next_check_at: Instant | null;
  platform_shipment_status: string | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface TrackingEventTable {
  id: string;
  store_id: string;
  shipment_id: string;
  occurred_at: Instant;
  occurred_at_local: string | null;
  time_zone_inferred: Flag;
  sequence: number | null;
  status: string;
  substatus: string;
  reason: string | null;
  description: string | null;
  location_city: string | null;
  location_region: string | null;
  location_postal_code: string | null;
  location_country: string | null;
  raw_code: string | null;
  raw_status: string | null;
  source: string;
  dedupe_key: string;
  received_at: Instant;
}

export interface StatusChangeTable {
  id: string;
  store_id: string;
  entity_type: string;
  entity_id: string;
  field: string;
  from_value: string | null;
  to_value: string;
  cause: string;
  cause_ref: string | null;
  at: Instant;
}

export interface InboundWebhookTable extends LeaseColumns {
  id: string;
  store_id: string | null;
  source: string;
  topic: string | null;
  provider_event_id: string | null;
  /** `source:store:event-id-or-content-hash`; unique, so a redelivery is recognised. */
  dedupe_key: string;
  headers: JsonText;
  raw_body: string;
  received_at: Instant;
  /** Due time for the worker; null once processed or dead. */
  next_attempt_at: Instant | null;
  processed_at: Instant | null;
  state: string;
}

export interface NotificationTable extends LeaseColumns {
  id: string;
  store_id: string;
  order_id: string | null;
  shipment_id: string | null;
  milestone: string;
  channel: string;
  recipient: string | null;
  idempotency_key: string;
  state: string;
  payload: JsonText;
  next_attempt_at: Instant | null;
  provider_message_id: string | null;
  sent_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface WebhookEndpointTable {
  id: string;
  store_id: string;
  url: string;
  secret_sealed: string;
  event_types: JsonText;
  is_enabled: Flag;
  created_at: Instant;
  updated_at: Instant;
}

export interface CarrierAccountTable {
  id: string;
  store_id: string | null;
  carrier: string;
  credentials_sealed: string;
  /** Calls per second allowed for this credential. */
  rate_limit_per_second: number | null;
  is_enabled: Flag;
  created_at: Instant;
  updated_at: Instant;
}

export interface AppUserTable {
  id: string;
  email: string;
  password_hash: string;
  created_at: Instant;
  updated_at: Instant;
}

export interface UserStoreAccessTable {
  user_id: string;
  store_id: string;
  role: string;
  created_at: Instant;
}

export interface StoreInvitationTable {
  id: string;
  store_id: string;
  /** Normalised (trimmed, lower case). */
  email: string;
  role: string;
  /** SHA-256 of the link's token; the token itself is never stored. */
  token_hash: string;
  created_at: Instant;
  expires_at: Instant;
  accepted_at: Instant | null;
}

export interface ApiKeyTable {
  id: string;
  store_id: string;
  /** The first characters of the key, shown to the merchant to tell keys apart. */
  prefix: string;
  /** SHA-256 of the whole key; the key itself is never stored. */
  key_hash: string;
  name: string | null;
  created_at: Instant;
  last_used_at: Instant | null;
  revoked_at: Instant | null;
}

export interface SyncCursorTable {
  store_id: string;
  resource: string;
  cursor: string | null;
  updated_at: Instant;
}

export interface RateLimitWindowTable {
  key: string;
  window_start: Instant;
  calls: number;
}

export interface NotificationOptOutTable {
  store_id: string;
  channel: string;
  /** Lowercased email or E.164 number. */
  recipient_key: string;
  created_at: Instant;
}

/** A dashboard sign-in; the cookie carries a random token, only its SHA-256 is stored. */
export interface DashboardSessionTable {
  id: string;
  token_hash: string;
  user_id: string;
  store_id: string | null;
  csrf_token: string;
  created_at: Instant;
  last_seen_at: Instant;
  expires_at: Instant;
}

/** A store's own wording for one (milestone, channel, locale); null parts keep the built-in. */
export interface NotificationTemplateTable {
  id: string;
  store_id: string;
  milestone: string;
  channel: string;
  locale: string;
  subject: string | null;
  html: string | null;
  text_body: string | null;
  sms_body: string | null;
  created_at: Instant;
  updated_at: Instant;
}

/** One attempt to deliver one message to one merchant endpoint (replays included). */
export interface WebhookDeliveryTable {
  id: string;
  store_id: string;
  endpoint_id: string;
  notification_id: string | null;
  /** The `webhook-id` header. */
  message_id: string;
  event_type: string;
  /** The signed body as sent: `{ type, timestamp, data }`. */
  payload: JsonText;
  attempt: number;
  replay_of: string | null;
  outcome: string;
  status_code: number | null;
  response_ms: number | null;
  error: string | null;
  attempted_at: Instant;
  completed_at: Instant | null;
}

/** The write-back outbox: one row per shipment status change to post to the selling platform. */
export interface PlatformWriteBackTable extends LeaseColumns {
  id: string;
  store_id: string;
  shipment_id: string;
  /** The platform's fulfilment / shipment id the news is posted to. */
  shipment_external_id: string;
  idempotency_key: string;
  state: string;
  /** ShipmentNews as JSON. */
  news: JsonText;
  happened_at: Instant;
  platform_event_id: string | null;
  platform_status: string | null;
  posted_at: Instant | null;
  next_attempt_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
}

/** One delivered parcel's transit, keyed by its lane (delivery intelligence). */
export interface DeliverySampleTable {
  shipment_id: string;
  store_id: string;
  carrier: string;
  service: string;
  origin_area: string;
  destination_area: string;
  days_from_shipped: number | null;
  days_from_first_scan: number | null;
  delivered_at: Instant;
  created_at: Instant;
}

/** The ledger of scheduled alerts raised: one per (subject, milestone). */
export interface DeliveryAlertTable {
  subject_id: string;
  milestone: string;
  store_id: string;
  order_id: string;
  shipment_id: string | null;
  since: Instant;
  details: JsonText;
  raised_at: Instant;
}

/** One claimable row per store for the scheduled alert scan; `id` is the store's id. */
export interface DeliveryAlertScanTable extends LeaseColumns {
  id: string;
  next_scan_at: Instant | null;
  last_scanned_at: Instant | null;
}

export interface Database {
  store: StoreTable;
  sales_order: SalesOrderTable;
  shipment: ShipmentTable;
  tracking_event: TrackingEventTable;
  status_change: StatusChangeTable;
  inbound_webhook: InboundWebhookTable;
  notification: NotificationTable;
  webhook_endpoint: WebhookEndpointTable;
  carrier_account: CarrierAccountTable;
  app_user: AppUserTable;
  user_store_access: UserStoreAccessTable;
  store_invitation: StoreInvitationTable;
  api_key: ApiKeyTable;
  sync_cursor: SyncCursorTable;
  rate_limit_window: RateLimitWindowTable;
  notification_opt_out: NotificationOptOutTable;
  delivery_sample: DeliverySampleTable;
  delivery_alert: DeliveryAlertTable;
  delivery_alert_scan: DeliveryAlertScanTable;
  platform_write_back: PlatformWriteBackTable;
  dashboard_session: DashboardSessionTable;
  notification_template: NotificationTemplateTable;
  webhook_delivery: WebhookDeliveryTable;
}

export type StoreRow = Selectable<StoreTable>;
export type NewStoreRow = Insertable<StoreTable>;
export type SalesOrderRow = Selectable<SalesOrderTable>;
export type NewSalesOrderRow = Insertable<SalesOrderTable>;
export type SalesOrderUpdate = Updateable<SalesOrderTable>;
export type ShipmentRow = Selectable<ShipmentTable>;
export type NewShipmentRow = Insertable<ShipmentTable>;
export type ShipmentUpdate = Updateable<ShipmentTable>;
export type TrackingEventRow = Selectable<TrackingEventTable>;
export type NewTrackingEventRow = Insertable<TrackingEventTable>;
export type StatusChangeRow = Selectable<StatusChangeTable>;
export type InboundWebhookRow = Selectable<InboundWebhookTable>;
export type NotificationRow = Selectable<NotificationTable>;
export type PlatformWriteBackRow = Selectable<PlatformWriteBackTable>;
export type ApiKeyRow = Selectable<ApiKeyTable>;
