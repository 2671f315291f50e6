import type { JourneyStepKey } from '../../../core/journey/customer-journey.js';
import { JOURNEY_TEXT } from '../../../core/journey/customer-journey.js';
import type { JourneyProblemKey, LocaleCopy } from './locale-copy.js';

// English problem and step wording is the tracking page's own, so the email and the page the
// customer lands on say the same thing.
const problems = Object.fromEntries(
  Object.entries(JOURNEY_TEXT).filter(([key]) => key.startsWith('journey.problem.')),
) as Record<JourneyProblemKey, string>;

const step = (key: JourneyStepKey): string => JOURNEY_TEXT[`journey.step.${key}`];

const CARRIER = '<% if (it.carrier) { %><%= it.carrier %><% } else { %>The carrier<% } %>';

export const en: LocaleCopy = {
  milestones: {
    order_confirmed: {
      subject: 'Order <%= it.order %> confirmed',
      heading: 'Thanks for your order!',
      body: "We've received your order <%= it.order %> and we're getting it ready. We'll let you know as soon as it ships.",
      sms: 'your order <%= it.order %> is confirmed.',
    },
    order_cancelled: {
      subject: 'Your order <%= it.order %> has been cancelled',
      heading: 'Your order has been cancelled',
      body: "Your order <%= it.order %> from <%= it.store %> has been cancelled. If you didn't expect this, or if you have any questions, please get in touch.",
      sms: 'your order <%= it.order %> has been cancelled.',
    },
    shipped: {
      subject: 'Your order <%= it.order %> is on its way',
      heading: 'Your order has shipped',
      body: 'Good news: your order <%= it.order %> has shipped<% if (it.carrier) { %> with <%= it.carrier %><% } %>.<% if (it.edd) { %> Estimated delivery: <%= it.edd %>.<% } %>',
      sms: 'your order <%= it.order %> has shipped<% if (it.eddShort) { %>, due <%= it.eddShort %><% } %>.',
    },
    in_transit: {
      subject: 'Your order <%= it.order %> is in transit',
      heading: 'Your parcel is on the move',
      body: `${CARRIER} has your parcel for order <%= it.order %> and it's now on its way to you.<% if (it.edd) { %> Estimated delivery: <%= it.edd %>.<% } %>`,
      sms: 'your order <%= it.order %> is on its way<% if (it.eddShort) { %>, due <%= it.eddShort %><% } %>.',
    },
    out_for_delivery: {
      subject: 'Your order <%= it.order %> is out for delivery',
      heading: '<% if (it.attempt > 1) { %>Another delivery attempt today<% } else { %>Out for delivery today<% } %>',
      body: '<% if (it.attempt > 1) { %>The carrier is making another attempt to deliver your parcel for order <%= it.order %> today.<% } else { %>Your parcel for order <%= it.order %> is out for delivery and should arrive today.<% } %>',
      sms: 'your order <%= it.order %> is out for delivery today.',
    },
    available_for_pickup: {
      subject: 'Your order <%= it.order %> is ready for pickup',
      heading: 'Ready for pickup',
      body: "Your parcel for order <%= it.order %> is waiting for you at the pickup point. Please collect it soon: parcels that aren't picked up in time go back to the sender. You may need your tracking number and a photo ID.",
      sms: 'your order <%= it.order %> is ready for pickup.',
    },
    attempt_failed: {
      subject: 'Delivery attempt for your order <%= it.order %> was unsuccessful',
      heading: 'Delivery attempt unsuccessful',
      body: `${CARRIER} couldn't deliver your parcel for order <%= it.order %><% if (it.attempt > 1) { %> (attempt <%= it.attempt %>)<% } %>. Here is what happened and what comes next.`,
      sms: 'delivery attempt for order <%= it.order %> failed.',
    },
    delivered: {
      subject: 'Your order <%= it.order %> has been delivered',
      heading: 'Delivered!',
      body: "Your parcel for order <%= it.order %> has been delivered. We hope you enjoy it! If anything isn't right, just let us know.",
      sms: 'your order <%= it.order %> has been delivered. Enjoy!',
    },
    exception: {
      subject: 'A delivery update for your order <%= it.order %>',
      heading: "There's a problem with your delivery",
      body: `${CARRIER} has reported an issue with your parcel for order <%= it.order %>. We're keeping an eye on it.`,
      sms: 'there is a delivery problem with order <%= it.order %>.',
    },
    return_to_sender: {
      subject: 'Your order <%= it.order %> is being returned to us',
      heading: 'Your parcel is on its way back to us',
      body: "Your parcel for order <%= it.order %> couldn't be delivered and is being returned to us. Please get in touch so we can sort it out.",
      sms: 'your order <%= it.order %> is being returned to us.',
    },
    all_delivered: {
      subject: 'Everything in your order <%= it.order %> has been delivered',
      heading: 'All parcels delivered',
      body: 'All the parcels in your order <%= it.order %> have now been delivered. We hope you enjoy your purchase!',
      sms: 'all parcels of order <%= it.order %> are delivered.',
    },
    fulfillment_delayed: {
      subject: 'Your order <%= it.order %> is taking a little longer',
      heading: 'Your order is taking longer than expected',
      body: "We're sorry: your order <%= it.order %> is taking longer than usual to ship. We're on it, and we'll let you know as soon as it's on its way.",
      sms: 'sorry, order <%= it.order %> is taking longer to ship.',
    },
    stalled_in_transit: {
      subject: 'An update on your order <%= it.order %>',
      heading: 'Your parcel is taking longer than usual',
      body: "Your parcel for order <%= it.order %> hasn't had a tracking update<% if (it.carrier) { %> from <%= it.carrier %><% } %> for a few days. This sometimes happens at busy times. We're keeping an eye on it and will let you know of any change.",
      sms: 'no tracking update on order <%= it.order %> for days.',
    },
    predicted_late: {
      subject: 'Your order <%= it.order %> may arrive later than expected',
      heading: 'Your delivery may be late',
      body: "Your parcel for order <%= it.order %> is running behind schedule.<% if (it.edd) { %> It's now expected on <%= it.edd %>.<% } %> We're sorry for the wait.",
      sms: 'order <%= it.order %> may be late<% if (it.eddShort) { %>, now due <%= it.eddShort %><% } %>.',
    },
    arriving_today: {
      subject: 'Your order <%= it.order %> arrives today',
      heading: 'Arriving today',
      body: 'Your parcel for order <%= it.order %> is expected to be delivered today.',
      sms: 'your order <%= it.order %> arrives today.',
    },
  },
  layout: {
    greeting: '<% if (it.customer) { %>Hi <%= it.customer %>,<% } else { %>Hello,<% } %>',
    orderNumber: 'Order',
    carrier: 'Carrier',
    trackingNumber: 'Tracking number',
    estimatedDelivery: 'Estimated delivery',
    trackButton: 'Track your order',
    linkFallback: "If the button doesn't work, copy this link into your browser:",
    needHelp: 'Need help?',
    helpCentre: 'Help center',
    footer: "You're receiving this email because you placed an order with <%= it.store %>.",
    unsubscribe: 'Unsubscribe from these emails',
    labelSeparator: ': ',
  },
  journeySteps: {
    ordered: step('ordered'),
    processing: step('processing'),
    shipped: step('shipped'),
    in_transit: step('in_transit'),
    out_for_delivery: step('out_for_delivery'),
    delivered: step('delivered'),
    ready_for_pickup: step('ready_for_pickup'),
    picked_up: step('picked_up'),
    return_to_sender: step('return_to_sender'),
    returned: step('returned'),
    cancelled: step('cancelled'),
  },
  problems,
};
