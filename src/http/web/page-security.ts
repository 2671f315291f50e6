import type { FastifyReply } from 'fastify';

/**
 * The Content-Security-Policy of every page Waymark renders for people (tracking page,
 * dashboard): scripts and styles only from our own `/assets/`, no inline code, no
 * plugins, forms posting only to us. The API docs keep helmet's looser default because
 * their UI bootstraps itself inline; nothing else does.
 */
export function strictPagePolicy(options: { allowFramingBySelf?: boolean; styleNonce?: string } = {}): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // A nonce lets one server-written <style> block in (the tracking page's store colours); nothing else inline.
    options.styleNonce ? `style-src 'self' 'nonce-${options.styleNonce}'` : "style-src 'self'",
    // Store logos are hosted by the merchant, anywhere on https.
    "img-src 'self' data: https:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${options.allowFramingBySelf ? "'self'" : "'none'"}`,
  ].join('; ');
}

/** Sends HTML with the strict policy; `private, no-store` because pages hold one person's data. */
export function sendPage(
  reply: FastifyReply,
  html: string,
  options: { status?: number; allowFramingBySelf?: boolean; cache?: 'no-store' | 'public'; styleNonce?: string } = {},
): FastifyReply {
  return reply
    .status(options.status ?? 200)
    .header('content-security-policy', strictPagePolicy(options))
    .header('cache-control', options.cache === 'public' ? 'public, max-age=300' : 'private, no-store')
    .header('x-frame-options', options.allowFramingBySelf ? 'SAMEORIGIN' : 'DENY')
    .type('text/html; charset=utf-8')
    .send(html);
}
