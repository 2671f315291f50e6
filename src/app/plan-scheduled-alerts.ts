import {
  detectArrivingToday,
  detectFulfillmentDelayed,
  detectPredictedLate,
  detectStalledInTransit,
  fulfillmentDelayedCutoff,
  resolveAlertSettings,
  type AlertSettings,
  type DeliveryAlertKind,
  type DetectedAlert,
} from '../core/intelligence/alerts.js';
import { addCalendarDays, localDate } from '../core/intelligence/calendar.js';
import type { Clock } from '../core/ports/clock.port.js';
import type {
  AlertOrderCandidate,
  AlertShipmentCandidate,
  CandidatePage,
  CandidateQuery,
  DeliveryIntelligenceStore,
} from '../core/ports/delivery-intelligence.port.js';
import type { UnitOfWork } from '../core/ports/storage.port.js';
import type { WorkQueue } from '../core/ports/work-queue.port.js';
import type { Store } from '../core/store/store.js';
import { planMilestoneNotifications } from './plan-milestone-notifications.js';

/** How often each store is scanned. The alerts move in hours and days; five minutes is prompt enough. */
export const ALERT_SCAN_INTERVAL_MS = 5 * 60_000;
/**
 * How far back the scan looks. An order unshipped for a month or a parcel
 * silent for a month is a case for the merchant, not news for the customer
 * (and a silent parcel expires at 30 days anyway).
 */
export const ALERT_HORIZON_DAYS = 30;
const PAGE_SIZE = 200;
/** A store with a huge backlog is worked through over several passes rather than in one long one. */
const MAX_CANDIDATES_PER_KIND = 5_000;
const DAY_MS = 86_400_000;

type AnyCandidate = AlertOrderCandidate | AlertShipmentCandidate;

/** One indexed range of candidates for one alert, and the pure rule that decides each. */
export type AlertSource = {
  kind: DeliveryAlertKind;
  fetch: (query: CandidateQuery) => Promise<CandidatePage<AnyCandidate>>;
  detect: (row: AnyCandidate) => DetectedAlert | null;
};

/** The candidate ranges of one store at one instant: the same sources feed the scan and the dashboard. */
export type AlertScanPlan = { store: Store; settings: AlertSettings; now: string; sources: AlertSource[] };

function source<Row extends AnyCandidate>(
  kind: DeliveryAlertKind,
  fetch: (query: CandidateQuery) => Promise<CandidatePage<Row>>,
  detect: (row: Row) => DetectedAlert | null,
): AlertSource {
  return { kind, fetch, detect: detect as (row: AnyCandidate) => DetectedAlert | null };
}

/**
 * Bounded, indexed ranges per alert: orders placed before the fulfilment
 * cutoff, in-transit parcels last scanned before the stall threshold,
 * parcels whose stored `late_from` date has come or whose order's promised
 * date has passed, parcels predicted for around today. Each range is a
 * superset; the pure detectors decide.
 */
export function alertScanPlan(intelligence: DeliveryIntelligenceStore, store: Store, now: string): AlertScanPlan {
  const settings = resolveAlertSettings(store.notificationSettings);
  const timeZone = store.timeZone;
  const today = localDate(now, timeZone);
  const horizon = new Date(Date.parse(now) - ALERT_HORIZON_DAYS * DAY_MS).toISOString();
  const stalledBefore = new Date(Date.parse(now) - settings.stalledInTransitDays * DAY_MS).toISOString();
  // A day either side of the store's date: a parcel's own zone (its destination) may be ahead or behind.
  const tomorrow = addCalendarDays(today, 1);
  const monthAgo = addCalendarDays(today, -ALERT_HORIZON_DAYS);
  const late = (row: AlertShipmentCandidate) => detectPredictedLate(row, now, timeZone);
  return {
    store,
    settings,
    now,
    sources: [
      source(
        'fulfillment_delayed',
        (query) =>
          intelligence.listFulfillmentDelayCandidates(
            store.id,
            {
              placedSince: horizon,
              placedBefore: fulfillmentDelayedCutoff(now, settings.fulfillmentDelayedBusinessDays, timeZone),
            },
            query,
          ),
        (row) => detectFulfillmentDelayed(row, settings, now, timeZone),
      ),
      source(
        'stalled_in_transit',
        (query) =>
          intelligence.listStalledCandidates(
            store.id,
            { lastScanSince: horizon, lastScanBefore: stalledBefore },
            query,
          ),
        (row) => detectStalledInTransit(row, settings, now),
      ),
      source(
        'predicted_late',
        (query) =>
          intelligence.listLateCandidates(store.id, { lateFromSince: monthAgo, lateFromUntil: tomorrow }, query),
        late,
      ),
      source(
        'predicted_late',
        (query) =>
          intelligence.listPromiseMissedCandidates(store.id, { promisedSince: monthAgo, promisedBefore: today }, query),
        late,
      ),
      source(
        'arriving_today',
        (query) =>
          intelligence.listArrivingCandidates(
            store.id,
            { eddFrom: addCalendarDays(today, -1), eddTo: tomorrow },
            query,
          ),
        (row) => detectArrivingToday(row, now, timeZone),
      ),
    ],
  };
}

