/** Settings pages (owners only). Each is a plain form posting back with the session's CSRF token. */

export const SETTINGS_NAV = `<header class="page-header"><div><h1>Settings</h1><p class="muted"><%= it.chrome.store.name %></p></div></header>
<nav class="tabs" aria-label="Settings sections">
<% for (const tab of it.tabs) { %><a href="<%= tab.href %>" class="tab"<% if (tab.active) { %> aria-current="page"<% } %>><%= tab.label %></a><% } %>
</nav>
`;

/** A field's error, tied to its input with aria-describedby. */
export const FIELD_ERROR = `<% if (it.message) { %><p class="field-error" id="<%= it.id %>-error"><%= it.message %></p><% } %>`;

export const BRANDING_PAGE = `<% layout('@layout') %>
<%~ include('@settings-nav', it) %>
<div class="settings-split">
<section class="card" aria-labelledby="branding-title">
<h2 id="branding-title" class="card-title">Branding</h2>
<p class="muted small">Shown on the tracking page and in customer emails.</p>
<form method="post" action="/dashboard/settings/branding" class="stack" novalidate>
<%~ include('@csrf', it) %>
<% for (const f of it.fields) { %>
<div class="field<% if (f.error) { %> field--invalid<% } %>">
<label for="b-<%= f.name %>"><%= f.label %></label>
<input id="b-<%= f.name %>" name="<%= f.name %>" type="<%= f.type %>" value="<%= f.value %>"<% if (f.placeholder) { %> placeholder="<%= f.placeholder %>"<% } %><% if (f.colour) { %> data-colour-input pattern="#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})"<% } %><% if (f.error) { %> aria-invalid="true" aria-describedby="b-<%= f.name %>-error"<% } else if (f.hint) { %> aria-describedby="b-<%= f.name %>-hint"<% } %>>
<% if (f.hint && !f.error) { %><p class="hint" id="b-<%= f.name %>-hint"><%= f.hint %></p><% } %>
<%~ include('@field-error', { id: 'b-' + f.name, message: f.error }) %>
</div>
<% } %>
<button type="submit" class="btn btn--primary">Save branding</button>
</form>
</section>
<section class="card preview" aria-labelledby="preview-title">
<h2 id="preview-title" class="card-title">Tracking page preview</h2>
<p class="muted small">Saved branding at <a href="<%= it.previewUrl %>" target="_blank" rel="noopener"><%= it.previewUrl %></a></p>
<iframe class="preview-frame" src="<%= it.previewUrl %>" data-live-preview="<%= it.previewUrl %>" title="Preview of the customer tracking page" loading="lazy" sandbox="allow-same-origin allow-forms"></iframe>
</section>
</div>
`;

export const NOTIFICATION_RULES_PAGE = `<% layout('@layout') %>
<%~ include('@settings-nav', it) %>
<section class="card" aria-labelledby="rules-title">
<h2 id="rules-title" class="card-title">Notification rules</h2>
<p class="muted small">Which milestones tell the customer (email, SMS) or your systems (webhook), and when to stay quiet.</p>
<% if (it.error) { %><div class="flash flash--danger" role="alert"><%= it.error %></div><% } %>
<form method="post" action="/dashboard/settings/notifications" class="stack">
<%~ include('@csrf', it) %>
<fieldset class="fieldset">
<legend>Channels</legend>
<div class="checkbox-row">
<% for (const c of it.channels) { %>
<label class="checkbox"><input type="checkbox" name="enabled" value="<%= c.value %>"<% if (c.enabled) { %> checked<% } %>> <%= c.label %></label>
<% } %>
</div>
</fieldset>
<div class="table-wrap">
<table class="table table--compact matrix">
<caption>Milestones per channel</caption>
<thead><tr><th scope="col">Milestone</th><% for (const c of it.channels) { %><th scope="col" class="center"><%= c.label %></th><% } %></tr></thead>
<tbody>
<% for (const m of it.milestones) { %>
<tr>
<th scope="row"><%= m.label %><% if (m.computed) { %> <span class="muted small">(alert)</span><% } %></th>
<% for (const cell of m.cells) { %>
<td class="center"><input type="checkbox" name="<%= cell.channel %>" value="<%= m.value %>" aria-label="<%= m.label %> by <%= cell.channelLabel %>"<% if (cell.checked) { %> checked<% } %>></td>
<% } %>
</tr>
<% } %>
</tbody>
</table>
</div>
<fieldset class="fieldset">
<legend>Quiet hours <span class="muted small">(store time: <%= it.timeZone %>)</span></legend>
<p class="hint">Non-urgent email and SMS wait until the end of the window. Out for delivery, failed attempts and pickups go at once. Leave both empty for none.</p>
<div class="row">
<div class="field"><label for="q-start">From</label><input id="q-start" name="quietStart" type="time" value="<%= it.quietStart %>"></div>
<div class="field"><label for="q-end">Until</label><input id="q-end" name="quietEnd" type="time" value="<%= it.quietEnd %>"></div>
</div>
</fieldset>
<button type="submit" class="btn btn--primary">Save rules</button>
</form>
</section>
`;

