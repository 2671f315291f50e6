import { describe, expect, it } from 'vitest';

import { renderInvitationEmail } from './invitation-email.js';

const LINK = 'https://waymark.example/dashboard/invite/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde';

describe('renderInvitationEmail', () => {
  it('should say who invited whom to which store, with the link and its expiry, in both parts', () => {
    const email = renderInvitationEmail({
      storeName: 'Lamp Shop',
      roleLabel: 'Staff',
      invitedBy: 'owner@lamps.example',
      link: LINK,
      expiresAt: '2026-12-03T14:05:00.000Z',
    });

    expect(email.subject).toBe('Join Lamp Shop on Waymark');
    expect(email.text).toContain('owner@lamps.example invited you to the Lamp Shop dashboard on Waymark as Staff.');
    expect(email.text).toContain(`\n${LINK}\n`);
    expect(email.text).toContain('until 3 Dec 2026, 14:05 UTC');
    expect(email.html).toContain(`<a href="${LINK}"`);
    expect(email.html).toContain('until 3 Dec 2026, 14:05 UTC');
    expect(email.html).toContain('<strong>Staff</strong>');
  });

  it('should escape a store name that holds markup and keep the subject on one line', () => {
    const email = renderInvitationEmail({
      storeName: 'Lamps <img src=x onerror=alert(1)> & "Co"\r\nBcc: x@evil.example',
      roleLabel: 'Owner',
      invitedBy: 'owner@lamps.example',
      link: LINK,
      expiresAt: '2026-12-03T14:05:00.000Z',
    });

    expect(email.html).not.toContain('<img');
    expect(email.html).toContain('Lamps &lt;img src=x onerror=alert(1)&gt; &amp; &quot;Co&quot;');
    expect(email.subject).toBe('Join Lamps <img src=x onerror=alert(1)> & "Co" Bcc: x@evil.example on Waymark');
    expect(email.subject).not.toMatch(/[\r\n]/);
  });
});
