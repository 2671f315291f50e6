/**
 * The tracking page's templates (Eta, auto-escaping on: every `<%= %>` is
 * escaped; `<%~ %>` only ever outputs another template's result). No inline
 * script and no style attribute anywhere: the page's Content-Security-Policy
 * allows neither. The one `<style>` block carries the store's colours, which
 * are validated hex values, under a per-response nonce.
 */

export const LAYOUT = `<!doctype html>
<html lang="<%= it.lang %>">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title><%= it.title %> · <%= it.store.name %></title>
<link rel="stylesheet" href="/assets/tracking/tracking.css">
<style nonce="<%= it.nonce %>">:root{--brand:<%= it.store.primaryColor %>;--on-brand:<%= it.store.onPrimaryColor %>;--accent:<%= it.store.accentColor %>}</style>
<% if (it.script) { %><script src="/assets/tracking/tracking.js" defer></script>
<% } %></head>
<body>
<a class="skip" href="#main"><%= it.copy.ui.skipToContent %></a>
<header class="brand">
<div class="brand-inner">
<% if (it.store.logoUrl) { %><img class="logo" src="<%= it.store.logoUrl %>" alt="<%= it.store.name %>" height="40">
<% } else { %><span class="store-name"><%= it.store.name %></span>
<% } %></div>
</header>
<% if (it.preview) { %><p class="preview-banner"><%= it.copy.ui.previewNotice %></p>
<% } %><main id="main" tabindex="-1"<% if (it.refreshUrl) { %> data-refresh-url="<%= it.refreshUrl %>"<% } %>>
<%~ it.body %>
</main>
<footer class="site-footer">
<% if (it.store.supportEmail || it.store.supportUrl) { %><nav aria-label="<%= it.copy.ui.needHelp %>">
<h2><%= it.copy.ui.needHelp %></h2>
<ul>
<% if (it.store.supportEmail) { %><li><a href="mailto:<%= it.store.supportEmail %>"><%= it.emailSupport %></a></li>
<% } %><% if (it.store.supportUrl) { %><li><a href="<%= it.store.supportUrl %>" rel="noopener"><%= it.copy.ui.supportSite %></a></li>
<% } %></ul>
</nav>
<% } %><p class="powered"><%= it.copy.ui.poweredBy %></p>
</footer>
</body>
</html>
`;

export const LOOKUP = `<div class="card lookup">
<h1><%= it.copy.ui.lookupTitle %></h1>
<p><%= it.copy.ui.lookupIntro %></p>
<% if (it.message) { %><p class="callout <%= it.messageTone %>" role="alert" id="lookup-message"><%= it.message %></p>
<% } %><form method="post" action="/track/<%= encodeURIComponent(it.store.slug) %>" novalidate>
<div class="field">
<label for="order"><%= it.copy.ui.orderNumber %></label>
<input id="order" name="order" type="text" required maxlength="100" autocomplete="off" autocapitalize="characters" spellcheck="false" value="<%= it.values.order %>" aria-describedby="order-hint<% if (it.message) { %> lookup-message<% } %>">
<p class="hint" id="order-hint"><%= it.copy.ui.orderNumberHint %></p>
</div>
<div class="field">
<label for="email"><%= it.copy.ui.emailOrPostalCode %></label>
<input id="email" name="email" type="text" required maxlength="200" autocomplete="email" spellcheck="false" value="<%= it.values.email %>" aria-describedby="email-hint">
<p class="hint" id="email-hint"><%= it.copy.ui.emailOrPostalCodeHint %></p>
</div>
<button type="submit" class="button"><%= it.copy.ui.submit %></button>
</form>
</div>
`;

export const STEPS = `<ol class="steps" aria-label="<%= it.label %>">
<% it.steps.forEach(function (step) { %><li class="step <%= step.state %>"<% if (step.state === 'current') { %> aria-current="step"<% } %>><span class="dot" aria-hidden="true"></span><span class="step-label"><%= step.label %></span></li>
<% }) %></ol>
`;