export const API_KEYS_PAGE = `<% layout('@layout') %>
<%~ include('@settings-nav', it) %>
<% if (it.created) { %>
<section class="card card--highlight" aria-labelledby="new-key-title" role="status">
<h2 id="new-key-title" class="card-title">New API key</h2>
<p>Copy it now: it is shown only this once and Waymark keeps only a hash.</p>
<p class="secret"><code id="new-key" data-copy-source><%= it.created.key %></code> <button type="button" class="btn btn--small" data-copy-target="new-key" hidden>Copy</button></p>
</section>
<% } %>
<section class="card" aria-labelledby="keys-title">
<h2 id="keys-title" class="card-title">API keys</h2>
<% if (it.keys.length === 0) { %><p class="muted">No key yet.</p><% } else { %>
<table class="table table--compact">
<thead><tr><th scope="col">Prefix</th><th scope="col">Name</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
<tbody>
<% for (const k of it.keys) { %>
<tr>
<td><code><%= k.prefix %>…</code></td>
<td><%= k.name || '—' %></td>
<td><%~ include('@time', k.created) %></td>
<td><%~ include('@time', k.lastUsed) %></td>
<td><form method="post" action="<%= k.revoke %>" class="inline-form" data-confirm="Revoke the key <%= k.prefix %>…? Clients using it will stop working.">
<%~ include('@csrf', it) %><button type="submit" class="btn btn--small btn--danger">Revoke</button></form></td>
</tr>
<% } %>
</tbody>
</table>
<% } %>
<form method="post" action="/dashboard/settings/api-keys" class="row row--end">
<%~ include('@csrf', it) %>
<div class="field field--grow"><label for="key-name">Name <span class="muted small">(optional)</span></label><input id="key-name" name="name" maxlength="80" placeholder="e.g. ERP sync"></div>
<button type="submit" class="btn btn--primary">Create key</button>
</form>
</section>
`;

