import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

import {
  newToken,
  openSession,
  signIn,
  signOut,
  switchStore,
  tokensMatch,
  type SessionDeps,
} from '../../app/manage-dashboard-sessions.js';
import { DEFAULT_SIGN_IN_LIMITS, takeSignInAttempt } from '../../app/sign-in-limits.js';
import { acceptStoreInvitation, invitationNotValid, openInvitation } from '../../app/store-invitations.js';
import { ErrorCode, isDomainError } from '../../core/errors.js';
import {
  LOGIN_CSRF_COOKIE,
  NOTICES,
  redirectAfterPost,
  renderPage,
  safeNextPath,
  SESSION_COOKIE,
  signedInOf,
  type DashboardDeps,
  isTls,
} from './dashboard-context.js';
import { roleLabel } from '../../web/dashboard/labels.js';
import { parseForm, textField } from './forms.js';

const LoginBody = z.object({
  email: textField(254),
  password: textField(1024),
  _csrf: textField(200),
  next: textField(2000),
});

const SwitchBody = z.object({ storeId: textField(64) });

const WRONG_CREDENTIALS = 'Wrong email or password.';
/** What `newToken` makes: 43 URL-safe characters. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Sign-in (and accepting an invitation, which signs in) happens before there is a session to hold a CSRF token, so the form
 * carries a double-submit token: a random value both in a strict cookie and
 * in the form. A cross-site page can make the browser post, but cannot read
 * or set that cookie, so it cannot log a victim into the attacker's account.
 */
function preSessionCsrfToken(request: FastifyRequest, reply: FastifyReply, path: string): string {
  const existing = request.cookies[LOGIN_CSRF_COOKIE];
  if (existing && TOKEN_SHAPE.test(existing)) return existing;
  const token = newToken();
  void reply.setCookie(LOGIN_CSRF_COOKIE, token, {
    path,
    httpOnly: true,
    sameSite: 'strict',
    secure: isTls(request),
    maxAge: 60 * 60,
  });
  return token;
}

function renderLogin(
  request: FastifyRequest,
  reply: FastifyReply,
  options: { status?: number; email?: string; next?: string | null; error?: string | null; notice?: string | null },
): FastifyReply {
  return renderPage(
    reply,
    'login',
    {
      title: 'Sign in',
      chrome: null,
      csrfToken: preSessionCsrfToken(request, reply, '/dashboard/login'),
      email: options.email ?? '',
      next: options.next ?? null,
      error: options.error ?? null,
      notice: options.notice ?? null,
    },
    { status: options.status ?? 200 },
  );
}

function startSession(request: FastifyRequest, reply: FastifyReply, token: string, sessionDeps: SessionDeps): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    path: '/dashboard',
    httpOnly: true,
    sameSite: 'lax',
    secure: isTls(request),
    maxAge: Math.floor(sessionDeps.policy.absoluteMs / 1000),
  });
}

const INVITE_PATH = '/dashboard/invite';
const InviteBody = z.object({ _csrf: textField(200), password: z.string().max(1000).default('') });

/** A link that cannot be one is answered like a used one: it names no invitation. */
function inviteTokenOf(request: FastifyRequest): string {
  const token = (request.params as { token?: unknown }).token;
  if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) throw invitationNotValid();
  return token;
}

