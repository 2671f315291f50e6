import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import {
  ATTENTION_KINDS,
  isAttentionKind,
  listAttentionQueue,
  NEXT_STEP,
  type AttentionKind,
} from '../../app/list-attention-queue.js';
import { formatAge, queryString } from '../../web/dashboard/format.js';
import { badge, carrierName, type Badge } from '../../web/dashboard/labels.js';
import { timeView } from '../../web/dashboard/orders.view.js';
import { sendCsv, toCsv } from './csv.js';
import { chromeOf, currentStoreOf, noticeOf, renderPage, type DashboardDeps } from './dashboard-context.js';
import { parseForm, textField } from './forms.js';
import { storeOf } from './orders.routes.js';

const KIND_LABEL: Readonly<Record<AttentionKind, [string, Badge['tone']]>> = {
  exception: ['Exception', 'warning'],
  attempt_failed: ['Failed attempt', 'warning'],
  failure: ['Failure', 'danger'],
  return_to_sender: ['Returning', 'danger'],
  invalid_tracking_number: ['Invalid tracking number', 'danger'],
  carrier_credentials_missing: ['Carrier credentials missing', 'danger'],
  carrier_unsupported: ['Carrier not supported', 'warning'],
  stalled_in_transit: ['Stalled in transit', 'warning'],
  fulfillment_delayed: ['Fulfilment delayed', 'warning'],
  predicted_late: ['Predicted late', 'warning'],
};

const Query = z.object({ kind: textField(40), format: textField(10) });

export function registerAttentionRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  app.get('/attention', async (request, reply) => {
    const query = parseForm(Query, request.query);
    const kind = isAttentionKind(query.kind) ? query.kind : null;
    const storeId = currentStoreOf(request).id;
    const queue = await listAttentionQueue({ queries: deps.attention, alerts: deps.alerts }, storeId, { kind });
    const now = deps.clock.now();

    if (query.format === 'csv') {
      return sendCsv(
        reply,
        `needs-attention${kind ? `-${kind}` : ''}.csv`,
        toCsv(
          ['issue', 'detail', 'order_number', 'carrier', 'tracking_number', 'since', 'age', 'next_step'],
          queue.items.map((item) => [
            item.kind,
            item.detail,
            item.orderNumber,
            item.carrier,
            item.trackingNumber,
            item.since,
            formatAge(item.since, now),
            NEXT_STEP[item.kind],
          ]),
        ),
      );
    }

    const store = await storeOf(deps, request);
    const total = Object.values(queue.counts).reduce((sum, n) => sum + n, 0);
    return renderPage(reply, 'attention', {
      title: 'Needs attention',
      chrome: chromeOf(request, 'attention'),
      flash: noticeOf(request),
      kind,
      total,
      kinds: ATTENTION_KINDS.filter((k) => queue.counts[k] > 0 || k === kind).map((k) => ({
        label: KIND_LABEL[k][0],
        count: queue.counts[k],
        href: `/dashboard/attention${queryString({ kind: k })}`,
        active: k === kind,
      })),
      rows: queue.items.map((item) => ({
        kind: { text: KIND_LABEL[item.kind][0], tone: KIND_LABEL[item.kind][1], title: `Issue: ${item.kind}` },
        detail: item.detail,
        orderHref: `/dashboard/orders/${item.orderId}${item.shipmentId ? `#parcel-${item.shipmentId}` : ''}`,
        orderNumber: item.orderNumber,
        parcel: item.trackingNumber ? `${carrierName(item.carrier)} ${item.trackingNumber}` : null,
        // The parcel's status only when the issue does not already say it (tracker errors).
        status: item.status && item.status !== item.kind ? badge.shippingStatus(item.status) : null,
        age: formatAge(item.since, now),
        since: timeView(item.since, store.timeZone),
        nextStep: NEXT_STEP[item.kind],
      })),
      truncated: queue.truncated,
      csvHref: `/dashboard/attention${queryString({ kind, format: 'csv' })}`,
      sourceNote: queue.alertsIncluded
        ? 'Stalled, fulfilment-delayed and predicted-late alerts come from delivery intelligence, computed live with the store’s alert settings.'
        : 'Computed alerts (stalled, fulfilment delayed, predicted late) are not wired on this server.',
    });
  });
}
