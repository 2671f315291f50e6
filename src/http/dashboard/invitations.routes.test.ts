import { afterAll, beforeAll, expect, it } from 'vitest';

import { createSmtpEmailSender } from '../../adapters/notify/email/smtp.email.js';
import type { Store } from '../../core/store/store.js';
import { CapturingSmtpServer } from '../../test-support/capturing-smtp-server.js';
import { describeEachDatabase } from '../../test-support/databases.js';
import {
  cookiesOf,
  csrfTokenIn,
  eachTestSignedIn,
  fastPasswordHash,
  formBody,
  seedDashboardUser,
  signInAs,
  type Browser,
  type DashboardTestApp,
} from '../../test-support/dashboard.js';
import { FIXED_NOW, seedStore } from '../../test-support/factories.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const LINK = /https?:\/\/[^\s<"]+\/dashboard\/invite\/([A-Za-z0-9_-]{43})/;

describeEachDatabase('dashboard invitations', (dialect) => {
  let t: DashboardTestApp;
  let store: Store;
  let owner: Browser;

  let counter: number;
  eachTestSignedIn(
    dialect,
    'owner',
    (n) => ({ name: `Lamp Shop ${n}` }),
    (context) => {
      ({ t, store, browser: owner, n: counter } = context);
    },
  );

  /** The owner invites `email`; returns the link's token, read from the page the creation redirects to. */
  async function invite(email: string, role = 'staff'): Promise<{ token: string; page: string; reloaded: string }> {
    const created = await owner.post('/dashboard/settings/users', { email, role, password: '' });
    expect(created.statusCode).toBe(303);
    expect(created.headers.location).toBe('/dashboard/settings/users?done=user-invited');
    const shown = await owner.follow(created);
    const reloaded = await owner.get('/dashboard/settings/users');
    return { token: LINK.exec(shown.body)?.[1] ?? '', page: shown.body, reloaded: reloaded.body };
  }

  /** Opens the link as a browser without a session would, and posts the form with its own CSRF cookie. */
  async function accept(token: string, password: string, options: { csrf?: boolean } = {}) {
    const page = await t.app.inject({ url: `/dashboard/invite/${token}` });
    const csrfCookie = cookiesOf(page).waymark_login_csrf ?? '';
    const posted = await t.app.inject({
      method: 'POST',
      url: `/dashboard/invite/${token}`,
      headers: { ...FORM, ...(options.csrf === false ? {} : { cookie: `waymark_login_csrf=${csrfCookie}` }) },
      payload: formBody({ _csrf: page.statusCode === 200 ? csrfTokenIn(page.body) : '', password }),
    });
    return { page, posted };
  }

  it('should invite a new address with a link shown once, with which the person joins and is signed in', async () => {
    const email = `new${counter}@example.com`;
    const { token, page, reloaded } = await invite(` New${counter}@Example.com `);
    const { page: landing } = await accept(token, 'short');
    const tooShort = (await accept(token, 'short')).posted;
    const { posted: joined } = await accept(token, 'a password of my own');
    const session = cookiesOf(joined).waymark_session ?? '';
    const orders = await t.app.inject({ url: '/dashboard/orders', headers: { cookie: `waymark_session=${session}` } });
    const members = await t.storage.repositories.users.listStoreMembers(store.id);
    const again = await t.app.inject({ url: `/dashboard/invite/${token}` });
    const signIn = await signInAs(t.app, email, 'a password of my own');

    expect(token).toHaveLength(43);
    expect(page).toContain(`Invitation for ${email}`);
    expect(page).toContain('Invitation created.');
    // No mail server in this suite: the owner passes the link on, and is told how Waymark could send it.
    expect(page).toContain('Waymark emails invitations itself when <code>SMTP_URL</code>');
    expect(reloaded).not.toContain(token);
    expect(reloaded).toContain('Invited, not yet joined');
    expect(landing.statusCode).toBe(200);
    expect(landing.body).toContain(`Join Lamp Shop ${counter}`);
    expect(landing.body).toContain(email);
    expect(tooShort.statusCode).toBe(400);
    expect(tooShort.body).toContain('choose a password of at least 10 characters');
    expect(joined.statusCode).toBe(303);
    expect(joined.headers.location).toBe('/dashboard/orders');
    expect(orders.statusCode).toBe(200);
    expect(orders.body).toContain(`Lamp Shop ${counter}`);
    expect(members.find((m) => m.email === email)?.role).toBe('staff');
    // The link worked once.
    expect(again.statusCode).toBe(404);
    expect(again.body).toContain('This invitation link is not valid');
    expect(signIn.cookie).toMatch(/^waymark_session=/);
  });

  it('should stop a link once withdrawn, and once seven days have passed', async () => {
    const withdrawn = await invite(`gone${counter}@example.com`);
    const [open] = await t.storage.repositories.invitations.listOpenInvitations(store.id, FIXED_NOW);
    const withdraw = await owner.post(`/dashboard/settings/users/invitations/${open?.id ?? ''}/withdraw`, {});
    const afterWithdraw = await t.app.inject({ url: `/dashboard/invite/${withdrawn.token}` });

    const expiring = await invite(`late${counter}@example.com`, 'owner');
    t.clock.advance(7 * 86_400_000 - 1_000);
    const lastSecond = await t.app.inject({ url: `/dashboard/invite/${expiring.token}` });
    t.clock.advance(2_000);
    const { page: expired, posted: expiredPost } = await accept(expiring.token, 'a password of my own');
    const members = await t.storage.repositories.users.listStoreMembers(store.id);

    expect(withdraw.statusCode).toBe(303);
    expect(afterWithdraw.statusCode).toBe(404);
    expect(lastSecond.statusCode).toBe(200);
    expect(lastSecond.body).toContain('<strong>Owner</strong>');
    expect(expired.statusCode).toBe(404);
    expect(expiredPost.statusCode).toBe(404);
    expect(members.map((m) => m.email)).toEqual([`owner${counter}@example.com`]);
  });

  it('should add the store to an account made since the invitation, without touching its password', async () => {
    const email = `later${counter}@example.com`;
    const { token } = await invite(email);
    await t.storage.repositories.users.createUser(email, fastPasswordHash('their own password'), FIXED_NOW);

    const { page, posted } = await accept(token, '');
    const members = await t.storage.repositories.users.listStoreMembers(store.id);
    const signIn = await signInAs(t.app, email, 'their own password');

    expect(page.body).toContain('already has a Waymark account');
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toBe('/dashboard/login?done=invitation-accepted');
    expect(cookiesOf(posted).waymark_session).toBeUndefined();
    expect(members.find((m) => m.email === email)?.role).toBe('staff');
    expect(signIn.cookie).toMatch(/^waymark_session=/);
  });

  it('should refuse to accept from a form without its CSRF cookie, and keep the link usable', async () => {
    const { token } = await invite(`csrf${counter}@example.com`);

    const { posted: forged } = await accept(token, 'a password of my own', { csrf: false });
    const stillOpen = await t.app.inject({ url: `/dashboard/invite/${token}` });
    const malformed = await t.app.inject({ url: '/dashboard/invite/not-a-token' });

    expect(forged.statusCode).toBe(403);
    expect(cookiesOf(forged).waymark_session).toBeUndefined();
    expect(stillOpen.statusCode).toBe(200);
    expect(malformed.statusCode).toBe(404);
  });

  it('should keep inviting an existing account a direct grant, and a first password set by the owner as before', async () => {
    const other = await seedStore(t.storage, { name: `Elsewhere ${counter}` });
    await seedDashboardUser(t.storage, `known${counter}@example.com`, [{ store: other, role: 'owner' }]);

    const known = await owner.post('/dashboard/settings/users', {
      email: `known${counter}@example.com`,
      role: 'staff',
      password: '',
    });
    const withPassword = await owner.post('/dashboard/settings/users', {
      email: `direct${counter}@example.com`,
      role: 'staff',
      password: 'a first password',
    });
    const invitations = await t.storage.repositories.invitations.listOpenInvitations(store.id, FIXED_NOW);

    expect(known.headers.location).toBe('/dashboard/settings/users?done=user-added');
    expect(withPassword.headers.location).toBe('/dashboard/settings/users?done=user-added');
    expect(invitations).toEqual([]);
  });
});

