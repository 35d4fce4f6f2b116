// The dashboard's charts (Chart.js, vendored): drawn from the JSON block the page carries.
(function () {
  "use strict";

  var PALETTE = ["#1f5fd1", "#b42318", "#0f7b3f", "#9a5b00", "#6b3fa0", "#0e7490", "#a21caf",
    "#4d7c0f", "#be123c", "#475569", "#c2410c", "#0369a1", "#15803d"];

  function colour(index) {
    return PALETTE[index % PALETTE.length];
  }

  function trend(canvas, data) {
    return new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (series, index) {
          return { label: series.label.replace(/_/g, " "), data: series.counts, backgroundColor: colour(index) };
        })
      },
      options: {
        animation: false,
        responsive: true,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }

  function asPercent(values) {
    return values.map(function (value) { return value === null ? null : Math.round(value * 1000) / 10; });
  }

  function recovery(canvas, data) {
    return new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: "Recovery rate %", data: asPercent(data.recovery), backgroundColor: colour(0) },
          { label: "CSAT %", data: asPercent(data.csat), backgroundColor: colour(2) }
        ]
      },
      options: {
        animation: false,
        responsive: true,
        scales: { y: { beginAtZero: true, max: 100 } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }

  function draw() {
    var source = document.getElementById("dashboard-data");
    if (!source || !window.Chart) return;
    var data = JSON.parse(source.textContent);
    var trendCanvas = document.getElementById("trend-chart");
    var channelCanvas = document.getElementById("trend-channel-chart");
    var recoveryCanvas = document.getElementById("recovery-chart");
    if (trendCanvas) trendCanvas.chart = trend(trendCanvas, data.trend);
    if (channelCanvas) channelCanvas.chart = trend(channelCanvas, data.trend_channel);
    if (recoveryCanvas) recoveryCanvas.chart = recovery(recoveryCanvas, data.recovery);
    document.body.setAttribute("data-charts", "drawn");
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
