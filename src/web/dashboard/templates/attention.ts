/** The queue of what is late, stuck or failed, oldest first, each with its suggested next step. */
export const ATTENTION_PAGE = `<% layout('@layout') %>
<header class="page-header">
<div>
<h1>Needs attention</h1>
<p class="muted">Act before the customer asks. Oldest first.</p>
</div>
<div class="page-actions"><a class="btn" href="<%= it.csvHref %>" download>Export CSV</a></div>
</header>
<nav class="chips" aria-label="Filter by kind">
<a href="/dashboard/attention" class="chip"<% if (!it.kind) { %> aria-current="page"<% } %>>All <span class="chip-count"><%= it.total %></span></a>
<% for (const k of it.kinds) { %>
<a href="<%= k.href %>" class="chip"<% if (k.active) { %> aria-current="page"<% } %>><%= k.label %> <span class="chip-count"><%= k.count %></span></a>
<% } %>
</nav>
<% if (it.rows.length === 0) { %>
<div class="empty"><p>Nothing needs attention<% if (it.kind) { %> of this kind<% } %>. 🎉</p></div>
<% } else { %>
<div class="table-wrap">
<table class="table">
<caption class="sr-only">Orders and parcels that need attention</caption>
<thead><tr><th scope="col">Issue</th><th scope="col">Order</th><th scope="col">Parcel</th><th scope="col">Age</th><th scope="col">Suggested next step</th></tr></thead>
<tbody>
<% for (const r of it.rows) { %>
<tr>
<td><%~ include('@badge', r.kind) %><% if (r.detail) { %><div class="muted small"><%= r.detail %></div><% } %></td>
<th scope="row"><a class="strong-link" href="<%= r.orderHref %>"><%= r.orderNumber %></a></th>
<td><% if (r.parcel) { %><span class="small"><%= r.parcel %></span><% } else { %><span class="muted">—</span><% } %><% if (r.status) { %><div><%~ include('@badge', r.status) %></div><% } %></td>
<td class="nowrap"><strong><%= r.age %></strong><div class="muted small">since <%~ include('@time', r.since) %></div></td>
<td><%= r.nextStep %></td>
</tr>
<% } %>
</tbody>
</table>
</div>
<% if (it.truncated) { %><p class="muted small">Showing the oldest <%= it.rows.length %>. Resolve these to see more.</p><% } %>
<% } %>
<p class="muted small source-note"><%= it.sourceNote %></p>
`;
