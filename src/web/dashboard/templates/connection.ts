/** Settings → Connection (owners only): the store's platform, its webhook URL, credentials and checks. */

/** What a check button came to: a heading, plain words, and the classified error for support. */
export const CHECK_RESULT = `<div class="flash flash--<%= it.tone %> check-result" role="<%= it.tone === 'danger' ? 'alert' : 'status' %>">
<strong><%= it.heading %>.</strong> <%= it.text %>
<% if (it.detail) { %><div class="check-detail small"><code class="break"><%= it.detail %></code></div><% } %>
</div>`;

export const CONNECTION_PAGE = `<% layout('@layout') %>
<%~ include('@settings-nav', it) %>
<% if (!it.available) { %>
<section class="card"><h2 class="card-title">Store connection</h2><p class="muted">Platform connections are not configured on this server.</p></section>
<% } else { %>
<section class="card" aria-labelledby="connection-title">
<h2 id="connection-title" class="card-title">Store connection</h2>
<dl class="kv">
<% for (const d of it.details) { %><dt><%= d.label %></dt><dd><% if (d.code) { %><code class="break"><%= d.value %></code><% } else { %><%= d.value %><% } %></dd><% } %>
<% if (it.webhookUrl) { %>
<dt>Webhook URL</dt>
<dd><code id="webhook-url" class="break"><%= it.webhookUrl %></code> <button type="button" class="btn btn--small" data-copy-target="webhook-url" hidden>Copy</button>
<p class="hint">Waymark expects the platform to <code>POST</code> its order and fulfilment webhooks here.</p></dd>
<% } %>
</dl>
<% if (it.webhookUrl && !it.publicUrlSet) { %><div class="flash flash--warning connection-note" role="note"><code>WAYMARK_PUBLIC_URL</code> is not set, so this is the server's local address, which a platform cannot reach. Set it to the public address of this server, then register the webhooks.</div><% } %>
<% if (!it.connectable) { %>
<p class="connection-note"><%= it.nothingToConnect %></p>
<% if (it.check) { %><%~ include('@check-result', it.check) %><% } %>
<% if (it.registration) { %><%~ include('@check-result', it.registration) %><% } %>
<% } %>
</section>
<% if (it.connectable) { %>
<section class="card" aria-labelledby="checks-title">
<h2 id="checks-title" class="card-title">Check the connection</h2>
<% if (it.check) { %><%~ include('@check-result', it.check) %><% } %>
<% if (it.registration) { %>
<%~ include('@check-result', it.registration) %>
<% if (it.registration.topics.length > 0) { %>
<table class="table table--compact topic-table">
<caption class="sr-only">Webhook topics</caption>
<thead><tr><th scope="col">Topic</th><th scope="col">Outcome</th></tr></thead>
<tbody>
<% for (const t of it.registration.topics) { %><tr><td><code><%= t.topic %></code></td><td><%~ include('@badge', t.state) %></td></tr><% } %>
</tbody>
</table>
<% } %>
<% } %>
<div class="grid-2">
<form method="post" action="/dashboard/settings/connection/test" class="stack check-form">
<%~ include('@csrf', it) %>
<p class="muted small">One cheap, read-only call to <%= it.platform %> with the stored credentials.</p>
<button type="submit" class="btn btn--primary">Test connection</button>
</form>
<form method="post" action="/dashboard/settings/connection/webhooks" class="stack check-form">
<%~ include('@csrf', it) %>
<p class="muted small">Subscribes Waymark to order and fulfilment news where <%= it.platform %>'s API allows it. Safe to repeat.</p>
<button type="submit" class="btn">Register webhooks</button>
</form>
</div>
</section>
<section class="card" aria-labelledby="credentials-title">
<h2 id="credentials-title" class="card-title">Credentials</h2>
<p class="muted small">Sealed at rest and never shown again: only whether each one is set. A field left empty keeps its stored value.</p>
<% if (!it.secretsReadable) { %><div class="flash flash--danger" role="alert">The stored credentials were sealed with another <code>WAYMARK_SECRET_KEY</code> and cannot be read. Enter them again.</div><% } %>
<% if (it.error) { %><div class="flash flash--danger" role="alert"><%= it.error %></div><% } %>
<form method="post" action="/dashboard/settings/connection" class="stack connection-form" autocomplete="off" novalidate>
<%~ include('@csrf', it) %>
<% for (const f of it.fields) { %>
<div class="field">
<div class="field-head"><label for="p-<%= f.name %>"><%= f.label %><% if (!f.required) { %> <span class="muted small">(optional)</span><% } %></label> <%~ include('@badge', f.state) %></div>
<input id="p-<%= f.name %>" name="<%= f.name %>" type="<%= f.secret ? 'password' : 'text' %>" autocomplete="<%= f.secret ? 'new-password' : 'off' %>" spellcheck="false"<% if (f.isSet) { %> placeholder="stored — leave empty to keep"<% } %><% if (f.hint) { %> aria-describedby="p-<%= f.name %>-hint"<% } %>>
<% if (f.hint) { %><p class="hint" id="p-<%= f.name %>-hint"><%= f.hint %></p><% } %>
</div>
<% } %>
<div class="field">
<div class="field-head"><label for="p-webhookSecret">Webhook secret</label> <%~ include('@badge', it.webhookSecret.state) %></div>
<input id="p-webhookSecret" name="webhookSecret" type="password" autocomplete="new-password" spellcheck="false"<% if (it.webhookSecret.isSet) { %> placeholder="stored — leave empty to keep"<% } %> aria-describedby="p-webhookSecret-hint">
<p class="hint" id="p-webhookSecret-hint">What the platform signs its webhooks with. A replaced secret is still accepted<% if (it.previousWebhookSecretSet) { %> (one is kept now)<% } %> until the next change, so deliveries already signed with it verify.</p>
</div>
<% if (it.otherFields) { %><p class="hint">Also stored: <%= it.otherFields %>.</p><% } %>
<button type="submit" class="btn btn--primary">Save credentials</button>
</form>
</section>
<% } %>
<% } %>
`;
