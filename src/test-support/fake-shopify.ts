import { SHOPIFY_DEFAULT_API_VERSION } from '../adapters/platforms/shopify/shopify.graphql.js';
import { FakeHttpServer, type FakeAnswer, type RecordedRequest } from './fake-http-server.js';

/**
 * FulfillmentEventStatus as shopify.dev lists it per GraphQL Admin version,
 * written out here independently of the write-back's table: 2024-04 and
 * 2025-01, 2025-10, 2026-01 and unstable pages read; 2024-10 and 2025-07
 * from the changelog (DELAYED "as of 2025-01", CARRIER_PICKED_UP "as of
 * 2025-10").
 */
const BASE = [
  'ATTEMPTED_DELIVERY',
  'CONFIRMED',
  'DELIVERED',
  'FAILURE',
  'IN_TRANSIT',
  'LABEL_PRINTED',
  'LABEL_PURCHASED',
  'OUT_FOR_DELIVERY',
  'READY_FOR_PICKUP',
];
export const DOCUMENTED_FULFILLMENT_EVENT_ENUM: Record<string, string[]> = {
  '2024-04': BASE,
  '2024-10': BASE,
  '2025-01': [...BASE, 'DELAYED'],
  '2025-07': [...BASE, 'DELAYED'],
  '2025-10': [...BASE, 'DELAYED', 'CARRIER_PICKED_UP'],
  '2026-01': [...BASE, 'DELAYED', 'CARRIER_PICKED_UP'],
  unstable: [...BASE, 'DELAYED', 'CARRIER_PICKED_UP', 'PICKED_UP'],
};
export const FAKE_SHOPIFY_VERSIONS = Object.keys(DOCUMENTED_FULFILLMENT_EVENT_ENUM);

type GraphqlRequest = { query: string; variables: Record<string, unknown> };

/**
 * A shop's GraphQL Admin API, in every version above, for what Waymark sends
 * besides polling: `fulfillmentEventCreate` (the write-back) and
 * `webhookSubscriptionCreate` (webhook registration), plus the `shop`
 * connection test. It checks the access token and JSON; coerces an event's
 * `status` against that version's enum (a value it lacks is refused before
 * execution, as graphql-ruby does); answers a userError for a fulfilment the
 * shop does not have, and "already been taken" for a subscription it has.
 * Failures (429, 5xx, THROTTLED…) are scripted with `server.queue`.
 */
export class FakeShopify {
  readonly server = new FakeHttpServer();
  readonly fulfillments: Set<string>;
  readonly events: { version: string; input: Record<string, unknown> }[] = [];
  readonly subscriptions: { topic: string; input: Record<string, unknown> }[] = [];
  bucket = { maximumAvailable: 2000, currentlyAvailable: 2000, restoreRate: 100 };

  constructor(
    readonly token: string,
    fulfillments: string[] = [],
  ) {
    this.fulfillments = new Set(fulfillments);
  }

  async start(): Promise<this> {
    for (const version of FAKE_SHOPIFY_VERSIONS) {
      this.server.on(`POST /admin/api/${version}/graphql.json`, (request) => this.#answer(version, request));
    }
    await this.server.start();
    return this;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  get url(): string {
    return this.server.url;
  }

  /** The route of a version's endpoint, for `server.queue`. */
  static route(version: string): string {
    return `POST /admin/api/${version}/graphql.json`;
  }

  graphqlRequests(version: string = SHOPIFY_DEFAULT_API_VERSION): GraphqlRequest[] {
    return this.server
      .requestsTo(FakeShopify.route(version))
      .map((request) => JSON.parse(request.body) as GraphqlRequest);
  }

  #cost(requested: number): Record<string, unknown> {
    return {
      cost: { requestedQueryCost: requested, actualQueryCost: requested, throttleStatus: { ...this.bucket } },
    };
  }

  #answer(version: string, request: RecordedRequest): FakeAnswer {
    if (request.headers['x-shopify-access-token'] !== this.token) {
      return {
        status: 401,
        body: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' },
      };
    }
    if (request.headers['content-type'] !== 'application/json') return { status: 415, body: { errors: 'JSON only' } };
    const { query, variables } = JSON.parse(request.body) as GraphqlRequest;
    if (/fulfillmentEventCreate\(fulfillmentEvent: \$fulfillmentEvent\)/.test(query)) {
      return this.#fulfillmentEvent(version, variables.fulfillmentEvent as Record<string, unknown>);
    }
    if (/webhookSubscriptionCreate\(topic: \$topic, webhookSubscription: \$webhookSubscription\)/.test(query)) {
      return this.#subscription(version, String(variables.topic), variables.webhookSubscription);
    }
    if (/\bshop \{/.test(query)) {
      return {
        body: {
          data: { shop: { name: 'Waymark Test', myshopifyDomain: 'waymark-test.myshopify.com' } },
          extensions: this.#cost(1),
        },
      };
    }
    return { status: 400, body: { errors: [{ message: 'unknown operation' }] } };
  }

  #fulfillmentEvent(version: string, input: Record<string, unknown>): FakeAnswer {
    const status = String(input.status);
    const accepted = DOCUMENTED_FULFILLMENT_EVENT_ENUM[version] ?? [];
    if (!accepted.includes(status)) {
      const explanation = `Expected "${status}" to be one of: ${accepted.join(', ')}`;
      return {
        body: {
          errors: [
            {
              message: `Variable $fulfillmentEvent of type FulfillmentEventInput! was provided invalid value for status (${explanation})`,
              locations: [{ line: 1, column: 34 }],
              extensions: { value: input, problems: [{ path: ['status'], explanation }] },
            },
          ],
        },
      };
    }
    const id = /^gid:\/\/shopify\/Fulfillment\/(\d+)$/.exec(String(input.fulfillmentId))?.[1];
    if (!id || !this.fulfillments.has(id)) {
      return {
        body: {
          data: {
            fulfillmentEventCreate: {
              fulfillmentEvent: null,
              userErrors: [{ field: ['fulfillmentEvent', 'fulfillmentId'], message: 'Fulfillment does not exist' }],
            },
          },
          extensions: this.#cost(10),
        },
      };
    }
    this.events.push({ version, input });
    return {
      body: {
        data: {
          fulfillmentEventCreate: {
            fulfillmentEvent: { id: `gid://shopify/FulfillmentEvent/${9120000000000 + this.events.length}`, status },
            userErrors: [],
          },
        },
        extensions: this.#cost(10),
      },
    };
  }

  #subscription(version: string, topic: string, rawInput: unknown): FakeAnswer {
    const input = (rawInput ?? {}) as Record<string, unknown>;
    // `callbackUrl` until 2025-07; `uri` from 2025-10 on.
    const field = version === 'unstable' || version >= '2025-10' ? 'uri' : 'callbackUrl';
    const url = input[field];
    if (typeof url !== 'string') {
      return {
        body: {
          errors: [{ message: `WebhookSubscriptionInput: ${field} is required`, extensions: { code: 'BAD_REQUEST' } }],
        },
      };
    }
    const taken = this.subscriptions.some((s) => s.topic === topic && s.input[field] === url);
    if (!taken) this.subscriptions.push({ topic, input });
    return {
      body: {
        data: {
          webhookSubscriptionCreate: {
            webhookSubscription: taken
              ? null
              : { id: `gid://shopify/WebhookSubscription/${this.subscriptions.length}` },
            userErrors: taken ? [{ field: [field], message: 'Address for this topic has already been taken' }] : [],
          },
        },
        extensions: this.#cost(10),
      },
    };
  }
}
