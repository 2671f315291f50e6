import { sql, type Kysely } from 'kysely';

import { hashSessionToken, newToken } from '../app/manage-dashboard-sessions.js';

import type { Order } from '../core/order/order.js';
import type { Shipment } from '../core/shipment/shipment.js';
import type { Store } from '../core/store/store.js';
import type { Database } from '../storage/database.js';
import type { Storage } from '../storage/storage.js';
import { carrierEvent, seedDashboardUser, seedOrderWithParcel } from '../test-support/dashboard.js';
import { FIXED_NOW, type ManualClock } from '../test-support/factories.js';

/** The override every tenant has, so the other tenant asking for it by key must get 404. */
export const TENANT_TEMPLATE_KEY = { milestone: 'delivered', channel: 'email', locale: 'en' } as const;

export type Tenant = {
  label: string;
  store: Store;
  auth: { authorization: string };
  revokedAuth: { authorization: string };
  apiKeyId: string;
  webhookSecret: string;
  owner: { id: string; email: string };
  staff: { id: string; email: string };
  order: Order;
  shipment: Shipment;
  notificationId: string;
  endpointId: string;
  endpointUrl: string;
  deliveryId: string;
  /** An open invitation to the store, and the token of its link. */
  invitationId: string;
  invitationToken: string;
  /**
   * What must never reach another tenant: ids, names, numbers, emails,
   * tracking numbers and the texts only this tenant wrote. Each is distinctive
   * enough that finding it in a body cannot be chance.
   */
  markers: string[];
};

const at = (minutes: number): string => new Date(Date.parse(FIXED_NOW) + minutes * 60_000).toISOString();

/**
 * One store with something behind every route: an order whose parcel went
 * through the real event path, a sent notification, a webhook endpoint with a
 * logged delivery, a template override, a carrier account, a live and a
 * revoked API key, and an owner and a staff member for the dashboard.
 */