export const SHIPMENT = `<section class="card shipment tone-<%= it.shipment.tone %>" aria-labelledby="parcel-<%= it.shipment.id %>">
<div class="shipment-head">
<h2 id="parcel-<%= it.shipment.id %>"><%= it.shipment.label %></h2>
<p class="status-line"><span class="status-name"><%= it.copy.ui.shippingStatus %>:</span> <span class="badge tone-<%= it.shipment.tone %>"><%= it.shipment.statusLabel %></span></p>
</div>
<% if (it.shipment.steps.length > 0 && it.showSteps) { %><%~ include('@steps', { steps: it.shipment.steps, label: it.shipment.label }) %><% } %>
<dl class="facts">
<% if (it.shipment.carrierName) { %><div><dt><%= it.copy.ui.carrier %></dt><dd><%= it.shipment.carrierName %></dd></div>
<% } %><div><dt><%= it.copy.ui.trackingNumber %></dt><dd class="mono"><% if (it.shipment.carrierUrl) { %><a href="<%= it.shipment.carrierUrl %>" rel="noopener noreferrer" target="_blank"><%= it.shipment.trackingNumber %><span class="visually-hidden"> (<%= it.trackOnCarrier %>)</span></a><% } else { %><%= it.shipment.trackingNumber %><% } %></dd></div>
<% if (it.shipment.deliveredAt) { %><div><dt><%= it.copy.ui.delivered %></dt><dd><%= it.shipment.deliveredAt %></dd></div>
<% } else if (it.shipment.estimatedDelivery) { %><div><dt><%= it.copy.ui.estimatedDelivery %></dt><dd class="edd"><%= it.shipment.estimatedDelivery %></dd></div>
<% } %><% if (it.shipment.signedBy) { %><div><dt><%= it.copy.ui.signedBy %></dt><dd><%= it.shipment.signedBy %></dd></div>
<% } %></dl>
<% if (it.shipment.problem) { %><p class="callout <%= it.shipment.tone === 'problem' ? 'problem' : 'warning' %>"><%= it.shipment.problem %></p>
<% } %><% if (it.shipment.action) { %><div class="callout action"><h3><%= it.copy.ui.whatToDo %></h3><p><%= it.shipment.action %></p></div>
<% } %><% if (it.shipment.items.length > 0) { %><h3 class="sub"><%= it.copy.ui.inThisParcel %></h3>
<ul class="items"><% it.shipment.items.forEach(function (item) { %><li><span><%= item.name %></span> <span class="qty"><%= item.qty %></span></li><% }) %></ul>
<% } %><details class="history"<% if (it.open) { %> open<% } %>>
<summary><%= it.copy.ui.history %></summary>
<% if (it.shipment.events.length === 0) { %><p class="muted"><%= it.copy.ui.noUpdatesYet %></p>
<% } else { %><ol class="events">
<% it.shipment.events.forEach(function (event) { %><li><time datetime="<%= event.at %>"><%= event.when %></time><span class="event-status"><%= event.statusLabel %></span><% if (event.description) { %><span class="event-text"><%= event.description %></span><% } %><% if (event.location) { %><span class="event-place"><%= event.location %></span><% } %></li>
<% }) %></ol>
<% } %></details>
<% if (it.shipment.carrierUrl) { %><p class="carrier-link"><a href="<%= it.shipment.carrierUrl %>" rel="noopener noreferrer" target="_blank"><%= it.trackOnCarrier %></a></p>
<% } %></section>
`;

export const ORDER = `<div class="card summary tone-<%= it.view.headline.tone %>">
<p class="order-ref"><%= it.view.order.title %> · <%= it.view.order.placedOn %></p>
<h1><%= it.view.headline.text %></h1>
<p class="status-line"><span class="status-name"><%= it.copy.ui.orderStatus %>:</span> <span class="badge"><%= it.view.order.statusLabel %></span></p>
<% if (it.view.order.notice) { %><p class="callout neutral"><%= it.view.order.notice %></p>
<% } %><%~ include('@steps', { steps: it.view.steps, label: it.view.order.title }) %>
</div>
<% it.view.shipments.forEach(function (shipment, index) { %><%~ include('@shipment', { shipment: shipment, copy: it.copy, showSteps: it.view.shipments.length > 1, open: it.view.shipments.length === 1, trackOnCarrier: it.trackOnCarrier[index] }) %>
<% }) %><% if (it.view.otherItems.length > 0) { %><section class="card" aria-labelledby="other-items">
<h2 id="other-items"><%= it.view.otherItemsHeading %></h2>
<ul class="items"><% it.view.otherItems.forEach(function (item) { %><li><span><%= item.name %></span> <span class="qty"><%= item.qty %></span></li><% }) %></ul>
</section>
<% } %><p class="page-foot"><span class="updated" role="status"><%= it.view.updatedAtText %></span> · <a href="/track/<%= encodeURIComponent(it.view.store.slug) %>"><%= it.copy.ui.lookUpAnother %></a></p>
`;

export const MESSAGE = `<div class="card">
<h1><%= it.title %></h1>
<p><%= it.message %></p>
</div>
`;
