import type { Clock } from '../core/ports/clock.port.js';
import { fixedWindow, type AttemptWindows } from './attempt-windows.js';

/** Sign-in attempts allowed per client address and per email address in each window. */
export type SignInLimits = { perIp: number; perEmail: number; windowMs: number };

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { perIp: 30, perEmail: 10, windowMs: 15 * 60_000 };

export type SignInAllowance =
  { allowed: true } | { allowed: false; exceeded: 'client' | 'account'; retryAfterSeconds: number };

/**
 * Counts a sign-in attempt against the client's address and against the
 * account it names, before any password is hashed. The counts live in the
 * database, so the limits hold across every server process behind a load
 * balancer, not per process; each increment comes back atomically, so a burst
 * of parallel attempts cannot all slip under a limit, and the password hashing
 * that an attacker would make the server do is bounded too. Every attempt
 * counts, as with the per-process limiter this replaces.
 */
export async function takeSignInAttempt(
  deps: { attempts: AttemptWindows; clock: Clock },
  limits: SignInLimits,
  input: { client: string; email: string },
): Promise<SignInAllowance> {
  const window = fixedWindow(deps.clock.now(), limits.windowMs);
  const account = input.email.trim().toLowerCase().slice(0, 254);
  const [byClient, byAccount] = await Promise.all([
    deps.attempts.take(`signin:client:${input.client}`, window.start),
    deps.attempts.take(`signin:account:${account}`, window.start),
  ]);
  if (byAccount > limits.perEmail)
    return { allowed: false, exceeded: 'account', retryAfterSeconds: window.retryAfterSeconds };
  if (byClient > limits.perIp)
    return { allowed: false, exceeded: 'client', retryAfterSeconds: window.retryAfterSeconds };
  return { allowed: true };
}
