/*
 * Tributary console: plain JavaScript, no dependencies.
 * The token comes from the URL fragment (#token=...&filter=...) or the token field and is kept in this tab's
 * sessionStorage only; every API call sends it as "Authorization: Bearer". The fragment is never sent to the
 * server, and the token is removed from the address bar as soon as it has been read.
 */
(function () {
  'use strict';

  var STORAGE_KEY = 'tributary.console.token';
  var METRICS_PATH = '/metrics';
  var ROUTES_PATH = '/api/v1/routes';
  var CLIENTS_PATH = '/api/v1/clients';
  var CLUSTER_PATH = '/api/v1/cluster';
  var RETAINED_PATH = '/api/v1/retained';
  var STREAM_PATH = '/api/v1/stream';
  var POLL_MS = 2000;
  var CLIENTS_POLL_MS = 5000;
  var RETRY_MS = 2000;
  var HISTORY_MS = 5 * 60 * 1000; // what the charts show
  var LATENCY_WINDOW_MS = 60 * 1000; // the quantiles are over the last minute
  var MAX_MESSAGES = 100;
  var MAX_CLIENTS = 100;
  var MAX_RETAINED = 200;
  var SVG = 'http://www.w3.org/2000/svg';

  /** The broker's headline numbers: one tile each, with a chart. */
  var TILES = [
    { id: 'connections', label: 'Clients connected', metric: 'tributary_broker_connections', kind: 'gauge' },
    { id: 'received', label: 'Messages in per second', metric: 'tributary_broker_messages_received_total',
      kind: 'rate' },
    { id: 'sent', label: 'Messages out per second', metric: 'tributary_broker_messages_sent_total', kind: 'rate' },
    { id: 'dropped', label: 'Messages dropped per second', metric: 'tributary_broker_messages_dropped_total',
      kind: 'rate', bad: true },
    { id: 'queued', label: 'Messages queued', metric: 'tributary_broker_messages_queued', kind: 'gauge' },
    { id: 'inflight', label: 'Awaiting acknowledgement', metric: 'tributary_broker_messages_inflight',
      kind: 'gauge' }
  ];

  /** Human names of the broker's series; a series not listed here is shown by its own name. */
  var LABELS = {
    'tributary_broker_connections': 'Clients connected',
    'tributary_broker_sessions': 'Sessions (connected or not)',
    'tributary_broker_messages_received_total': 'Messages received',
    'tributary_broker_messages_sent_total': 'Messages sent',
    'tributary_broker_received_bytes_total': 'Bytes received',
    'tributary_broker_sent_bytes_total': 'Bytes sent',
    'tributary_broker_messages_dropped_total{reason="qos0"}': 'Dropped: QoS 0, subscriber too slow',
    'tributary_broker_messages_dropped_total{reason="queue_full"}': 'Dropped: offline queue full',
    'tributary_broker_messages_dropped_total{reason="too_large"}': 'Dropped: larger than the client takes',
    'tributary_broker_messages_dropped_total{reason="not_authorized"}': 'Dropped: publisher not allowed',
    'tributary_broker_messages_expired_total': 'Expired while queued',
    'tributary_broker_connects_refused_total{reason="bad_credentials"}': 'Connections refused: wrong credentials',
    'tributary_broker_connects_refused_total{reason="not_authorized"}': 'Connections refused: anonymous',
    'tributary_broker_connects_refused_total{reason="unavailable"}':
      'Connections refused: authentication unavailable',
    'tributary_broker_messages_inflight': 'Awaiting acknowledgement',
    'tributary_broker_messages_queued': 'Messages queued',
    'tributary_broker_messages_queued_disk': 'Messages queued on disk',
    'tributary_broker_publishers_paused': 'Publishers paused for slow subscribers',
    'tributary_broker_subscribers_stuck_total': 'Stuck subscribers cut off',
    'tributary_broker_retained_refused_total': 'Retained messages refused (store full)'
  };

  var token = null;
  var tokenState = { level: 'warn', text: 'waiting for a token' };
  var metricsState = { level: '', text: '' };
  var streamState = { level: '', text: '' };
  var filter = '';
  var pollTimer = null;
  var clientsTimer = null;
  /** True once GET /api/v1/cluster answered: the Nodes panel and the clients' node column show. */
  var clustered = false;
  var generation = 0; // bumped when the token changes: answers to older requests are ignored
  var history = []; // [{ time, values: { key: value } }], the polls of the last HISTORY_MS
  var routeInfo = {}; // route name -> { state, lastError } from GET /api/v1/routes
  var stream = null;
  var retryTimer = null;
  var received = 0;
  var dropped = 0;
  var armed = null; // the client id whose disconnect button was pressed once

  function $(id) { return document.getElementById(id); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function svg(tag, attributes) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attributes || {}).forEach(function (k) { node.setAttribute(k, attributes[k]); });
    return node;
  }

  // ---- formats: one time format everywhere --------------------------------------------------------------

  function pad(n, w) { return String(n).padStart(w || 2, '0'); }

  /** Every time on the page: local, "2026-12-07 09:41:05". */
  function formatTime(value) {
    var date = value instanceof Date ? value : new Date(value);
    if (isNaN(date.getTime())) { return '–'; }
    return date.getFullYear() + '-' + pad(date.getMonth() + 1) + '-' + pad(date.getDate()) + ' '
      + pad(date.getHours()) + ':' + pad(date.getMinutes()) + ':' + pad(date.getSeconds());
  }

  function zoneText() {
    var minutes = -new Date().getTimezoneOffset();
    var sign = minutes < 0 ? '-' : '+';
    minutes = Math.abs(minutes);
    return 'UTC' + sign + pad(Math.floor(minutes / 60)) + ':' + pad(minutes % 60);
  }

  function formatNumber(value) {
    if (value === null || value === undefined || isNaN(value)) { return '–'; }
    if (!isFinite(value)) { return String(value); }
    if (Math.abs(value) >= 1e6 || Number.isInteger(value)) { return Math.round(value).toLocaleString('en-US'); }
    return value.toLocaleString('en-US', { maximumFractionDigits: 1 });
  }

  function formatRate(rate) {
    if (rate === null || rate === undefined || !isFinite(rate)) { return '–'; }
    if (rate === 0) { return '0/s'; }
    return (rate >= 100 ? Math.round(rate).toLocaleString('en-US') : rate < 0.1 ? rate.toFixed(2) : rate.toFixed(1))
      + '/s';
  }

  function formatSeconds(seconds) {
    if (seconds === null || seconds === undefined || !isFinite(seconds)) { return '–'; }
    if (seconds < 0.001) { return (seconds * 1e6).toFixed(0) + ' µs'; }
    if (seconds < 1) { return (seconds * 1000).toFixed(seconds < 0.01 ? 1 : 0) + ' ms'; }
    return seconds.toFixed(seconds < 10 ? 2 : 0) + ' s';
  }

  // ---- token and fragment -------------------------------------------------------------------------------

  /** Reads "a=b&c=d" without URLSearchParams, which would turn the '+' of a topic filter into a space. */
  function readFragment() {
    var result = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (part) {
      if (!part) { return; }
      var eq = part.indexOf('=');
      var key = eq < 0 ? part : part.slice(0, eq);
      var value = eq < 0 ? '' : part.slice(eq + 1);
      try { result[decodeURIComponent(key)] = decodeURIComponent(value); } catch (e) { /* not encoded well */ }
    });
    return result;
  }

  function writeFragment() {
    var hash = filter ? '#filter=' + encodeURIComponent(filter) : '';
    replaceUrl(location.pathname + location.search + hash);
  }

  function replaceUrl(url) { window.history.replaceState(null, '', url); }

  function storeToken(value) {
    token = value ? value.trim() : null;
    if (!token) { token = null; }
    try {
      if (token) { sessionStorage.setItem(STORAGE_KEY, token); } else { sessionStorage.removeItem(STORAGE_KEY); }
    } catch (e) { /* storage disabled: the token lives in this page only */ }
  }

  function authHeaders(accept) {
    return { 'Authorization': 'Bearer ' + token, 'Accept': accept || 'application/json' };
  }

  /** fetch with the token; rejects with { refused: true } on 401, else resolves with the response. */
  function api(path, options) {
    var sent = generation;
    options = options || {};
    options.headers = authHeaders(options.accept);
    options.cache = 'no-store';
    return fetch(path, options).then(function (response) {
      if (sent !== generation) { throw { stale: true }; }
      if (response.status === 401) {
        tokenRefused();
        throw { refused: true };
      }
      return response;
    });
  }

  function errorOf(response) {
    return response.json().catch(function () { return {}; }).then(function (answer) {
      return answer.error || ('HTTP ' + response.status);
    });
  }

  // ---- status -------------------------------------------------------------------------------------------

  function setNote(node, state) {
    node.textContent = state.text;
    node.className = 'note ' + (state.level || '');
  }

  function renderStatus() {
    setNote($('metrics-status'), metricsState);
    setNote($('stream-status'), streamState);
    var status = $('status');
    if (!token) {
      status.textContent = 'no token: type one or open /console#token=...';
      status.className = 'status warn';
    } else if (tokenState.level === 'bad') {
      status.textContent = tokenState.text;
      status.className = 'status bad';
    } else if (tokenState.level !== 'ok') {
      status.textContent = 'checking the token …';
      status.className = 'status warn';
    } else if (metricsState.level === 'bad') {
      status.textContent = metricsState.text;
      status.className = 'status bad';
    } else {
      status.textContent = 'connected';
      status.className = 'status ok';
    }
  }

  function tokenRefused() {
    tokenState = { level: 'bad', text: 'token refused' };
    streamState = filter ? { level: 'bad', text: 'token refused' } : { level: '', text: '' };
    clearTimeout(pollTimer);
    clearTimeout(clientsTimer);
    stopStream();
    $('token').placeholder = 'refused: type another token';
    // Nothing is known: no "no routes" and no pending "loading".
    $('routes-empty').hidden = true;
    setNote($('retained-status'), { level: '', text: '' });
    renderStatus();
  }

  // ---- metrics ------------------------------------------------------------------------------------------

  function parseValue(text) {
    if (text === '+Inf' || text === 'Inf') { return Infinity; }
    if (text === '-Inf') { return -Infinity; }
    return Number(text);
  }

  function parseLabels(text) {
    var labels = {};
    var re = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/g;
    var m;
    while ((m = re.exec(text)) !== null) {
      labels[m[1]] = m[2].replace(/\\(.)/g, function (all, c) { return c === 'n' ? '\n' : c; });
    }
    return labels;
  }

  /** The Prometheus text format: the samples. */
  function parsePrometheus(text) {
    var samples = [];
    text.split('\n').forEach(function (raw) {
      var line = raw.trim();
      if (!line || line.charAt(0) === '#') { return; }
      var m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
      if (m) { samples.push({ name: m[1], labels: m[2] ? parseLabels(m[2]) : {}, value: parseValue(m[3]) }); }
    });
    return samples;
  }

  function key(name, labels) {
    var parts = Object.keys(labels).sort().map(function (k) { return k + '="' + labels[k] + '"'; });
    return parts.length ? name + '{' + parts.join(',') + '}' : name;
  }

  /** The values of one poll, by series, plus sums by name without the qos label (a total over QoS). */
  function valuesOf(samples) {
    var values = {};
    samples.forEach(function (s) {
      values[key(s.name, s.labels)] = s.value;
      if (s.labels.qos !== undefined) {
        var rest = {};
        Object.keys(s.labels).forEach(function (k) { if (k !== 'qos') { rest[k] = s.labels[k]; } });
        var total = key(s.name, rest);
        values[total] = (values[total] || 0) + s.value;
      }
    });
    return values;
  }

  /** Sum over every series of a name (all labels), in one poll. */
  function sumOf(values, name) {
    var sum = null;
    Object.keys(values).forEach(function (k) {
      if (k === name || (k.indexOf(name + '{') === 0 && k.indexOf('qos=') < 0)) { sum = (sum || 0) + values[k]; }
    });
    return sum;
  }

  /** Per-second rate of a counter between two polls; null when unknown or the counter went back. */
  function rateBetween(older, newer, read) {
    if (!older || !newer) { return null; }
    var a = read(older.values);
    var b = read(newer.values);
    var seconds = (newer.time - older.time) / 1000;
    if (a === null || b === null || seconds <= 0 || b < a) { return null; }
    return (b - a) / seconds;
  }

  /** The chart points of a reading over the history: gauges as they were, counters as rates. */
  function seriesOf(read, kind) {
    var points = [];
    for (var i = 0; i < history.length; i++) {
      var v = kind === 'rate' ? rateBetween(history[i - 1], history[i], read) : read(history[i].values);
      if (v !== null && isFinite(v)) { points.push({ time: history[i].time, value: v }); }
    }
    return points;
  }

  /** A small time chart: the last HISTORY_MS, from 0 to the highest value. */
  function chart(points, className) {
    var width = 240, height = 48;
    var node = svg('svg', { 'class': 'chart ' + (className || ''), viewBox: '0 0 ' + width + ' ' + height,
      preserveAspectRatio: 'none', role: 'img' });
    var now = Date.now();
    var max = 0;
    points.forEach(function (p) { if (p.value > max) { max = p.value; } });
    var top = max > 0 ? max * 1.1 : 1;
    // Since the page opened, at least one minute and at most HISTORY_MS: a fresh page draws across its chart.
    var span = history.length ? Math.min(HISTORY_MS, Math.max(60 * 1000, now - history[0].time)) : HISTORY_MS;
    var coords = points.map(function (p) {
      var x = width - (now - p.time) / span * width;
      var y = height - 1 - (p.value / top) * (height - 2);
      return Math.max(0, x).toFixed(1) + ',' + y.toFixed(1);
    });
    node.appendChild(svg('line', { 'class': 'axis', x1: 0, y1: height - 0.5, x2: width, y2: height - 0.5 }));
    if (coords.length > 1) {
      var first = coords[0].split(',')[0];
      var last = coords[coords.length - 1].split(',')[0];
      node.appendChild(svg('polygon', { 'class': 'area',
        points: first + ',' + height + ' ' + coords.join(' ') + ' ' + last + ',' + height }));
      node.appendChild(svg('polyline', { 'class': 'line', points: coords.join(' ') }));
    }
    var title = svg('title');
    title.textContent = 'the last ' + Math.round(span / 60000) + ' min; highest ' + formatNumber(max);
    node.appendChild(title);
    node.setAttribute('data-points', String(points.length));
    return node;
  }

  function renderTiles() {
    var tiles = $('tiles');
    tiles.textContent = '';
    var latest = history[history.length - 1];
    TILES.forEach(function (tile) {
      var read = function (values) { return sumOf(values, tile.metric); };
      var value = tile.kind === 'rate' ? rateBetween(history[history.length - 2], latest, read) : read(latest.values);
      if (read(latest.values) === null) { return; } // the broker has no such meter
      var node = el('div', 'tile' + (tile.bad && value > 0 ? ' bad' : ''));
      node.id = 'tile-' + tile.id;
      node.appendChild(el('div', 'name', tile.label));
      node.appendChild(el('div', 'value', tile.kind === 'rate' ? formatRate(value) : formatNumber(value)));
      node.appendChild(chart(seriesOf(read, tile.kind), tile.bad ? 'bad' : ''));
      tiles.appendChild(node);
    });
  }

  function renderCounters() {
    var body = $('counters').tBodies[0];
    body.textContent = '';
    var latest = history[history.length - 1];
    var previous = history[history.length - 2];
    Object.keys(latest.values).filter(function (k) {
      return /^tributary_broker_/.test(k) && k.indexOf('qos=') < 0;
    }).sort(function (a, b) {
      var la = LABELS[a] || a, lb = LABELS[b] || b;
      return la < lb ? -1 : la > lb ? 1 : 0;
    }).forEach(function (k) {
      var tr = el('tr');
      tr.setAttribute('data-series', k);
      tr.appendChild(el('td', 'label', LABELS[k] || k.replace(/^tributary_broker_/, '').replace(/_/g, ' ')));
      tr.appendChild(el('td', 'num', formatNumber(latest.values[k])));
      var counter = /_total(\{|$)/.test(k);
      tr.appendChild(el('td', 'num rate', counter ? formatRate(rateBetween(previous, latest, function (v) {
        return v[k] === undefined ? null : v[k];
      })) : ''));
      body.appendChild(tr);
    });
  }

  // ---- routes -------------------------------------------------------------------------------------------

  function routeCounter(name, what) {
    return function (values) {
      var v = values['tributary_route_messages_' + what + '_total{route="' + name + '"}'];
      return v === undefined ? null : v;
    };
  }

  /** The buckets of a route's latency histogram in one poll: [{ le, count }] sorted by le. */
  function buckets(values, name) {
    var prefix = 'tributary_route_latency_seconds_bucket{';
    var out = [];
    Object.keys(values).forEach(function (k) {
      if (k.indexOf(prefix) !== 0 || k.indexOf('route="' + name + '"') < 0) { return; }
      var le = /le="([^"]+)"/.exec(k);
      if (le) { out.push({ le: parseValue(le[1]), count: values[k] }); }
    });
    return out.sort(function (a, b) { return a.le - b.le; });
  }

  /**
   * The q-quantile of the latencies recorded between two polls, from the difference of their cumulative
   * buckets, interpolated linearly within a bucket (as Prometheus' histogram_quantile does).
   */
  function quantile(q, older, newer) {
    if (!newer.length) { return null; }
    var counts = newer.map(function (b, i) {
      var before = older && older[i] && older[i].le === b.le ? older[i].count : 0;
      return { le: b.le, count: b.count - before };
    });
    var total = counts[counts.length - 1].count;
    if (!(total > 0)) { return null; }
    var rank = q * total;
    for (var i = 0; i < counts.length; i++) {
      if (counts[i].count >= rank) {
        var lower = i === 0 ? 0 : counts[i - 1].le;
        var below = i === 0 ? 0 : counts[i - 1].count;
        if (!isFinite(counts[i].le)) { return lower; }
        var inBucket = counts[i].count - below;
        return inBucket > 0 ? lower + (counts[i].le - lower) * (rank - below) / inBucket : counts[i].le;
      }
    }
    return null;
  }

  function routeNames() {
    var names = {};
    Object.keys(routeInfo).forEach(function (n) { names[n] = true; });
    var latest = history[history.length - 1];
    if (latest) {
      Object.keys(latest.values).forEach(function (k) {
        var m = /^tributary_route_[a-z_]+\{.*route="([^"]*)"/.exec(k);
        if (m) { names[m[1]] = true; }
      });
    }
    return Object.keys(names).sort();
  }

  function renderRoutes() {
    var body = $('routes').tBodies[0];
    body.textContent = '';
    var latest = history[history.length - 1];
    var previous = history[history.length - 2];
    var names = routeNames();
    $('routes-empty').hidden = names.length > 0;
    // The oldest poll within the latency window.
    var windowStart = null;
    if (latest) {
      for (var i = 0; i < history.length; i++) {
        if (latest.time - history[i].time <= LATENCY_WINDOW_MS) { windowStart = i > 0 ? history[i - 1] : null; break; }
      }
    }
    names.forEach(function (name) {
      var info = routeInfo[name] || {};
      var tr = el('tr');
      tr.setAttribute('data-route', name);
      tr.appendChild(el('td', 'route', name));
      var up = latest ? latest.values['tributary_route_up{route="' + name + '"}'] : undefined;
      var state = info.state || (up === 1 ? 'started' : up === 0 ? 'stopped' : '–');
      tr.appendChild(el('td', 'state state-' + state, state));

      var inCell = el('td', 'num');
      var readIn = routeCounter(name, 'in');
      inCell.appendChild(el('span', 'rate-now', latest ? formatRate(rateBetween(previous, latest, readIn)) : '–'));
      inCell.appendChild(chart(latest ? seriesOf(readIn, 'rate') : [], 'small'));
      tr.appendChild(inCell);
      ['delivered', 'failed', 'dead_lettered'].forEach(function (what) {
        var value = latest ? routeCounter(name, what)(latest.values) : null;
        var bad = what !== 'delivered' && value > 0;
        tr.appendChild(el('td', 'num ' + what + (bad ? ' bad' : ''), formatNumber(value)));
      });
      var now = latest ? buckets(latest.values, name) : [];
      var then = windowStart ? buckets(windowStart.values, name) : [];
      var p50 = quantile(0.5, then, now);
      var p99 = quantile(0.99, then, now);
      tr.appendChild(el('td', 'num latency', p50 === null ? 'no messages in the last minute'
        : formatSeconds(p50) + ' / ' + formatSeconds(p99)));
      var errorCell = el('td', 'last-error');
      if (info.lastError) {
        errorCell.appendChild(el('span', 'time', formatTime(info.lastError.time)));
        errorCell.appendChild(el('span', 'message', info.lastError.message));
      } else {
        errorCell.textContent = 'none';
        errorCell.className = 'last-error none';
      }
      tr.appendChild(errorCell);
      body.appendChild(tr);
    });
  }

  function pollRoutes() {
    return api(ROUTES_PATH).then(function (response) {
      tokenState = { level: 'ok', text: 'token accepted' }; // anything but 401
      if (!response.ok) {
        return errorOf(response).then(function (text) {
          setNote($('routes-status'), { level: 'bad', text: 'GET ' + ROUTES_PATH + ': ' + text });
        });
      }
      return response.json().then(function (answer) {
        routeInfo = {};
        (answer.routes || []).forEach(function (r) { routeInfo[r.name] = r; });
        setNote($('routes-status'), { level: '', text: '' });
      });
    });
  }

  function pollMetrics() {
    return fetch(METRICS_PATH, { headers: authHeaders('text/plain'), cache: 'no-store' }).then(function (response) {
      if (!response.ok) {
        metricsState = { level: 'bad', text: 'GET ' + METRICS_PATH + ' answered HTTP ' + response.status };
        return;
      }
      return response.text().then(function (text) {
        var now = Date.now();
        history.push({ time: now, values: valuesOf(parsePrometheus(text)) });
        while (history.length && now - history[0].time > HISTORY_MS + POLL_MS) { history.shift(); }
        metricsState = { level: 'ok', text: 'updated ' + formatTime(new Date(now)) };
        renderTiles();
        renderCounters();
      });
    }, function () {
      metricsState = { level: 'bad', text: 'disconnected, retrying' };
    });
  }

  /** One round: the routes (which checks the token), then the metrics; then the next round. */
  function poll() {
    clearTimeout(pollTimer);
    if (!token) { renderStatus(); return; }
    var mine = generation;
    pollRoutes().then(pollMetrics, function (e) {
      if (e && (e.refused || e.stale)) { throw e; }
      metricsState = { level: 'bad', text: 'disconnected, retrying' };
    }).then(function () {
      renderRoutes();
      renderStatus();
      if (mine === generation && tokenState.level !== 'bad') { pollTimer = setTimeout(poll, POLL_MS); }
    }, function () { /* refused or stale: tokenRefused() has said so */ });
  }

  // ---- clients ------------------------------------------------------------------------------------------

  function protocolName(version) {
    return version === 5 ? 'MQTT 5.0' : version === 4 ? 'MQTT 3.1.1' : version === 3 ? 'MQTT 3.1' : String(version);
  }

  function renderClients(answer) {
    var body = $('clients').tBodies[0];
    body.textContent = '';
    answer.clients.forEach(function (c) {
      var tr = el('tr');
      tr.setAttribute('data-client', c.clientId);
      tr.appendChild(el('td', 'client-id', c.clientId));
      if (clustered) { tr.appendChild(el('td', 'node', c.node || '–')); }
      tr.appendChild(el('td', 'address', c.address || '–'));
      tr.appendChild(el('td', 'protocol', protocolName(c.protocolVersion)));
      tr.appendChild(el('td', 'user', c.username || '–'));
      tr.appendChild(el('td', 'num subscriptions', formatNumber(c.subscriptions)));
      tr.appendChild(el('td', 'num queued', formatNumber(c.queued)));
      tr.appendChild(el('td', 'num inflight', formatNumber(c.inFlight)));
      var cell = el('td');
      var button = el('button', 'disconnect', armed === c.clientId ? 'Confirm disconnect' : 'Disconnect');
      button.type = 'button';
      button.setAttribute('data-client', c.clientId);
      cell.appendChild(button);
      tr.appendChild(cell);
      body.appendChild(tr);
    });
    $('clients-count').textContent = answer.total === answer.clients.length
      ? answer.total + ' connected'
      : answer.total + ' connected, the first ' + answer.clients.length + ' by id shown';
  }

  function renderNodes(answer) {
    var body = $('nodes').tBodies[0];
    body.textContent = '';
    var live = 0;
    answer.nodes.forEach(function (n) {
      var tr = el('tr');
      tr.setAttribute('data-node', n.name);
      tr.appendChild(el('td', 'name', n.name + (n.name === answer.node ? ' (this node)' : '')));
      tr.appendChild(el('td', 'live', n.live ? 'live' : 'gone'));
      tr.appendChild(el('td', 'num sessions', formatNumber(n.sessions)));
      tr.appendChild(el('td', 'checkpoint', n.lastCheckpoint));
      body.appendChild(tr);
      if (n.live) { live++; }
    });
    $('nodes-count').textContent = live + ' of ' + answer.nodes.length + ' live';
  }

  /** Reads the cluster's nodes; a node that is not in a cluster answers 404, and nothing of a cluster shows. */
  function pollNodes() {
    return api(CLUSTER_PATH).then(function (response) {
      clustered = response.ok;
      $('nodes-panel').hidden = !clustered;
      $('clients-node-head').hidden = !clustered;
      return clustered ? response.json().then(renderNodes) : null;
    });
  }

  function pollClients() {
    clearTimeout(clientsTimer);
    if (!token) { return; }
    var mine = generation;
    pollNodes().then(function () {
      return api(CLIENTS_PATH + '?limit=' + MAX_CLIENTS);
    }).then(function (response) {
      if (!response.ok) {
        return errorOf(response).then(function (text) {
          setNote($('clients-status'), { level: 'bad', text: text });
        });
      }
      return response.json().then(function (answer) {
        renderClients(answer);
        if ($('clients-status').className.indexOf('bad') >= 0) {
          setNote($('clients-status'), { level: '', text: '' });
        }
      });
    }).then(function () {
      if (mine === generation) { clientsTimer = setTimeout(pollClients, CLIENTS_POLL_MS); }
    }, function (e) {
      if (e && (e.refused || e.stale)) { return; }
      setNote($('clients-status'), { level: 'bad', text: 'disconnected, retrying' });
      if (mine === generation) { clientsTimer = setTimeout(pollClients, CLIENTS_POLL_MS); }
    });
  }

  /** The first press arms the button, the second disconnects: no dialog (it would stop the page). */
  function onClientButton(event) {
    var button = event.target;
    if (!button.classList || !button.classList.contains('disconnect')) { return; }
    var id = button.getAttribute('data-client');
    if (armed !== id) {
      armed = id;
      button.textContent = 'Confirm disconnect';
      return;
    }
    armed = null;
    button.disabled = true;
    api(CLIENTS_PATH + '/' + encodeURIComponent(id), { method: 'DELETE' }).then(function (response) {
      if (response.ok) {
        setNote($('clients-status'), { level: 'ok', text: 'disconnected ' + id + ' at ' + formatTime(new Date()) });
      } else {
        return errorOf(response).then(function (text) {
          setNote($('clients-status'), { level: 'bad', text: 'could not disconnect ' + id + ': ' + text });
        });
      }
    }).catch(function () { /* refused: said so */ }).then(pollClients);
  }

  // ---- retained messages --------------------------------------------------------------------------------

  function messageRow(message, className) {
    var tr = el('tr', className);
    tr.appendChild(el('td', 'time', formatTime(message.timestamp)));
    tr.appendChild(el('td', 'topic', message.topic));
    tr.appendChild(el('td', 'num qos', message.qos));
    var payload = message.payloadEncoding === 'base64' ? '[base64] ' + message.payload : message.payload;
    tr.appendChild(el('td', 'payload', payload));
    return tr;
  }

  function loadRetained() {
    var wanted = $('retained-filter').value.trim();
    var body = $('retained').tBodies[0];
    if (!token || !wanted) { return; }
    setNote($('retained-status'), { level: '', text: 'loading …' });
    api(RETAINED_PATH + '?filter=' + encodeURIComponent(wanted) + '&limit=' + MAX_RETAINED).then(function (response) {
      if (!response.ok) {
        return errorOf(response).then(function (text) {
          body.textContent = '';
          setNote($('retained-status'), { level: 'bad', text: text });
        });
      }
      return response.json().then(function (answer) {
        var messages = (answer.messages || []).slice().sort(function (a, b) {
          return a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0;
        });
        var total = answer.total === undefined ? messages.length : answer.total;
        body.textContent = '';
        messages.forEach(function (m) { body.appendChild(messageRow(m, 'retained')); });
        setNote($('retained-status'), { level: '', text: total + ' retained message(s) match ' + wanted
          + (total > messages.length ? ', the first ' + messages.length + ' by topic shown' : '')
          + ' (' + formatTime(new Date()) + ')' });
      });
    }).catch(function (e) {
      if (!e || !e.refused) { setNote($('retained-status'), { level: 'bad', text: 'disconnected' }); }
    });
  }

  // ---- topic browser ------------------------------------------------------------------------------------

  /** Reads a text/event-stream body; calls onEvent(type, data) for each event. */
  function readEvents(body, onEvent) {
    var reader = body.getReader();
    var decoder = new TextDecoder('utf-8');
    var buffer = '';
    var type = '';
    var data = [];
    function line(text) {
      if (text === '') {
        if (data.length) { onEvent(type || 'message', data.join('\n')); }
        type = '';
        data = [];
        return;
      }
      if (text.charAt(0) === ':') { return; }
      var colon = text.indexOf(':');
      var field = colon < 0 ? text : text.slice(0, colon);
      var value = colon < 0 ? '' : text.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') { type = value; } else if (field === 'data') { data.push(value); }
    }
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done) { return; }
        buffer += decoder.decode(chunk.value, { stream: true });
        var nl;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          line(buffer.slice(0, nl).replace(/\r$/, ''));
          buffer = buffer.slice(nl + 1);
        }
        return pump();
      });
    }
    return pump();
  }

  function addMessage(message) {
    received++;
    var body = $('messages').tBodies[0];
    body.insertBefore(messageRow(message, 'message'), body.firstChild);
    while (body.rows.length > MAX_MESSAGES) { body.deleteRow(body.rows.length - 1); }
    renderCount();
  }

  function renderCount() {
    var shown = $('messages').tBodies[0].rows.length;
    $('message-count').textContent = received + ' received, last ' + shown + ' shown'
      + (dropped ? '; ' + dropped + ' dropped by the server (this page was too slow)' : '');
  }

  function onEvent(type, data) {
    try {
      if (type === 'message') { addMessage(JSON.parse(data)); }
      else if (type === 'dropped') { dropped += JSON.parse(data).count || 0; renderCount(); }
    } catch (e) { /* an event that is not JSON: ignored */ }
  }

  function stopStream() {
    clearTimeout(retryTimer);
    if (stream) { stream.abort(); }
    stream = null;
  }

  function openStream() {
    stopStream();
    if (!filter) {
      streamState = { level: '', text: '' };
      renderStatus();
      return;
    }
    if (!token) {
      streamState = { level: 'warn', text: 'waiting for a token' };
      renderStatus();
      return;
    }
    var controller = new AbortController();
    var following = filter;
    stream = controller;
    streamState = { level: 'warn', text: 'connecting to ' + following + ' …' };
    renderStatus();
    api(STREAM_PATH + '?filter=' + encodeURIComponent(following), {
      accept: 'text/event-stream', signal: controller.signal
    }).then(function (response) {
      if (response.status === 403 || response.status === 400) {
        return errorOf(response).then(function (text) {
          streamState = { level: 'bad', text: 'filter refused: ' + text };
          stream = null;
        });
      }
      if (!response.ok || !response.body) { throw new Error('HTTP ' + response.status); }
      streamState = { level: 'ok', text: 'following ' + following };
      renderStatus();
      return readEvents(response.body, onEvent).then(function () { throw new Error('the stream ended'); });
    }).then(function () {
      renderStatus();
    }, function (e) {
      if ((e && e.refused) || controller.signal.aborted || stream !== controller) { return; }
      streamState = { level: 'bad', text: 'disconnected, retrying' };
      renderStatus();
      retryTimer = setTimeout(function () { if (stream === controller) { openStream(); } }, RETRY_MS);
    });
  }

  // ---- wiring -------------------------------------------------------------------------------------------

  function useToken(value) {
    storeToken(value);
    generation++;
    $('token').value = '';
    $('token').placeholder = token ? 'token set (kept in this tab)' : 'bearer token';
    tokenState = token ? { level: 'warn', text: 'checking the token' } : { level: 'warn', text: 'no token' };
    history = [];
    routeInfo = {};
    renderStatus();
    poll();
    pollClients();
    openStream();
    loadRetained();
  }

  function tick() {
    $('clock').textContent = formatTime(new Date());
  }

  function start() {
    var fragment = readFragment();
    var stored = null;
    try { stored = sessionStorage.getItem(STORAGE_KEY); } catch (e) { /* storage disabled */ }
    if (fragment.filter) { filter = fragment.filter; }
    if (fragment.retained) { $('retained-filter').value = fragment.retained; }
    $('filter').value = filter;
    // Take the token out of the address bar (and history) at once; the filter may stay.
    writeFragment();
    $('footer').textContent = 'Times are this browser\'s local time (' + zoneText() + '), as YYYY-MM-DD HH:MM:SS.';
    tick();
    setInterval(tick, 1000);

    $('token-form').addEventListener('submit', function (e) {
      e.preventDefault();
      useToken($('token').value);
    });
    $('forget').addEventListener('click', function () {
      stopStream();
      useToken(null);
    });
    $('filter-form').addEventListener('submit', function (e) {
      e.preventDefault();
      filter = $('filter').value.trim();
      writeFragment();
      openStream();
    });
    $('stop').addEventListener('click', function () {
      filter = '';
      writeFragment();
      openStream();
    });
    $('retained-form').addEventListener('submit', function (e) {
      e.preventDefault();
      loadRetained();
    });
    $('clients').addEventListener('click', onClientButton);
    window.addEventListener('hashchange', function () {
      var changed = readFragment();
      if (changed.token) { useToken(changed.token); }
      if (changed.filter !== undefined && changed.filter !== filter) {
        filter = changed.filter;
        $('filter').value = filter;
        openStream();
      }
      writeFragment();
    });

    useToken(fragment.token || stored);
  }

  start();
}());
