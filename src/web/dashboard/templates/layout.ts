/**
 * The frame of every dashboard page: the left navigation, the store switcher
 * and sign-out, then the page. Eta with auto-escaping; the raw `<%~ %>` tag is
 * used only for the rendered page body and for includes of our own partials.
 * No inline script or style anywhere: the page's CSP forbids both.
 */
export const LAYOUT = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title><%= it.title %><% if (it.chrome && it.chrome.store) { %> · <%= it.chrome.store.name %><% } %> · Waymark</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/dashboard/dashboard.css">
<script src="/assets/dashboard/dashboard.js" defer></script>
<% for (const src of (it.scripts || [])) { %>
<script src="<%= src %>" defer></script>
<% } %>
</head>
<% if (!it.chrome) { %>
<body class="bare">
<main id="main" class="bare-main">
<%~ it.body %>
</main>
</body>
<% } else { %>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<div class="shell">
<aside class="sidebar">
<div class="brand"><span class="brand-mark" aria-hidden="true">◆</span> Waymark</div>
<% if (it.chrome.store) { %>
<% if (it.chrome.stores.length > 1) { %>
<form method="post" action="/dashboard/store" class="store-switcher">
<input type="hidden" name="_csrf" value="<%= it.chrome.csrfToken %>">
<label for="store-select">Store</label>
<div class="store-switcher-row">
<select id="store-select" name="storeId" data-autosubmit>
<% for (const s of it.chrome.stores) { %>
<option value="<%= s.storeId %>"<% if (s.storeId === it.chrome.store.id) { %> selected<% } %>><%= s.storeName %></option>
<% } %>
</select>
<button type="submit" class="btn btn--small" data-hide-with-js>Open</button>
</div>
</form>
<% } else { %>
<p class="store-name"><span class="muted">Store</span><br><strong><%= it.chrome.store.name %></strong></p>
<% } %>
<% } %>
<nav aria-label="Main">
<ul class="nav">
<% for (const item of it.chrome.nav) { %>
<li><a href="<%= item.href %>"<% if (item.active) { %> aria-current="page"<% } %>><%= item.label %><% if (item.count) { %> <span class="nav-count" aria-label="<%= item.count %> waiting"><%= item.count %></span><% } %></a></li>
<% } %>
</ul>
</nav>
<div class="sidebar-footer">
<p class="whoami"><span class="whoami-email"><%= it.chrome.user.email %></span><% if (it.chrome.store) { %><br><span class="muted"><%= it.chrome.store.role === 'owner' ? 'Owner' : 'Staff' %></span><% } %></p>
<form method="post" action="/dashboard/logout">
<input type="hidden" name="_csrf" value="<%= it.chrome.csrfToken %>">
<button type="submit" class="btn btn--ghost btn--small">Sign out</button>
</form>
</div>
</aside>
<main id="main" class="main" tabindex="-1">
<% if (it.flash) { %>
<div class="flash flash--<%= it.flash.tone %>" role="status"><%= it.flash.text %></div>
<% } %>
<%~ it.body %>
</main>
</div>
</body>
<% } %>
</html>
`;

/** A status badge: the text always says it, the colour only helps. */
export const BADGE = `<span class="badge badge--<%= it.tone %>" title="<%= it.title %>"><%= it.text %></span>`;

/** Hidden CSRF field of every state-changing form. */
export const CSRF = `<input type="hidden" name="_csrf" value="<%= it.csrfToken %>">`;

/** A `<time>` with the machine-readable instant and the store-zone text. */
export const TIME = `<% if (it.iso) { %><time datetime="<%= it.iso %>"><%= it.text %></time><% } else { %><span class="muted">—</span><% } %>`;

export const ERROR_PAGE = `<% layout('@layout') %>
<section class="<%= it.chrome ? 'page' : 'card card--narrow' %>" aria-labelledby="error-title">
<h1 id="error-title"><%= it.heading %></h1>
<p><%= it.message %></p>
<p><a href="<%= it.chrome ? '/dashboard/orders' : '/dashboard/login' %>" class="btn">Back to the dashboard</a></p>
</section>
`;

export const NO_STORE_PAGE = `<% layout('@layout') %>
<section class="page" aria-labelledby="no-store-title">
<h1 id="no-store-title">No store yet</h1>
<p>Your account cannot open any store. Ask a store owner to add you, or give yourself access with
<code>waymark user add --email you@example.com --store STORE</code>.</p>
</section>
`;
