// Draws the report from the JSON in #report-data. Every piece of data goes into the page as
// text (textContent / text nodes), never as markup, so nothing in a response can inject HTML.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var STATUSES = ['fail', 'ambiguity', 'error', 'known', 'pass', 'blocked', 'skipped', 'inconclusive', 'other-reading'];
  var LABELS = {
    pass: 'passed', fail: 'failed', ambiguity: 'documentation ambiguity', known: 'known deviation',
    error: 'error', skipped: 'skipped', inconclusive: 'inconclusive', blocked: 'blocked by a set-up step',
    'other-reading': 'follows another reading'
  };
  var SYMBOLS = { pass: '✓', fail: '✗', ambiguity: '?', known: '≈', error: '!', skipped: '–', inconclusive: '…', blocked: '⊘', 'other-reading': '↔' };
  // The counts of report.json name statuses with `_` where a status word has `-`.
  function countOf(s) { return data.counts[s.replace('-', '_')] || 0; }

  function el(tag, attrs) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined) return;
        if (k === 'class') e.className = v;
        else if (k === 'text') e.textContent = v;
        else e.setAttribute(k, v);
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined) continue;
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return e;
  }
  function code(s) { return el('code', null, String(s)); }
  function badge(status) { return el('span', { 'class': 'badge st-' + status, text: LABELS[status] || status }); }
  function pct(score) { return score === null ? '—' : (score % 1 === 0 ? score.toFixed(0) : score.toFixed(1)) + '%'; }
  function seconds(ms) { return (ms / 1000).toFixed(2) + ' s'; }
  function json(v) { return JSON.stringify(v); }
  function pretty(body) {
    try { return JSON.stringify(JSON.parse(body), null, 2); } catch (e) { return body; }
  }
  function scoreClass(cell) {
    if (cell.score === null) return 's-none';
    if (cell.score >= 100) return 's-full';
    if (cell.score >= 80) return 's-high';
    if (cell.score >= 50) return 's-mid';
    return 's-low';
  }
  function cellText(cell) {
    var t = cell.score === null ? '—' : cell.passed + '/' + cell.judged + ' (' + pct(cell.score) + ')';
    var extra = [];
    if (cell.counts.known) extra.push(cell.counts.known + ' known');
    if (cell.counts.error) extra.push(cell.counts.error + (cell.counts.error === 1 ? ' error' : ' errors'));
    var notRun = cell.counts.skipped + cell.counts.inconclusive;
    if (notRun) extra.push(notRun + ' not run');
    if (cell.counts.blocked) extra.push(cell.counts.blocked + ' blocked');
    if (cell.counts.other_reading) extra.push(cell.counts.other_reading + ' other reading');
    return extra.length ? t + ' · ' + extra.join(', ') : t;
  }

  // Run facts and targets.
  var run = document.getElementById('run');
  if (data.run.partial) {
    run.appendChild(el('p', { 'class': 'banner' },
      'Partial report: the run was interrupted; only the ' + data.counts.total + ' cases that finished are included.'));
  }
  var facts = el('p', { 'class': 'muted' },
    'Run ', code(data.run.id), ' · specgate ' + data.tool.version + ' · started ' + data.run.started_at +
    ' · ' + seconds(data.run.duration_ms) + ' · resource prefix ', code(data.run.run_prefix));
  if (data.run.insecure) facts.appendChild(el('strong', null, ' · TLS certificates not verified (--insecure)'));
  if (data.run.allow_mutations) facts.appendChild(document.createTextNode(' · mutations allowed'));
  if (data.run.stable) facts.appendChild(document.createTextNode(' · stable report: times, ports and ids are placeholders'));
  run.appendChild(facts);
  var tl = el('ul');
  data.targets.forEach(function (t) {
    var li = el('li', null, 'target ', code(t.name), t.embedded ? ' (embedded emulator)' : '', ': ');
    t.services.forEach(function (s, i) {
      if (i) li.appendChild(document.createTextNode(', '));
      li.appendChild(document.createTextNode(s.name + ' '));
      li.appendChild(code(s.endpoint));
      li.appendChild(document.createTextNode(' (' + s.auth + ')'));
    });
    tl.appendChild(li);
  });
  run.appendChild(tl);

  // Gate.
  var gate = document.getElementById('gate');
  if (data.gate.reasons.length === 0) {
    gate.appendChild(el('p', null, el('strong', null, 'Gate passed:'), data.baseline
      ? ' no failure outside the baseline, no error, and every baseline entry still reproduces.'
      : ' no failure and no error.'));
  } else {
    gate.appendChild(el('p', null, el('strong', null, 'Gate failed:')));
    var ul = el('ul', { 'class': 'reasons' });
    data.gate.reasons.forEach(function (r) { ul.appendChild(el('li', null, r)); });
    gate.appendChild(ul);
  }

  // Filters.
  var fStatus = document.getElementById('f-status');
  var fOp = document.getElementById('f-operation');
  var fTarget = document.getElementById('f-target');
  var fText = document.getElementById('f-text');
  fStatus.appendChild(el('option', { value: '' }, 'all (' + data.counts.total + ')'));
  // An ambiguity fails the gate only under --strict-readings (run.strict_readings).
  var strict = !!data.run.strict_readings;
  var problems = data.counts.fail + data.counts.error + (strict ? data.counts.ambiguity : 0);
  fStatus.appendChild(el('option', { value: 'problems' }, 'failing the gate (' + problems + ')'));
  STATUSES.forEach(function (s) {
    fStatus.appendChild(el('option', { value: s }, LABELS[s] + ' (' + countOf(s) + ')'));
  });
  fOp.appendChild(el('option', { value: '' }, 'all'));
  data.matrix.operations.forEach(function (r) { fOp.appendChild(el('option', { value: r.operation }, r.operation)); });
  fTarget.appendChild(el('option', { value: '' }, 'all'));
  data.matrix.targets.forEach(function (t) { fTarget.appendChild(el('option', { value: t }, t)); });

  function statusMatches(s) {
    var want = fStatus.value;
    if (!want) return true;
    if (want === 'problems') return s === 'fail' || s === 'error' || (strict && s === 'ambiguity');
    return s === want;
  }

  // Operation × target.
  var opm = document.getElementById('op-matrix');
  var multi = data.matrix.targets.length > 1;
  var head = el('tr', null, el('th', null, 'operation'));
  data.matrix.targets.forEach(function (t) { head.appendChild(el('th', null, t)); });
  if (multi) head.appendChild(el('th', null, 'all targets'));
  opm.appendChild(el('thead', null, head));
  var tbody = el('tbody');
  function numCell(cell, bold) {
    var cls = 'num ' + scoreClass(cell) + (cell.counts.error ? ' has-errors' : '');
    var td = el('td', { 'class': cls }, bold ? el('strong', null, cellText(cell)) : cellText(cell));
    return td;
  }
  data.matrix.operations.forEach(function (row) {
    var tr = el('tr', null, el('td', null, code(row.operation)));
    row.cells.forEach(function (c) { tr.appendChild(numCell(c)); });
    if (multi) tr.appendChild(numCell(row.all));
    tbody.appendChild(tr);
  });
  var total = el('tr', null, el('th', null, 'score'));
  data.matrix.per_target.forEach(function (c) { total.appendChild(numCell(c, true)); });
  if (multi) total.appendChild(numCell(data.matrix.overall, true));
  tbody.appendChild(total);
  opm.appendChild(tbody);

  // Legend.
  var legend = document.getElementById('legend');
  STATUSES.forEach(function (s) {
    var b = el('span', { 'class': 'badge st-' + s, title: 'show only: ' + LABELS[s] }, SYMBOLS[s] + ' ' + LABELS[s]);
    b.addEventListener('click', function () { fStatus.value = s; apply(); });
    legend.appendChild(b);
  });

  // Case × target. A row is a case; under --repeat its cell stands for every repetition and
  // shows the worst status, and a click opens an embedded repetition with that status.
  var index = {};
  data.outcomes.forEach(function (o, i) {
    var key = o.target + '\u0000' + o.id.replace(/#\d+$/, '');
    (index[key] = index[key] || []).push(i);
  });
  function outcomeFor(target, id, status) {
    var list = index[target + '\u0000' + id];
    if (!list) return undefined;
    for (var k = 0; k < list.length; k++) {
      if (data.outcomes[list[k]].status === status) return list[k];
    }
    return list[0];
  }
  var cm = document.getElementById('case-matrix');
  var chead = el('tr', null, el('th', null, 'case'));
  data.matrix.targets.forEach(function (t) { chead.appendChild(el('th', null, t)); });
  cm.appendChild(el('thead', null, chead));
  var cbody = el('tbody');
  var caseRows = [];
  data.matrix.cases.forEach(function (row) {
    var tr = el('tr', null, el('td', { 'class': 'name' }, row.id, row.provenance === 'inferred' ? ' (inferred)' : ''));
    row.cells.forEach(function (s, ti) {
      if (s === null) { tr.appendChild(el('td', { 'class': 'cell st-none', title: 'not run' }, '')); return; }
      var td = el('td', { 'class': 'cell st-' + s, title: LABELS[s] + ' on ' + data.matrix.targets[ti] }, SYMBOLS[s]);
      td.addEventListener('click', function () { openCase(outcomeFor(data.matrix.targets[ti], row.id, s)); });
      tr.appendChild(td);
    });
    caseRows.push({ tr: tr, row: row });
    cbody.appendChild(tr);
  });
  cm.appendChild(cbody);

  // Field coverage.
  var cov = document.getElementById('coverage');
  var anyCov = data.coverage.some(function (t) { return t.operations.length > 0; });
  if (anyCov) {
    cov.appendChild(el('h2', null, 'Field coverage'));
    cov.appendChild(el('p', { 'class': 'muted' },
      'Documented response fields (the members of the success schema) that appeared in a 2xx answer of a passing case of that operation. See docs/reports.md.'));
    var ct = el('table', { 'class': 'matrix' }, el('thead', null,
      el('tr', null, el('th', null, 'target'), el('th', null, 'operation'), el('th', null, 'compared'), el('th', null, 'never compared'))));
    var cb = el('tbody');
    data.coverage.forEach(function (t) {
      t.operations.forEach(function (op) {
        var cell = { score: op.documented ? Math.floor(op.compared.length * 1000 / op.documented) / 10 : null };
        var missing = el('td');
        op.not_compared.forEach(function (f, i) { if (i) missing.appendChild(document.createTextNode(' ')); missing.appendChild(code(f)); });
        cb.appendChild(el('tr', null, el('td', null, t.target), el('td', null, code(op.operation)),
          el('td', { 'class': 'num ' + scoreClass(cell) }, op.compared.length + '/' + op.documented + ' (' + pct(cell.score) + ')'), missing));
      });
      cb.appendChild(el('tr', null, el('th', null, t.target), el('th', null, 'all'),
        el('td', { 'class': 'num ' + scoreClass({ score: t.percent }) }, el('strong', null, t.compared + '/' + t.documented + ' (' + pct(t.percent) + ')')), el('td')));
    });
    ct.appendChild(cb);
    cov.appendChild(el('div', { 'class': 'scroll' }, ct));
  }

  // Readings: per doc note with readings and per target, which reading the target follows.
  var rd = document.getElementById('readings');
  if (data.readings && data.readings.length) {
    rd.appendChild(el('h2', null, 'Readings'));
    rd.appendChild(el('p', { 'class': 'muted' },
      'Where a page allows several readings, each case tests one; a cell is passed / judged cases of that reading. ' +
      'A failed case of a reading the target does not follow is not a conformance failure unless the reading is expected ' +
      '(a baseline pin, --strict-readings).'));
    var rt = el('table', { 'class': 'matrix' }, el('thead', null, el('tr', null,
      el('th', null, 'operation'), el('th', null, 'note'), el('th', null, 'target'),
      el('th', null, 'cases per reading'), el('th', null, 'reading followed'), el('th', null, 'expected'))));
    var rb = el('tbody');
    data.readings.forEach(function (r) {
      var per = el('td');
      r.readings.forEach(function (t, i) {
        if (i) per.appendChild(document.createTextNode(', '));
        var judged = t.passed + t.failed;
        per.appendChild(el('span', { title: t.says || '' }, t.id + ': ' + (judged ? t.passed + '/' + judged : '–')));
      });
      var follows = r.verdict === 'follows' && r.follows !== null ? 'follows ' + r.follows : r.verdict === 'untested' ? 'untested' : 'mixed';
      var broken = r.expected !== null && r.verdict !== 'untested' && r.follows !== r.expected;
      var expected = r.expected === null ? '—' : r.expected + (r.pinned_by ? ' (' + r.pinned_by + ')' : '');
      rb.appendChild(el('tr', null, el('td', null, code(r.operation)), el('td', null, code(r.note)),
        el('td', null, r.target), per, el('td', { 'class': broken ? 'st-fail' : '' }, follows), el('td', null, expected)));
    });
    rt.appendChild(rb);
    rd.appendChild(el('div', { 'class': 'scroll' }, rt));
  }

  // Baseline.
  var bl = document.getElementById('baseline');
  if (data.baseline) {
    bl.appendChild(el('h2', null, 'Baseline ', code(data.baseline.file)));
    var bt = el('table', null, el('thead', null, el('tr', null,
      el('th', null, 'line'), el('th', null, 'state'), el('th', null, 'target'), el('th', null, 'case'),
      el('th', null, 'kind'), el('th', null, 'pointer'), el('th', null, 'reason'), el('th', null, 'expires'), el('th', null, 'matched'))));
    var bb = el('tbody');
    var stateClass = { reproduced: 'st-known', stale: 'st-fail', expired: 'st-fail', not_run: 'st-skipped', unverified: 'st-skipped' };
    data.baseline.entries.forEach(function (e) {
      var reason = el('td', null, e.reason);
      if (e.link) { reason.appendChild(document.createTextNode(' ')); reason.appendChild(code(e.link)); }
      bb.appendChild(el('tr', null, el('td', null, String(e.line)),
        el('td', { 'class': stateClass[e.state] || '' }, e.state.replace('_', ' ')), el('td', null, e.target),
        el('td', null, code(e.case)), el('td', null, code(e.kind)), el('td', null, e.pointer ? code(e.pointer) : ''),
        reason, el('td', null, e.expires || ''), el('td', null, String(e.matched))));
    });
    bt.appendChild(bb);
    bl.appendChild(el('div', { 'class': 'scroll' }, bt));
  }

  // Case details.
  var cases = document.getElementById('cases');
  if (data.outcomes.length < data.counts.total) {
    cases.appendChild(el('p', { 'class': 'banner' },
      'This page embeds the details of ' + data.outcomes.length + ' of the run\u2019s ' + data.counts.total +
      ' cases: every case that did not pass first, then passing ones. report.json next to this file has them all.'));
  }
  var entries = data.baseline ? data.baseline.entries : [];
  var openByDefault = problems <= 20;
  var details = data.outcomes.map(function (o, i) {
    var d = el('details', { 'class': 'case', id: 'o-' + i });
    if (openByDefault && (o.status === 'fail' || o.status === 'ambiguity' || o.status === 'error')) d.open = true;
    d.appendChild(el('summary', null, badge(o.status), el('span', { 'class': 'id' }, o.id),
      el('span', { 'class': 'muted' }, 'on ' + o.target + ' · ' + o.provenance + ' · ' + seconds(o.duration_ms))));
    // The body (findings, diff, every exchange) is drawn the first time the case is opened.
    var drawn = false;
    function draw() {
      if (drawn) return;
      drawn = true;
      d.appendChild(caseBody(o));
    }
    if (d.open) draw();
    d.addEventListener('toggle', function () { if (d.open) draw(); });
    cases.appendChild(d);
    return { d: d, o: o, draw: draw };
  });

  function caseBody(o) {
    var body = el('div', { 'class': 'body' });
    if (o.reason) body.appendChild(el('p', null, 'Reason: ' + o.reason));
    if (o.reading) {
      body.appendChild(el('p', { 'class': o.status === 'other-reading' ? 'st-other-reading' : '' },
        'Tests reading ', code(o.reading), ' of doc note ', code(o.doc_note || '?'),
        o.status === 'other-reading' ? ': the target follows another reading (not a conformance failure).' : '.'));
    }
    if (o.status === 'ambiguity') {
      body.appendChild(el('p', { 'class': 'st-ambiguity' },
        'Documentation ambiguity: this inferred case tests one reading of an ambiguous page, and the target reads it differently.'));
    }
    if (o.findings.length) {
      var ft = el('table', null, el('thead', null, el('tr', null, el('th', null, 'step'), el('th', null, 'kind'),
        el('th', null, 'pointer'), el('th', null, 'expected → actual'), el('th', null, 'message'), el('th', null, 'baseline'))));
      var fb = el('tbody');
      o.findings.forEach(function (f) {
        var values = (f.expected === null && f.actual === null) ? '' : json(f.expected) + ' → ' + json(f.actual);
        var known = f.baseline_entry === null ? '' :
          'known (line ' + (entries[f.baseline_entry] ? entries[f.baseline_entry].line : '?') + ')';
        fb.appendChild(el('tr', null, el('td', null, f.step), el('td', null, code(f.kind)),
          el('td', null, f.pointer ? code(f.pointer) : ''), el('td', { 'class': 'mono' }, values),
          el('td', null, f.message, f.source ? el('div', { 'class': 'mono' }, f.source.file + ':' + f.source.line + ':' + f.source.col) : ''),
          el('td', { 'class': 'known-note' }, known)));
      });
      ft.appendChild(fb);
      body.appendChild(el('div', { 'class': 'scroll' }, ft));
    }
    if (o.diff) {
      body.appendChild(el('h4', null, 'Masked diff: documented sample (−) vs. actual (+)'));
      var pre = el('pre', { 'class': 'diff' });
      o.diff.split('\n').forEach(function (line) {
        var c = line.charAt(0) === '+' ? 'add' : line.charAt(0) === '-' ? 'del' : line.charAt(0) === '@' ? 'hunk' : '';
        pre.appendChild(c ? el('span', { 'class': c }, line) : document.createTextNode(line + '\n'));
      });
      body.appendChild(pre);
    }
    o.exchanges.forEach(function (x, xi) {
      var label = (x.step ? x.step + ': ' : '') + x.request.method + ' ' + x.request.url +
        (x.response ? ' → ' + x.response.status : ' → no answer') + ' (' + x.elapsed_ms + ' ms)';
      var xd = el('details', { 'class': 'exchange' }, el('summary', null, label));
      if (xi === o.exchanges.length - 1 && o.status !== 'pass') xd.open = true;
      xd.appendChild(el('h4', null, 'Request'));
      xd.appendChild(el('pre', null, x.request.method + ' ' + x.request.url + '\n' +
        x.request.headers.map(function (h) { return h[0] + ': ' + h[1]; }).join('\n') +
        (x.request.body ? '\n\n' + pretty(x.request.body) : '')));
      xd.appendChild(el('h4', null, 'Response'));
      if (x.response) {
        xd.appendChild(el('pre', null, String(x.response.status) + '\n' +
          x.response.headers.map(function (h) { return h[0] + ': ' + h[1]; }).join('\n') +
          (x.response.body ? '\n\n' + pretty(x.response.body) : '')));
      } else {
        xd.appendChild(el('p', { 'class': 'muted' }, 'No answer.'));
      }
      body.appendChild(xd);
    });
    return body;
  }

  function openCase(i) {
    if (i === undefined) return;
    var d = details[i].d;
    d.classList.remove('hidden');
    details[i].draw();
    d.open = true;
    d.scrollIntoView({ block: 'start' });
  }

  function apply() {
    var op = fOp.value, target = fTarget.value, text = fText.value.toLowerCase();
    var shown = 0;
    details.forEach(function (x) {
      var o = x.o;
      var ok = statusMatches(o.status) && (!op || o.operation === op) && (!target || o.target === target) &&
        (!text || o.id.toLowerCase().indexOf(text) >= 0);
      x.d.classList.toggle('hidden', !ok);
      if (ok) shown++;
    });
    caseRows.forEach(function (x) {
      var r = x.row;
      var ok = (!op || r.operation === op) && (!text || r.id.toLowerCase().indexOf(text) >= 0) &&
        r.cells.some(function (s, ti) {
          return s !== null && statusMatches(s) && (!target || data.matrix.targets[ti] === target);
        });
      x.tr.classList.toggle('hidden', !ok);
    });
    document.getElementById('f-count').textContent = shown + ' of ' + details.length + ' cases shown' +
      (details.length < data.counts.total ? ' (details embedded for ' + details.length + ' of the run\u2019s ' + data.counts.total + ')' : '');
  }
  [fStatus, fOp, fTarget].forEach(function (s) { s.addEventListener('change', apply); });
  fText.addEventListener('input', apply);
  apply();
})();
