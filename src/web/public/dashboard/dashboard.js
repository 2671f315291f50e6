// Progressive enhancement of the dashboard: every page works without this file.
(function () {
  'use strict';

  // The store switcher opens the chosen store at once; its button is for browsers without JavaScript.
  document.querySelectorAll('select[data-autosubmit]').forEach(function (select) {
    select.addEventListener('change', function () {
      if (select.form) select.form.requestSubmit();
    });
  });
  document.querySelectorAll('[data-hide-with-js]').forEach(function (element) {
    element.hidden = true;
  });

  // Actions with consequences (mark delivered, revoke a key, remove a user) ask first.
  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (!window.confirm(form.getAttribute('data-confirm'))) event.preventDefault();
    });
  });

  // Secrets shown once get a copy button.
  document.querySelectorAll('[data-copy-target]').forEach(function (button) {
    var source = document.getElementById(button.getAttribute('data-copy-target'));
    if (!source || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = 'Copied';
      });
    });
  });

  // A swatch beside each colour field shows the colour as it is typed.
  var HEX = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;
  document.querySelectorAll('input[data-colour-input]').forEach(function (input) {
    var swatch = document.createElement('span');
    swatch.className = 'colour-swatch';
    swatch.setAttribute('aria-hidden', 'true');
    var row = document.createElement('span');
    row.className = 'colour-row';
    input.insertAdjacentElement('beforebegin', row);
    row.appendChild(input);
    row.appendChild(swatch);
    function paint() {
      swatch.style.backgroundColor = HEX.test(input.value.trim()) ? input.value.trim() : 'transparent';
    }
    input.addEventListener('input', paint);
    paint();
  });

  // The tracking page preview follows the branding form as it is typed, before it is saved.
  var frame = document.querySelector('iframe[data-live-preview]');
  var brandingForm = frame && document.querySelector('input[name="primaryColor"]');
  if (frame && brandingForm && brandingForm.form) {
    var form = brandingForm.form;
    var base = frame.getAttribute('data-live-preview');
    var pending = null;
    form.addEventListener('input', function () {
      if (pending) clearTimeout(pending);
      pending = setTimeout(function () {
        var params = new URLSearchParams();
        ['displayName', 'logoUrl', 'primaryColor', 'accentColor'].forEach(function (name) {
          var field = form.elements.namedItem(name);
          if (field && field.value.trim() !== '') params.set(name, field.value.trim());
        });
        frame.src = base + (params.toString() ? '&' + params.toString() : '');
      }, 400);
    });
  }
})();
