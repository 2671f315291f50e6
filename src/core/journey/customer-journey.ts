import type { Order } from '../order/order.js';
import type { OrderStatus } from '../order/order-status.js';
import type { Shipment, TrackingEvent } from '../shipment/shipment.js';
import { formatLocation } from '../shipment/shipment.js';
import type { ShippingStatus } from '../shipment/shipping-status.js';

/**
 * Default English text of every customer-facing string the journey uses. The
 * keys are stable: templates translate by key and fall back to this text.
 */
export const JOURNEY_TEXT = {
  'journey.step.ordered': 'Ordered',
  'journey.step.processing': 'Processing',
  'journey.step.shipped': 'Shipped',
  'journey.step.in_transit': 'In transit',
  'journey.step.out_for_delivery': 'Out for delivery',
  'journey.step.delivered': 'Delivered',
  'journey.step.ready_for_pickup': 'Ready for pickup',
  'journey.step.picked_up': 'Picked up',
  'journey.step.return_to_sender': 'Returning to sender',
  'journey.step.returned': 'Returned to sender',
  'journey.step.cancelled': 'Cancelled',

  'journey.status.pending': 'Waiting for the carrier',
  'journey.status.info_received': 'Label created',
  'journey.status.in_transit': 'In transit',
  'journey.status.out_for_delivery': 'Out for delivery',
  'journey.status.available_for_pickup': 'Ready for pickup',
  'journey.status.attempt_failed': 'Delivery attempted',
  'journey.status.delivered': 'Delivered',
  'journey.status.exception': 'Delayed',
  'journey.status.return_to_sender': 'Returning to sender',
  'journey.status.failure': 'Problem with delivery',
  'journey.status.cancelled': 'Cancelled',
  'journey.status.expired': 'No recent updates',
  'journey.status.unknown': 'Status unavailable',
  'journey.status.action_needed': 'Action needed',
  'journey.status.picked_up': 'Picked up',
  'journey.status.returned': 'Returned to sender',

  'journey.headline.ordered': 'Order placed',
  'journey.headline.processing': 'Preparing your order',
  'journey.headline.shipped': 'Your order has shipped',
  'journey.headline.partially_shipped': 'Part of your order has shipped',
  'journey.headline.in_transit': 'On its way',
  'journey.headline.out_for_delivery': 'Out for delivery',
  'journey.headline.ready_for_pickup': 'Ready for pickup',
  'journey.headline.partially_delivered': '{delivered} of {total} parcels delivered',
  'journey.headline.delivered': 'Delivered',
  'journey.headline.attention': 'There is a problem with your delivery',
  'journey.headline.action_needed': 'Action needed',
  'journey.headline.cancelled': 'Order cancelled',

  'journey.problem.attempt_failed':
    "The carrier tried to deliver your parcel but couldn't. They will try again or leave instructions.",
  'journey.problem.recipient_unavailable':
    'The carrier tried to deliver your parcel but nobody was available. They will try again or leave instructions.',
  'journey.problem.business_closed': 'The carrier tried to deliver your parcel but the business was closed.',
  'journey.problem.notice_left': 'The carrier tried to deliver your parcel and left a notice with instructions.',
  'journey.problem.location_inaccessible': "The carrier couldn't reach the delivery address.",
  'journey.problem.id_verification_failed': "The carrier couldn't verify the recipient's identity.",
  'journey.problem.reschedule_required': 'Please arrange a new delivery with the carrier.',
  'journey.problem.payment_due': 'A payment (duties or fees) is due before your parcel can be delivered.',
  'journey.problem.address_issue':
    'The carrier has a problem with the delivery address. Please check it with the carrier or the store.',
  'journey.problem.refused': 'The parcel was refused at delivery.',
  'journey.problem.security_or_fee_issue': 'The carrier is holding your parcel for a security check or a fee.',
  'journey.problem.exception': 'There is a problem with your delivery. The carrier is working on it.',
  'journey.problem.delayed': 'Your parcel is delayed.',
  'journey.problem.delayed_weather': 'Your parcel is delayed by bad weather.',
  'journey.problem.delayed_carrier_processing': 'Your parcel is delayed at the carrier.',
  'journey.problem.customs_hold': 'Your parcel is being held in customs.',
  'journey.problem.customs_info_required':
    'Customs need more information before they can release your parcel. Please contact the carrier.',
  'journey.problem.shipper_data_issue': 'The carrier needs more details from the sender.',
  'journey.problem.held_by_carrier': 'The carrier is holding your parcel.',
  'journey.problem.recipient_moved': 'The carrier reports that the recipient has moved.',
  'journey.problem.recipient_not_found': "The carrier couldn't find the recipient.",
  'journey.problem.unclaimed': 'Your parcel is waiting to be collected. It will be returned if it is not picked up.',
  'journey.problem.rejected_by_carrier': "The carrier couldn't accept your parcel. Please contact the store.",
  'journey.problem.damaged': 'Your parcel was damaged on the way. Please contact the store.',
  'journey.problem.failure': "Your parcel can't be delivered. Please contact the store.",
  'journey.problem.lost': 'The carrier reports that your parcel is lost. Please contact the store.',
  'journey.problem.return_to_sender': 'Your parcel is on its way back to the sender. Please contact the store.',
  'journey.problem.returned': 'Your parcel was returned to the sender. Please contact the store.',
  'journey.problem.expired':
    'There has been no news from the carrier for a while. Please contact the carrier or the store.',
  'journey.problem.several_parcels': 'Some of your parcels need attention. See each parcel below.',
} as const;
export type JourneyTextKey = keyof typeof JOURNEY_TEXT;

