import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { POSTGRES_URL } from '../test-support/databases.js';

/** The built CLI, as `npx waymark` runs it (`npm test` builds first). */
const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

let workdir: string;

function run(args: string[], options: { env?: Record<string, string>; input?: string } = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: workdir,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    input: options.input,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitForReady(url: string, deadlineMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.status === 200) return Date.now() - started;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > deadlineMs) throw new Error(`not ready within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), 'waymark-cli-'));
  // Initialise the data directory once, so the first-start key warning does not mix into the usage tests.
  const first = run(['migrate']);
  expect(first.stderr).toMatch(/WAYMARK_SECRET_KEY is not set: generated a key/);
});
afterAll(() => {
  rmSync(workdir, { recursive: true, force: true });
});

describe('waymark CLI', () => {
  it.each([
    [[]],
    [['start']],
    [['serve']],
    [['worker']],
    [['migrate']],
    [['store', 'add']],
    [['store', 'list']],
    [['apikey', 'create']],
    [['user', 'add']],
    [['detect']],
  ])('should print help for %j and exit 0', (args) => {
    const result = run([...args, '--help']);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: waymark/m);
  });

  it.each([
    [['bogus'], /unknown command 'bogus'/],
    [['start', '--port', 'abc'], /--port must be a number/],
    [['start', '--bogus-flag'], /unknown option '--bogus-flag'/],
    [['store', 'add', '--name', 'X'], /--platform is required/],
    [['store', 'add', '--platform', 'ebay', '--name', 'X'], /--platform must be one of/],
    [['store', 'add', '--platform', 'api'], /--name is required/],
    [['store', 'add', '--platform', 'api', '--name', 'X', '--time-zone', 'Mars/Base'], /not an IANA time zone/],
    [['apikey', 'create'], /--store is required/],
    [['apikey', 'create', '--store', 'no-such-store'], /no store with id or slug "no-such-store"/],
    [['user', 'add', '--email', 'nope', '--password', 'long enough password'], /--email must be an email/],
    [['user', 'add', '--email', 'a@b.co', '--password', 'short'], /at least 10 characters/],
    [['migrate', '--database-url', 'mysql://x'], /DATABASE_URL/],
  ])('should exit 2 with one line naming the problem for %j', (args, message) => {
    const result = run(args);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('should add stores, list them, and create an API key shown once', () => {
    const added = run([
      'store',
      'add',
      '--platform',
      'shopify',
      '--name',
      'Blue Lamps',
      '--domain',
      'blue.myshopify.com',
      '--webhook-secret',
      'whsec_x',
      '--access-token',
      'shpat_y',
    ]);
    const store = JSON.parse(added.stdout) as Record<string, unknown>;
    const listed = JSON.parse(run(['store', 'list']).stdout) as Record<string, unknown>[];
    const key = JSON.parse(run(['apikey', 'create', '--store', 'blue-lamps']).stdout) as Record<string, unknown>;

    expect(added.code).toBe(0);
    expect(Object.keys(store).sort()).toEqual([
      'id',
      'platform',
      'slug',
      'webhookRegistration',
      'webhookUrl',
      'writeBack',
    ]);
    expect(store).toMatchObject({
      slug: 'blue-lamps',
      platform: 'shopify',
      webhookUrl: `http://localhost:3000/webhooks/shopify/${String(store.id)}`,
    });
    expect(listed.map((s) => s.id)).toContain(store.id);
    expect(JSON.stringify(listed)).not.toContain('shpat_y');
    expect(key.key).toMatch(/^wmk_[A-Za-z0-9_-]{32}$/);
    expect(key.storeId).toBe(store.id);
  });

  it('should add a dashboard user once and refuse the same email twice', () => {
    const first = run(['user', 'add', '--email', 'Owner@Example.com', '--password-stdin'], {
      input: 'correct horse battery\n',
    });
    const again = run(['user', 'add', '--email', 'owner@example.com', '--password', 'another long password']);

    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ email: 'owner@example.com' });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
  });

  it('should import orders from CSV all or nothing, report errors by line, and change nothing on a re-import', () => {
    run(['store', 'add', '--platform', 'api', '--name', 'Csv Shop']);
    const good = join(workdir, 'orders.csv');
    writeFileSync(
      good,
      [
        'external_id,number,email,country,placed_at,tracking_number,carrier',
        'A1,#1001,ada@example.com,us,2026-11-20T10:00:00Z,1Z5R89390357567127,UPS',
        'A1,#1001,ada@example.com,us,2026-11-20T10:00:00Z,SBX100000777,',
        'A2,#1002,grace@example.com,GB,2026-11-21T10:00:00Z,,',
      ].join('\n'),
    );
    const bad = join(workdir, 'bad.csv');
    writeFileSync(
      bad,
      [
        'external_id,number,email,tracking_number',
        'B1,#2001,not-an-email,',
        'B2,#2002,b2@example.com,??',
        'B3,#2003,b3@example.com,',
      ].join('\n'),
    );

    const first = run(['import', '--store', 'csv-shop', good]);
    const again = run(['import', '--store', 'csv-shop', good]);
    const failed = run(['import', '--store', 'csv-shop', bad]);
    const unknownColumn = join(workdir, 'unknown.csv');
    writeFileSync(unknownColumn, 'external_id,number,colour\nC1,#1,red\n');
    const wrongHeader = run(['import', '--store', 'csv-shop', unknownColumn]);

    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ rows: 3, orders: 2, created: 2, updated: 0, shipmentsAdded: 2 });
    expect(JSON.parse(again.stdout)).toMatchObject({ created: 0, updated: 2, shipmentsAdded: 0 });
    expect(failed.code).toBe(2);
    expect(failed.stderr).toMatch(/bad\.csv:2: email/);
    expect(failed.stderr).toMatch(/bad\.csv:3: tracking_number/);
    expect(failed.stderr).toMatch(/2 row\(s\) in error; nothing imported/);
    expect(wrongHeader.code).toBe(2);
    expect(wrongHeader.stderr).toMatch(/unknown column colour/);
  });

  it('should migrate a fresh database and report it current', () => {
    const result = run(['migrate', '--database-url', `sqlite:${join(workdir, 'fresh.db')}`]);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      applied: [
        '2026_11_26_000001_initial',
        '2026_11_26_000002_shipment_tracking_number_index',
        '2026_11_26_000003_store_sync_schedule',
        '2026_11_26_000004_rate_limit_window',
        '2026_11_26_000005_notification_opt_out',
        '2026_11_26_000006_dashboard_session',
        '2026_11_26_000007_delivery_intelligence',
        '2026_11_26_000008_carrier_account_unique',
        '2026_11_26_000009_notification_template',
        '2026_11_26_000010_platform_write_back',
        '2026_11_26_000011_inbox_body_compression',
        '2026_11_26_000012_store_invitation',
      ],
      current: '2026_11_26_000012_store_invitation',
    });
  });

  it('should start on a fresh database, become ready, and stop cleanly on SIGTERM', { timeout: 30_000 }, async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(workdir, 'start-'));
    const child = spawn(process.execPath, [CLI, 'start', '--port', String(port), '--no-demo'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));

    // How fast it starts is the benchmark's business; here it must simply get there.
    await waitForReady(`http://127.0.0.1:${port}`, 20_000);
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const code = await exit;

    expect(stderr).toContain(`Waymark is running at http://localhost:${port}`);
    expect(code).toBe(0);
    expect(stdout).toContain('shutting down');
    expect(stdout).not.toMatch(/"level":(50|60)/);
  });

  it(
    'should give a fresh start a demo store whose dashboard owner signs in with the password printed once',
    { timeout: 30_000 },
    async () => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const dir = mkdtempSync(join(workdir, 'demo-'));
      const child = spawn(process.execPath, [CLI, 'start', '--port', String(port)], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      try {
        await waitForReady(url, 20_000);
        // The demo store is made once the server listens.
        for (const started = Date.now(); !stderr.includes('Its API key') && Date.now() - started < 10_000;)
          await new Promise((resolve) => setTimeout(resolve, 50));
        const password = /sign in as demo@waymark\.local with the password (\S+) \(shown once\)/.exec(stderr)?.[1];
        const root = await fetch(`${url}/`, { redirect: 'manual' });
        const login = await fetch(`${url}/dashboard/login`);
        const loginCookies = login.headers.getSetCookie().map((cookie) => cookie.split(';')[0]);
        const csrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())?.[1] ?? '';
        const signIn = await fetch(`${url}/dashboard/login`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: loginCookies.join('; ') },
          body: new URLSearchParams({ email: 'demo@waymark.local', password: password ?? '', _csrf: csrf }).toString(),
        });
        const session = signIn.headers
          .getSetCookie()
          .find((cookie) => cookie.startsWith('waymark_session='))
          ?.split(';')[0];
        const orders = await fetch(`${url}/dashboard/orders`, { headers: { cookie: session ?? '' } });

        expect(stderr).toContain(
          `Waymark is running at http://localhost:${port}\n  Dashboard: http://localhost:${port}/dashboard\n`,
        );
        expect(stderr).toContain(`Dashboard: http://localhost:${port}/dashboard — sign in as demo@waymark.local`);
        expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
        expect(root.status).toBe(302);
        expect(root.headers.get('location')).toBe('/dashboard');
        expect(signIn.status).toBe(303);
        expect(orders.status).toBe(200);
        expect(await orders.text()).toContain('Demo Store');
      } finally {
        child.kill('SIGTERM');
        await exit;
      }
    },
  );

  it.skipIf(!POSTGRES_URL)(
    'should run migrate, serve and worker as separate processes on PostgreSQL',
    { timeout: 60_000 },
    async () => {
      const { createTestDatabase } = await import('../test-support/databases.js');
      const database = await createTestDatabase('postgres', { migrate: false });
      await database.close();
      const env = { DATABASE_URL: database.url, WAYMARK_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') };
      const port = await freePort();
      try {
        expect(run(['migrate'], { env }).code).toBe(0);
        const serve = spawn(process.execPath, [CLI, 'serve', '--port', String(port)], {
          cwd: workdir,
          env: { PATH: process.env.PATH ?? '', ...env },
          stdio: 'ignore',
        });
        const worker = spawn(process.execPath, [CLI, 'worker'], {
          cwd: workdir,
          env: { PATH: process.env.PATH ?? '', ...env },
          stdio: ['ignore', 'pipe', 'ignore'],
        });
        // A SIGTERM before the worker has installed its handlers would kill it outright, which is not what this tests.
        const workerRunning = new Promise<void>((resolve) => {
          let output = '';
          worker.stdout.on('data', (chunk: Buffer) => {
            output += chunk.toString();
            if (output.includes('waymark worker is running')) resolve();
          });
        });
        try {
          await waitForReady(`http://127.0.0.1:${port}`, 20_000);
          await workerRunning;
          const exits = [serve, worker].map(
            (c) => new Promise<number | null>((resolve) => c.on('exit', (code) => resolve(code))),
          );
          serve.kill('SIGTERM');
          worker.kill('SIGTERM');
          expect(await Promise.all(exits)).toEqual([0, 0]);
        } finally {
          serve.kill('SIGKILL');
          worker.kill('SIGKILL');
        }
      } finally {
        await database.drop();
      }
    },
  );
});
