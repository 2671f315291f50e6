/**
 * One order: both statuses named apart, the platform's raw fields, each parcel
 * with every carrier event and its raw code, the journal, the notifications,
 * and the actions (POST forms with the session's CSRF token).
 */
export const ORDER_DETAIL_PAGE = `<% layout('@layout') %>
<nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/dashboard/orders">Orders</a> <span aria-hidden="true">/</span> <span aria-current="page"><%= it.order.number %></span></nav>
<header class="page-header">
<div>
<h1>Order <%= it.order.number %></h1>
<p class="muted">Placed <%~ include('@time', it.order.placedAt) %> · <%= it.order.platformLabel %></p>
</div>
</header>

<div class="status-pair">
<section class="card" aria-labelledby="order-status-title">
<h2 id="order-status-title" class="card-title">Order status <span class="muted small">from <%= it.order.platformLabel %></span></h2>
<p class="status-line"><%~ include('@badge', it.order.orderStatus) %><% if (it.order.financialStatus) { %> <span class="muted">Payment:</span> <%= it.order.financialStatus %><% } %></p>
<% if (it.order.cancelReason) { %><p><span class="muted">Cancel reason:</span> <%= it.order.cancelReason %></p><% } %>
<details class="raw">
<summary>Platform's raw status</summary>
<% if (it.order.platformStatus.length === 0) { %><p class="muted">The platform sent no status fields.</p><% } else { %>
<dl class="kv">
<% for (const f of it.order.platformStatus) { %><dt><code><%= f.key %></code></dt><dd><code><%= f.value %></code></dd><% } %>
</dl>
<% } %>
</details>
</section>
<section class="card" aria-labelledby="shipping-summary-title">
<h2 id="shipping-summary-title" class="card-title">Shipping summary <span class="muted small">rolled up from <%= it.shipments.length %> <%= it.shipments.length === 1 ? 'parcel' : 'parcels' %></span></h2>
<p class="status-line"><%~ include('@badge', it.order.summary) %></p>
<% if (it.order.promised) { %><p><span class="muted">Promised by:</span> <%= it.order.promised %></p><% } %>
</section>
</div>

<div class="grid-2">
<section class="card" aria-labelledby="customer-title">
<h2 id="customer-title" class="card-title">Customer</h2>
<dl class="kv">
<dt>Name</dt><dd><%= it.order.customer.name || '—' %></dd>
<dt>Email</dt><dd><%= it.order.customer.email || '—' %></dd>
<dt>Phone</dt><dd><%= it.order.customer.phone || '—' %></dd>
<dt>Language</dt><dd><%= it.order.customer.language || '—' %></dd>
<dt>Ships to</dt><dd><%= it.order.address || '—' %></dd>
</dl>
</section>
<section class="card" aria-labelledby="items-title">
<h2 id="items-title" class="card-title">Items</h2>
<% if (it.order.lineItems.length === 0) { %><p class="muted">No line items.</p><% } else { %>
<table class="table table--compact">
<thead><tr><th scope="col">Item</th><th scope="col">SKU</th><th scope="col" class="num">Qty</th></tr></thead>
<tbody>
<% for (const li of it.order.lineItems) { %><tr><td><%= li.name %></td><td><code><%= li.sku || '—' %></code></td><td class="num"><%= li.quantity %></td></tr><% } %>
</tbody>
</table>
<% } %>
</section>
</div>

<h2 class="section-title">Parcels</h2>
<% if (it.shipments.length === 0) { %><div class="empty"><p>No parcel has shipped for this order yet.</p></div><% } %>
<% for (const s of it.shipments) { %>
<section class="card shipment" id="<%= s.anchor %>" aria-labelledby="<%= s.anchor %>-title">
<header class="shipment-header">
<div>
<h3 id="<%= s.anchor %>-title" class="shipment-title"><%= s.carrier %> <code><%= s.trackingNumber %></code></h3>
<p class="muted small">Carrier <%= s.confidence %><% if (s.service) { %> · <%= s.service %><% } %><% if (s.platformShipmentStatus) { %> · platform says <code><%= s.platformShipmentStatus %></code><% } %></p>
</div>
<div class="shipment-status">
<%~ include('@badge', s.status) %>
<%~ include('@badge', s.tracker) %>
</div>
</header>
<dl class="kv kv--inline">
<dt>Substatus</dt><dd><%= s.substatus %> <code class="muted small"><%= s.substatusCode %></code></dd>
<% if (s.reason) { %><dt>Reason</dt><dd><%= s.reason %></dd><% } %>
<% if (s.actionRequired) { %><dt>Customer</dt><dd><strong>must act</strong></dd><% } %>
<% if (s.attemptNumber > 0) { %><dt>Attempts</dt><dd><%= s.attemptNumber %></dd><% } %>
<% for (const d of s.dates) { %><dt><%= d.label %></dt><dd><%~ include('@time', d.time) %></dd><% } %>
<% for (const e of s.estimates) { %><dt><%= e.label %></dt><dd><%= e.value %></dd><% } %>
<% if (s.signedBy) { %><dt>Signed by</dt><dd><%= s.signedBy %></dd><% } %>
</dl>
<div class="actions" aria-label="Actions for parcel <%= s.trackingNumber %>" role="group">
<form method="post" action="<%= s.actions.refresh %>" class="inline-form">
<%~ include('@csrf', it) %>
<button type="submit" class="btn btn--small">Refresh tracking</button>
</form>
<form method="post" action="<%= s.actions.carrier %>" class="inline-form">
<%~ include('@csrf', it) %>
<label for="<%= s.anchor %>-carrier" class="sr-only">Correct carrier</label>
<input id="<%= s.anchor %>-carrier" name="carrier" list="carrier-names" required placeholder="Correct carrier" size="14">
<button type="submit" class="btn btn--small">Set carrier</button>
</form>
<% if (s.actions.canMarkDelivered) { %>
<form method="post" action="<%= s.actions.delivered %>" class="inline-form" data-confirm="Mark parcel <%= s.trackingNumber %> as delivered? Customers may be notified.">
<%~ include('@csrf', it) %>
<button type="submit" class="btn btn--small btn--warning">Mark delivered</button>
</form>
<% } %>
</div>
<details class="events"<% if (s.events.length <= 12) { %> open<% } %>>
<summary><%= s.events.length %> tracking <%= s.events.length === 1 ? 'event' : 'events' %></summary>
<% if (s.events.length === 0) { %><p class="muted">The carrier has reported nothing yet.</p><% } else { %>
<div class="table-wrap">
<table class="table table--compact">
<caption class="sr-only">Tracking events of <%= s.trackingNumber %>, newest first</caption>
<thead><tr><th scope="col">When</th><th scope="col">Status</th><th scope="col">Description</th><th scope="col">Location</th><th scope="col">Raw code</th><th scope="col">Source</th></tr></thead>
<tbody>
<% for (const e of s.events) { %>
<tr>
<td class="nowrap"><%~ include('@time', e.at) %><% if (e.local) { %><div class="muted small" title="As the carrier gave it">local <%= e.local %></div><% } %></td>
<td><%~ include('@badge', e.status) %><div class="muted small"><%= e.substatus %><% if (e.reason) { %> · <%= e.reason %><% } %></div></td>
<td><%= e.description || '—' %></td>
<td><%= e.location || '—' %></td>
<td><% if (e.rawCode) { %><code><%= e.rawCode %></code><% } %><% if (e.rawStatus) { %> <code class="muted"><%= e.rawStatus %></code><% } %><% if (!e.rawCode && !e.rawStatus) { %><span class="muted">—</span><% } %></td>
<td class="small"><%= e.source %></td>
</tr>
<% } %>
</tbody>
</table>
</div>
<% } %>
</details>
</section>
<% } %>

<section class="card" aria-labelledby="journal-title">
<h2 id="journal-title" class="card-title">Status journal <span class="muted small">why each status is what it is</span></h2>
<% if (it.journal.length === 0) { %><p class="muted">No status change recorded yet.</p><% } else { %>
<div class="table-wrap">
<table class="table table--compact">
<thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Change</th><th scope="col">Cause</th></tr></thead>
<tbody>
<% for (const j of it.journal) { %>
<tr>
<td class="nowrap"><%~ include('@time', j.at) %></td>
<td><%= j.field %><div class="muted small"><%= j.subject %></div></td>
<td><code><%= j.from %></code> → <code><%= j.to %></code></td>
<td><%= j.cause %><% if (j.ref) { %><div class="muted small"><code><%= j.ref %></code></div><% } %></td>
</tr>
<% } %>
</tbody>
</table>
</div>
<% } %>
</section>

<section class="card" aria-labelledby="notifications-title">
<h2 id="notifications-title" class="card-title">Notifications</h2>
<% if (it.notifications.length === 0) { %><p class="muted">No message planned for this order.</p><% } else { %>
<div class="table-wrap">
<table class="table table--compact">
<thead><tr><th scope="col">Planned</th><th scope="col">Milestone</th><th scope="col">Channel</th><th scope="col">State</th><th scope="col">Reason</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
<tbody>
<% for (const n of it.notifications) { %>
<tr>
<td class="nowrap"><%~ include('@time', n.created) %></td>
<td><%= n.milestone %><div class="muted small"><%= n.subject %></div></td>
<td><%= n.channel %><% if (n.recipient) { %><div class="muted small"><%= n.recipient %></div><% } %></td>
<td><%~ include('@badge', n.state) %><% if (n.sentAt.iso) { %><div class="muted small">sent <%~ include('@time', n.sentAt) %></div><% } %><% if (n.attempts > 0) { %><div class="muted small"><%= n.attempts %> <%= n.attempts === 1 ? 'attempt' : 'attempts' %></div><% } %></td>
<td class="small"><%= n.reason || '' %></td>
<td><% if (n.resend) { %>
<form method="post" action="<%= n.resend %>" class="inline-form">
<%~ include('@csrf', it) %>
<button type="submit" class="btn btn--small">Resend</button>
</form>
<% } %></td>
</tr>
<% } %>
</tbody>
</table>
</div>
<% } %>
</section>
<datalist id="carrier-names"><% for (const c of it.carrierOptions) { %><option value="<%= c %>"></option><% } %></datalist>
`;