export type JourneyStepKey =
  | 'ordered'
  | 'processing'
  | 'shipped'
  | 'in_transit'
  | 'out_for_delivery'
  | 'delivered'
  | 'ready_for_pickup'
  | 'picked_up'
  | 'return_to_sender'
  | 'returned'
  | 'cancelled';

export type JourneyStepState = 'done' | 'current' | 'upcoming';

/** A delivery problem in words a customer understands; never the raw carrier code. */
export type JourneyProblem = {
  key: JourneyTextKey;
  message: string;
  actionRequired: boolean;
};

export type JourneyStep = {
  key: JourneyStepKey;
  labelKey: JourneyTextKey;
  label: string;
  state: JourneyStepState;
  /** When the step was reached; null when unknown or not reached. */
  at: string | null;
  problem: JourneyProblem | null;
};

export type JourneyTone = 'neutral' | 'progress' | 'success' | 'warning' | 'problem';

export type JourneyHeadline = {
  key: JourneyTextKey;
  /** The default English text with `params` filled in. */
  text: string;
  params: Record<string, number>;
  tone: JourneyTone;
};

export type JourneyEvent = {
  at: string;
  /** The wall-clock time where the event happened, as the carrier gave it; null when it gave none. */
  localTime: string | null;
  status: ShippingStatus;
  statusKey: JourneyTextKey;
  statusLabel: string;
  /** The carrier's own words, verbatim. */
  description: string | null;
  location: string | null;
  rawCode: string | null;
};

export type ShipmentJourney = {
  id: string;
  carrier: string | null;
  trackingNumber: string;
  status: ShippingStatus;
  headline: JourneyHeadline;
  steps: JourneyStep[];
  problem: JourneyProblem | null;
  actionRequired: boolean;
  /** Our prediction, else the carrier's latest; null once the parcel's journey is over. */
  estimatedDelivery: string | null;
  /** Newest first. */
  events: JourneyEvent[];
};

export type CustomerJourney = {
  orderNumber: string;
  placedAt: string;
  headline: JourneyHeadline;
  /**
   * The order's own bar: before shipping it follows the order status; with one
   * parcel it is that parcel's bar; with several it shows how far the whole
   * order has come (the least advanced parcel).
   */
  steps: JourneyStep[];
  /** One row per parcel, voided labels included (their status says so). */
  shipments: ShipmentJourney[];
};

export type JourneyEventInput = Pick<
  TrackingEvent,
  'occurredAt' | 'status' | 'substatus' | 'description' | 'location' | 'rawCode'
> & { occurredAtLocal?: string | null };

export type JourneyShipmentInput = Pick<
  Shipment,
  | 'id'
  | 'carrier'
  | 'trackingNumber'
  | 'status'
  | 'substatus'
  | 'reason'
  | 'carrierEddLatest'
  | 'predictedEdd'
  | 'shippedAt'
  | 'firstScanAt'
  | 'outForDeliveryAt'
  | 'deliveredAt'
  | 'actionRequired'
> & { events: JourneyEventInput[] };

export type CustomerJourneyInput = {
  order: Pick<Order, 'number' | 'orderStatus' | 'placedAt' | 'shippingSummary'>;
  shipments: JourneyShipmentInput[];
};

// Positions on the bar: Ordered, Processing, Shipped, In transit, Out for delivery, Delivered.
const SHIPPED = 2;
const IN_TRANSIT = 3;
const LAST_MILE = 4;
const DELIVERED = 5;

