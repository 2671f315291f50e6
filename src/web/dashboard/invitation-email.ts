import { Eta } from 'eta/core';

/** What the invitation email says: who invited whom to which store, and the link. */
export type InvitationEmailInput = {
  storeName: string;
  /** "Owner" or "Staff", as the dashboard shows roles. */
  roleLabel: string;
  /** The address of the owner who sent it. */
  invitedBy: string;
  link: string;
  /** Shown as a date and time in UTC: the invitee's zone is not known. */
  expiresAt: string;
};

// Auto-escaping on, and only `<%= %>` below: a store name cannot open a tag or leave the href.
const eta = new Eta({ autoEscape: true, autoTrim: false });

const HTML = eta.compile(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title><%= it.subject %></title></head>
<body style="margin:0;padding:24px;background:#f4f5f7;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#1f2430">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px">
<h1 style="font-size:20px;margin:0 0 16px">Join <%= it.storeName %> on Waymark</h1>
<p style="line-height:1.5"><%= it.invitedBy %> invited you to the <%= it.storeName %> dashboard as <strong><%= it.roleLabel %></strong>: orders, shipments and what is late, in one place.</p>
<p style="margin:24px 0"><a href="<%= it.link %>" style="display:inline-block;background:#1f4fd1;color:#ffffff;text-decoration:none;padding:12px 20px;border-radius:6px;font-weight:600">Accept the invitation</a></p>
<p style="line-height:1.5;font-size:14px;color:#4a5160">With it you choose your own password. The link works once and until <%= it.expires %>. If the button does not work, open this address:<br><span style="word-break:break-all"><%= it.link %></span></p>
<p style="line-height:1.5;font-size:14px;color:#4a5160">Not expecting this? Ignore it: nothing happens unless the link is opened and a password chosen.</p>
</div>
</body>
</html>
`);

/** "26 Nov 2026, 14:05 UTC". */
function utcDateTime(iso: string): string {
  return `${new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'UTC',
  }).format(new Date(iso))} UTC`;
}

/** The invitation email, HTML and plain text. */
export function renderInvitationEmail(input: InvitationEmailInput): { subject: string; html: string; text: string } {
  // One line, whatever the store is called: the subject is a header.
  const subject = `Join ${input.storeName} on Waymark`.replace(/\s+/g, ' ').trim();
  const expires = utcDateTime(input.expiresAt);
  const html = eta.render(HTML, { ...input, subject, expires });
  const text = [
    `${input.invitedBy} invited you to the ${input.storeName} dashboard on Waymark as ${input.roleLabel}.`,
    '',
    'Open this link to accept and choose your own password:',
    input.link,
    '',
    `The link works once and until ${expires}.`,
    'Not expecting this? Ignore it: nothing happens unless the link is opened and a password chosen.',
    '',
  ].join('\n');
  return { subject, html, text };
}
