/**
 * The frame around every locale's words: the branded HTML email, its plain
 * text twin and the SMS. Eta templates over `it: EmailLayoutData` or
 * `it: SmsLayoutData`.
 *
 * The HTML layout is compiled with auto-escaping and uses only `<%= %>`:
 * never the raw `<%~ %>`, so no value can open a tag or leave an attribute.
 * Values that land in `href`, `src` or `style` are validated before they get
 * here (http(s) URLs, #rgb/#rrggbb colours), because escaping alone does not
 * stop `javascript:` or a CSS expression.
 */

export type JourneyMark = {
  label: string;
  /** ✓ done, ● current, ○ upcoming. */
  mark: string;
  /** A validated colour. */
  colour: string;
  bold: boolean;
};

export type EmailLayoutData = {
  lang: string;
  subject: string;
  /** The inbox preview line. */
  preheader: string;
  store: string;
  logoUrl: string | null;
  primaryColour: string;
  buttonTextColour: string;
  accentColour: string;
  heading: string;
  greeting: string;
  body: string;
  problem: string | null;
  details: { label: string; value: string }[];
  journey: JourneyMark[];
  trackingUrl: string | null;
  supportEmail: string | null;
  supportUrl: string | null;
  unsubscribeUrl: string | null;
  labels: {
    trackButton: string;
    linkFallback: string;
    needHelp: string;
    helpCentre: string;
    footer: string;
    unsubscribe: string;
    labelSeparator: string;
  };
};

export type SmsLayoutData = {
  store: string;
  message: string;
  url: string | null;
};

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

