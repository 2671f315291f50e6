/**
 * The baseline of the tracking-page benchmark, run as its own process by
 * `tracking-page.ts`: a bare Fastify server with a route of the tracking
 * link's shape (`GET /t/:token`) that answers a static HTML page of the same
 * size as Waymark's page, with the same response headers (read from a real
 * Waymark answer), without looking at the token or reading anything.
 *
 * Usage: node tracking-bare-server.js PAGE_FILE HEADERS_JSON_FILE
 * It prints `listening PORT` on stdout once it listens.
 */
import { readFileSync } from 'node:fs';

import Fastify from 'fastify';

const [pageFile, headersFile] = process.argv.slice(2);
if (!pageFile || !headersFile) throw new Error('usage: tracking-bare-server.js PAGE_FILE HEADERS_JSON_FILE');
const page = readFileSync(pageFile);
const headers = JSON.parse(readFileSync(headersFile, 'utf8')) as Record<string, string>;

const app = Fastify({ logger: false });
app.get<{ Params: { token: string } }>('/t/:token', async (_request, reply) =>
  reply.status(200).headers(headers).send(page),
);

await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);

const stop = (): void => {
  void app.close().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
