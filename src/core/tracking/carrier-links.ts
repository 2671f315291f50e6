import { explainTrackingNumber } from '../detection/detect.js';

/**
 * The current public tracking pages of the carriers Waymark speaks to; they win
 * over the tracking_number_data URLs, some of which are legacy addresses that
 * only redirect. `%s` is the URL-encoded tracking number.
 */
const CARRIER_PAGES: Readonly<Record<string, string>> = {
  ups: 'https://www.ups.com/track?tracknum=%s',
  fedex: 'https://www.fedex.com/fedextrack/?trknbr=%s',
  usps: 'https://tools.usps.com/go/TrackConfirmAction?tLabels=%s',
  dhl: 'https://www.dhl.com/global-en/home/tracking/tracking-express.html?tracking-id=%s',
};

/**
 * Where the customer can follow this parcel on the carrier's own site: our
 * table for the carriers we track, else the URL the number's format names in
 * tracking_number_data; null for a carrier without a public page (the
 * sandbox) or an unknown one.
 */
export function carrierTrackingUrl(carrier: string | null, trackingNumber: string): string | null {
  const number = trackingNumber.trim();
  if (!carrier || number.length === 0) return null;
  const page = CARRIER_PAGES[carrier];
  if (page) return page.replace('%s', encodeURIComponent(number));
  const fromFormat = explainTrackingNumber(number).find(
    (match) => match.carrier === carrier && match.valid && /^https?:\/\//.test(match.trackingUrl ?? ''),
  );
  // Some entries predate HTTPS everywhere; a customer's page never links to plain HTTP.
  return fromFormat?.trackingUrl?.replace(/^http:\/\//, 'https://') ?? null;
}
