/** The sign-in form; the same generic message for an unknown email and a wrong password. */
export const LOGIN_PAGE = `<% layout('@layout') %>
<section class="card card--narrow login" aria-labelledby="login-title">
<div class="brand brand--large"><span class="brand-mark" aria-hidden="true">◆</span> Waymark</div>
<h1 id="login-title">Sign in to your dashboard</h1>
<% if (it.error) { %>
<div class="flash flash--danger" role="alert" id="login-error"><%= it.error %></div>
<% } %>
<% if (it.notice) { %>
<div class="flash flash--info" role="status"><%= it.notice %></div>
<% } %>
<form method="post" action="/dashboard/login" class="stack" novalidate>
<input type="hidden" name="_csrf" value="<%= it.csrfToken %>">
<% if (it.next) { %><input type="hidden" name="next" value="<%= it.next %>"><% } %>
<div class="field">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="<%= it.email %>"<% if (it.error) { %> aria-describedby="login-error"<% } %> autofocus>
</div>
<div class="field">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
</div>
<button type="submit" class="btn btn--primary btn--block">Sign in</button>
</form>
<p class="muted small">Accounts are created with <code>waymark user add</code> or by a store owner.</p>
</section>
`;
