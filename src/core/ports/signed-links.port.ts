/** What a signed link grants: the tracking page of one order, or unsubscribing one recipient. */
export type LinkClaims =
  | { kind: 'track'; storeId: string; orderId: string }
  | { kind: 'unsubscribe'; storeId: string; channel: string; recipient: string };

export type LinkCheck =
  | { ok: true; claims: LinkClaims; expiresAt: Date }
  /** Genuine but past its date: the store is known, so a page can offer its look-up form. */
  | { ok: false; reason: 'expired'; claims: LinkClaims; expiresAt: Date }
  | { ok: false; reason: 'invalid' };

/** Issues and checks the self-proving links of customer messages and pages. */
export interface SignedLinks {
  sign(claims: LinkClaims, expiresAt: Date): string;
  check(token: string, now: Date): LinkCheck;
}
