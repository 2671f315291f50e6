/** One step of a sandbox story: an event code and its wording. */
export type SandboxStep = { code: string; description: string };

const LABEL: SandboxStep = { code: 'LC', description: 'Shipping label created' };
const PICKUP: SandboxStep = { code: 'PU', description: 'Picked up by the sandbox carrier' };
const ARRIVED: SandboxStep = { code: 'AF', description: 'Arrived at sort facility' };
const DEPARTED: SandboxStep = { code: 'DF', description: 'Departed sort facility' };
const ON_VAN: SandboxStep = { code: 'OD', description: 'Out for delivery' };
const DELIVERED: SandboxStep = { code: 'DL', description: 'Delivered, left at front door' };

/**
 * The seven stories a sandbox number can tell, chosen by its scenario digit
 * (`SBX` + digit + digits). Each step happens one step interval after the
 * previous one, counted from the shipment's creation.
 */
export const SANDBOX_SCENARIOS: Readonly<Record<number, readonly SandboxStep[]>> = {
  1: [LABEL, PICKUP, ARRIVED, DEPARTED, ON_VAN, DELIVERED],
  2: [
    LABEL,
    PICKUP,
    ARRIVED,
    ON_VAN,
    { code: 'NH', description: 'Delivery attempted: nobody home, notice left' },
    ON_VAN,
    DELIVERED,
  ],
  3: [
    LABEL,
    PICKUP,
    { code: 'WX', description: 'Delayed by severe weather' },
    { code: 'RS', description: 'Weather delay cleared; parcel moving again' },
    ON_VAN,
    DELIVERED,
  ],
  4: [
    LABEL,
    PICKUP,
    ARRIVED,
    { code: 'RT', description: 'Address not found; returning to sender' },
    { code: 'RD', description: 'Returned to sender' },
  ],
  5: [LABEL, PICKUP, ARRIVED, { code: 'LS', description: 'Parcel lost in the network; claim opened' }],
  6: [LABEL, PICKUP, ARRIVED],
  7: [
    LABEL,
    PICKUP,
    ARRIVED,
    { code: 'RP', description: 'Ready for collection at the pickup point' },
    { code: 'CP', description: 'Collected by the recipient' },
  ],
};

export const SANDBOX_CITIES: readonly { city: string; region: string; postalCode: string; country: string }[] = [
  { city: 'Memphis', region: 'TN', postalCode: '38118', country: 'US' },
  { city: 'Louisville', region: 'KY', postalCode: '40209', country: 'US' },
  { city: 'Chicago', region: 'IL', postalCode: '60666', country: 'US' },
  { city: 'Denver', region: 'CO', postalCode: '80249', country: 'US' },
  { city: 'Newark', region: 'NJ', postalCode: '07114', country: 'US' },
];
