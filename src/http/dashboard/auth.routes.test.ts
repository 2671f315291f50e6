import { createHash } from 'node:crypto';

import { afterEach, describe, expect, it } from 'vitest';

import { describeEachDatabase } from '../../test-support/databases.js';
import {
  buildDashboardTestApp,
  cookiesOf,
  csrfTokenIn,
  formBody,
  seedDashboardUser,
  signInAs,
  TEST_PASSWORD,
  type DashboardTestApp,
} from '../../test-support/dashboard.js';
import { orderFields, seedStore } from '../../test-support/factories.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function postLogin(
  t: DashboardTestApp,
  form: Record<string, string>,
  options: { extraCookie?: string; withCsrf?: boolean } = {},
) {
  const page = await t.app.inject({ method: 'GET', url: '/dashboard/login' });
  const loginCookie = `waymark_login_csrf=${cookiesOf(page).waymark_login_csrf ?? ''}`;
  return t.app.inject({
    method: 'POST',
    url: '/dashboard/login',
    headers: { ...FORM, cookie: [loginCookie, options.extraCookie].filter(Boolean).join('; ') },
    payload: formBody(options.withCsrf === false ? form : { _csrf: csrfTokenIn(page.body), ...form }),
  });
}

describeEachDatabase('dashboard sign-in', (dialect) => {
  let t: DashboardTestApp;
  afterEach(async () => {
    await t.close();
  });

  it('should sign in with the right password, set a hardened cookie and store only its hash', async () => {
    t = await buildDashboardTestApp(dialect);
    const store = await seedStore(t.storage);
    await seedDashboardUser(t.storage, 'owner@example.com', [{ store, role: 'owner' }]);

    const response = await postLogin(t, { email: 'Owner@Example.com ', password: TEST_PASSWORD });
    const setCookie = [response.headers['set-cookie']].flat().join('\n');
    const token = cookiesOf(response).waymark_session ?? '';
    const rows = await t.testStorage.database.db.selectFrom('dashboard_session').selectAll().execute();

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/dashboard/orders');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(setCookie).toMatch(/waymark_session=[^;]+; Max-Age=\d+; Path=\/dashboard; HttpOnly; SameSite=Lax/);
    expect(setCookie).not.toMatch(/waymark_session=[^\n]*Secure/);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('should mark the cookie Secure when the request came over TLS through a trusted proxy', async () => {
    t = await buildDashboardTestApp(dialect, { trustProxy: true });
    const store = await seedStore(t.storage);
    await seedDashboardUser(t.storage, 'owner@example.com', [{ store, role: 'owner' }]);
    const page = await t.app.inject({
      method: 'GET',
      url: '/dashboard/login',
      headers: { 'x-forwarded-proto': 'https' },
    });

    const response = await t.app.inject({
      method: 'POST',
      url: '/dashboard/login',
      headers: {
        ...FORM,
        'x-forwarded-proto': 'https',
        cookie: `waymark_login_csrf=${cookiesOf(page).waymark_login_csrf ?? ''}`,
      },
      payload: formBody({ email: 'owner@example.com', password: TEST_PASSWORD, _csrf: csrfTokenIn(page.body) }),
    });

    expect(response.statusCode).toBe(303);
    expect([response.headers['set-cookie']].flat().join('\n')).toMatch(/waymark_session=[^\n]*; Secure/);
  });

  it('should answer a wrong password and an unknown email with the same generic error and no session', async () => {
    t = await buildDashboardTestApp(dialect);
    const store = await seedStore(t.storage);
    await seedDashboardUser(t.storage, 'owner@example.com', [{ store, role: 'owner' }]);

    const wrongPassword = await postLogin(t, { email: 'owner@example.com', password: 'not the password' });
    const unknownEmail = await postLogin(t, { email: 'nobody@example.com', password: TEST_PASSWORD });
    const sessions = await t.testStorage.database.db.selectFrom('dashboard_session').selectAll().execute();

    for (const response of [wrongPassword, unknownEmail]) {
      expect(response.statusCode).toBe(401);
      expect(response.body).toContain('Wrong email or password.');
      expect(cookiesOf(response).waymark_session).toBeUndefined();
    }
    expect(wrongPassword.body).toContain('value="owner@example.com"');
    // The address is kept, so the cursor waits in the password field for the retry.
    expect(wrongPassword.body).toMatch(/<input id="password"[^>]* autofocus>/);
    expect(wrongPassword.body).not.toMatch(/<input id="email"[^>]* autofocus>/);
    expect(sessions).toEqual([]);
  });

  it('should refuse a sign-in form that did not come with its login CSRF cookie', async () => {
    t = await buildDashboardTestApp(dialect);
    const store = await seedStore(t.storage);
    await seedDashboardUser(t.storage, 'owner@example.com', [{ store, role: 'owner' }]);
    const page = await t.app.inject({ method: 'GET', url: '/dashboard/login' });

    const response = await t.app.inject({
      method: 'POST',
      url: '/dashboard/login',
      headers: FORM,
      payload: formBody({ email: 'owner@example.com', password: TEST_PASSWORD, _csrf: csrfTokenIn(page.body) }),
    });

    expect(response.statusCode).toBe(403);
    expect(cookiesOf(response).waymark_session).toBeUndefined();
  });

  it('should send a visitor without a session to the sign-in page and back where they were', async () => {
    t = await buildDashboardTestApp(dialect);
    const store = await seedStore(t.storage);
    await seedDashboardUser(t.storage, 'owner@example.com', [{ store, role: 'owner' }]);

    const anonymous = await t.app.inject({ method: 'GET', url: '/dashboard/orders?q=1001' });
    const afterLogin = await postLogin(t, {
      email: 'owner@example.com',
      password: TEST_PASSWORD,
      next: '/dashboard/orders?q=1001',
    });
    const offSite = await postLogin(t, { email: 'owner@example.com', password: TEST_PASSWORD, next: '//evil.example' });

    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/dashboard/login?next=%2Fdashboard%2Forders%3Fq%3D1001');
    expect(afterLogin.headers.location).toBe('/dashboard/orders?q=1001');
    expect(offSite.headers.location).toBe('/dashboard/orders');
  });

  it('should end a session idle too long and one past its absolute lifetime', async () => {
    t = await buildDashboardTestApp(dialect, { sessionPolicy: { idleMs: 30 * 60_000, absoluteMs: 2 * 60 * 60_000 } });
    const store = await seedStore(t.storage);
    await seedDashboardUser(t.storage, 'owner@example.com', [{ store, role: 'owner' }]);
    const idle = await signInAs(t.app, 'owner@example.com');

    t.clock.advance(31 * 60_000);
    const afterIdle = await idle.get('/dashboard/orders');
    const active = await signInAs(t.app, 'owner@example.com');
    const stillIn: number[] = [];
    for (let step = 0; step < 5; step += 1) {
      t.clock.advance(20 * 60_000);
      stillIn.push((await active.get('/dashboard/orders')).statusCode);
    }
    t.clock.advance(25 * 60_000);
    const afterAbsolute = await active.get('/dashboard/orders');

    expect(afterIdle.statusCode).toBe(303);
    expect(afterIdle.headers.location).toMatch(/^\/dashboard\/login/);
    expect(stillIn).toEqual([200, 200, 200, 200, 200]);
    expect(afterAbsolute.statusCode).toBe(303);
    expect(await t.testStorage.database.db.selectFrom('dashboard_session').selectAll().execute()).toEqual([]);
  });

  it('should start a new session at each sign-in and end the one the browser had', async () => {
    t = await buildDashboardTestApp(dialect);
    const store = await seedStore(t.storage);
    await seedDashboardUser(t.storage, 'owner@example.com', [{ store, role: 'owner' }]);
    const first = await signInAs(t.app, 'owner@example.com');

    const again = await postLogin(
      t,
      { email: 'owner@example.com', password: TEST_PASSWORD },
      { extraCookie: first.cookie },
    );
    const oldCookie = await first.get('/dashboard/orders');
    const sessions = await t.testStorage.database.db.selectFrom('dashboard_session').selectAll().execute();

    expect(again.statusCode).toBe(303);
    expect(`waymark_session=${cookiesOf(again).waymark_session ?? ''}`).not.toBe(first.cookie);
    expect(oldCookie.statusCode).toBe(303);
    expect(sessions).toHaveLength(1);
  });

  it('should refuse a state-changing form without the session CSRF token, and sign out with it', async () => {
    t = await buildDashboardTestApp(dialect);
    const store = await seedStore(t.storage);
    await seedDashboardUser(t.storage, 'owner@example.com', [{ store, role: 'owner' }]);
    const browser = await signInAs(t.app, 'owner@example.com');

    const missing = await browser.post('/dashboard/logout', {}, { csrf: false });
    const forged = await browser.post('/dashboard/logout', { _csrf: 'x'.repeat(43) }, { csrf: false });
    const stillIn = await browser.get('/dashboard/orders');
    const signedOut = await browser.post('/dashboard/logout', {});
    const afterwards = await browser.get('/dashboard/orders');

    expect(missing.statusCode).toBe(403);
    expect(missing.headers['content-type']).toContain('text/html');
    expect(missing.body).toContain('This form has expired');
    expect(forged.statusCode).toBe(403);
    expect(stillIn.statusCode).toBe(200);
    expect(signedOut.statusCode).toBe(303);
    expect(signedOut.headers.location).toBe('/dashboard/login?done=signed-out');
    expect(afterwards.statusCode).toBe(303);
  });

  it('should limit sign-in attempts per email and per client address', async () => {
    t = await buildDashboardTestApp(dialect, { loginRateLimit: { perIp: 6, perEmail: 3, windowMs: 60_000 } });
    const store = await seedStore(t.storage);
    await seedDashboardUser(t.storage, 'owner@example.com', [{ store, role: 'owner' }]);

    const sameEmail = [];
    for (let i = 0; i < 4; i += 1)
      sameEmail.push(await postLogin(t, { email: 'owner@example.com', password: 'wrong' }));
    const otherEmails = [];
    for (let i = 0; i < 3; i += 1)
      otherEmails.push(await postLogin(t, { email: `x${i}@example.com`, password: 'wrong' }));

    expect(sameEmail.map((r) => r.statusCode)).toEqual([401, 401, 401, 429]);
    expect(sameEmail[3]?.body).toContain('Too many sign-in attempts for this account');
    expect(sameEmail[3]?.headers['retry-after']).toMatch(/^\d+$/);
    expect(otherEmails.map((r) => r.statusCode)).toEqual([401, 401, 429]);
    expect(otherEmails[2]?.body).toContain('Too many sign-in attempts from your network');
  });

  it('should count sign-in attempts across server processes sharing the database', async () => {
    const limits = { perIp: 100, perEmail: 3, windowMs: 60_000 };
    t = await buildDashboardTestApp(dialect, { loginRateLimit: limits });
    const second = await buildDashboardTestApp(dialect, { loginRateLimit: limits, sameDatabaseAs: t });
    try {
      const store = await seedStore(t.storage);
      await seedDashboardUser(t.storage, 'owner@example.com', [{ store, role: 'owner' }]);
      const wrong = { email: 'owner@example.com', password: 'wrong' };

      const answers = [
        await postLogin(t, wrong),
        await postLogin(second, wrong),
        await postLogin(t, wrong),
        await postLogin(second, { email: 'owner@example.com', password: TEST_PASSWORD }),
      ];

      // Three failures spread over two processes use up the account's three attempts, on both.
      expect(answers.map((r) => r.statusCode)).toEqual([401, 401, 401, 429]);
      expect(answers[3]?.body).toContain('Too many sign-in attempts for this account');
    } finally {
      await second.close();
    }
  });

  it('should open another of the user stores, and not a store they cannot open', async () => {
    t = await buildDashboardTestApp(dialect);
    const first = await seedStore(t.storage, { name: 'Alpha Shop' });
    const second = await seedStore(t.storage, { name: 'Beta Shop' });
    const foreign = await seedStore(t.storage, { name: 'Gamma Shop' });
    await t.storage.repositories.orders.insertOrder(second.id, orderFields({ number: '#B-1' }), t.clock.now());
    await seedDashboardUser(t.storage, 'owner@example.com', [
      { store: first, role: 'owner' },
      { store: second, role: 'staff' },
    ]);
    const browser = await signInAs(t.app, 'owner@example.com');

    const before = await browser.get('/dashboard/orders');
    const switched = await browser.post('/dashboard/store', { storeId: second.id });
    const after = await browser.get('/dashboard/orders');
    const denied = await browser.post('/dashboard/store', { storeId: foreign.id });

    expect(before.body).toContain('Alpha Shop');
    expect(before.body).not.toContain('#B-1');
    expect(switched.statusCode).toBe(303);
    expect(after.body).toContain('#B-1');
    expect(after.body).toMatch(/<option value="[^"]+" selected>Beta Shop<\/option>/);
    expect(denied.statusCode).toBe(404);
  });
});

describe('dashboard sign-in page', () => {
  it('should be served with the strict page CSP and no caching', async () => {
    const t = await buildDashboardTestApp('sqlite');
    try {
      const page = await t.app.inject({ method: 'GET', url: '/dashboard/login' });

      expect(page.statusCode).toBe(200);
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
      expect(page.headers['cache-control']).toBe('private, no-store');
      expect(page.body).not.toMatch(/<script>|style=/);
    } finally {
      await t.close();
    }
  });
});
