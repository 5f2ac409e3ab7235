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
  var STREAM_PATH = '/api/v1/stream';
  var POLL_MS = 2000;
  var RETRY_MS = 2000;
  var MAX_MESSAGES = 100;

  var token = null;
  var filter = '';
  var metricsState = { level: 'warn', text: 'waiting for a token' };
  var streamState = { level: '', text: '' };
  var pollTimer = null;
  var previous = null; // { time, values: { key: value } } from the last poll, for rates
  var stream = null; // the AbortController of the open stream
  var retryTimer = null;
  var received = 0;
  var dropped = 0;

  function $(id) { return document.getElementById(id); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  // ---- token and fragment -------------------------------------------------------------------------------

  /** Reads "a=b&c=d" without URLSearchParams, which would turn the '+' of a topic filter into a space. */
  function readFragment() {
    var result = {};
    var hash = location.hash.replace(/^#/, '');
    hash.split('&').forEach(function (part) {
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
    history.replaceState(null, '', location.pathname + location.search + hash);
  }

  function storeToken(value) {
    token = value ? value.trim() : null;
    if (!token) { token = null; }
    try {
      if (token) { sessionStorage.setItem(STORAGE_KEY, token); } else { sessionStorage.removeItem(STORAGE_KEY); }
    } catch (e) { /* storage disabled: the token lives in this page only */ }
  }

  function authHeaders(accept) {
    return { 'Authorization': 'Bearer ' + token, 'Accept': accept };
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
    var worst = [metricsState, streamState].reduce(function (a, b) {
      var rank = { bad: 3, warn: 2, ok: 1, '': 0 };
      return rank[b.level || ''] > rank[a.level || ''] ? b : a;
    });
    if (!token) {
      status.textContent = 'no token: type one or open /console#token=...';
      status.className = 'status warn';
    } else if (metricsState.text === 'token refused' || streamState.text === 'token refused') {
      status.textContent = 'token refused';
      status.className = 'status bad';
    } else if (worst.level === 'bad') {
      status.textContent = worst.text;
      status.className = 'status bad';
    } else {
      status.textContent = 'connected';
      status.className = 'status ok';
    }
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

  /** The Prometheus text format (and OpenMetrics): the samples, and the declared types by family. */
  function parsePrometheus(text) {
    var types = {};
    var samples = [];
    text.split('\n').forEach(function (raw) {
      var line = raw.trim();
      if (!line) { return; }
      if (line.charAt(0) === '#') {
        var t = /^#\s*TYPE\s+(\S+)\s+(\S+)/.exec(line);
        if (t) { types[t[1]] = t[2]; }
        return;
      }
      var m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
      if (!m) { return; }
      samples.push({ name: m[1], labels: m[2] ? parseLabels(m[2]) : {}, value: parseValue(m[3]) });
    });
    return { types: types, samples: samples };
  }

  function isCounter(name, types) {
    var family = name.replace(/_total$/, '');
    var summary = types[name.replace(/_(count|sum)$/, '')];
    return types[name] === 'counter' || types[family] === 'counter' || /_total$/.test(name)
      || (/_(count|sum)$/.test(name) && (summary === 'histogram' || summary === 'summary'));
  }

  function labelText(labels, skip) {
    var parts = Object.keys(labels).sort().filter(function (k) { return k !== skip; }).map(function (k) {
      return k + '="' + labels[k] + '"';
    });
    return parts.length ? '{' + parts.join(',') + '}' : '';
  }

  function formatNumber(value) {
    if (!isFinite(value)) { return String(value); }
    if (Math.abs(value) >= 1e6 || Number.isInteger(value)) { return value.toLocaleString('en-US'); }
    return value.toLocaleString('en-US', { maximumFractionDigits: 3 });
  }

  function formatRate(rate) {
    if (rate === null || rate === undefined || !isFinite(rate)) { return ''; }
    return (rate >= 100 ? Math.round(rate) : rate.toFixed(1)) + '/s';
  }

  /** Rate per second since the last poll for a counter; null when unknown or the counter was reset. */
  function rateOf(key, value, counter, now) {
    if (!counter || !previous || previous.values[key] === undefined) { return null; }
    var seconds = (now - previous.time) / 1000;
    var delta = value - previous.values[key];
    return seconds > 0 && delta >= 0 ? delta / seconds : null;
  }

  function valueNode(value, rate, tag, className) {
    var node = el(tag || 'span', className);
    node.appendChild(document.createTextNode(formatNumber(value)));
    if (rate !== null && rate !== undefined) { node.appendChild(el('span', 'rate', formatRate(rate))); }
    return node;
  }

  function renderMetrics(parsed) {
    var now = Date.now();
    var values = {};
    var broker = [];
    var brokerCards = {};
    var routes = {}; // route -> { state, moved, cells: { column: { value, rate, counter } } }
    var columns = [];
    var connections = null;
    var connectionsIsGauge = false;

    parsed.samples.forEach(function (s) {
      if (s.labels.le !== undefined || s.labels.quantile !== undefined || /_bucket$/.test(s.name)) { return; }
      var key = s.name + labelText(s.labels);
      var counter = isCounter(s.name, parsed.types);
      values[key] = s.value;
      var rate = rateOf(key, s.value, counter, now);

      if (/^tributary_(broker_|connections)/.test(s.name)) {
        // One card per meter: the series by QoS (messages received and sent) add up to their total.
        var cardName = s.name.replace(/^tributary_(broker_)?/, '').replace(/_total$/, '').replace(/_/g, ' ')
                       + labelText(s.labels, 'qos');
        var card = brokerCards[cardName];
        if (!card) {
          card = brokerCards[cardName] = { name: cardName, value: 0, rate: null };
          broker.push(card);
        }
        card.value += s.value;
        if (rate !== null) { card.rate = (card.rate || 0) + rate; }
        if (/connections/.test(s.name)) {
          // The live count is a gauge; a counter of connections ever made is only used when there is none.
          var gauge = !counter;
          if (connections === null || (gauge && !connectionsIsGauge)) {
            connections = { name: s.name, value: 0 };
            connectionsIsGauge = gauge;
          }
          if (connections.name === s.name) { connections.value += s.value; }
        }
      } else if (/^tributary_route_/.test(s.name) && s.labels.route !== undefined) {
        var route = routes[s.labels.route]
          || (routes[s.labels.route] = { state: null, moved: previous ? false : null, cells: {} });
        var column = s.name.replace(/^tributary_route_/, '').replace(/_total$/, '');
        if (s.labels.state !== undefined) {
          if (s.value > 0) { route.state = s.labels.state; }
          return;
        }
        if (/^(up|running|started)$/.test(column) && !counter) {
          route.up = s.value > 0;
          return;
        }
        if (columns.indexOf(column) < 0) { columns.push(column); }
        var cell = route.cells[column] || (route.cells[column] = { value: 0, rate: null, counter: counter });
        cell.value += s.value;
        if (rate !== null) { cell.rate = (cell.rate || 0) + rate; }
        if (rate > 0) { route.moved = true; }
      }
    });
    previous = { time: now, values: values };

    $('connections').textContent = connections === null ? '–' : formatNumber(connections.value);

    var cards = $('broker');
    cards.textContent = '';
    broker.sort(function (a, b) { return a.name < b.name ? -1 : a.name > b.name ? 1 : 0; });
    broker.forEach(function (m) {
      var card = el('div', 'card');
      card.appendChild(el('div', 'name', m.name));
      card.appendChild(valueNode(m.value, m.rate, 'div', 'value'));
      cards.appendChild(card);
    });

    renderRoutes(routes, columns);
  }

  function renderRoutes(routes, columns) {
    var names = Object.keys(routes).sort();
    columns.sort(function (a, b) {
      var da = /dead_letter/.test(a), db = /dead_letter/.test(b);
      if (da !== db) { return da ? 1 : -1; }
      return a < b ? -1 : a > b ? 1 : 0;
    });
    var head = $('routes').tHead;
    var body = $('routes').tBodies[0];
    head.textContent = '';
    body.textContent = '';
    $('routes-empty').hidden = names.length > 0;
    if (names.length) {
      var hr = el('tr');
      hr.appendChild(el('th', null, 'route'));
      hr.appendChild(el('th', null, 'state'));
      columns.forEach(function (c) { hr.appendChild(el('th', null, c.replace(/_/g, ' '))); });
      head.appendChild(hr);
    }
    var dead = $('dead-letters');
    dead.textContent = '';
    var deadSeen = false;
    names.forEach(function (name) {
      var route = routes[name];
      var tr = el('tr');
      tr.setAttribute('data-route', name);
      tr.appendChild(el('td', 'route', name));
      // A state the metrics give (a 'state' label, or 'stopped' from the 'up' gauge); else, for a running
      // route, whether any counter moved since the last poll.
      var state = route.state || (route.up === false ? 'stopped'
        : route.moved === true ? 'active' : route.moved === false ? 'idle' : route.up ? 'up' : '–');
      tr.appendChild(el('td', 'state state-' + state.toLowerCase(), state));
      columns.forEach(function (c) {
        var cell = route.cells[c];
        var td = el('td', 'num' + (/dead_letter/.test(c) && cell && cell.value > 0 ? ' dead' : ''));
        if (cell) { td.appendChild(valueNode(cell.value, cell.counter ? cell.rate : null)); } else { td.textContent = '–'; }
        tr.appendChild(td);
        if (/dead_letter/.test(c) && cell) {
          deadSeen = true;
          var li = el('li', cell.value > 0 ? 'dead' : null);
          li.setAttribute('data-route', name);
          li.appendChild(document.createTextNode(name + ': ' + formatNumber(cell.value) + ' dead-lettered'));
          if (cell.rate) { li.appendChild(el('span', 'rate', formatRate(cell.rate))); }
          dead.appendChild(li);
        }
      });
      body.appendChild(tr);
    });
    $('dead-empty').hidden = deadSeen;
  }

  function schedulePoll(delay) {
    clearTimeout(pollTimer);
    pollTimer = setTimeout(pollMetrics, delay);
  }

  function pollMetrics() {
    if (!token) {
      metricsState = { level: 'warn', text: 'waiting for a token' };
      renderStatus();
      return;
    }
    var sent = token;
    fetch(METRICS_PATH, { headers: authHeaders('text/plain'), cache: 'no-store' }).then(function (response) {
      if (response.status === 401 || response.status === 403) {
        metricsState = { level: 'bad', text: 'token refused' };
        return null;
      }
      if (!response.ok) {
        metricsState = { level: 'bad', text: 'GET ' + METRICS_PATH + ' answered HTTP ' + response.status };
        return null;
      }
      return response.text().then(function (text) {
        renderMetrics(parsePrometheus(text));
        metricsState = { level: 'ok', text: 'metrics updated ' + new Date().toLocaleTimeString() };
      });
    }).catch(function () {
      metricsState = { level: 'bad', text: 'disconnected, retrying' };
    }).then(function () {
      renderStatus();
      // A refused token is not retried until another one is given.
      if (token === sent && metricsState.text !== 'token refused') { schedulePoll(POLL_MS); }
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

  function timeOf(iso) {
    var date = iso ? new Date(iso) : new Date();
    if (isNaN(date.getTime())) { date = new Date(); }
    var pad = function (n, w) { return String(n).padStart(w || 2, '0'); };
    return pad(date.getHours()) + ':' + pad(date.getMinutes()) + ':' + pad(date.getSeconds()) + '.'
      + pad(date.getMilliseconds(), 3);
  }

  function addMessage(message) {
    received++;
    var tr = el('tr', 'message');
    tr.appendChild(el('td', 'time', timeOf(message.timestamp)));
    tr.appendChild(el('td', 'topic', message.topic));
    tr.appendChild(el('td', 'num qos', message.qos));
    var payload = message.payloadEncoding === 'base64' ? '[base64] ' + message.payload : message.payload;
    tr.appendChild(el('td', 'payload', payload + (message.retain ? '  (retained)' : '')));
    var body = $('messages').tBodies[0];
    body.insertBefore(tr, body.firstChild);
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
    fetch(STREAM_PATH + '?filter=' + encodeURIComponent(following), {
      headers: authHeaders('text/event-stream'), cache: 'no-store', signal: controller.signal
    }).then(function (response) {
      if (response.status === 401 || response.status === 403) {
        streamState = { level: 'bad', text: 'token refused' };
        stream = null;
        return 'refused';
      }
      if (response.status === 400) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          streamState = { level: 'bad', text: 'filter refused: ' + (answer.error || 'HTTP 400') };
          stream = null;
          return 'refused';
        });
      }
      if (!response.ok || !response.body) { throw new Error('HTTP ' + response.status); }
      streamState = { level: 'ok', text: 'following ' + following };
      renderStatus();
      return readEvents(response.body, onEvent).then(function () { throw new Error('the stream ended'); });
    }).then(function () {
      renderStatus();
    }, function () {
      if (controller.signal.aborted || stream !== controller) { return; }
      streamState = { level: 'bad', text: 'disconnected, retrying' };
      renderStatus();
      retryTimer = setTimeout(function () { if (stream === controller) { openStream(); } }, RETRY_MS);
    });
  }

  // ---- wiring -------------------------------------------------------------------------------------------

  function useToken(value) {
    storeToken(value);
    $('token').value = '';
    $('token').placeholder = token ? 'token set (kept in this tab)' : 'bearer token';
    previous = null;
    renderStatus();
    schedulePoll(0);
    openStream();
  }

  function start() {
    var fragment = readFragment();
    var stored = null;
    try { stored = sessionStorage.getItem(STORAGE_KEY); } catch (e) { /* storage disabled */ }
    if (fragment.filter) { filter = fragment.filter; }
    $('filter').value = filter;
    // Take the token out of the address bar (and history) at once; the filter may stay.
    writeFragment();

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
