import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { SHOPIFY_WEBHOOK_SUBSCRIPTIONS } from '../../adapters/platforms/shopify/shopify.client.js';
import { FakeShopify } from '../../test-support/fake-shopify.js';

/** The built CLI (`npm run build` first). */
const CLI = fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url));
const TOKEN = 'shpat_waymark_cli_webhooks';
const PUBLIC_URL = 'https://waymark.example.com';

let workdir: string;
let shopify: FakeShopify;

/** Spawned without blocking: the fake Shopify answering the child lives in this process. */
function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: workdir,
      env: {
        PATH: process.env.PATH ?? '',
        WAYMARK_DATA_DIR: workdir,
        WAYMARK_SECRET_KEY: Buffer.alloc(32, 9).toString('base64'),
        WAYMARK_SHOPIFY_BASE_URL: shopify.url,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function addShopifyStore(
  name: string,
  extra: string[] = [],
  env: Record<string, string> = { WAYMARK_PUBLIC_URL: PUBLIC_URL },
) {
  return run(
    [
      'store',
      'add',
      '--platform',
      'shopify',
      '--name',
      name,
      '--domain',
      'lamps.myshopify.com',
      '--webhook-secret',
      'whsec_cli',
      '--access-token',
      TOKEN,
      ...extra,
    ],
    env,
  );
}

beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), 'waymark-store-webhooks-'));
});
afterAll(() => {
  rmSync(workdir, { recursive: true, force: true });
});
beforeEach(async () => {
  shopify = await new FakeShopify(TOKEN).start();
});
afterEach(async () => {
  await shopify.stop();
});

describe('waymark store add / store webhooks / store write-back', { timeout: 60_000 }, () => {
  it('should register every webhook topic when a public URL is set, and report each', async () => {
    const added = await addShopifyStore('Lamps One', ['--write-back']);
    const store = JSON.parse(added.stdout) as { id: string; writeBack: boolean; webhookRegistration: unknown };
    const callbackUrl = `${PUBLIC_URL}/webhooks/shopify/${store.id}`;

    expect(added.code).toBe(0);
    expect(added.stderr).toBe('');
    expect(store.writeBack).toBe(true);
    expect(store.webhookRegistration).toEqual({
      status: 'registered',
      callbackUrl,
      topics: SHOPIFY_WEBHOOK_SUBSCRIPTIONS.map(({ topic }) => ({ topic, registered: true })),
    });
    expect(shopify.subscriptions).toHaveLength(SHOPIFY_WEBHOOK_SUBSCRIPTIONS.length);
    expect(shopify.subscriptions.every((s) => s.input.callbackUrl === callbackUrl)).toBe(true);
  });

  it('should create the store and exit 0 with a warning when Shopify fails, then register on request', async () => {
    shopify.server.queue(FakeShopify.route('2025-01'), { status: 503, body: 'unavailable' });

    const added = await addShopifyStore('Lamps Two');
    const store = JSON.parse(added.stdout) as { id: string; webhookRegistration: Record<string, unknown> };
    const listed = JSON.parse((await run(['store', 'list'])).stdout) as { id: string }[];
    const retried = await run(['store', 'webhooks', '--store', 'lamps-two'], { WAYMARK_PUBLIC_URL: PUBLIC_URL });

    expect(added.code).toBe(0);
    expect(store.webhookRegistration).toMatchObject({ status: 'failed', error: { code: 'upstream_unavailable' } });
    expect(added.stderr.split('\n').filter((line) => line.startsWith('waymark:'))).toEqual([
      expect.stringMatching(/^waymark: warning: webhooks not registered: .*waymark store webhooks --store /),
    ]);
    expect(listed.map((s) => s.id)).toContain(store.id);
    expect(retried.code).toBe(0);
    expect(JSON.parse(retried.stdout)).toMatchObject({ id: store.id, webhookRegistration: { status: 'registered' } });
  });

  it('should exit 1 from store webhooks when the platform refuses, printing the report', async () => {
    await addShopifyStore('Lamps Three', [], {});
    shopify.server.queue(FakeShopify.route('2025-01'), { status: 401, body: { errors: 'Invalid API key' } });

    const result = await run(['store', 'webhooks', '--store', 'lamps-three'], { WAYMARK_PUBLIC_URL: PUBLIC_URL });

    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      webhookRegistration: { status: 'failed', error: { code: 'upstream_auth_failed' } },
    });
    expect(result.stderr).toMatch(/warning: webhooks not registered/);
  });

  it('should note why nothing was registered without a public URL', async () => {
    const added = await addShopifyStore('Lamps Four', [], {});

    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ webhookRegistration: { status: 'skipped', callbackUrl: null } });
    expect(added.stderr).toMatch(/^waymark: note: webhooks not registered: WAYMARK_PUBLIC_URL is not set/);
    expect(shopify.server.requests).toHaveLength(0);
  });

  it('should switch write-back on and off for Shopify stores only', async () => {
    await addShopifyStore('Lamps Five', [], {});
    await run(['store', 'add', '--platform', 'api', '--name', 'Api Five']);

    const off = await run(['store', 'write-back', '--store', 'lamps-five', '--off']);
    const on = await run(['store', 'write-back', '--store', 'lamps-five']);
    const api = await run(['store', 'write-back', '--store', 'api-five']);
    const addApi = await run(['store', 'add', '--platform', 'api', '--name', 'Api Six', '--write-back']);

    expect(JSON.parse(off.stdout)).toMatchObject({ writeBack: false });
    expect(JSON.parse(on.stdout)).toMatchObject({ writeBack: true });
    expect(api.code).toBe(2);
    expect(api.stderr).toMatch(/write-back is available for shopify stores only/);
    expect(addApi.code).toBe(2);
  });
});