const STANDARD_STEPS: readonly JourneyStepKey[] = [
  'ordered',
  'processing',
  'shipped',
  'in_transit',
  'out_for_delivery',
  'delivered',
];
const PICKUP_STEPS: readonly JourneyStepKey[] = [
  'ordered',
  'processing',
  'shipped',
  'in_transit',
  'ready_for_pickup',
  'picked_up',
];

/** How far an event proves the parcel has come; `delivered` only counts through `deliveredAt`. */
const EVIDENCE_POSITION: Partial<Record<ShippingStatus, number>> = {
  in_transit: IN_TRANSIT,
  return_to_sender: IN_TRANSIT,
  out_for_delivery: LAST_MILE,
  available_for_pickup: LAST_MILE,
  attempt_failed: LAST_MILE,
};

const HEADLINE_POSITION: Partial<Record<ShippingStatus, number>> = {
  in_transit: IN_TRANSIT,
  out_for_delivery: LAST_MILE,
  available_for_pickup: LAST_MILE,
  attempt_failed: LAST_MILE,
  delivered: DELIVERED,
};

/** Statuses after which no delivery date is worth showing. */
const JOURNEY_OVER: ReadonlySet<ShippingStatus> = new Set<ShippingStatus>([
  'delivered',
  'return_to_sender',
  'failure',
  'cancelled',
  'expired',
]);

function text(key: JourneyTextKey): string {
  return JOURNEY_TEXT[key];
}

function hasText(key: string): key is JourneyTextKey {
  return Object.hasOwn(JOURNEY_TEXT, key);
}

function headline(key: JourneyTextKey, tone: JourneyTone, params: Record<string, number> = {}): JourneyHeadline {
  const filled = text(key).replace(/\{(\w+)\}/g, (placeholder, name: string) => String(params[name] ?? placeholder));
  return { key, text: filled, params, tone };
}

function step(key: JourneyStepKey, state: JourneyStepState, at: string | null): JourneyStep {
  const labelKey: JourneyTextKey = `journey.step.${key}`;
  return { key, labelKey, label: text(labelKey), state, at: state === 'upcoming' ? null : at, problem: null };
}

function problemFor(key: JourneyTextKey, actionRequired: boolean): JourneyProblem {
  return { key, message: text(key), actionRequired };
}

/** The substatus's own wording when there is one, else the status's. */
function shipmentProblem(shipment: JourneyShipmentInput): JourneyProblem | null {
  const { status, substatus, actionRequired } = shipment;
  switch (status) {
    case 'attempt_failed':
    case 'exception':
    case 'failure': {
      const specific = `journey.problem.${substatus}`;
      return problemFor(hasText(specific) ? specific : `journey.problem.${status}`, actionRequired);
    }
    case 'return_to_sender':
      return problemFor(
        substatus === 'returned' ? 'journey.problem.returned' : 'journey.problem.return_to_sender',
        false,
      );
    case 'expired':
      return problemFor('journey.problem.expired', false);
    default:
      return null;
  }
}

function shipmentHeadline(shipment: JourneyShipmentInput): JourneyHeadline {
  const { status, substatus, actionRequired } = shipment;
  switch (status) {
    case 'delivered':
      return headline(
        substatus === 'collected_from_pickup_point' ? 'journey.status.picked_up' : 'journey.status.delivered',
        'success',
      );
    case 'exception':
      return actionRequired
        ? headline('journey.status.action_needed', 'problem')
        : headline('journey.status.exception', 'warning');
    case 'attempt_failed':
    case 'expired':
      return headline(`journey.status.${status}`, 'warning');
    case 'return_to_sender':
      return headline(
        substatus === 'returned' ? 'journey.status.returned' : 'journey.status.return_to_sender',
        'problem',
      );
    case 'failure':
      return headline('journey.status.failure', 'problem');
    case 'cancelled':
    case 'unknown':
      return headline(`journey.status.${status}`, 'neutral');
    default:
      return headline(`journey.status.${status}`, 'progress');
  }
}

function byTimeDescending<T extends { occurredAt: string }>(a: T, b: T): number {
  return a.occurredAt < b.occurredAt ? 1 : a.occurredAt > b.occurredAt ? -1 : 0;
}

/** The last-mile branch is the pickup one when the newest last-mile event is a pickup-point one. */
function isPickup(shipment: JourneyShipmentInput): boolean {
  if (shipment.status === 'available_for_pickup' || shipment.substatus === 'collected_from_pickup_point') return true;
  const lastMile = [...shipment.events]
    .filter((event) => event.status === 'out_for_delivery' || event.status === 'available_for_pickup')
    .sort(byTimeDescending)[0];
  return lastMile?.status === 'available_for_pickup';
}

