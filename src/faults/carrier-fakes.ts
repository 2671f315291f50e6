import { readFileSync } from 'node:fs';

import { FakeHttpServer, type FakeAnswer, type RecordedRequest } from '../test-support/fake-http-server.js';

/**
 * UPS and FedEx as the fault tests need them: the real endpoints and
 * shapes (OAuth token, track call, documented bodies from the clients'
 * fixtures, re-addressed to the number asked), and a switch that turns a
 * healthy carrier into one that is down, throttling, or too slow to answer.
 */

export const CarrierHealth = {
  Healthy: 'healthy',
  /** 5xx answers and dropped connections, alternating. */
  Unavailable: 'unavailable',
  /** 429 with Retry-After. */
  RateLimited: 'rate_limited',
  /** Answers only after the client has given up. */
  TimingOut: 'timing_out',
} as const;
export type CarrierHealth = (typeof CarrierHealth)[keyof typeof CarrierHealth];

export const FAKE_CREDENTIALS = { clientId: 'fault-client-id', clientSecret: 'fault-client-secret' };

function fixture(carrier: 'ups' | 'fedex', name: string): string {
  return readFileSync(new URL(`../adapters/carriers/${carrier}/__fixtures__/${name}`, import.meta.url), 'utf8');
}

abstract class FakeCarrier {
  readonly server = new FakeHttpServer();
  health: CarrierHealth = CarrierHealth.Healthy;
  /** Seconds sent in Retry-After while rate limiting. */
  retryAfterSeconds = 60;
  /** How long a "timing out" answer takes; longer than the client's timeout. */
  slowAnswerMs = 2_000;
  /** Track calls as they arrived: when (real time), which numbers, and what the carrier was doing. */
  readonly trackLog: { at: number; numbers: string[]; health: CarrierHealth }[] = [];
  #unavailableCount = 0;

  /** Null when the number is in the path (UPS): the subclass routes each number it knows. */
  abstract readonly trackRoute: string | null;
  abstract readonly tokenRoute: string;

  async start(): Promise<this> {
    this.server.on(this.tokenRoute, () => this.guard(() => this.tokenAnswer()));
    if (this.trackRoute) this.server.on(this.trackRoute, (request) => this.track(request));
    await this.server.start();
    return this;
  }

  get url(): string {
    return this.server.url;
  }

  /** Track calls received so far (token calls not counted). */
  get trackCalls(): number {
    return this.trackLog.length;
  }

  trackNumbersAsked(): string[] {
    return this.trackLog.flatMap((call) => call.numbers);
  }

  protected abstract tokenAnswer(): FakeAnswer;
  protected abstract trackAnswer(request: RecordedRequest): FakeAnswer;
  protected abstract numbersIn(request: RecordedRequest): string[];

  protected track(request: RecordedRequest): FakeAnswer {
    this.trackLog.push({ at: Date.now(), numbers: this.numbersIn(request), health: this.health });
    return this.guard(() => this.trackAnswer(request));
  }

  protected guard(healthy: () => FakeAnswer): FakeAnswer {
    switch (this.health) {
      case CarrierHealth.Healthy:
        return healthy();
      case CarrierHealth.Unavailable:
        this.#unavailableCount += 1;
        return this.#unavailableCount % 3 === 0
          ? { destroy: true }
          : { status: this.#unavailableCount % 2 === 0 ? 502 : 503, body: '<html>Service Unavailable</html>' };
      case CarrierHealth.RateLimited:
        return { status: 429, headers: { 'retry-after': String(this.retryAfterSeconds) }, body: { errors: [] } };
      case CarrierHealth.TimingOut:
        return { ...healthy(), delayMs: this.slowAnswerMs };
    }
  }
}

export class FakeUpsApi extends FakeCarrier {
  readonly tokenRoute = 'POST /security/v1/oauth/token';
  readonly trackRoute = null;
  readonly #template = fixture('ups', 'delivered.json');
  #tokens = 0;

  protected override numbersIn(request: RecordedRequest): string[] {
    return [decodeURIComponent(request.path.slice('/api/track/v1/details/'.length))];
  }

  protected override tokenAnswer(): FakeAnswer {
    this.#tokens += 1;
    return {
      body: {
        ...(JSON.parse(fixture('ups', 'oauth_token_response.json')) as object),
        access_token: `ups-${this.#tokens}`,
      },
    };
  }

  protected override trackAnswer(request: RecordedRequest): FakeAnswer {
    const [number] = this.numbersIn(request);
    return { body: JSON.parse(this.#template.replaceAll('1Z1442YY7229014688', number!)) as unknown };
  }

  /** UPS puts the number in the path, and the fake server routes by exact path: one route per number. */
  knows(numbers: string[]): this {
    for (const number of numbers) {
      this.server.on(`GET /api/track/v1/details/${number}`, (request) => this.track(request));
    }
    return this;
  }
}

export class FakeFedexApi extends FakeCarrier {
  readonly tokenRoute = 'POST /oauth/token';
  readonly trackRoute = 'POST /track/v1/trackingnumbers';
  readonly #template = fixture('fedex', 'own_out_for_delivery_after_weather_delay.json');
  #tokens = 0;

  protected override numbersIn(request: RecordedRequest): string[] {
    const body = JSON.parse(request.body) as { trackingInfo: { trackingNumberInfo: { trackingNumber: string } }[] };
    return body.trackingInfo.map((info) => info.trackingNumberInfo.trackingNumber);
  }

  protected override tokenAnswer(): FakeAnswer {
    this.#tokens += 1;
    return {
      body: {
        ...(JSON.parse(fixture('fedex', 'oauth_token_response.json')) as object),
        access_token: `fedex-${this.#tokens}`,
      },
    };
  }

  protected override trackAnswer(request: RecordedRequest): FakeAnswer {
    const template = JSON.parse(this.#template) as { output: { completeTrackResults: unknown[] } };
    const [result] = template.output.completeTrackResults;
    const completeTrackResults = this.numbersIn(request).map(
      (number) => JSON.parse(JSON.stringify(result).replaceAll('794600000003', number)) as unknown,
    );
    return { body: { ...template, output: { ...template.output, completeTrackResults } } };
  }
}
