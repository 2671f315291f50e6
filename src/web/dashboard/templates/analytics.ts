/**
 * Analytics: each panel is a chart (drawn by /assets/dashboard/analytics.js
 * from the JSON block, which is data and never executed) above the same
 * numbers as a table, so nothing depends on the chart, and a CSV link.
 */
export const ANALYTICS_PAGE = `<% layout('@layout') %>
<header class="page-header">
<div>
<h1>Analytics</h1>
<p class="muted">From <%= it.rangeText %>. Days are UTC days.</p>
</div>
<nav class="chips" aria-label="Period">
<% for (const r of it.ranges) { %><a class="chip" href="<%= r.href %>"<% if (r.active) { %> aria-current="page"<% } %>><%= r.label %></a><% } %>
</nav>
</header>
<div class="analytics-grid">
<% for (const p of it.panels) { %>
<section class="card panel<% if (p.wide) { %> panel--wide<% } %>" aria-labelledby="panel-<%= p.id %>-title">
<header class="panel-header">
<div>
<h2 id="panel-<%= p.id %>-title" class="card-title"><%= p.title %></h2>
<p class="muted small"><%= p.description %></p>
</div>
<a class="btn btn--small" href="<%= p.csvHref %>" download>CSV</a>
</header>
<% if (p.table.rows.length === 0) { %>
<p class="empty empty--small">No data in this period.</p>
<% } else { %>
<div class="chart-box"><canvas id="chart-<%= p.id %>" role="img" aria-label="<%= p.title %> chart; the same numbers are in the table below"></canvas></div>
<details class="panel-table"<% if (p.tableOpen) { %> open<% } %>>
<summary>Table</summary>
<div class="table-wrap">
<table class="table table--compact">
<thead><tr><% p.table.columns.forEach(function (c, i) { %><th scope="col"<% if (p.table.numeric[i]) { %> class="num"<% } %>><%= c %></th><% }) %></tr></thead>
<tbody>
<% for (const row of p.table.rows) { %><tr><% row.forEach(function (cell, i) { %><td<% if (p.table.numeric[i]) { %> class="num"<% } %>><%= cell %></td><% }) %></tr><% } %>
</tbody>
</table>
</div>
</details>
<% } %>
</section>
<% } %>
</div>
<script type="application/json" id="analytics-data"><%~ it.chartJson %></script>
`;