/** The furthest position the parcel is known to have reached. */
function reachedPosition(shipment: JourneyShipmentInput): number {
  let position = HEADLINE_POSITION[shipment.status] ?? SHIPPED;
  if (shipment.firstScanAt !== null) position = Math.max(position, IN_TRANSIT);
  if (shipment.outForDeliveryAt !== null) position = Math.max(position, LAST_MILE);
  if (shipment.deliveredAt !== null) position = Math.max(position, DELIVERED);
  for (const event of shipment.events) position = Math.max(position, EVIDENCE_POSITION[event.status] ?? SHIPPED);
  return position;
}

function stepTimes(
  order: CustomerJourneyInput['order'],
  shipment: JourneyShipmentInput,
  pickup: boolean,
): (string | null)[] {
  const oldest = [...shipment.events].sort(byTimeDescending).at(-1);
  const pickupReady = pickup
    ? [...shipment.events].filter((event) => event.status === 'available_for_pickup').sort(byTimeDescending)[0]
    : undefined;
  return [
    order.placedAt,
    null,
    shipment.shippedAt ?? oldest?.occurredAt ?? null,
    shipment.firstScanAt,
    pickupReady?.occurredAt ?? shipment.outForDeliveryAt,
    shipment.deliveredAt,
  ];
}

function shipmentSteps(
  order: CustomerJourneyInput['order'],
  shipment: JourneyShipmentInput,
  problem: JourneyProblem | null,
): JourneyStep[] {
  if (shipment.status === 'cancelled') {
    return [step('ordered', 'done', order.placedAt), step('processing', 'done', null), step('cancelled', 'done', null)];
  }

  const pickup = isPickup(shipment);
  const keys = pickup ? PICKUP_STEPS : STANDARD_STEPS;
  const times = stepTimes(order, shipment, pickup);
  const reached = reachedPosition(shipment);

  if (shipment.status === 'return_to_sender') {
    const returned = shipment.substatus === 'returned';
    const travelled = keys.slice(0, reached + 1).map((key, i) => step(key, 'done', times[i] ?? null));
    const back = step(returned ? 'returned' : 'return_to_sender', returned ? 'done' : 'current', null);
    return [...travelled, { ...back, problem }];
  }

  const complete = shipment.status === 'delivered';
  return keys.map((key, i) => {
    const state: JourneyStepState = complete || i < reached ? 'done' : i === reached ? 'current' : 'upcoming';
    const built = step(key, state, times[i] ?? null);
    return state === 'current' ? { ...built, problem } : built;
  });
}

function buildShipmentJourney(order: CustomerJourneyInput['order'], shipment: JourneyShipmentInput): ShipmentJourney {
  const problem = shipmentProblem(shipment);
  return {
    id: shipment.id,
    carrier: shipment.carrier,
    trackingNumber: shipment.trackingNumber,
    status: shipment.status,
    headline: shipmentHeadline(shipment),
    steps: shipmentSteps(order, shipment, problem),
    problem,
    actionRequired: shipment.actionRequired,
    estimatedDelivery: JOURNEY_OVER.has(shipment.status) ? null : (shipment.predictedEdd ?? shipment.carrierEddLatest),
    events: [...shipment.events].sort(byTimeDescending).map((event) => {
      const statusKey: JourneyTextKey = `journey.status.${event.status}`;
      return {
        at: event.occurredAt,
        localTime: event.occurredAtLocal ?? null,
        status: event.status,
        statusKey,
        statusLabel: text(statusKey),
        description: event.description,
        location: formatLocation(event.location),
        rawCode: event.rawCode,
      };
    }),
  };
}

const SHIPPED_ORDER: ReadonlySet<OrderStatus> = new Set<OrderStatus>(['partially_fulfilled', 'fulfilled']);

/** The bar of an order with no parcel to follow: its own status decides. */
function orderOnlySteps(order: CustomerJourneyInput['order']): JourneyStep[] {
  if (order.shippingSummary === 'cancelled') {
    return [step('ordered', 'done', order.placedAt), step('cancelled', 'done', null)];
  }
  // A platform that says "fulfilled" without tracking still shipped it.
  const current = order.orderStatus === 'pending' ? 0 : SHIPPED_ORDER.has(order.orderStatus) ? SHIPPED : 1;
  return STANDARD_STEPS.map((key, i) =>
    step(key, i < current ? 'done' : i === current ? 'current' : 'upcoming', i === 0 ? order.placedAt : null),
  );
}