export const USERS_PAGE = `<% layout('@layout') %>
<%~ include('@settings-nav', it) %>
<% if (it.invited) { %>
<section class="card card--highlight" aria-labelledby="invite-link-title" role="status">
<h2 id="invite-link-title" class="card-title">Invitation for <%= it.invited.email %></h2>
<% if (it.invited.emailed === 'sent') { %>
<p id="invite-emailed">The invitation was emailed to <%= it.invited.email %>. If it does not arrive, send them this link yourself: with it they choose their own password. It works once, for 7 days, and is shown only now.</p>
<% } else if (it.invited.emailed === 'failed') { %>
<div class="flash flash--danger" id="invite-email-failed">The invitation email could not be sent: <%= it.invited.emailError %></div>
<p>The invitation is made all the same. Send them this link yourself: with it they choose their own password. It works once, for 7 days, and is shown only now.</p>
<% } else { %>
<p>Send them this link: with it they choose their own password. It works once, for 7 days, and is shown only now.</p>
<% } %>
<p class="secret"><code id="invite-link" data-copy-source><%= it.invited.link %></code> <button type="button" class="btn btn--small" data-copy-target="invite-link" hidden>Copy</button></p>
<% if (it.invited.emailed === 'off') { %><p class="muted">Waymark emails invitations itself when <code>SMTP_URL</code> and <code>WAYMARK_EMAIL_FROM</code> are set.</p><% } %>
</section>
<% } %>
<section class="card" aria-labelledby="users-title">
<h2 id="users-title" class="card-title">Users</h2>
<% if (it.error) { %><div class="flash flash--danger" role="alert"><%= it.error %></div><% } %>
<table class="table table--compact">
<thead><tr><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Since</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
<tbody>
<% for (const u of it.members) { %>
<tr>
<td><%= u.email %><% if (u.isYou) { %> <span class="muted small">(you)</span><% } %></td>
<td><%= u.roleLabel %></td>
<td><%~ include('@time', u.since) %></td>
<td><% if (u.remove) { %><form method="post" action="<%= u.remove %>" class="inline-form" data-confirm="Remove <%= u.email %> from this store?">
<%~ include('@csrf', it) %><button type="submit" class="btn btn--small btn--danger">Remove</button></form><% } %></td>
</tr>
<% } %>
</tbody>
</table>
<% if (it.invitations.length > 0) { %>
<h3 class="card-subtitle">Invited, not yet joined</h3>
<table class="table table--compact">
<thead><tr><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Link valid until</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
<tbody>
<% for (const i of it.invitations) { %>
<tr>
<td><%= i.email %></td>
<td><%= i.roleLabel %></td>
<td><%~ include('@time', i.expires) %></td>
<td><form method="post" action="<%= i.withdraw %>" class="inline-form" data-confirm="Withdraw the invitation for <%= i.email %>? Its link will stop working.">
<%~ include('@csrf', it) %><button type="submit" class="btn btn--small btn--danger">Withdraw</button></form></td>
</tr>
<% } %>
</tbody>
</table>
<% } %>
</section>
<section class="card" aria-labelledby="add-user-title">
<h2 id="add-user-title" class="card-title">Add a user</h2>
<p class="muted small">An existing Waymark user gets access at once. A new one gets an invitation link<% if (it.invitesByEmail) { %>, emailed to them,<% } else { %> to pass on,<% } %> with which they choose their own password; or set a first password here (10 characters or more) and share it with them.</p>
<form method="post" action="/dashboard/settings/users" class="row row--end" novalidate>
<%~ include('@csrf', it) %>
<div class="field field--grow"><label for="u-email">Email</label><input id="u-email" name="email" type="email" required value="<%= it.form.email %>"></div>
<div class="field"><label for="u-role">Role</label>
<select id="u-role" name="role"><option value="staff"<% if (it.form.role !== 'owner') { %> selected<% } %>>Staff</option><option value="owner"<% if (it.form.role === 'owner') { %> selected<% } %>>Owner</option></select></div>
<div class="field"><label for="u-password">First password <span class="muted small">(optional, new users)</span></label><input id="u-password" name="password" type="password" autocomplete="new-password" minlength="10"></div>
<button type="submit" class="btn btn--primary">Add user</button>
</form>
<p class="hint">Staff see orders, act on parcels and read analytics; only owners change settings, users and API keys.</p>
</section>
`;

export const WEBHOOKS_PAGE = `<% layout('@layout') %>
<%~ include('@settings-nav', it) %>
<% if (it.created) { %>
<section class="card card--highlight" aria-labelledby="new-endpoint-title" role="status">
<h2 id="new-endpoint-title" class="card-title">Endpoint added</h2>
<p>Its signing secret (Standard Webhooks) is shown only this once:</p>
<p class="secret"><code id="new-secret" data-copy-source><%= it.created.secret %></code> <button type="button" class="btn btn--small" data-copy-target="new-secret" hidden>Copy</button></p>
</section>
<% } %>
<section class="card" aria-labelledby="endpoints-title">
<h2 id="endpoints-title" class="card-title">Webhook endpoints</h2>
<% if (it.error) { %><div class="flash flash--danger" role="alert"><%= it.error %></div><% } %>
<% if (!it.available) { %><p class="muted">Outbound webhooks are not configured on this server.</p><% } else { %>
<% if (it.endpoints.length === 0) { %><p class="muted">No endpoint yet.</p><% } else { %>
<table class="table table--compact">
<thead><tr><th scope="col">URL</th><th scope="col">Events</th><th scope="col">State</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
<tbody>
<% for (const e of it.endpoints) { %>
<tr>
<td><code class="break"><%= e.url %></code><div class="muted small">added <%~ include('@time', e.created) %></div></td>
<td class="small"><%= e.events %></td>
<td><%~ include('@badge', e.state) %></td>
<td><form method="post" action="<%= e.toggle %>" class="inline-form"><%~ include('@csrf', it) %>
<button type="submit" class="btn btn--small<% if (e.enabled) { %> btn--danger<% } %>"><%= e.enabled ? 'Disable' : 'Enable' %></button></form>
<% if (e.log) { %> <a class="btn btn--small btn--ghost" href="<%= e.log %>">Delivery log</a><% } %></td>
</tr>
<% } %>
</tbody>
</table>
<% } %>
<form method="post" action="/dashboard/settings/webhooks" class="stack" novalidate>
<%~ include('@csrf', it) %>
<div class="field"><label for="w-url">Endpoint URL (https)</label><input id="w-url" name="url" type="url" required placeholder="https://example.com/waymark" value="<%= it.form.url %>"></div>
<fieldset class="fieldset">
<legend>Events <span class="muted small">(none ticked: every event)</span></legend>
<div class="checkbox-grid">
<% for (const t of it.eventTypes) { %><label class="checkbox"><input type="checkbox" name="eventTypes" value="<%= t.value %>"<% if (t.checked) { %> checked<% } %>> <code><%= t.value %></code></label><% } %>
</div>
</fieldset>
<button type="submit" class="btn btn--primary">Add endpoint</button>
</form>
<% } %>
</section>
`;

