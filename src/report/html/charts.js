// The pictures of report.html: outcomes per operation × target, latency per operation, and the
// trend of the runs in a --history file. Inline SVG built with DOM calls; every value goes in
// as a text node or a number, never as markup. Colours come with a texture and a count, so the
// bars also read in greyscale; each picture has role="img" and an aria-label.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var root = document.getElementById('pictures');
  if (!root) return;
  var NS = 'http://www.w3.org/2000/svg';
  // Drawn left to right in this order; `key` is the name in report.json's counts.
  var PARTS = [
    { status: 'pass', key: 'pass', label: 'passed', texture: 'none' },
    { status: 'fail', key: 'fail', label: 'failed', texture: 'hatch' },
    { status: 'ambiguity', key: 'ambiguity', label: 'documentation ambiguity', texture: 'dots' },
    { status: 'known', key: 'known', label: 'known deviation', texture: 'rows' },
    { status: 'error', key: 'error', label: 'error', texture: 'cross' },
    { status: 'blocked', key: 'blocked', label: 'blocked by a set-up step', texture: 'back' },
    { status: 'other-reading', key: 'other_reading', label: 'follows another reading', texture: 'columns' },
    { status: 'skipped', key: 'skipped', label: 'skipped', texture: 'sparse' },
    { status: 'inconclusive', key: 'inconclusive', label: 'inconclusive', texture: 'grid' }
  ];

  function svg(tag, attrs) {
    var e = document.createElementNS(NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined) continue;
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return e;
  }
  function html(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function title(text) { return svg('title', null, text); }
  function picture(width, height, label) {
    return svg('svg', {
      'class': 'chart', role: 'img', 'aria-label': label, width: width, height: height,
      viewBox: '0 0 ' + width + ' ' + height
    });
  }
  function text(x, y, s, attrs) {
    var a = { x: x, y: y, 'class': 'chart-text' };
    Object.keys(attrs || {}).forEach(function (k) { a[k] = attrs[k]; });
    return svg('text', a, String(s));
  }
  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }
  function ms(n) { return n >= 10000 ? (n / 1000).toFixed(1) + ' s' : n + ' ms'; }
  function pct(p) { return p === null || p === undefined ? '—' : (p % 1 === 0 ? p.toFixed(0) : p.toFixed(1)) + '%'; }

  // One texture per status, in the status colour (ids prefixed by `prefix`).
  function textures(prefix) {
    var defs = svg('defs');
    PARTS.forEach(function (p) {
      var pat = svg('pattern', { id: prefix + p.status, patternUnits: 'userSpaceOnUse', width: 8, height: 8 });
      pat.appendChild(svg('rect', { width: 8, height: 8, 'class': 'fill-' + p.status }));
      var ink = { 'class': 'texture' };
      var d = {
        hatch: 'M0,8 L8,0 M-2,2 L2,-2 M6,10 L10,6', cross: 'M0,8 L8,0 M0,0 L8,8', rows: 'M0,4 L8,4',
        columns: 'M4,0 L4,8', back: 'M0,0 L8,8 M-2,6 L2,10 M6,-2 L10,2', grid: 'M0,4 L8,4 M4,0 L4,8',
        sparse: 'M0,8 L8,0'
      }[p.texture];
      if (d) pat.appendChild(svg('path', Object.assign({ d: d }, ink)));
      if (p.texture === 'dots') pat.appendChild(svg('circle', Object.assign({ cx: 4, cy: 4, r: 1.6 }, ink)));
      defs.appendChild(pat);
    });
    return defs;
  }
  // Records the drawn size on the element (read by tests/html/check.sh in headless Chromium).
  function measured(e) {
    var b = e.getBoundingClientRect();
    e.setAttribute('data-drawn-size', Math.round(b.width) + 'x' + Math.round(b.height));
    return e;
  }

  root.appendChild(html('h2', null, 'Pictures'));

  // 1. Outcomes per operation × target: one stacked bar per cell.
  (function () {
    root.appendChild(html('h3', null, 'Outcomes per operation and target'));
    var rows = [];
    var multi = data.matrix.targets.length > 1;
    data.matrix.operations.forEach(function (r) {
      r.cells.forEach(function (c, i) {
        if (c.counts.total > 0) rows.push({ label: r.operation + (multi ? ' · ' + data.matrix.targets[i] : ''), cell: c });
      });
    });
    if (rows.length === 0) { root.appendChild(html('p', 'muted', 'No outcomes.')); return; }
    var labelW = 360, barW = 420, rowH = 22, top = 4, width = labelW + barW + 110;
    var summary = PARTS.filter(function (p) { return data.counts[p.key]; })
      .map(function (p) { return data.counts[p.key] + ' ' + p.label; }).join(', ');
    var pic = picture(width, top + rows.length * rowH + 4,
      'Outcomes of ' + plural(rows.length, 'operation and target pair') + ' as stacked bars: ' + summary + '.');
    pic.appendChild(textures('st-'));
    rows.forEach(function (row, i) {
      var y = top + i * rowH;
      var g = svg('g', { 'class': 'bar-row' });
      g.appendChild(text(labelW - 8, y + 15, row.label, { 'text-anchor': 'end' }));
      var total = row.cell.counts.total, x = labelW;
      PARTS.forEach(function (p) {
        var n = row.cell.counts[p.key] || 0;
        if (!n) return;
        var w = barW * n / total;
        var seg = svg('g', { 'class': 'segment', 'data-status': p.status },
          title(row.label + ': ' + n + ' ' + p.label + ' of ' + total),
          svg('rect', { x: x, y: y + 2, width: w, height: rowH - 6, fill: 'url(#st-' + p.status + ')', 'class': 'edge' }));
        if (w >= 22) seg.appendChild(text(x + w / 2, y + 15, n, { 'text-anchor': 'middle', 'class': 'chart-text on-bar' }));
        g.appendChild(seg);
        x += w;
      });
      var c = row.cell;
      g.appendChild(text(labelW + barW + 6, y + 15, c.score === null ? '—' : c.passed + '/' + c.judged + ' ' + pct(c.score)));
      pic.appendChild(g);
    });
    root.appendChild(pic);
    var legend = picture(width, 22 * Math.ceil(PARTS.length / 3), 'Legend: ' + PARTS.map(function (p) { return p.label; }).join(', '));
    legend.appendChild(textures('lg-'));
    PARTS.forEach(function (p, i) {
      var x = (i % 3) * 280, y = Math.floor(i / 3) * 22;
      legend.appendChild(svg('rect', { x: x, y: y + 3, width: 28, height: 14, fill: 'url(#lg-' + p.status + ')', 'class': 'edge' }));
      legend.appendChild(text(x + 34, y + 15, p.label));
    });
    root.appendChild(legend);
    measured(pic);
  })();

  // 2. Latency per operation: max (light), p95 (darker) and p50 (a mark), over every exchange.
  (function () {
    root.appendChild(html('h3', null, 'Latency per operation'));
    var rows = data.latency || [];
    if (data.run.stable) {
      root.appendChild(html('p', 'muted no-timings', 'no timings (stable report)'));
      return;
    }
    if (rows.length === 0) { root.appendChild(html('p', 'muted', 'No exchanges were recorded.')); return; }
    root.appendChild(html('p', 'muted', 'Every recorded exchange of every case (all outcomes, not only those this page embeds): ' +
      'the bar reaches the slowest, its darker part the 95th percentile, the line marks the median.'));
    var top = 0;
    rows.forEach(function (r) { top = Math.max(top, r.max_ms); });
    var scale = Math.max(top, 1);
    var labelW = 360, barW = 420, rowH = 22, width = labelW + barW + 250;
    var pic = picture(width, rows.length * rowH + 26, 'Latency of ' + plural(rows.length, 'operation') + ': ' +
      rows.map(function (r) { return r.operation + ' p50 ' + r.p50_ms + ' ms, p95 ' + r.p95_ms + ' ms, max ' + r.max_ms + ' ms'; }).join('; '));
    rows.forEach(function (r, i) {
      var y = i * rowH;
      var g = svg('g', { 'class': 'latency-row' },
        title(r.operation + ': p50 ' + r.p50_ms + ' ms, p95 ' + r.p95_ms + ' ms, max ' + r.max_ms + ' ms over ' + plural(r.exchanges, 'exchange')));
      g.appendChild(text(labelW - 8, y + 15, r.operation, { 'text-anchor': 'end' }));
      g.appendChild(svg('rect', { x: labelW, y: y + 4, width: Math.max(barW * r.max_ms / scale, 1), height: rowH - 8, 'class': 'lat-max' }));
      g.appendChild(svg('rect', { x: labelW, y: y + 4, width: Math.max(barW * r.p95_ms / scale, 1), height: rowH - 8, 'class': 'lat-p95' }));
      var x50 = labelW + barW * r.p50_ms / scale;
      g.appendChild(svg('line', { x1: x50, x2: x50, y1: y + 1, y2: y + rowH - 1, 'class': 'lat-p50' }));
      g.appendChild(text(labelW + barW + 8, y + 15, 'p50 ' + ms(r.p50_ms) + ' · p95 ' + ms(r.p95_ms) + ' · max ' + ms(r.max_ms)));
      pic.appendChild(g);
    });
    var axisY = rows.length * rowH + 4;
    pic.appendChild(svg('line', { x1: labelW, x2: labelW + barW, y1: axisY, y2: axisY, 'class': 'axis' }));
    pic.appendChild(text(labelW, axisY + 16, '0'));
    pic.appendChild(text(labelW + barW, axisY + 16, ms(top), { 'text-anchor': 'end' }));
    root.appendChild(pic);
    measured(pic);
  })();

  // 3. Trend over the runs of --history FILE: pass % and duration.
  (function () {
    root.appendChild(html('h3', null, 'Trend'));
    var runs = data.history || [];
    if (runs.length === 0) {
      root.appendChild(html('p', 'muted', 'Run with --history FILE to see pass % and duration over runs.'));
      return;
    }
    root.appendChild(html('p', 'muted', 'The last ' + plural(runs.length, 'run') + ' of the history file, oldest first; this run is the last point.'));
    function line(name, value, max, fmt) {
      var w = 800, h = 150, left = 60, right = 20, topPad = 10, bottom = 24;
      var plotW = w - left - right, plotH = h - topPad - bottom;
      var pic = picture(w, h, name + ' over ' + plural(runs.length, 'run') + ': ' +
        runs.map(function (r) { return r.run_id + ' ' + fmt(value(r)); }).join(', '));
      pic.setAttribute('class', 'chart trend');
      function x(i) { return left + (runs.length === 1 ? plotW / 2 : plotW * i / (runs.length - 1)); }
      function y(v) { return topPad + plotH - plotH * (max > 0 ? v / max : 0); }
      pic.appendChild(svg('line', { x1: left, x2: left + plotW, y1: topPad + plotH, y2: topPad + plotH, 'class': 'axis' }));
      pic.appendChild(svg('line', { x1: left, x2: left, y1: topPad, y2: topPad + plotH, 'class': 'axis' }));
      pic.appendChild(svg('line', { x1: left, x2: left + plotW, y1: topPad, y2: topPad, 'class': 'grid' }));
      pic.appendChild(text(left - 6, topPad + 4, fmt(max), { 'text-anchor': 'end' }));
      pic.appendChild(text(left - 6, topPad + plotH, fmt(0), { 'text-anchor': 'end' }));
      pic.appendChild(text(left, h - 6, 'oldest'));
      pic.appendChild(text(left + plotW, h - 6, 'this run', { 'text-anchor': 'end' }));
      var points = [];
      runs.forEach(function (r, i) {
        var v = value(r);
        if (v === null || v === undefined) return;
        points.push(x(i) + ',' + y(v));
      });
      if (points.length > 1) pic.appendChild(svg('polyline', { points: points.join(' '), 'class': 'trend-line' }));
      runs.forEach(function (r, i) {
        var v = value(r);
        if (v === null || v === undefined) return;
        pic.appendChild(svg('circle', { cx: x(i), cy: y(v), r: 4, 'class': 'trend-point ' + (r.verdict === 'pass' ? 'fill-pass' : 'fill-fail') },
          title(r.run_id + ' (' + r.started_at + ', ' + r.verdict + '): ' + name + ' ' + fmt(v))));
      });
      root.appendChild(html('h4', null, name));
      root.appendChild(pic);
      measured(pic);
    }
    line('Pass %', function (r) { return r.pass_pct; }, 100, pct);
    var longest = 0;
    runs.forEach(function (r) { longest = Math.max(longest, r.duration_ms); });
    line('Duration', function (r) { return r.duration_ms; }, longest, ms);
  })();
})();
