import type { DeliveryAnalytics } from '../../app/get-delivery-analytics.js';
import type { StatusPerDay } from '../../core/ports/dashboard-queries.port.js';
import {
  carrierName,
  channelLabel,
  humanise,
  milestoneLabel,
  ORDER_STATUS_LABEL,
  SHIPPING_STATUS_LABEL,
} from './labels.js';
import type { TableView } from './render-dashboard.js';

/** What `/assets/dashboard/analytics.js` draws: plain data, no code. */
export type ChartSpec = {
  kind: 'bar' | 'line';
  labels: string[];
  /** `colour` is a hex colour chosen per status, so stacked series stay distinct. */
  datasets: { label: string; data: number[]; colour?: string }[];
  stacked?: boolean;
  horizontal?: boolean;
  /** Values are percentages (0–100). */
  percent?: boolean;
  xTitle?: string;
  yTitle?: string;
};

export type AnalyticsPanel = {
  id: string;
  title: string;
  description: string;
  wide: boolean;
  table: TableView;
  chart: ChartSpec;
};

export const PANEL_IDS = [
  'orders-by-status',
  'shipments-by-status',
  'transit-times',
  'on-time',
  'exceptions',
  'notifications',
] as const;
export type PanelId = (typeof PANEL_IDS)[number];

function label(table: Readonly<Record<string, [string, unknown]>>, code: string): string {
  return table[code]?.[0] ?? humanise(code);
}

/** Stacked bars of a status per day: one dataset per status, every day of the period on the axis. */
function perDay(
  rows: StatusPerDay[],
  days: string[],
  labels: Readonly<Record<string, [string, unknown]>>,
  colours: Readonly<Record<string, string>>,
): ChartSpec {
  const statuses = [...new Set(rows.map((r) => r.status))];
  return {
    kind: 'bar',
    stacked: true,
    labels: days.map((d) => d.slice(5)),
    datasets: statuses.map((status) => ({
      label: label(labels, status),
      ...(colours[status] ? { colour: colours[status] } : {}),
      data: days.map((day) => rows.find((r) => r.day === day && r.status === status)?.count ?? 0),
    })),
  };
}

const ORDER_COLOUR: Readonly<Record<string, string>> = {
  pending: '#9aa3b2',
  processing: '#5b7cfa',
  on_hold: '#e0a100',
  partially_fulfilled: '#3bc9db',
  fulfilled: '#2f9e5b',
  cancelled: '#ced4da',
  refunded: '#9775fa',
};

const SHIPPING_COLOUR: Readonly<Record<string, string>> = {
  pending: '#adb5bd',
  info_received: '#91a7ff',
  in_transit: '#3b5bdb',
  out_for_delivery: '#1098ad',
  available_for_pickup: '#7048e8',
  attempt_failed: '#f76707',
  delivered: '#2f9e5b',
  exception: '#e0a100',
  return_to_sender: '#c2255c',
  failure: '#e03131',
  cancelled: '#ced4da',
  expired: '#868e96',
  unknown: '#dee2e6',
};

function lane(carrier: string | null, service: string | null): string {
  return service ? `${carrierName(carrier)} · ${service}` : carrierName(carrier);
}

