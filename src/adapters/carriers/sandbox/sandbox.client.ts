import { sandboxScenario } from '../../../core/detection/index.js';
import type { CarrierClient } from '../../../core/ports/carrier.port.js';
import type { TrackingOutcome } from '../../../core/tracking/tracking-result.js';
import { normalizeSandboxResponse, type SandboxResponse } from './sandbox.normalize.js';
import { SANDBOX_CITIES, SANDBOX_SCENARIOS } from './sandbox.scenarios.js';

export type SandboxClientOptions = {
  /** Seconds between two steps of a story (WAYMARK_SANDBOX_STEP_SECONDS). */
  stepSeconds: number;
  now?: () => number;
  onUnmappedCode?: (code: string) => void;
};

function digitsOf(trackingNumber: string): number {
  return [...trackingNumber].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) % 1_000_003, 7);
}

/**
 * The sandbox carrier: a carrier like the others, whose "server" is a pure
 * function of the tracking number and the time since the shipment was
 * created. Same normaliser path as a real carrier; deterministic, so the
 * demo and the tests see every step of the story soon after it happens.
 */
export function createSandboxClient(options: SandboxClientOptions): CarrierClient {
  if (!(options.stepSeconds > 0)) throw new Error('sandbox stepSeconds must be positive');
  const stepMs = options.stepSeconds * 1000;
  const now = options.now ?? Date.now;

  function answer(trackingNumber: string, createdAt: string | undefined): SandboxResponse {
    const scenario = sandboxScenario(trackingNumber);
    const steps = scenario ? (SANDBOX_SCENARIOS[scenario] ?? []) : [];
    // Without a creation time (a one-off `waymark track`), the whole story is told.
    const start = createdAt ? Date.parse(createdAt) : now() - steps.length * stepMs;
    const stepsDone = Math.min(steps.length, Math.floor((now() - start) / stepMs) + 1);
    const seed = digitsOf(trackingNumber);
    const events = steps.slice(0, Math.max(0, stepsDone)).map((step, index) => {
      const place = SANDBOX_CITIES[(seed + index) % SANDBOX_CITIES.length]!;
      const at = new Date(start + index * stepMs);
      return {
        code: step.code,
        description: step.description,
        time: at.toISOString(),
        localTime: at.toISOString().slice(0, 19),
        ...place,
      };
    });
    const finalStep = steps.at(-1);
    return {
      trackingNumber,
      service: 'Sandbox Ground',
      estimatedDelivery: new Date(start + steps.length * stepMs).toISOString().slice(0, 10),
      signedBy: events.at(-1)?.code === 'DL' && finalStep?.code === 'DL' ? 'FRONT DOOR' : null,
      events,
    };
  }

  return {
    carrier: 'sandbox',
    maxBatchSize: 100,
    track(trackingNumbers, trackOptions) {
      const outcomes = new Map<string, TrackingOutcome>();
      for (const trackingNumber of trackingNumbers) {
        const body = answer(trackingNumber, trackOptions?.createdAt?.get(trackingNumber));
        outcomes.set(trackingNumber, normalizeSandboxResponse(body, { onUnmappedCode: options.onUnmappedCode }));
      }
      return Promise.resolve(outcomes);
    },
    nextUpdateAt(trackingNumber, shipmentCreatedAt) {
      const scenario = sandboxScenario(trackingNumber);
      const steps = scenario ? (SANDBOX_SCENARIOS[scenario]?.length ?? 0) : 0;
      const start = Date.parse(shipmentCreatedAt);
      const next = Math.floor((now() - start) / stepMs) + 1;
      return next < steps ? new Date(start + next * stepMs + 500).toISOString() : null;
    },
  };
}