/** Several parcels (or more items to ship): the order is as far as its least advanced parcel. */
function aggregateSteps(
  order: CustomerJourneyInput['order'],
  live: readonly JourneyShipmentInput[],
  rows: readonly ShipmentJourney[],
): JourneyStep[] {
  const positions = live.map((shipment) =>
    shipment.status === 'delivered' ? DELIVERED + 1 : reachedPosition(shipment),
  );
  let current = Math.min(...positions);
  if (order.orderStatus === 'partially_fulfilled') current = Math.min(current, SHIPPED);

  const problems = rows.flatMap((row) => (row.problem === null ? [] : [row.problem]));
  const problem =
    problems.length === 0
      ? null
      : problems.length === 1
        ? (problems[0] ?? null)
        : problemFor(
            'journey.problem.several_parcels',
            problems.some((p) => p.actionRequired),
          );

  const times = live.map((shipment) => stepTimes(order, shipment, false));
  return STANDARD_STEPS.map((key, i) => {
    const state: JourneyStepState = i < current ? 'done' : i === current ? 'current' : 'upcoming';
    const latest = times
      .map((row) => row[i] ?? null)
      .reduce<string | null>((max, at) => (at !== null && (max === null || at > max) ? at : max), null);
    const built = step(key, state, latest);
    return state === 'current' ? { ...built, problem } : built;
  });
}

function orderHeadline(
  order: CustomerJourneyInput['order'],
  live: readonly JourneyShipmentInput[],
  rows: readonly ShipmentJourney[],
): JourneyHeadline {
  switch (order.shippingSummary) {
    case 'cancelled':
      return headline('journey.headline.cancelled', 'neutral');
    case 'not_shipped':
      if (order.orderStatus === 'pending') return headline('journey.headline.ordered', 'progress');
      return headline(
        SHIPPED_ORDER.has(order.orderStatus) ? 'journey.headline.shipped' : 'journey.headline.processing',
        'progress',
      );
    case 'partially_shipped':
      return headline('journey.headline.partially_shipped', 'progress');
    case 'in_transit': {
      const scanned = live.some((shipment) => shipment.firstScanAt !== null || reachedPosition(shipment) > SHIPPED);
      return headline(scanned ? 'journey.headline.in_transit' : 'journey.headline.shipped', 'progress');
    }
    case 'out_for_delivery': {
      const lastMile = live.filter((s) => s.status === 'out_for_delivery' || s.status === 'available_for_pickup');
      const allPickup = lastMile.length > 0 && lastMile.every((s) => s.status === 'available_for_pickup');
      return headline(
        allPickup ? 'journey.headline.ready_for_pickup' : 'journey.headline.out_for_delivery',
        'progress',
      );
    }
    case 'partially_delivered': {
      const delivered = live.filter((shipment) => shipment.status === 'delivered').length;
      return headline('journey.headline.partially_delivered', 'progress', { delivered, total: live.length });
    }
    case 'delivered':
      return headline('journey.headline.delivered', 'success');
    case 'attention': {
      const troubled = rows.filter((row) => row.problem !== null);
      if (troubled.length === 1 && troubled[0]) return troubled[0].headline;
      return live.some((shipment) => shipment.actionRequired)
        ? headline('journey.headline.action_needed', 'problem')
        : headline('journey.headline.attention', 'problem');
    }
  }
}

/**
 * The view model of the customer tracking page (TAXONOMY §4): the order's
 * headline and bar, then one row per parcel with its own bar and its carrier
 * events newest first. Ordered → Processing → Shipped → In transit → Out for
 * delivery → Delivered, with branches for cancelled orders and labels, pickup
 * points (Ready for pickup / Picked up), delivery problems (the current step
 * carries the problem) and returns (the bar ends at Returning to sender).
 *
 * Text comes as a stable key plus default English, so templates can localise.
 */
export function buildCustomerJourney(input: CustomerJourneyInput): CustomerJourney {
  const { order, shipments } = input;
  const rows = shipments.map((shipment) => buildShipmentJourney(order, shipment));
  const live = shipments.filter((shipment) => shipment.status !== 'cancelled');
  const liveRows = rows.filter((row) => row.status !== 'cancelled');

  let steps: JourneyStep[];
  if (order.shippingSummary === 'cancelled' || live.length === 0) steps = orderOnlySteps(order);
  else if (live.length === 1 && order.orderStatus !== 'partially_fulfilled') steps = liveRows[0]?.steps ?? [];
  else steps = aggregateSteps(order, live, liveRows);

  return {
    orderNumber: order.number,
    placedAt: order.placedAt,
    headline: orderHeadline(order, live, liveRows),
    steps,
    shipments: rows,
  };
}