describeEachDatabase('dashboard invitations sent by email', (dialect) => {
  let smtp: CapturingSmtpServer;
  let t: DashboardTestApp;
  let owner: Browser;
  let store: Store;
  let n = 0;

  beforeAll(async () => {
    smtp = await new CapturingSmtpServer().start();
  });
  afterAll(async () => {
    await smtp.stop();
  });
  eachTestSignedIn(
    dialect,
    'owner',
    (count) => ({ name: `Lamp Shop ${count}` }),
    (context) => {
      ({ t, store, browser: owner, n } = context);
    },
    () => ({
      staffMail: {
        sender: createSmtpEmailSender({ url: smtp.url, timeoutMs: 5_000 }),
        from: 'Waymark <notify@waymark.example>',
      },
    }),
  );

  /** The messages to `address`, with quoted-printable soft line breaks undone so a link reads whole. */
  function mailTo(address: string): { subject: string | undefined; body: string }[] {
    return smtp.received
      .filter((message) => message.rcptTo.includes(address))
      .map((message) => ({ subject: message.headers.get('subject'), body: message.raw.replace(/=\r?\n/g, '') }));
  }

  async function inviteShowing(email: string): Promise<string> {
    const created = await owner.post('/dashboard/settings/users', { email, role: 'staff', password: '' });
    expect(created.headers.location).toBe('/dashboard/settings/users?done=user-invited');
    return (await owner.follow(created)).body;
  }

  it('should email the invitation to the new address, with a link that lets the person join', async () => {
    const email = `mailed${n}@example.com`;

    const page = await inviteShowing(email);
    const mails = mailTo(email);
    const token = LINK.exec(mails[0]?.body ?? '')?.[1] ?? '';
    const landing = await t.app.inject({ url: `/dashboard/invite/${token}` });
    const posted = await t.app.inject({
      method: 'POST',
      url: `/dashboard/invite/${token}`,
      headers: { ...FORM, cookie: `waymark_login_csrf=${cookiesOf(landing).waymark_login_csrf ?? ''}` },
      payload: formBody({ _csrf: csrfTokenIn(landing.body), password: 'a password of my own' }),
    });
    const members = await t.storage.repositories.users.listStoreMembers(store.id);

    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe(`Join Lamp Shop ${n} on Waymark`);
    expect(mails[0]!.body).toContain(`owner${n}@example.com invited you to the Lamp Shop ${n} dashboard`);
    expect(token).toHaveLength(43);
    expect(page).toContain(`The invitation was emailed to ${email}.`);
    // The owner still sees the same link once, in case the message goes astray.
    expect(LINK.exec(page)?.[1]).toBe(token);
    expect(landing.statusCode).toBe(200);
    expect(posted.statusCode).toBe(303);
    expect(members.map((m) => m.email)).toContain(email);
  });

  it('should still make the invitation and show its link when the mail server refuses the address', async () => {
    const email = `refused${n}@example.com`;
    smtp.rejectRecipients.add(email);

    const page = await inviteShowing(email);
    const listed = await owner.get('/dashboard/settings/users');

    expect(mailTo(email)).toHaveLength(0);
    expect(page).toContain('The invitation email could not be sent:');
    expect(page).toContain('550');
    expect(LINK.exec(page)?.[1]).toHaveLength(43);
    expect(listed.body).toContain('Invited, not yet joined');
    expect(listed.body).toContain(email);
  });

  it('should send no email when the address already has an account or the owner sets a first password', async () => {
    await seedDashboardUser(t.storage, `known${n}@example.com`, []);
    const added = [
      { email: `known${n}@example.com`, password: '' },
      { email: `direct${n}@example.com`, password: 'a first password for them' },
    ];

    for (const { email, password } of added) {
      const answer = await owner.post('/dashboard/settings/users', { email, role: 'staff', password });
      expect(answer.headers.location).toBe('/dashboard/settings/users?done=user-added');
    }

    expect(added.flatMap(({ email }) => mailTo(email))).toEqual([]);
  });
});
