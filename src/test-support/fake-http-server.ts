import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RecordedRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
};

export type FakeAnswer = {
  status?: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as is (malformed JSON, HTML error pages…). */
  body?: unknown;
  /** Wait before answering (slow carrier, timeouts). */
  delayMs?: number;
  /** Drop the connection without answering. */
  destroy?: boolean;
};

export type FakeHandler = (request: RecordedRequest) => FakeAnswer | Promise<FakeAnswer>;

/**
 * A local HTTP server that behaves like a vendor API as a test scripts it:
 * per route, a queue of one-off answers (429, 503, garbage, slow…) in front
 * of a default handler. Every request is recorded.
 */
export class FakeHttpServer {
  readonly requests: RecordedRequest[] = [];
  readonly #defaults = new Map<string, FakeHandler>();
  readonly #queued = new Map<string, FakeHandler[]>();
  #server: Server | null = null;
  #url = '';

  get url(): string {
    return this.#url;
  }

  /** `route` is `METHOD /path` (query ignored). */
  on(route: string, handler: FakeHandler): this {
    this.#defaults.set(route, handler);
    return this;
  }

  /** Answers the next request(s) to `route` with these, before the default handler. */
  queue(route: string, ...answers: (FakeAnswer | FakeHandler)[]): this {
    const list = this.#queued.get(route) ?? [];
    list.push(...answers.map((a) => (typeof a === 'function' ? a : () => a)));
    this.#queued.set(route, list);
    return this;
  }

  requestsTo(route: string): RecordedRequest[] {
    const [method, path] = route.split(' ');
    return this.requests.filter((r) => r.method === method && r.path === path);
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.#url = `http://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.#server = null;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    this.requests.push(recorded);
    const route = `${recorded.method} ${recorded.path}`;
    const handler = this.#queued.get(route)?.shift() ?? this.#defaults.get(route);
    const answer: FakeAnswer = handler
      ? await handler(recorded)
      : { status: 404, body: { error: `no fake route for ${route}` } };
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    if (answer.destroy) {
      req.socket.destroy();
      return;
    }
    const isText = typeof answer.body === 'string';
    res.writeHead(answer.status ?? 200, {
      'content-type': isText ? 'text/plain' : 'application/json',
      ...answer.headers,
    });
    res.end(answer.body === undefined ? '' : isText ? (answer.body as string) : JSON.stringify(answer.body));
  }
}
