/**
 * Seals a value so that only this deployment can open it, and only in the
 * context it was sealed for (a value sealed for one context does not open in
 * another). Implemented by storage's SecretBox, under WAYMARK_SECRET_KEY.
 */
export interface Sealer {
  seal(plaintext: string, boundTo: string): string;
  /** Throws when the value was not sealed by this deployment for this context, or was altered. */
  open(sealed: string, boundTo: string): string;
}
