/* global Chart */
// Draws the analytics charts from the page's JSON block (data only, never executed).
(function () {
  'use strict';
  var block = document.getElementById('analytics-data');
  if (!block || typeof Chart === 'undefined') return;
  var specs = JSON.parse(block.textContent || '{}');

  var PALETTE = ['#3b5bdb', '#2f9e5b', '#e0a100', '#d64545', '#7048e8', '#0c8599', '#e8590c', '#868e96'];
  var reduceMotion = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#5b6472';

  Object.keys(specs).forEach(function (id) {
    var spec = specs[id];
    var canvas = document.getElementById('chart-' + id);
    if (!canvas || !spec.labels.length) return;
    var datasets = spec.datasets.map(function (set, i) {
      var colour = /^#[0-9a-f]{6}$/i.test(set.colour || '') ? set.colour : PALETTE[i % PALETTE.length];
      return {
        label: set.label,
        data: set.data,
        backgroundColor: colour,
        borderColor: colour,
        borderWidth: 0,
        borderRadius: 3,
        maxBarThickness: 36,
      };
    });
    var valueAxis = {
      beginAtZero: true,
      stacked: !!spec.stacked,
      ticks: { precision: 0 },
      grid: { color: '#eef0f3' },
      title: spec.yTitle ? { display: true, text: spec.yTitle } : undefined,
    };
    if (spec.percent) {
      valueAxis.max = 100;
      valueAxis.ticks = {
        callback: function (value) {
          return value + '%';
        },
      };
    }
    var categoryAxis = {
      stacked: !!spec.stacked,
      grid: { display: false },
      title: spec.xTitle ? { display: true, text: spec.xTitle } : undefined,
    };
    new Chart(canvas, {
      type: spec.kind,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: reduceMotion ? false : { duration: 300 },
        indexAxis: spec.horizontal ? 'y' : 'x',
        plugins: {
          legend: { display: datasets.length > 1, position: 'bottom', labels: { boxWidth: 10, boxHeight: 10 } },
        },
        scales: spec.horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
      },
    });
  });
})();