/** An invitation link's page: choose a password (or accept into an existing account), then signed in. */
function registerInvitationRoutes(app: FastifyInstance, deps: DashboardDeps, sessionDeps: SessionDeps): void {
  const accessDeps = {
    uow: deps.uow,
    users: deps.users,
    invitations: deps.invitations,
    passwords: deps.passwords,
    clock: deps.clock,
  };

  async function invitationPage(
    request: FastifyRequest,
    reply: FastifyReply,
    token: string,
    options: { status?: number; error?: string | null } = {},
  ): Promise<FastifyReply> {
    const { invitation, hasAccount } = await openInvitation(accessDeps, token);
    return renderPage(
      reply,
      'invitation',
      {
        title: `Join ${invitation.storeName}`,
        chrome: null,
        csrfToken: preSessionCsrfToken(request, reply, INVITE_PATH),
        action: `${INVITE_PATH}/${token}`,
        storeName: invitation.storeName,
        email: invitation.email,
        roleLabel: roleLabel(invitation.role),
        hasAccount,
        error: options.error ?? null,
      },
      { status: options.status ?? 200 },
    );
  }

  app.get('/invite/:token', { config: { dashboardPublic: true } }, async (request, reply) => {
    return invitationPage(request, reply, inviteTokenOf(request));
  });

  app.post('/invite/:token', { config: { dashboardPublic: true } }, async (request, reply) => {
    const token = inviteTokenOf(request);
    const body = parseForm(InviteBody, request.body);
    // Accepting signs the browser in, so a cross-site form must not do it (the double-submit token of sign-in).
    const cookieToken = request.cookies[LOGIN_CSRF_COOKIE] ?? '';
    if (!cookieToken || !tokensMatch(body._csrf, cookieToken))
      return invitationPage(request, reply, token, { status: 403, error: 'The form expired. Please try again.' });
    let accepted;
    try {
      accepted = await acceptStoreInvitation(accessDeps, token, body.password);
    } catch (error) {
      if (isDomainError(error) && error.code === ErrorCode.InvalidInput)
        return invitationPage(request, reply, token, { status: 400, error: error.message });
      throw error;
    }
    void reply.clearCookie(LOGIN_CSRF_COOKIE, { path: INVITE_PATH });
    if (!accepted.created) return redirectAfterPost(reply, '/dashboard/login?done=invitation-accepted');
    // The password was chosen (and hashed) just now: the session opens without hashing it a second time.
    const user = await deps.users.findUserByEmail(accepted.email);
    if (!user) return redirectAfterPost(reply, '/dashboard/login?done=invitation-accepted');
    const opened = await openSession(sessionDeps, { user, previousToken: request.cookies[SESSION_COOKIE] });
    startSession(request, reply, opened.token, sessionDeps);
    return redirectAfterPost(reply, '/dashboard/orders');
  });
}

export function registerAuthRoutes(app: FastifyInstance, deps: DashboardDeps, sessionDeps: SessionDeps): void {
  const limits = deps.loginRateLimit ?? DEFAULT_SIGN_IN_LIMITS;

  app.get('/', async (_request, reply) => reply.status(303).header('location', '/dashboard/orders').send());

  app.get('/login', { config: { dashboardPublic: true } }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const next = safeNextPath(query.next);
    if (request.dashboard)
      return reply
        .status(303)
        .header('location', next ?? '/dashboard/orders')
        .send();
    const notice =
      query.done === 'signed-out' || query.done === 'invitation-accepted' ? NOTICES[query.done].text : null;
    return renderLogin(request, reply, { next, notice });
  });

  app.post('/login', { config: { dashboardPublic: true } }, async (request, reply) => {
    const body = parseForm(LoginBody, request.body);
    const next = safeNextPath(body.next);
    const cookieToken = request.cookies[LOGIN_CSRF_COOKIE] ?? '';
    if (!cookieToken || !tokensMatch(body._csrf, cookieToken)) {
      return renderLogin(request, reply, {
        status: 403,
        email: body.email,
        next,
        error: 'The sign-in form expired. Please try again.',
      });
    }
    // Per client address and per account, in the database: the limits hold across server processes.
    const allowance = await takeSignInAttempt({ attempts: deps.attempts, clock: deps.clock }, limits, {
      client: request.ip,
      email: body.email,
    });
    if (!allowance.allowed) {
      void reply.header('retry-after', String(allowance.retryAfterSeconds));
      return renderLogin(request, reply, {
        status: 429,
        email: body.email,
        next,
        error:
          allowance.exceeded === 'account'
            ? 'Too many sign-in attempts for this account. Wait a few minutes and try again.'
            : 'Too many sign-in attempts from your network. Wait a few minutes and try again.',
      });
    }

    const outcome = await signIn(sessionDeps, {
      email: body.email,
      password: body.password,
      previousToken: request.cookies[SESSION_COOKIE],
    });
    if (!outcome) {
      return renderLogin(request, reply, { status: 401, email: body.email, next, error: WRONG_CREDENTIALS });
    }
    startSession(request, reply, outcome.token, sessionDeps);
    void reply.clearCookie(LOGIN_CSRF_COOKIE, { path: '/dashboard/login' });
    return redirectAfterPost(reply, next ?? '/dashboard/orders');
  });

  registerInvitationRoutes(app, deps, sessionDeps);

  app.post('/logout', async (request, reply) => {
    if (request.dashboard) await signOut(sessionDeps, request.dashboard.token);
    void reply.clearCookie(SESSION_COOKIE, { path: '/dashboard' });
    return redirectAfterPost(reply, '/dashboard/login?done=signed-out');
  });

  app.post('/store', async (request, reply) => {
    const body = parseForm(SwitchBody, request.body);
    await switchStore(sessionDeps, signedInOf(request), body.storeId);
    return redirectAfterPost(reply, '/dashboard/orders?done=store-switched');
  });
}
