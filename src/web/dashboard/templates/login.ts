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
<input id="email" name="email" type="email" autocomplete="username" required value="<%= it.email %>"<% if (it.error) { %> aria-describedby="login-error"<% } %><% if (!it.email) { %> autofocus<% } %>>
</div>
<div class="field">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required<% if (it.email) { %> autofocus<% } %>>
</div>
<button type="submit" class="btn btn--primary btn--block">Sign in</button>
</form>
<p class="muted small">Accounts are created with <code>waymark user add</code> or by a store owner.</p>
</section>
`;

/** Where an invitation link lands: the person chooses a password (or, with an account already, just accepts). */
export const INVITATION_PAGE = `<% layout('@layout') %>
<section class="card card--narrow login" aria-labelledby="invite-title">
<div class="brand brand--large"><span class="brand-mark" aria-hidden="true">◆</span> Waymark</div>
<h1 id="invite-title">Join <%= it.storeName %></h1>
<p>You are invited as <strong><%= it.roleLabel %></strong>, with the address <strong><%= it.email %></strong>.</p>
<% if (it.error) { %>
<div class="flash flash--danger" role="alert" id="invite-error"><%= it.error %></div>
<% } %>
<form method="post" action="<%= it.action %>" class="stack" novalidate>
<input type="hidden" name="_csrf" value="<%= it.csrfToken %>">
<% if (it.hasAccount) { %>
<p class="muted small">This address already has a Waymark account: accept, then sign in with its password.</p>
<% } else { %>
<input type="email" name="email" autocomplete="username" value="<%= it.email %>" hidden>
<div class="field">
<label for="password">Choose a password <span class="muted small">(10 characters or more)</span></label>
<input id="password" name="password" type="password" autocomplete="new-password" minlength="10" required<% if (it.error) { %> aria-describedby="invite-error"<% } %> autofocus>
</div>
<% } %>
<button type="submit" class="btn btn--primary btn--block">Accept the invitation</button>
</form>
</section>
`;
