/**
 * Steady API traffic for the fault tests: `concurrency` clients each posting
 * orders (one sandbox parcel each) back to back through POST /api/v1/orders.
 * Every attempt is recorded with its answer, so a test can tell what was
 * acknowledged (2xx), what was refused and how, and what never answered.
 */

export type OrderAttempt = {
  externalId: string;
  trackingNumber: string;
  startedAt: number;
  endedAt: number;
  /** HTTP status, or null when no answer came (network error or our timeout). */
  status: number | null;
  errorCode: string | null;
  failure: string | null;
};

export class OrderLoad {
  readonly attempts: OrderAttempt[] = [];
  #running = false;
  #clients: Promise<void>[] = [];
  #sequence = 0;

  constructor(
    private readonly options: {
      baseUrl: string;
      apiKey: string;
      /** Distinguishes runs that share a database. */
      prefix: string;
      concurrency: number;
      /** Longer than any answer Waymark should take; reaching it counts as a hang. */
      requestTimeoutMs?: number;
      /**
       * Pause between two requests of one client. Keep the total under the API's limit per key
       * (1200 a minute): refusals are fast, so during an outage each client runs at 1000 / pause a second.
       */
      pauseMs?: number;
    },
  ) {}

  start(): void {
    if (this.#running) return;
    this.#running = true;
    for (let client = 0; client < this.options.concurrency; client += 1) this.#clients.push(this.#client());
  }

  async stop(): Promise<void> {
    this.#running = false;
    await Promise.all(this.#clients);
    this.#clients = [];
  }

  acknowledged(): OrderAttempt[] {
    return this.attempts.filter((a) => a.status !== null && a.status >= 200 && a.status < 300);
  }

  countAcknowledgedSince(at: number): number {
    return this.attempts.filter((a) => a.startedAt >= at && a.status !== null && a.status < 300).length;
  }

  async #client(): Promise<void> {
    while (this.#running) {
      await this.#postOne();
      if (this.options.pauseMs) await new Promise((resolve) => setTimeout(resolve, this.options.pauseMs));
    }
  }

  async #postOne(): Promise<void> {
    this.#sequence += 1;
    const sequence = this.#sequence;
    const externalId = `${this.options.prefix}-${sequence}`;
    // Scenario 1 of the sandbox: a parcel that moves to delivered step by step.
    const trackingNumber = `SBX1${String(Date.now() % 1_000_000).padStart(6, '0')}${String(sequence).padStart(6, '0')}`;
    const body = {
      externalId,
      number: `#${externalId}`,
      customer: { email: `buyer+${sequence}@example.com`, name: 'Fault Test' },
      lineItems: [{ name: 'Lamp', quantity: 1 }],
      shipments: [{ trackingNumber }],
    };
    const startedAt = Date.now();
    let status: number | null = null;
    let errorCode: string | null = null;
    let failure: string | null = null;
    try {
      const response = await fetch(`${this.options.baseUrl}/api/v1/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 20_000),
      });
      status = response.status;
      const text = await response.text();
      if (status >= 300) {
        try {
          errorCode = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? null;
        } catch {
          errorCode = null;
        }
        failure = text.slice(0, 300);
      }
    } catch (error) {
      failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    this.attempts.push({ externalId, trackingNumber, startedAt, endedAt: Date.now(), status, errorCode, failure });
  }
}