export async function seedTenant(storage: Storage, clock: ManualClock, label: string): Promise<Tenant> {
  const repositories = storage.repositories;
  const upper = label.toUpperCase();
  const webhookSecret = `${label}-shopify-webhook-secret`;
  const store = await repositories.stores.createStore(
    {
      name: `${upper} Outfitters`,
      slug: `${label}-outfitters`,
      platform: 'shopify',
      domain: `${label}-outfitters.myshopify.com`,
      secrets: { webhookSecret },
    },
    FIXED_NOW,
  );
  const key = await repositories.apiKeys.createApiKey(store.id, `${label} integration`, FIXED_NOW);
  const revoked = await repositories.apiKeys.createApiKey(store.id, `${label} old`, FIXED_NOW);
  await repositories.apiKeys.revokeApiKey(store.id, revoked.id, FIXED_NOW);

  const owner = await seedDashboardUser(storage, `owner@${label}-outfitters.example`, [{ store, role: 'owner' }]);
  const staff = await seedDashboardUser(storage, `staff@${label}-outfitters.example`, [{ store, role: 'staff' }]);

  const customerEmail = `customer@${label}-buyers.example`;
  const { order, shipment } = await seedOrderWithParcel(storage, clock, store, {
    order: {
      externalId: `ext-${label}-4471`,
      number: `#${upper}-4471`,
      orderStatus: 'fulfilled',
      customer: { email: customerEmail, name: `${upper} Customer`, phone: '+14155550123', language: 'en' },
      shippingAddress: { city: 'Lyon', region: null, postalCode: `${label.length}9001`, country: 'FR' },
    },
    carrier: 'ups',
    trackingNumber: `1Z${upper}4471TRACK`,
    events: [
      carrierEvent({ occurredAt: at(-120), status: 'in_transit', substatus: 'picked_up' }),
      carrierEvent({ occurredAt: at(-30), status: 'delivered', substatus: 'delivered' }),
    ],
  });

  await repositories.notifications.planNotifications(
    [
      {
        storeId: store.id,
        orderId: order.id,
        shipmentId: shipment.id,
        milestone: 'delivered',
        channel: 'email',
        recipient: customerEmail,
        idempotencyKey: `abuse:${label}:delivered:email`,
        state: 'sent',
        reason: null,
        payload: {},
      },
    ],
    FIXED_NOW,
  );
  const notification = (await repositories.notifications.listNotificationsForOrder(store.id, order.id)).find(
    (n) => n.idempotencyKey === `abuse:${label}:delivered:email`,
  );
  if (!notification) throw new Error('seeded notification vanished');

  const endpointUrl = `https://hooks.${label}-outfitters.example/waymark`;
  const endpoint = await repositories.webhookEndpoints.createEndpoint(
    store.id,
    {
      url: endpointUrl,
      secret: `whsec_${Buffer.from(`${label}-endpoint-secret-32-bytes!!`).toString('base64')}`,
      eventTypes: [],
    },
    FIXED_NOW,
  );
  const delivery = await repositories.webhookDeliveries.startDelivery(
    {
      storeId: store.id,
      endpointId: endpoint.id,
      notificationId: notification.id,
      messageId: `msg_${label}_delivered`,
      payload: { type: 'shipment.delivered', timestamp: FIXED_NOW, data: { orderNumber: order.number } },
      replayOf: null,
    },
    FIXED_NOW,
  );
  await repositories.webhookDeliveries.finishDelivery(
    delivery.id,
    { outcome: 'failed', statusCode: 503, responseMs: 12, error: `${label} endpoint was down` },
    FIXED_NOW,
  );

  await repositories.notificationTemplates.saveTemplate(
    store.id,
    TENANT_TEMPLATE_KEY,
    { subject: `${upper} private subject line`, html: null, text: null, body: null },
    FIXED_NOW,
  );
  await repositories.carrierAccounts.upsertCarrierAccount(
    store.id,
    'ups',
    { credentials: { clientId: `${label}-ups-client`, clientSecret: `${label}-ups-secret` } },
    FIXED_NOW,
  );

  const invitationToken = newToken();
  const invitation = await repositories.invitations.createInvitation(
    {
      storeId: store.id,
      email: `${label}-invitee@example.com`,
      role: 'staff',
      tokenHash: hashSessionToken(invitationToken),
      expiresAt: at(7 * 24 * 60),
    },
    FIXED_NOW,
  );

  return {
    label,
    store,
    auth: { authorization: `Bearer ${key.key}` },
    revokedAuth: { authorization: `Bearer ${revoked.key}` },
    apiKeyId: key.id,
    webhookSecret,
    owner,
    staff,
    order,
    shipment,
    notificationId: notification.id,
    endpointId: endpoint.id,
    endpointUrl,
    deliveryId: delivery.id,
    invitationId: invitation.id,
    invitationToken,
    markers: [
      store.id,
      store.slug,
      store.name,
      order.id,
      order.externalId ?? '',
      order.number,
      `${upper} Customer`,
      customerEmail,
      shipment.id,
      shipment.trackingNumber,
      notification.id,
      endpoint.id,
      endpointUrl,
      delivery.id,
      `msg_${label}_delivered`,
      `${upper} private subject line`,
      `${label}-ups-client`,
      key.prefix,
      revoked.prefix,
      key.id,
      revoked.id,
      owner.id,
      owner.email,
      staff.id,
      staff.email,
      invitation.id,
      `${label}-invitee@example.com`,
    ].filter((marker) => marker.length > 0),
  };
}

/** Every row that belongs to the tenant, table by table, found by introspection so new tables are included. */
export async function snapshotTenant(db: Kysely<Database>, tenant: Tenant): Promise<Record<string, unknown[]>> {
  const tables = await db.introspection.getTables();
  const snapshot: Record<string, unknown[]> = {};
  for (const table of tables.sort((a, b) => a.name.localeCompare(b.name))) {
    const columns = new Set(table.columns.map((column) => column.name));
    let rows: unknown[] | null = null;
    if (columns.has('store_id')) {
      rows = (await sql`select * from ${sql.table(table.name)} where store_id = ${tenant.store.id}`.execute(db)).rows;
    } else if (table.name === 'store' || table.name === 'delivery_alert_scan') {
      rows = (await sql`select * from ${sql.table(table.name)} where id = ${tenant.store.id}`.execute(db)).rows;
    } else if (table.name === 'app_user') {
      rows = (
        await sql`select * from app_user where id in (${sql.join([tenant.owner.id, tenant.staff.id])})`.execute(db)
      ).rows;
    }
    if (rows) snapshot[table.name] = sortedRows(rows);
  }
  return snapshot;
}

function sortedRows(rows: unknown[]): unknown[] {
  return rows
    .map((row) => JSON.stringify(row, (_key, value: unknown) => (value instanceof Date ? value.toISOString() : value)))
    .sort()
    .map((text) => JSON.parse(text) as unknown);
}

/** The markers of `tenant` found in `text`, leaving out those the request itself carried (an echo is no leak). */
export function leakedMarkers(text: string, tenant: Tenant, request: string): string[] {
  return tenant.markers.filter(
    (marker) => !request.includes(marker) && (text.includes(marker) || text.includes(encodeURIComponent(marker))),
  );
}
