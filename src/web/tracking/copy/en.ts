import { JOURNEY_TEXT, type JourneyTextKey } from '../../../core/journey/customer-journey.js';
import type { PageCopy } from './page-copy.js';

function journeyTexts<P extends 'journey.status.' | 'journey.headline.'>(
  prefix: P,
): Record<Extract<JourneyTextKey, `${P}${string}`>, string> {
  return Object.fromEntries(Object.entries(JOURNEY_TEXT).filter(([key]) => key.startsWith(prefix))) as Record<
    Extract<JourneyTextKey, `${P}${string}`>,
    string
  >;
}

export const en: PageCopy = {
  // English is the journey's own default text (core/journey), so the page and the API never disagree.
  statuses: journeyTexts('journey.status.'),
  headlines: journeyTexts('journey.headline.'),
  orderStatuses: {
    pending: 'Received',
    processing: 'Being prepared',
    on_hold: 'On hold',
    partially_fulfilled: 'Partly shipped',
    fulfilled: 'Shipped',
    cancelled: 'Cancelled',
    refunded: 'Refunded',
  },
  ui: {
    skipToContent: 'Skip to content',
    lookupTitle: 'Track your order',
    lookupIntro: 'Enter your order number and the email address or postal code you used when ordering.',
    orderNumber: 'Order number',
    orderNumberHint: 'As shown in your order confirmation, for example #1001.',
    emailOrPostalCode: 'Email or postal code',
    emailOrPostalCodeHint: 'The email address or the delivery postal code of the order.',
    submit: 'Track order',
    notFound:
      "We couldn't find an order with these details. Check the order number and the email address or postal code, then try again.",
    tooManyAttempts: 'Too many attempts. Please wait a few minutes, then try again.',
    linkExpired: 'This tracking link has expired. Enter your order details to see your order.',
    linkInvalid: 'This tracking link is not valid. Check that you copied the whole link, or contact the store.',
    requestNotUnderstood: "This request could not be understood. Go back to the store's tracking page and try again.",
    storeNotFound: 'This tracking page does not exist.',
    orderTitle: 'Order {number}',
    placedOn: 'Placed on {date}',
    orderStatus: 'Order status',
    shippingStatus: 'Shipping status',
    parcelOf: 'Parcel {index} of {total}',
    parcel: 'Parcel',
    carrier: 'Carrier',
    trackingNumber: 'Tracking number',
    trackOnCarrierSite: 'Track on the {carrier} website',
    estimatedDelivery: 'Estimated delivery',
    delivered: 'Delivered',
    signedBy: 'Signed for by',
    inThisParcel: 'In this parcel',
    notShippedYet: 'Not shipped yet',
    yourItems: 'Your items',
    quantity: '× {quantity}',
    history: 'Tracking history',
    noUpdatesYet: 'No updates from the carrier yet.',
    whatToDo: 'What to do',
    pickupAction:
      'Your parcel is waiting for you at a pickup point. Bring an ID and your tracking number. See the carrier’s website for the address and opening hours.',
    cancelledExplained: 'This order was cancelled. If you were charged, the store will refund you.',
    refundedExplained: 'This order was refunded.',
    onHoldExplained: 'The store has put this order on hold. They will contact you if they need anything.',
    labelVoided: 'This shipping label was cancelled before the parcel was sent.',
    needHelp: 'Need help?',
    emailSupport: 'Email {store}',
    supportSite: 'Help centre',
    updatedAt: 'Updated {time}',
    lookUpAnother: 'Track another order',
    poweredBy: 'Tracking by Waymark',
    previewNotice: 'Preview with sample data',
  },
};
