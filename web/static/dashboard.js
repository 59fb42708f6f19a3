// Draws the dashboard charts from the JSON the page embeds (the same numbers
// the API returns).
(function () {
  var el = document.getElementById("chart-data");
  if (!el || !window.echarts) return;
  var d = JSON.parse(el.textContent);
  // The charts grow and sweep in as they are drawn: not for a reader whose
  // system asks for less motion (an audit), who gets them drawn at once.
  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var chart = function (node, option) {
    if (still) option.animation = false;
    var c = echarts.init(node);
    c.setOption(option);
    return c;
  };
  var monthly = document.getElementById("chart-monthly");
  if (monthly && d.monthly) {
    chart(monthly, {
      tooltip: { trigger: "axis" }, legend: { top: 0, data: [d.labels.positions, d.labels.placements] },
      grid: { left: 40, right: 40, top: 60, bottom: 30 },
      xAxis: { type: "category", data: d.monthly.map(function (m) { return m.month.slice(5); }) },
      // Placements are a few where positions are dozens: each has its own
      // axis, or the line lies flat on the floor. Each axis's name runs
      // inwards from its axis, below the legend: centred on the axis, the
      // English "Positions developed" was cut at the edge (a walk).
      yAxis: [{ type: "value", name: d.labels.positions, nameTextStyle: { align: "left" }, minInterval: 1 },
        { type: "value", name: d.labels.placements, nameTextStyle: { align: "right" }, position: "right", minInterval: 1, splitLine: { show: false } }],
      series: [
        { name: d.labels.positions, type: "bar", data: d.monthly.map(function (m) { return m.positions_developed; }) },
        { name: d.labels.placements, type: "line", yAxisIndex: 1, data: d.monthly.map(function (m) { return m.placements; }) }
      ]
    });
    monthly.setAttribute("data-total-placements", d.monthly.reduce(function (a, m) { return a + m.placements; }, 0));
  }
  document.querySelectorAll("[data-breakdown]").forEach(function (node) {
    var field = node.getAttribute("data-breakdown");
    var data = d.breakdowns[field] || {}, names = d.names[field] || {};
    // In the table's order, with its colours: the table is the key.
    var items = (d.order[field] || []).map(function (k) { return { name: (names[k] || k), value: data[k] }; });
    chart(node, {
      // The table under the chart is its legend (labels whole, with
      // counts, shares and each slice's colour): no cut, paged legend
      // inside the chart.
      color: d.palette, tooltip: { formatter: "{b}: {c} ({d}%)" }, legend: { show: false },
      series: [{ type: "pie", radius: ["35%", "70%"], center: ["50%", "50%"], label: { show: false }, data: items }]
    });
    node.setAttribute("data-total", items.reduce(function (a, i) { return a + i.value; }, 0));
  });
  var rank = document.getElementById("chart-ranking");
  if (rank && d.ranking) {
    var rows = d.ranking.slice(0, 15).reverse();
    // A name wider than the margin is cut at its end ("Chengdu Hi-tech
    // Indu…"): uncut, English names ran off the left edge and every bar
    // read "Industrial Development Zone". A tap shows the whole name.
    chart(rank, {
      grid: { left: 160, right: 30, top: 10, bottom: 20 }, tooltip: { trigger: "axis" },
      xAxis: { type: "value", name: "%" },
      yAxis: { type: "category", data: rows.map(function (r) { return r.name; }),
        axisLabel: { width: 150, overflow: "truncate" } },
      series: [{ type: "bar", data: rows.map(function (r) { return r.rate; }) }]
    });
  } else if (rank) {
    // No area has a rate yet (no targets): the table below says so; an
    // empty chart would be a blank box.
    rank.style.display = "none";
  }
})();