/**
 * A section whose engine another part of Waymark provides. Until it is
 * wired in, the page says so plainly instead of pretending.
 */
export const PENDING_SECTION_PAGE = `<% layout('@layout') %>
<%~ include('@settings-nav', it) %>
<section class="card" aria-labelledby="pending-title">
<h2 id="pending-title" class="card-title"><%= it.heading %></h2>
<p><%= it.message %></p>
<% if (it.items.length > 0) { %>
<ul class="plain-list">
<% for (const item of it.items) { %><li><%= item %></li><% } %>
</ul>
<% } %>
</section>
`;

export const CARRIERS_PAGE = `<% layout('@layout') %>
<%~ include('@settings-nav', it) %>
<section class="card" aria-labelledby="carriers-title">
<h2 id="carriers-title" class="card-title">Carrier accounts</h2>
<p class="muted small">This store's own API credentials per carrier. Without one, parcels use the server's credentials, if set. Secrets are sealed at rest and never shown again.</p>
<% if (it.error) { %><div class="flash flash--danger" role="alert"><%= it.error %></div><% } %>
<% if (it.check) { %><%~ include('@check-result', it.check) %><% } %>
<% if (it.accounts.length === 0) { %><p class="muted">No account yet.</p><% } else { %>
<table class="table table--compact">
<thead><tr><th scope="col">Carrier</th><th scope="col">Fields set</th><th scope="col">State</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
<tbody>
<% for (const a of it.accounts) { %>
<tr>
<td><%= a.carrier %></td>
<td class="small"><%= a.fields %></td>
<td><%~ include('@badge', a.state) %></td>
<td class="nowrap">
<% if (a.test) { %><form method="post" action="<%= a.test %>" class="inline-form"><%~ include('@csrf', it) %><button type="submit" class="btn btn--small" aria-label="Test the <%= a.carrier %> credentials">Test</button></form> <% } %>
<form method="post" action="<%= a.toggle %>" class="inline-form"><%~ include('@csrf', it) %><button type="submit" class="btn btn--small"><%= a.enabled ? 'Disable' : 'Enable' %></button></form>
<form method="post" action="<%= a.remove %>" class="inline-form" data-confirm="Remove the <%= a.carrier %> account of this store?"><%~ include('@csrf', it) %><button type="submit" class="btn btn--small btn--danger">Remove</button></form>
</td>
</tr>
<% } %>
</tbody>
</table>
<% } %>
</section>
<div class="grid-2">
<% for (const f of it.forms) { %>
<section class="card" aria-labelledby="carrier-<%= f.carrier %>-title">
<h2 id="carrier-<%= f.carrier %>-title" class="card-title"><%= f.label %></h2>
<form method="post" action="<%= f.action %>" class="stack" autocomplete="off">
<%~ include('@csrf', it) %>
<% for (const field of f.fields) { %>
<div class="field"><label for="c-<%= f.carrier %>-<%= field.name %>"><%= field.label %></label>
<input id="c-<%= f.carrier %>-<%= field.name %>" name="<%= field.name %>" type="password" autocomplete="new-password"<% if (f.hasAccount) { %> placeholder="stored — leave empty to keep"<% } %>></div>
<% } %>
<button type="submit" class="btn btn--primary"><%= f.hasAccount ? 'Update credentials' : 'Save credentials' %></button>
</form>
</section>
<% } %>
</div>
`;

