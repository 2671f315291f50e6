/** The orders list: filters (a GET form, so it works without JavaScript), the table, paging. */
export const ORDERS_PAGE = `<% layout('@layout') %>
<header class="page-header">
<div>
<h1>Orders</h1>
<p class="muted">Order status comes from your store's platform; shipping status from the carriers.</p>
</div>
<div class="page-actions">
<a class="btn" href="<%= it.csvHref %>" download>Export CSV</a>
</div>
</header>
<form class="filters" method="get" action="/dashboard/orders" role="search" aria-label="Filter orders">
<div class="field field--grow">
<label for="f-q">Search</label>
<input id="f-q" name="q" type="search" value="<%= it.filters.q %>" placeholder="Order number, email or tracking number">
</div>
<div class="field">
<label for="f-order-status">Order status</label>
<select id="f-order-status" name="orderStatus">
<option value="">Any</option>
<% for (const o of it.options.orderStatus) { %><option value="<%= o.value %>"<% if (o.selected) { %> selected<% } %>><%= o.label %></option><% } %>
</select>
</div>
<div class="field">
<label for="f-shipping-status">Shipping status</label>
<select id="f-shipping-status" name="shippingStatus">
<option value="">Any</option>
<% for (const o of it.options.shippingStatus) { %><option value="<%= o.value %>"<% if (o.selected) { %> selected<% } %>><%= o.label %></option><% } %>
</select>
</div>
<div class="field">
<label for="f-summary">Shipping summary</label>
<select id="f-summary" name="shippingSummary">
<option value="">Any</option>
<% for (const o of it.options.shippingSummary) { %><option value="<%= o.value %>"<% if (o.selected) { %> selected<% } %>><%= o.label %></option><% } %>
</select>
</div>
<div class="field">
<label for="f-carrier">Carrier</label>
<input id="f-carrier" name="carrier" list="carrier-names" value="<%= it.filters.carrier %>" placeholder="Any" size="10">
<datalist id="carrier-names"><% for (const c of it.options.carriers) { %><option value="<%= c %>"></option><% } %></datalist>
</div>
<div class="field">
<label for="f-from">Placed from</label>
<input id="f-from" name="from" type="date" value="<%= it.filters.from %>">
</div>
<div class="field">
<label for="f-to">Placed to</label>
<input id="f-to" name="to" type="date" value="<%= it.filters.to %>">
</div>
<div class="field field--actions">
<button class="btn btn--primary" type="submit">Apply</button>
<% if (it.filtered) { %><a class="btn btn--ghost" href="/dashboard/orders">Clear</a><% } %>
</div>
</form>
<% if (it.error) { %><div class="flash flash--danger" role="alert"><%= it.error %></div><% } %>
<p class="result-count" aria-live="polite"><strong><%= it.total %></strong> <%= it.total === 1 ? 'order' : 'orders' %><% if (it.filtered) { %> match<% } %></p>
<% if (it.rows.length === 0) { %>
<div class="empty"><p>No orders<% if (it.filtered) { %> match these filters<% } %>.</p></div>
<% } else { %>
<div class="table-wrap">
<table class="table">
<caption class="sr-only">Orders, newest first</caption>
<thead><tr>
<th scope="col">Order</th><th scope="col">Placed</th><th scope="col">Customer</th>
<th scope="col">Order status</th><th scope="col">Shipping</th><th scope="col">Parcels</th>
</tr></thead>
<tbody>
<% for (const row of it.rows) { %>
<tr>
<th scope="row"><a href="<%= row.href %>" class="strong-link"><%= row.number %></a></th>
<td class="nowrap"><%~ include('@time', row.placedAt) %></td>
<td><div><%= row.customerName %></div><% if (row.email) { %><div class="muted small"><%= row.email %></div><% } %></td>
<td><%~ include('@badge', row.orderStatus) %></td>
<td><%~ include('@badge', row.summary) %></td>
<td>
<% if (row.shipments.length === 0) { %><span class="muted">None yet</span><% } %>
<ul class="parcel-list">
<% for (const s of row.shipments) { %>
<li><%~ include('@badge', s.status) %> <span class="small"><%= s.carrier %></span> <code class="small"><%= s.trackingNumber %></code></li>
<% } %>
</ul>
</td>
</tr>
<% } %>
</tbody>
</table>
</div>
<% } %>
<nav class="pager" aria-label="Pages">
<% if (it.firstHref) { %><a class="btn" href="<%= it.firstHref %>">← First page</a><% } %>
<% if (it.nextHref) { %><a class="btn" href="<%= it.nextHref %>" rel="next">Next page →</a><% } %>
</nav>
`;
