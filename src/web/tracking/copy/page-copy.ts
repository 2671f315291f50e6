import type { JourneyTextKey } from '../../../core/journey/customer-journey.js';
import type { OrderStatus } from '../../../core/order/order-status.js';

export type JourneyStatusKey = Extract<JourneyTextKey, `journey.status.${string}`>;
export type JourneyHeadlineKey = Extract<JourneyTextKey, `journey.headline.${string}`>;

/**
 * The tracking page's own words in one language. Journey step names and problem
 * explanations are shared with the emails (web/notifications), so a customer
 * reads the same sentence in the message and on the page. `{name}` marks a
 * value filled in at render time; the types make a missing translation a
 * compile error.
 */
export type PageCopy = {
  statuses: Record<JourneyStatusKey, string>;
  headlines: Record<JourneyHeadlineKey, string>;
  orderStatuses: Record<OrderStatus, string>;
  ui: {
    skipToContent: string;
    lookupTitle: string;
    lookupIntro: string;
    orderNumber: string;
    orderNumberHint: string;
    emailOrPostalCode: string;
    emailOrPostalCodeHint: string;
    submit: string;
    notFound: string;
    tooManyAttempts: string;
    linkExpired: string;
    linkInvalid: string;
    requestNotUnderstood: string;
    storeNotFound: string;
    /** {number} */
    orderTitle: string;
    /** {date} */
    placedOn: string;
    orderStatus: string;
    shippingStatus: string;
    /** {index} {total} */
    parcelOf: string;
    parcel: string;
    carrier: string;
    trackingNumber: string;
    /** {carrier} */
    trackOnCarrierSite: string;
    estimatedDelivery: string;
    delivered: string;
    signedBy: string;
    inThisParcel: string;
    notShippedYet: string;
    yourItems: string;
    /** {quantity} */
    quantity: string;
    history: string;
    noUpdatesYet: string;
    whatToDo: string;
    pickupAction: string;
    cancelledExplained: string;
    refundedExplained: string;
    onHoldExplained: string;
    labelVoided: string;
    needHelp: string;
    emailSupport: string;
    supportSite: string;
    /** {time} */
    updatedAt: string;
    lookUpAnother: string;
    poweredBy: string;
    previewNotice: string;
  };
};