export const WEBHOOK_LOG_PAGE = `<% layout('@layout') %>
<%~ include('@settings-nav', it) %>
<nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/dashboard/settings/webhooks">Webhooks</a> <span aria-hidden="true">/</span> <span aria-current="page">Delivery log</span></nav>
<section class="card" aria-labelledby="log-title">
<h2 id="log-title" class="card-title">Deliveries to <code class="break"><%= it.endpoint.url %></code></h2>
<p class="muted small">Every attempt, newest first. A replay sends the same body with the same <code>webhook-id</code>, signed afresh: receivers that already applied it recognise it.</p>
<% if (it.error) { %><div class="flash flash--danger" role="alert"><%= it.error %></div><% } %>
<% if (it.deliveries.length === 0) { %><p class="muted">Nothing sent to this endpoint yet.</p><% } else { %>
<div class="table-wrap">
<table class="table table--compact">
<thead><tr><th scope="col">When</th><th scope="col">Event</th><th scope="col">Outcome</th><th scope="col" class="num">HTTP</th><th scope="col" class="num">Time</th><th scope="col">Body</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
<tbody>
<% for (const d of it.deliveries) { %>
<tr>
<td class="nowrap"><%~ include('@time', d.at) %><div class="muted small">attempt <%= d.attempt %><% if (d.isReplay) { %> · replay<% } %></div></td>
<td><code><%= d.eventType %></code><div class="muted small"><code><%= d.messageId %></code></div></td>
<td><%~ include('@badge', d.outcome) %><% if (d.error) { %><div class="muted small"><%= d.error %></div><% } %></td>
<td class="num"><%= d.statusCode %></td>
<td class="num"><%= d.responseMs %></td>
<td><details><summary class="small">JSON</summary><pre class="code-block"><%= d.body %></pre></details></td>
<td><% if (it.canReplay) { %><form method="post" action="<%= d.replayUrl %>" class="inline-form"><%~ include('@csrf', it) %><button type="submit" class="btn btn--small">Replay</button></form><% } %></td>
</tr>
<% } %>
</tbody>
</table>
</div>
<% } %>
<nav class="pager" aria-label="Pages">
<% if (it.firstHref) { %><a class="btn" href="<%= it.firstHref %>">← Newest</a><% } %>
<% if (it.nextHref) { %><a class="btn" href="<%= it.nextHref %>" rel="next">Older →</a><% } %>
</nav>
</section>
`;