export function analyticsPanels(data: DeliveryAnalytics): AnalyticsPanel[] {
  const transitMax = Math.max(0, ...data.transit.map((t) => t.histogram.length - 1));
  const topExceptions = data.exceptions.slice(0, 12);
  const milestones = [...new Set(data.notifications.map((n) => n.milestone))];
  const channels = [...new Set(data.notifications.map((n) => n.channel))];
  return [
    {
      id: 'orders-by-status',
      title: 'Orders by status',
      description: 'Orders placed each day, by their order status now.',
      wide: true,
      table: {
        columns: ['Day', 'Order status', 'Orders'],
        numeric: [false, false, true],
        rows: data.ordersByStatus.map((r) => [r.day, label(ORDER_STATUS_LABEL, r.status), r.count]),
      },
      chart: perDay(data.ordersByStatus, data.days, ORDER_STATUS_LABEL, ORDER_COLOUR),
    },
    {
      id: 'shipments-by-status',
      title: 'Parcels by status',
      description: 'Parcels created each day, by their shipping status now.',
      wide: true,
      table: {
        columns: ['Day', 'Shipping status', 'Parcels'],
        numeric: [false, false, true],
        rows: data.shipmentsByStatus.map((r) => [r.day, label(SHIPPING_STATUS_LABEL, r.status), r.count]),
      },
      chart: perDay(data.shipmentsByStatus, data.days, SHIPPING_STATUS_LABEL, SHIPPING_COLOUR),
    },
    {
      id: 'transit-times',
      title: 'Transit time',
      description: 'Whole days from first scan (or shipping) to delivery, for parcels delivered in the period.',
      wide: false,
      table: {
        columns: ['Carrier', 'Service', 'Delivered', 'Median (days)', '90th percentile (days)'],
        numeric: [false, false, true, true, true],
        rows: data.transit.map((t) => [carrierName(t.carrier), t.service ?? '—', t.delivered, t.medianDays, t.p90Days]),
      },
      chart: {
        kind: 'bar',
        labels: Array.from({ length: transitMax + 1 }, (_, d) => (d === 30 ? '30+' : String(d))),
        datasets: data.transit.slice(0, 6).map((t) => ({
          label: lane(t.carrier, t.service),
          data: Array.from({ length: transitMax + 1 }, (_, d) => t.histogram[d] ?? 0),
        })),
        xTitle: 'Days in transit',
        yTitle: 'Parcels',
      },
    },
    {
      id: 'on-time',
      title: 'On time against the promise',
      description: "The order's promised date, else the carrier's first estimate.",
      wide: false,
      table: {
        columns: ['Carrier', 'Delivered', 'With a promise', 'On time', 'On-time rate (%)'],
        numeric: [false, true, true, true, true],
        rows: data.onTime.map((r) => [carrierName(r.carrier), r.delivered, r.withPromise, r.onTime, r.rate ?? '—']),
      },
      chart: {
        kind: 'bar',
        percent: true,
        labels: data.onTime.map((r) => carrierName(r.carrier)),
        datasets: [{ label: 'On-time rate', colour: '#2f9e5b', data: data.onTime.map((r) => r.rate ?? 0) }],
      },
    },
    {
      id: 'exceptions',
      title: 'Problems by reason',
      description: 'Parcels with an exception, failed attempt, failure or return in the period.',
      wide: false,
      table: {
        columns: ['Status', 'What happened', 'Reason', 'Parcels'],
        numeric: [false, false, false, true],
        rows: data.exceptions.map((r) => [
          label(SHIPPING_STATUS_LABEL, r.status),
          humanise(r.substatus),
          r.reason ? humanise(r.reason) : '—',
          r.shipments,
        ]),
      },
      chart: {
        kind: 'bar',
        horizontal: true,
        labels: topExceptions.map((r) => humanise(r.substatus)),
        datasets: [{ label: 'Parcels', colour: '#e0a100', data: topExceptions.map((r) => r.shipments) }],
      },
    },
    {
      id: 'notifications',
      title: 'Notifications',
      description: 'Messages planned in the period, by milestone and channel.',
      wide: false,
      table: {
        columns: ['Milestone', 'Channel', 'State', 'Messages'],
        numeric: [false, false, false, true],
        rows: data.notifications.map((r) => [
          milestoneLabel(r.milestone),
          channelLabel(r.channel),
          humanise(r.state),
          r.count,
        ]),
      },
      chart: {
        kind: 'bar',
        stacked: true,
        labels: milestones.map(milestoneLabel),
        datasets: channels.map((channel) => ({
          label: channelLabel(channel),
          data: milestones.map((m) =>
            data.notifications
              .filter((n) => n.milestone === m && n.channel === channel)
              .reduce((s, n) => s + n.count, 0),
          ),
        })),
      },
    },
  ];
}
