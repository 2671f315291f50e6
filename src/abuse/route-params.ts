/** Ids that belong to nobody. */
export const NOBODYS_ID = '3f0e8a52-6c1d-4b7e-9a2f-0d4c5b6a7e81';
export const NOBODYS_OTHER_ID = '9b2d4c1e-0a7f-4e3b-8c6d-5f1a2b3c4d5e';

/** A well-formed value for every path parameter the app uses, pointing at nothing. */
export const PLACEHOLDER_PARAMS: Readonly<Record<string, string>> = {
  id: NOBODYS_ID,
  deliveryId: NOBODYS_OTHER_ID,
  storeId: NOBODYS_ID,
  platform: 'shopify',
  source: 'easypost',
  slug: 'no-such-store',
  token: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  milestone: 'delivered',
  channel: 'email',
  locale: 'en',
  carrier: 'ups',
  '*': 'no-such-file.txt',
};

/** The pattern's parameter names, `*` included. */
export function routeParams(pattern: string): string[] {
  return [...pattern.matchAll(/:([A-Za-z0-9_]+)|\*/g)].map((match) => match[1] ?? '*');
}

/**
 * A concrete path for a route pattern. A parameter nobody gave a value for
 * is an error naming it, so a route with a new kind of parameter is noticed.
 */
export function fillRoute(pattern: string, params: Readonly<Record<string, string>>): string {
  return pattern.replace(/:([A-Za-z0-9_]+)|\*/g, (whole, name: string | undefined) => {
    const value = params[name ?? '*'];
    if (value === undefined) throw new Error(`no value for ${whole} in ${pattern}: add one to PLACEHOLDER_PARAMS`);
    return encodeURIComponent(value);
  });
}