export const TEMPLATES_PAGE = `<% layout('@layout') %>
<%~ include('@settings-nav', it) %>
<% if (!it.available) { %>
<section class="card"><h2 class="card-title">Message templates</h2><p class="muted">Template editing is not configured on this server.</p></section>
<% } else { %>
<form method="get" action="/dashboard/settings/templates" class="filters" aria-label="Choose a template">
<div class="field"><label for="t-milestone">Milestone</label>
<select id="t-milestone" name="milestone"><% for (const o of it.choices.milestones) { %><option value="<%= o.value %>"<% if (o.selected) { %> selected<% } %>><%= o.label %></option><% } %></select></div>
<div class="field"><label for="t-channel">Channel</label>
<select id="t-channel" name="channel"><% for (const o of it.choices.channels) { %><option value="<%= o.value %>"<% if (o.selected) { %> selected<% } %>><%= o.label %></option><% } %></select></div>
<div class="field"><label for="t-locale">Language</label>
<select id="t-locale" name="locale"><% for (const o of it.choices.locales) { %><option value="<%= o.value %>"<% if (o.selected) { %> selected<% } %>><%= o.label %></option><% } %></select></div>
<div class="field field--actions"><button type="submit" class="btn">Open</button></div>
<% if (it.overrides.length > 0) { %>
<p class="small muted template-overrides">Customised: <% it.overrides.forEach(function (o, i) { %><% if (i > 0) { %>, <% } %><a href="<%= o.href %>"><%= o.label %></a><% }) %></p>
<% } %>
</form>
<% if (it.error) { %><div class="flash flash--danger" role="alert"><%= it.error %></div><% } %>
<% if (it.testResult) { %><div class="flash flash--<%= it.testResult.tone %>" role="status"><%= it.testResult.text %></div><% } %>
<div class="settings-split settings-split--even">
<section class="card" aria-labelledby="editor-title">
<h2 id="editor-title" class="card-title"><%= it.editorTitle %> <% if (it.overridden) { %><span class="badge badge--info" title="Template: customised">Customised</span><% } else { %><span class="badge badge--neutral" title="Template: built-in">Built-in</span><% } %></h2>
<p class="muted small">Eta syntax, e.g. <code>&lt;%= it.order %&gt;</code>. A part left empty keeps the built-in one. Preview shows the draft with sample data in your branding.</p>
<form method="post" action="/dashboard/settings/templates" class="stack">
<%~ include('@csrf', it) %>
<input type="hidden" name="milestone" value="<%= it.key.milestone %>">
<input type="hidden" name="channel" value="<%= it.key.channel %>">
<input type="hidden" name="locale" value="<%= it.key.locale %>">
<% for (const f of it.fields) { %>
<div class="field"><label for="t-<%= f.name %>"><%= f.label %></label>
<textarea id="t-<%= f.name %>" name="<%= f.name %>" rows="<%= f.rows %>" spellcheck="false" class="code-input" placeholder="built-in"><%= f.value %></textarea></div>
<% } %>
<div class="row">
<button type="submit" class="btn btn--primary">Save template</button>
<button type="submit" class="btn" formaction="/dashboard/settings/templates/preview" formtarget="template-preview">Preview draft</button>
</div>
</form>
<% if (it.overridden) { %>
<form method="post" action="/dashboard/settings/templates/reset" class="row" data-confirm="Go back to the built-in template for this message?">
<%~ include('@csrf', it) %>
<input type="hidden" name="milestone" value="<%= it.key.milestone %>">
<input type="hidden" name="channel" value="<%= it.key.channel %>">
<input type="hidden" name="locale" value="<%= it.key.locale %>">
<button type="submit" class="btn btn--danger btn--small">Back to the built-in template</button>
</form>
<% } %>
</section>
<section class="card preview" aria-labelledby="template-preview-title">
<h2 id="template-preview-title" class="card-title">Preview</h2>
<iframe class="preview-frame" name="template-preview" src="<%= it.previewUrl %>" title="Preview of the message" sandbox></iframe>
<form method="post" action="/dashboard/settings/templates/test" class="row row--end">
<%~ include('@csrf', it) %>
<input type="hidden" name="milestone" value="<%= it.key.milestone %>">
<input type="hidden" name="channel" value="<%= it.key.channel %>">
<input type="hidden" name="locale" value="<%= it.key.locale %>">
<div class="field field--grow"><label for="t-to">Send a test of the saved template to</label>
<input id="t-to" name="to" type="<%= it.key.channel === 'email' ? 'email' : 'tel' %>" required value="<%= it.testTo %>" placeholder="<%= it.key.channel === 'email' ? 'you@example.com' : '+33612345678' %>"></div>
<button type="submit" class="btn">Send test</button>
</form>
</section>
</div>
<% } %>
`;

/** What the preview frame shows for an SMS or a draft that does not render: escaped text, nothing else. */
export const MESSAGE_PREVIEW_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title><%= it.title %></title></head>
<body>
<% if (it.heading) { %><p><strong><%= it.heading %></strong></p><% } %>
<pre><%= it.text %></pre>
<% if (it.note) { %><p><small><%= it.note %></small></p><% } %>
</body></html>
`;

/**
 * An email in the preview frame: its subject, then the email's own HTML in a
 * nested frame (`srcdoc`, escaped like any attribute), so the subject line is
 * checked along with the body. No style of our own: attributes size the frame.
 */
export const EMAIL_PREVIEW_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Email preview</title></head>
<body>
<p><small>Subject</small><br><strong><%= it.subject %></strong></p>
<% if (it.note) { %><p><small><%= it.note %></small></p><% } %>
<iframe title="Email body" srcdoc="<%= it.html %>" width="100%" height="1400" frameborder="0" sandbox></iframe>
<details><summary>Plain-text version</summary><pre><%= it.text %></pre></details>
</body></html>
`;
