import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FakeHttpServer, type FakeAnswer, type RecordedRequest } from '../../test-support/fake-http-server.js';

/** The built CLI, as `npx waymark` runs it (`npm test` builds first). */
const CLI = fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url));
const DELIVERED = '1Z1442YY7229014688';
const PROBE = '1Z0000000000000000';

function upsFixture(name: string): unknown {
  return JSON.parse(
    readFileSync(new URL(`../../adapters/carriers/ups/__fixtures__/${name}`, import.meta.url), 'utf8'),
  ) as unknown;
}

let workdir: string;
let ups: FakeHttpServer;
/** UPS developer apps the fake accepts, by client id. */
const upsApps = new Map<string, string>();

/** Async: the fake UPS answers from this process while the CLI runs. */
function run(
  args: string[],
  options: { env?: Record<string, string>; input?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: workdir,
      env: {
        PATH: process.env.PATH ?? '',
        WAYMARK_SECRET_KEY: Buffer.alloc(32, 3).toString('base64'),
        WAYMARK_UPS_BASE_URL: ups.url,
        ...options.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

function tokenAnswer(request: RecordedRequest): FakeAnswer {
  const app = [...upsApps].find(
    ([id, secret]) => request.headers.authorization === `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
  );
  return app
    ? { body: { access_token: `token-of-${app[0]}`, expires_in: '14399' } }
    : { status: 401, body: upsFixture('auth_error_250003.json') };
}

beforeAll(async () => {
  workdir = mkdtempSync(join(tmpdir(), 'waymark-carrier-cli-'));
  ups = await new FakeHttpServer().start();
  ups.on('POST /security/v1/oauth/token', tokenAnswer);
  ups.on(`GET /api/track/v1/details/${DELIVERED}`, () => ({ body: upsFixture('delivered.json') }));
  ups.on(`GET /api/track/v1/details/${PROBE}`, () => ({ body: upsFixture('not_found_TW0001_http200.json') }));
  const added = await run(['store', 'add', '--platform', 'api', '--name', 'Blue Lamps']);
  expect(added.code).toBe(0);
});
afterAll(async () => {
  await ups.stop();
  rmSync(workdir, { recursive: true, force: true });
});

function trackedWith(): string[] {
  return ups.requests
    .filter((r) => r.path.startsWith('/api/track/'))
    .map((r) => r.headers.authorization?.replace(/^Bearer token-of-/, '') ?? '');
}

describe('waymark carrier', () => {
  it.each([[['carrier', 'set']], [['carrier', 'list']], [['carrier', 'remove']], [['carrier', 'test']]])(
    'should print help for %j and exit 0',
    async (args) => {
      const result = await run([...args, '--help']);

      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Usage: waymark carrier/m);
    },
  );

  it('should list each carrier’s fields in the help of set', async () => {
    const result = await run(['carrier', 'set', '--help']);

    expect(result.stdout).toMatch(/ups\s+clientId, clientSecret/);
    expect(result.stdout).toMatch(/dhl\s+apiKey/);
  });

  it.each([
    [['carrier', 'set', '--carrier', 'ups'], /--store is required/],
    [['carrier', 'set', '--store', 'blue-lamps'], /--carrier is required/],
    [['carrier', 'set', '--store', 'blue-lamps', '--carrier', 'ontrac'], /--carrier must be one of ups, fedex/],
    [['carrier', 'set', '--store', 'blue-lamps', '--carrier', 'ups', '--field', 'clientId'], /must be NAME=VALUE/],
    [['carrier', 'set', '--store', 'blue-lamps', '--carrier', 'ups', '--field', 'apiKey=x'], /ups takes clientId/],
    [
      ['carrier', 'set', '--store', 'blue-lamps', '--carrier', 'dhl', '--field', 'apiKey=k', '--rate-per-second', '0'],
      /--rate-per-second must be a positive number/,
    ],
    [
      ['carrier', 'set', '--store', 'blue-lamps', '--carrier', 'fedex', '--field', 'clientId=only'],
      /fedex needs clientId, clientSecret; clientSecret is missing/,
    ],
    [['carrier', 'set', '--store', 'nowhere', '--carrier', 'dhl', '--field', 'apiKey=k'], /no store with id or slug/],
    [['carrier', 'remove', '--store', 'blue-lamps', '--carrier', 'usps'], /this store has no usps account/],
    [['carrier', 'test', '--store', 'blue-lamps', '--carrier', 'usps'], /this store has no usps account/],
    [['carrier', 'list'], /--store is required/],
  ])('should exit 2 with one line naming the problem for %j', async (args, message) => {
    const result = await run(args);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('should set, list without secrets, rotate from stdin, test, track with the store’s account, and remove', async () => {
    upsApps.set('blue-app', 'blue-secret-2');

    const set = await run([
      'carrier',
      'set',
      '--store',
      'blue-lamps',
      '--carrier',
      'UPS',
      '--field',
      'clientId=blue-app',
      '--field',
      'clientSecret=blue-secret-1',
      '--rate-per-second',
      '2',
    ]);
    const refused = await run(['carrier', 'test', '--store', 'blue-lamps', '--carrier', 'ups']);
    const rotated = await run(['carrier', 'set', '--store', 'blue-lamps', '--carrier', 'ups', '--fields-stdin'], {
      input: 'clientSecret=blue-secret-2\n',
    });
    const listed = await run(['carrier', 'list', '--store', 'blue-lamps']);
    const tested = await run(['carrier', 'test', '--store', 'blue-lamps', '--carrier', 'ups']);
    const tracked = await run(['track', DELIVERED, '--store', 'blue-lamps']);
    const removed = await run(['carrier', 'remove', '--store', 'blue-lamps', '--carrier', 'ups']);
    const untracked = await run(['track', DELIVERED, '--store', 'blue-lamps']);

    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({
      carrier: 'ups',
      fieldsSet: ['clientId', 'clientSecret'],
      isEnabled: true,
      ratePerSecond: 2,
    });
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ ok: false, carrier: 'ups', code: 'upstream_auth_failed' });
    expect(rotated.code).toBe(0);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ carrier: 'ups', fieldsSet: ['clientId', 'clientSecret'], ratePerSecond: 2 }),
    ]);
    expect(listed.stdout + set.stdout + rotated.stdout).not.toMatch(/blue-secret|blue-app/);
    expect(tested.code).toBe(0);
    expect(JSON.parse(tested.stdout)).toMatchObject({ ok: true, carrier: 'ups', answer: 'not_found_yet' });
    expect(tracked.code).toBe(0);
    expect(JSON.parse(tracked.stdout)).toMatchObject({
      carrier: 'ups',
      trackingNumber: DELIVERED,
      status: 'delivered',
    });
    expect(trackedWith()).toEqual(['blue-app', 'blue-app']);
    expect(JSON.parse(removed.stdout)).toMatchObject({ removed: true, carrier: 'ups' });
    expect(untracked.code).toBe(2);
    expect(untracked.stderr).toMatch(/no credentials for ups: store "blue-lamps" has no enabled ups account/);
  });

  it('should track with the instance-wide credential when the store has no account of its own', async () => {
    upsApps.set('instance-app', 'instance-secret');
    const before = trackedWith().length;

    const result = await run(['track', DELIVERED, '--store', 'blue-lamps'], {
      env: { WAYMARK_UPS_CLIENT_ID: 'instance-app', WAYMARK_UPS_CLIENT_SECRET: 'instance-secret' },
    });

    expect(result.code).toBe(0);
    expect(trackedWith().slice(before)).toEqual(['instance-app']);
  });
});
