// Refreshes the order on the tracking page without a full reload. The page works
// without this file: it only swaps <main> for a newer copy while the tab is visible.
(function () {
  'use strict';
  var main = document.getElementById('main');
  if (!main || !window.fetch) return;
  var url = main.getAttribute('data-refresh-url');
  if (!url) return;
  var INTERVAL_MS = 60000;
  var timer = null;

  function openParcels() {
    var open = [];
    main.querySelectorAll('details.history').forEach(function (details, index) {
      if (details.open) open.push(index);
    });
    return open;
  }

  function refresh() {
    if (document.visibilityState !== 'visible') return;
    var open = openParcels();
    fetch(url, { headers: { 'x-waymark-fragment': '1' }, credentials: 'omit', cache: 'no-store' })
      .then(function (response) {
        if (!response.ok) throw new Error('refresh failed: ' + response.status);
        return response.text();
      })
      .then(function (html) {
        main.innerHTML = html;
        main.querySelectorAll('details.history').forEach(function (details, index) {
          details.open = open.indexOf(index) !== -1;
        });
      })
      .catch(function () {
        // Offline or the link expired: keep showing what we have; the next tick tries again.
      });
  }

  function schedule() {
    if (timer) clearInterval(timer);
    timer = setInterval(refresh, INTERVAL_MS);
  }

  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') {
      refresh();
      schedule();
    }
  });
  schedule();
})();