export const EMAIL_HTML_LAYOUT = `<!DOCTYPE html>
<html lang="<%= it.lang %>">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light">
<title><%= it.subject %></title>
</head>
<body style="margin:0;padding:0;background-color:#f3f4f6;">
<div style="display:none;max-height:0;overflow:hidden;opacity:0;"><%= it.preheader %></div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f3f4f6;">
<tr>
<td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background-color:#ffffff;border-top:4px solid <%= it.accentColour %>;border-radius:6px;font-family:${FONT};color:#111827;">
<tr>
<td style="padding:24px 24px 8px 24px;">
<% if (it.logoUrl) { -%>
<img src="<%= it.logoUrl %>" alt="<%= it.store %>" height="40" style="display:block;height:40px;width:auto;max-width:220px;border:0;outline:none;text-decoration:none;">
<% } else { -%>
<div style="font-size:20px;line-height:28px;font-weight:bold;"><%= it.store %></div>
<% } -%>
</td>
</tr>
<tr>
<td style="padding:16px 24px 0 24px;">
<h1 style="margin:0 0 16px 0;font-size:24px;line-height:32px;font-weight:bold;"><%= it.heading %></h1>
<p style="margin:0 0 12px 0;font-size:16px;line-height:24px;"><%= it.greeting %></p>
<p style="margin:0 0 16px 0;font-size:16px;line-height:24px;"><%= it.body %></p>
<% if (it.problem) { -%>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px 0;">
<tr>
<td style="padding:12px 16px;background-color:#fef3c7;border-left:4px solid <%= it.accentColour %>;font-size:15px;line-height:22px;color:#78350f;"><%= it.problem %></td>
</tr>
</table>
<% } -%>
</td>
</tr>
<% if (it.details.length > 0) { -%>
<tr>
<td style="padding:0 24px 8px 24px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="font-size:14px;line-height:20px;border-top:1px solid #e5e7eb;">
<% for (const row of it.details) { -%>
<tr>
<td style="padding:8px 12px 8px 0;color:#6b7280;vertical-align:top;border-bottom:1px solid #e5e7eb;"><%= row.label %></td>
<td style="padding:8px 0;font-weight:bold;vertical-align:top;word-break:break-word;border-bottom:1px solid #e5e7eb;"><%= row.value %></td>
</tr>
<% } -%>
</table>
</td>
</tr>
<% } -%>
<% if (it.journey.length > 0) { -%>
<tr>
<td style="padding:8px 24px 0 24px;font-size:13px;line-height:22px;">
<% it.journey.forEach((step, index) => { %><% if (index > 0) { %><span style="color:#9ca3af;"> &rsaquo; </span><% } %><span style="white-space:nowrap;color:<%= step.colour %>;font-weight:<%= step.bold ? 'bold' : 'normal' %>;"><%= step.mark %>&nbsp;<%= step.label %></span><% }) %>
</td>
</tr>
<% } -%>
<% if (it.trackingUrl) { -%>
<tr>
<td style="padding:24px 24px 8px 24px;">
<table role="presentation" cellpadding="0" cellspacing="0" border="0">
<tr>
<td align="center" bgcolor="<%= it.primaryColour %>" style="border-radius:6px;background-color:<%= it.primaryColour %>;">
<a href="<%= it.trackingUrl %>" target="_blank" style="display:inline-block;padding:14px 28px;font-size:16px;line-height:20px;font-weight:bold;color:<%= it.buttonTextColour %>;text-decoration:none;border-radius:6px;"><%= it.labels.trackButton %></a>
</td>
</tr>
</table>
</td>
</tr>
<tr>
<td style="padding:8px 24px 0 24px;font-size:12px;line-height:18px;color:#6b7280;">
<%= it.labels.linkFallback %><br>
<a href="<%= it.trackingUrl %>" target="_blank" style="color:#374151;word-break:break-all;"><%= it.trackingUrl %></a>
</td>
</tr>
<% } -%>
<tr>
<td style="padding:24px;font-size:14px;line-height:20px;color:#374151;">
<% if (it.supportEmail || it.supportUrl) { -%>
<%= it.labels.needHelp %>
<% if (it.supportEmail) { %><a href="mailto:<%= it.supportEmail %>" style="color:#374151;"><%= it.supportEmail %></a><% } %><% if (it.supportEmail && it.supportUrl) { %> &middot; <% } %><% if (it.supportUrl) { %><a href="<%= it.supportUrl %>" target="_blank" style="color:#374151;"><%= it.labels.helpCentre %></a><% } %>
<% } -%>
</td>
</tr>
</table>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;font-family:${FONT};">
<tr>
<td style="padding:16px 24px;font-size:12px;line-height:18px;color:#6b7280;text-align:center;">
<%= it.labels.footer %>
<% if (it.unsubscribeUrl) { -%>
<br><a href="<%= it.unsubscribeUrl %>" target="_blank" style="color:#6b7280;text-decoration:underline;"><%= it.labels.unsubscribe %></a>
<% } -%>
</td>
</tr>
</table>
</td>
</tr>
</table>
</body>
</html>
`;

export const EMAIL_TEXT_LAYOUT = `<%= it.heading %>

<%= it.greeting %>

<%= it.body %>

<% if (it.problem) { -%>
<%= it.problem %>

<% } -%>
<% for (const row of it.details) { -%>
<%= row.label %><%= it.labels.labelSeparator %><%= row.value %>
<% } -%>

<% if (it.journey.length > 0) { -%>
<%= it.journey.map((step) => step.mark + ' ' + step.label).join(' > ') %>

<% } -%>
<% if (it.trackingUrl) { -%>
<%= it.labels.trackButton %><%= it.labels.labelSeparator %><%= it.trackingUrl %>

<% } -%>
<% if (it.supportEmail || it.supportUrl) { -%>
<%= [it.labels.needHelp, it.supportEmail, it.supportUrl].filter(Boolean).join(' ') %>

<% } -%>
-- 
<%= it.labels.footer %>
<% if (it.unsubscribeUrl) { -%>
<%= it.labels.unsubscribe %><%= it.labels.labelSeparator %><%= it.unsubscribeUrl %>
<% } -%>
`;

// No "Track:" before the link: phones show it as a link anyway, and the
// characters are better spent on the message.
export const SMS_LAYOUT = '<%= it.store %>: <%= it.message %><% if (it.url) { %> <%= it.url %><% } %>';
