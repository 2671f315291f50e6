import type { TrackingOutcome } from '../tracking/tracking-result.js';

export type TrackOptions = {
  /** A product hint some carriers use to pick the right system (DHL `service=express`). */
  serviceHint?: string | null;
  /** When each shipment was created, by tracking number; only the sandbox carrier uses it. */
  createdAt?: ReadonlyMap<string, string>;
};

/**
 * A carrier's tracking API, as the scheduler uses it. Implementations live in
 * `adapters/carriers/<vendor>/<vendor>.client.ts` and are registered by
 * carrier code in the composition root.
 *
 * Failures of the whole call throw a DomainError: `upstream_auth_failed`
 * (credentials refused), `upstream_rate_limited` (429; `details.retryAfterMs`),
 * `upstream_unavailable` (5xx, timeout, network, circuit open),
 * `upstream_invalid_response` (malformed or wrong-shaped body).
 *
 * @example
 * const outcomes = await ups.track(['1Z5R89390357567127']);
 * outcomes.get('1Z5R89390357567127'); // { kind: 'found', result: { status: 'in_transit', … } }
 */
export interface CarrierClient {
  /** Carrier code, e.g. `ups`. */
  readonly carrier: string;
  /** Most numbers one call accepts (FedEx 30, UPS 1). */
  readonly maxBatchSize: number;
  /** One outcome per requested number, keyed by the number as requested. */
  track(trackingNumbers: string[], options?: TrackOptions): Promise<Map<string, TrackingOutcome>>;
  /**
   * Optional: when this carrier will next have news for a number, if it
   * knows (the sandbox carrier does). The scheduler checks then instead of
   * on its usual cadence.
   */
  nextUpdateAt?(trackingNumber: string, shipmentCreatedAt: string, now: string): string | null;
  /**
   * Optional: how long this client will not send a request — its circuit is
   * open, or the carrier asked it to wait (429 Retry-After); 0 when a call
   * would go now. The scheduler fails those shipments at once (they retry
   * with backoff) instead of holding a worker pass until then.
   */
  pausedForMs?(): number;
}

export type CarrierRegistry = ReadonlyMap<string, CarrierClient>;

/**
 * A carrier or aggregator that pushes tracking updates (EasyPost, AfterShip,
 * Shippo, UPS Track Alert). Implemented in `adapters/carriers/<vendor>/`.
 */
export interface CarrierWebhookSource {
  /** Route segment: `/webhooks/carriers/{source}`. */
  readonly source: string;
  /** Checks the signature (or shared token) on the raw bytes, in constant time. */
  verify(rawBody: Buffer, headers: Record<string, string | string[] | undefined>, secret: string): boolean;
  /** The provider's delivery id when it sends one; null lets the inbox fall back to the body hash. */
  eventId(body: unknown): string | null;
  topic(body: unknown): string | null;
  /** Pure: the body's tracking updates; [] for events that are not tracking updates. */
  normalize(body: unknown): TrackingOutcome[];
}
