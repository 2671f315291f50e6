import { DomainError, ErrorCode } from '../core/errors.js';

/** One stored delivery, as a processor sees it. */
export type InboundDelivery = {
  id: string;
  storeId: string | null;
  source: string;
  topic: string | null;
  headers: Record<string, string>;
  rawBody: string;
};

/** Applies one kind of stored delivery (per platform or aggregator), after the 2xx. */
export interface InboundProcessor {
  readonly source: string;
  process(delivery: InboundDelivery): Promise<void>;
}

export type InboundProcessorRegistry = ReadonlyMap<string, InboundProcessor>;

/** Columns the worker writes when a delivery has been applied. */
export type InboxCompletion = { state: 'processed'; processed_at: string; next_attempt_at: null };

export async function processInboundWebhook(
  deps: { processors: InboundProcessorRegistry; now: () => string },
  delivery: InboundDelivery,
): Promise<InboxCompletion> {
  const processor = deps.processors.get(delivery.source);
  if (!processor) throw new DomainError(ErrorCode.InvalidInput, `no processor for webhook source "${delivery.source}"`);
  await processor.process(delivery);
  return { state: 'processed', processed_at: deps.now(), next_attempt_at: null };
}