export type AlertScanOutcome = {
  storeId: string;
  /** Alerts newly recorded in the ledger, per kind. */
  raised: Record<DeliveryAlertKind, number>;
  /** Outbox rows newly planned for them (planned or suppressed). */
  notifications: number;
};

function emptyCounts(): Record<DeliveryAlertKind, number> {
  return { fulfillment_delayed: 0, stalled_in_transit: 0, predicted_late: 0, arriving_today: 0 };
}

/**
 * Scans one store for the scheduled alerts and plans their messages through
 * the same outbox as every milestone. Each page of new alerts is one
 * transaction: the alert goes into the ledger (primary key subject +
 * milestone) and, only if it was not there, its notifications are planned
 * with the usual idempotency key (subject, milestone, attempt 0, channel) —
 * so a re-scan, or two workers racing, plan nothing twice. The ledger also
 * keeps the scan from re-reading what it already raised. An alert that
 * became true more than three days ago (a store's first scan over old data)
 * is recorded but suppressed as stale, like any old news.
 */
export async function planScheduledAlerts(
  deps: { uow: UnitOfWork; clock: Clock },
  storeId: string,
): Promise<AlertScanOutcome> {
  const outcome: AlertScanOutcome = { storeId, raised: emptyCounts(), notifications: 0 };
  const now = deps.clock.now();
  const store = await deps.uow.repositories.stores.findStoreById(storeId);
  if (!store?.isEnabled) return outcome;
  const plan = alertScanPlan(deps.uow.repositories.deliveryIntelligence, store, now);
  for (const { kind, fetch, detect } of plan.sources) {
    let after: CandidateQuery['after'] = null;
    let seen = 0;
    do {
      const page = await fetch({ limit: PAGE_SIZE, after, excludeRaised: true });
      const detected = page.rows.map(detect).filter((alert): alert is DetectedAlert => alert !== null);
      if (detected.length > 0) {
        const planned = await raiseAlerts(deps.uow, storeId, detected, now);
        outcome.raised[kind] += planned.raised;
        outcome.notifications += planned.notifications;
      }
      seen += page.rows.length;
      after = page.next;
    } while (after && seen < MAX_CANDIDATES_PER_KIND);
  }
  return outcome;
}

async function raiseAlerts(
  uow: UnitOfWork,
  storeId: string,
  detected: DetectedAlert[],
  now: string,
): Promise<{ raised: number; notifications: number }> {
  return uow.transaction(async (stores) => {
    const fresh = await stores.deliveryIntelligence.recordRaisedAlerts(
      detected.map((alert) => ({
        storeId,
        milestone: alert.milestone,
        subjectId: alert.shipmentId ?? alert.orderId,
        orderId: alert.orderId,
        shipmentId: alert.shipmentId,
        since: alert.since,
        details: alert.details,
      })),
      now,
    );
    let notifications = 0;
    for (const alert of fresh) {
      notifications += await planMilestoneNotifications(stores, {
        storeId,
        orderId: alert.orderId,
        shipmentId: alert.shipmentId,
        subject: alert.shipmentId ? 'shipment' : 'order',
        milestones: [{ milestone: alert.milestone, attemptNumber: 0, variant: null }],
        happenedAt: alert.since,
        now,
      });
    }
    return { raised: fresh.length, notifications };
  });
}

export type AlertScanRow = { id: string; attempts: number };

/** The columns that end a store's scan: due again one interval later. */
export function alertScanCompletion(now: string): Record<string, unknown> {
  return { next_scan_at: new Date(Date.parse(now) + ALERT_SCAN_INTERVAL_MS).toISOString(), last_scanned_at: now };
}

/** New stores get their scan row at most this often per process (one cheap read of the store table). */
const SCHEDULE_EVERY_MS = 60_000;

/**
 * The per-store scan rows as a work queue: before claiming, stores that have
 * no row yet are given one, due at once. Claiming then leases each store's
 * row like any claimable row (`FOR UPDATE SKIP LOCKED` on PostgreSQL), so
 * however many workers run, one scans a given store at a time, and a worker
 * that dies mid-scan only delays that store until its lease runs out.
 */
export function alertScanQueue(
  queue: WorkQueue<AlertScanRow>,
  intelligence: Pick<DeliveryIntelligenceStore, 'scheduleAlertScans'>,
): WorkQueue<AlertScanRow> {
  let scheduledAt = Number.NEGATIVE_INFINITY;
  return {
    name: queue.name,
    async claim(options) {
      const at = Date.parse(options.now);
      if (at - scheduledAt >= SCHEDULE_EVERY_MS || at < scheduledAt) {
        await intelligence.scheduleAlertScans(options.now);
        scheduledAt = at;
      }
      return queue.claim(options);
    },
    complete: (id, owner, changes) => queue.complete(id, owner, changes),
    fail: (id, owner, error, options) => queue.fail(id, owner, error, options),
    release: (owner, now, ids) => queue.release(owner, now, ids),
    countDue: (now) => queue.countDue(now),
  };
}
