// The node's live dashboard: renders /dashboard/api/live (Server-Sent
// Events, one state a second) and the map of /dashboard/api/scenes.
'use strict';

const $ = (id) => document.getElementById(id);
const CITY = { minX: -150, maxX: 163, minY: -150, maxY: 158 };
const PARCEL_METRES = 16;

const view = { whole: false, scenes: { parcels: [], scenes: [] }, scenesAt: 0, known: new Set(), state: null, heap: [] };

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function bytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
}

function duration(s) {
  s = Math.max(0, Math.round(s));
  const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
  if (d) return d + 'd ' + h + 'h';
  if (h) return h + 'h ' + m + 'm';
  if (m) return m + 'm ' + (s % 60) + 's';
  return s + 's';
}

function ago(ms) { return duration((Date.now() - ms) / 1000) + ' ago'; }

function short(id) { return id && id.length > 20 ? id.slice(0, 10) + '…' + id.slice(-6) : (id || ''); }

function hue(id) {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return 250 + (h % 90); // violets to pinks
}

// --- rendering the state ---------------------------------------------------

function render(st) {
  view.state = st;
  const n = st.node || {};
  $('realm').textContent = n.realmName || 'catalyst';
  document.title = (n.realmName || 'catalyst') + ' · catalyst';
  $('version').textContent = n.version || '—';
  $('network').textContent = n.network || '—';
  $('uptime').textContent = duration((st.runtime || {}).uptimeSeconds || 0);
  $('peer-id').textContent = n.peerId || '—';

  const health = $('health');
  health.replaceChildren(...['content', 'lambdas', 'comms', 'p2p'].map((k) => {
    const ok = !!(st.health || {})[k];
    return el('span', { class: 'pill ' + (ok ? 'ok' : 'bad'), title: k + (ok ? ' answers' : ' is not answering') }, k);
  }));

  renderTiles(st);
  renderSync(st.sync || {});
  renderDeployments(st.deployments || { perMinute: [], latest: [] });
  renderPeers(st.peers || [], n);
  renderRooms((st.comms || {}).rooms || [], n);
  renderSystem(st.runtime || {}, n);
  drawMap();
}

function renderTiles(st) {
  const entities = st.entities || {};
  let active = 0;
  const parts = [];
  for (const t of Object.keys(entities).sort()) {
    active += entities[t].active;
    parts.push(entities[t].active + ' ' + t + (entities[t].active === 1 ? '' : 's'));
  }
  $('t-entities').textContent = active.toLocaleString();
  $('t-entities-by-type').textContent = parts.join(' · ') || 'none yet';

  const peers = st.peers || [];
  $('t-peers').textContent = peers.length;
  const lat = peers.map((p) => p.latencyMs).filter((x) => x > 0);
  $('t-peers-latency').textContent = lat.length ? 'median ' + median(lat).toFixed(1) + ' ms' : (peers.length ? 'measuring latency' : 'no peer connected');

  const comms = st.comms || {};
  $('t-users').textContent = comms.users || 0;
  const islands = (comms.islands || []).length;
  $('t-islands').textContent = islands + ' island' + (islands === 1 ? '' : 's') + ' · ' + (comms.rooms || []).length + ' rooms';

  const chain = st.chain || {};
  if (chain.checks === 'none' || !chain.chains) {
    $('t-chain').textContent = 'dev mode';
    $('t-chain-detail').textContent = 'no RPC: ownership is not checked';
  } else {
    const eth = chain.chains.find((c) => c.name === 'ethereum') || {};
    $('t-chain').textContent = eth.verified ? (eth.indexedBlock || 0).toLocaleString() : 'RPC down';
    $('t-chain-detail').textContent = chain.chains.map((c) =>
      c.name + (c.verified ? ' ' + Math.max(0, (c.head || 0) - (c.indexedBlock || 0)).toLocaleString() + ' blocks behind' : ' not answering')).join(' · ');
  }

  const pm = (st.deployments || {}).perMinute || [];
  $('t-deploys').textContent = pm.length ? pm[pm.length - 1] : 0;
  $('t-deploys-30').textContent = pm.reduce((a, b) => a + b, 0) + ' in the last 30 minutes';
}

function median(xs) {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function renderSync(sync) {
  $('sync-state').textContent = sync.state || '—';
  const c = sync.catchUp || {};
  const bar = $('sync-bar');
  if (c.running && c.total > 0) {
    const pct = Math.min(100, 100 * c.done / c.total);
    bar.style.width = pct.toFixed(1) + '%';
    const eta = c.etaSeconds >= 0 ? duration(c.etaSeconds) : 'unknown';
    $('sync-text').textContent = 'catching up: ' + c.done.toLocaleString() + ' of ' + c.total.toLocaleString() +
      ' entities (' + Math.round(c.perSecond) + '/s, ' + bytes(c.receivedBytes) + ' received), ETA ' + eta;
  } else {
    bar.style.width = sync.state === 'Bootstrapping' ? '5%' : '100%';
    $('sync-text').textContent = sync.state === 'Bootstrapping' ? 'waiting for a first reconciliation with a peer' : 'up to date with its peers';
  }
  const servers = sync.servers || [];
  const imp = sync.import || {};
  if (servers.length) {
    const up = servers.filter((s) => s.connectionState === 'Connected').length;
    let text = 'HTTP catalysts: ' + up + ' of ' + servers.length + ' in sync · ' + (imp.entities || 0).toLocaleString() + ' entities imported (' + bytes(imp.bytes || 0) + ')';
    if (imp.remaining > 0) text += ', ' + imp.remaining.toLocaleString() + ' to go' + (imp.eta ? ', ETA ' + imp.eta : '');
    $('sync-text').textContent += ' · ' + text;
  }
}

function renderDeployments(d) {
  drawChart($('chart'), d.perMinute || [], 'var(--accent)');
  const list = $('latest');
  const latest = d.latest || [];
  if (!latest.length) {
    list.replaceChildren(el('li', { class: 'empty' }, 'no deployment since the node started'));
    return;
  }
  const before = new Set([...list.querySelectorAll('li[data-id]')].map((li) => li.dataset.id));
  list.replaceChildren(...latest.map((x) => {
    const li = el('li', { 'data-id': x.entityId, class: before.size && !before.has(x.entityId) ? 'fresh' : '' },
      el('span', { class: 'type' }, x.type),
      el('span', { class: 'id mono' }, el('a', { href: '../content/contents/' + x.entityId, title: x.entityId + ' on ' + (x.pointers || []).join(' ') }, x.entityId)),
      el('span', { class: 'when' }, x.origin + ' · ' + ago(x.appliedAt)));
    return li;
  }));
  // A scene deployed since the map was read: read it again (at most every
  // 5 s; a scene that is history never shows, so it counts as seen).
  const unseen = latest.filter((x) => x.type === 'scene' && !view.known.has(x.entityId));
  if (unseen.length && Date.now() - view.scenesAt > 5000) {
    unseen.forEach((x) => view.known.add(x.entityId));
    loadScenes();
  }
}

function renderPeers(peers, n) {
  const addrs = (n.p2p || []).length;
  $('p2p-addrs').textContent = addrs ? 'listening on ' + addrs + ' address' + (addrs === 1 ? '' : 'es') : '';
  const body = $('peers');
  if (!peers.length) {
    body.replaceChildren(el('tr', {}, el('td', { colspan: '4', class: 'empty' }, 'no peer connected — join one with --bootstrap <its multiaddr from /p2p/info>')));
    return;
  }
  body.replaceChildren(...peers.map((p) => {
    const ms = p.latencyMs || 0;
    const cls = ms === 0 ? '' : ms < 50 ? 'lat-good' : ms < 200 ? 'lat-mid' : 'lat-bad';
    return el('tr', {},
      el('td', { class: 'mono', title: p.peerId }, short(p.peerId)),
      el('td', { class: cls }, ms ? ms.toFixed(1) + ' ms' : '—'),
      el('td', {}, ago(p.connectedSince)),
      el('td', { class: 'mono' }, (p.addrs || []).join(' ')));
  }));
}

function renderRooms(rooms, n) {
  $('rtc-addrs').textContent = (n.rtc || []).length ? 'WebRTC on ' + n.rtc.join(', ') : '';
  const list = $('rooms');
  if (!rooms.length) {
    list.replaceChildren(el('li', { class: 'empty' }, 'no one in a room'));
    return;
  }
  list.replaceChildren(...rooms.map((r) => el('li', { title: (r.participants || []).join('\n') },
    el('span', { class: 'mono' }, r.name), el('span', { class: 'count' }, (r.participants || []).length + ' in'))));
}

function renderSystem(rt, n) {
  $('s-heap').textContent = bytes(rt.heapBytes || 0);
  $('s-sys').textContent = bytes(rt.sysBytes || 0);
  $('s-goroutines').textContent = rt.goroutines || 0;
  $('s-db').textContent = bytes((rt.disk || {}).db || 0);
  $('s-blobs').textContent = bytes((rt.disk || {}).blobs || 0);
  $('s-data').textContent = n.dataDir || '—';
  view.heap.push(rt.heapBytes || 0);
  if (view.heap.length > 120) view.heap.shift();
  drawChart($('heap-chart'), view.heap, 'var(--violet)', true);
}

// --- charts ----------------------------------------------------------------

function cssColor(c) {
  return c.startsWith('var(') ? getComputedStyle(document.documentElement).getPropertyValue(c.slice(4, -1)).trim() : c;
}

function drawChart(canvas, values, color, line) {
  const ctx = canvas.getContext('2d');
  const w = canvas.width, h = canvas.height, pad = 18;
  ctx.clearRect(0, 0, w, h);
  let max = 1, min = Infinity;
  for (const v of values) {
    if (v > max) max = v;
    if (v < min) min = v;
  }
  min = line && min !== Infinity ? min * 0.9 : 0;
  ctx.strokeStyle = '#38333f';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(0, h - pad + 0.5);
  ctx.lineTo(w, h - pad + 0.5);
  ctx.stroke();
  ctx.fillStyle = '#a09ba8';
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillText(line ? bytes(values[values.length - 1] || 0) + ' now, ' + bytes(max) + ' at most' : String(max), 2, 11);
  const c = cssColor(color);
  if (line) {
    ctx.strokeStyle = c;
    ctx.lineWidth = 2;
    ctx.beginPath();
    values.forEach((v, i) => {
      const x = values.length > 1 ? i * (w / (values.length - 1)) : 0;
      const y = h - pad - (h - pad - 14) * (v - min) / Math.max(1, max - min);
      if (i) ctx.lineTo(x, y); else ctx.moveTo(x, y);
    });
    ctx.stroke();
    return;
  }
  const bw = w / Math.max(values.length, 1);
  values.forEach((v, i) => {
    const bh = (h - pad - 14) * v / max;
    const grad = ctx.createLinearGradient(0, h - pad - bh, 0, h - pad);
    grad.addColorStop(0, c);
    grad.addColorStop(1, '#a24bf3');
    ctx.fillStyle = grad;
    ctx.fillRect(i * bw + 2, h - pad - bh, Math.max(1, bw - 4), bh);
  });
  ctx.fillStyle = '#a09ba8';
  ctx.fillText('30 min ago', 2, h - 4);
  ctx.fillText('now', w - 24, h - 4);
}

// --- the map -----------------------------------------------------------------

function bounds() {
  if (view.whole) return CITY;
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  const add = (x, y) => {
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  };
  for (const [x, y] of view.scenes.parcels) add(x, y);
  for (const p of ((view.state || {}).comms || {}).people || []) add(p.parcel[0], p.parcel[1]);
  if (minX === Infinity) return CITY;
  const cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
  const half = Math.max(20, (maxX - minX) / 2 + 8, (maxY - minY) / 2 + 8);
  return { minX: Math.floor(cx - half), maxX: Math.ceil(cx + half), minY: Math.floor(cy - half), maxY: Math.ceil(cy + half) };
}

function drawMap() {
  const canvas = $('map');
  const ctx = canvas.getContext('2d');
  const b = bounds();
  const span = Math.max(b.maxX - b.minX + 1, b.maxY - b.minY + 1);
  const s = canvas.width / span;
  const px = (x) => (x - b.minX) * s;
  const py = (y) => (b.maxY - y) * s; // north up
  ctx.fillStyle = '#0f0e12';
  ctx.fillRect(0, 0, canvas.width, canvas.height);

  // the city's land, and a grid every 10 parcels
  ctx.fillStyle = '#1b1920';
  ctx.fillRect(px(CITY.minX), py(CITY.maxY), (CITY.maxX - CITY.minX + 1) * s, (CITY.maxY - CITY.minY + 1) * s);
  ctx.strokeStyle = 'rgba(255,255,255,0.05)';
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let x = Math.ceil(b.minX / 10) * 10; x <= b.maxX; x += 10) { ctx.moveTo(px(x), 0); ctx.lineTo(px(x), canvas.height); }
  for (let y = Math.ceil(b.minY / 10) * 10; y <= b.maxY; y += 10) { ctx.moveTo(0, py(y)); ctx.lineTo(canvas.width, py(y)); }
  ctx.stroke();
  if (b.minX <= 0 && b.maxX >= 0 && b.minY <= 0 && b.maxY >= 0) {
    ctx.strokeStyle = 'rgba(255,255,255,0.14)';
    ctx.strokeRect(px(0), py(0), s, s);
  }

  // scenes
  for (const [x, y, i] of view.scenes.parcels) {
    ctx.fillStyle = 'hsl(' + hue(view.scenes.scenes[i]) + ', 70%, 58%)';
    ctx.fillRect(px(x) + 0.5, py(y) + 0.5, Math.max(1, s - 1), Math.max(1, s - 1));
  }

  const comms = (view.state || {}).comms || {};
  // islands (centres and radii are in metres)
  ctx.strokeStyle = 'rgba(255,45,85,0.85)';
  ctx.lineWidth = 2;
  for (const is of comms.islands || []) {
    const x = is.center[0] / PARCEL_METRES, y = is.center[2] / PARCEL_METRES;
    const r = Math.max(s * 1.5, (is.radius / PARCEL_METRES) * s + s);
    ctx.beginPath();
    ctx.arc(px(x) + s / 2, py(y) + s / 2, r, 0, 2 * Math.PI);
    ctx.stroke();
  }
  // people
  ctx.fillStyle = '#ffbc5b';
  for (const p of comms.people || []) {
    ctx.beginPath();
    ctx.arc(px(p.parcel[0]) + s / 2, py(p.parcel[1]) + s / 2, Math.max(2.5, s / 3), 0, 2 * Math.PI);
    ctx.fill();
  }
  const scenes = view.scenes.scenes.length;
  $('map-caption').textContent = scenes + ' scene' + (scenes === 1 ? '' : 's') + ' on ' + view.scenes.parcels.length +
    ' parcels · ' + (comms.people || []).length + ' people · showing ' + b.minX + ',' + b.minY + ' to ' + b.maxX + ',' + b.maxY;
  view.mapTransform = { b, s };
}

function sceneAt(x, y) {
  for (const [px, py, i] of view.scenes.parcels) if (px === x && py === y) return view.scenes.scenes[i];
  return '';
}

function setupMap() {
  const canvas = $('map'), tip = $('map-tip');
  canvas.addEventListener('mousemove', (ev) => {
    const t = view.mapTransform;
    if (!t) return;
    const r = canvas.getBoundingClientRect();
    const k = canvas.width / r.width;
    const x = Math.floor((ev.clientX - r.left) * k / t.s) + t.b.minX;
    const y = t.b.maxY - Math.floor((ev.clientY - r.top) * k / t.s);
    const id = sceneAt(x, y);
    tip.hidden = false;
    tip.textContent = x + ',' + y + (id ? ' · ' + short(id) : '');
    tip.style.left = (ev.clientX - r.left + 14) + 'px';
    tip.style.top = (ev.clientY - r.top + 10) + 'px';
  });
  canvas.addEventListener('mouseleave', () => { tip.hidden = true; });
  canvas.addEventListener('click', (ev) => {
    const t = view.mapTransform;
    if (!t) return;
    const r = canvas.getBoundingClientRect();
    const k = canvas.width / r.width;
    const id = sceneAt(Math.floor((ev.clientX - r.left) * k / t.s) + t.b.minX, t.b.maxY - Math.floor((ev.clientY - r.top) * k / t.s));
    if (id) window.open('../content/contents/' + id, '_blank');
  });
  $('map-toggle').addEventListener('click', () => {
    view.whole = !view.whole;
    $('map-toggle').textContent = view.whole ? 'fit to content' : 'whole city';
    drawMap();
  });
}

let scenesLoading = null;
function loadScenes() {
  if (scenesLoading) return scenesLoading;
  view.scenesAt = Date.now();
  scenesLoading = fetch('api/scenes', { cache: 'no-store' })
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error('scenes: ' + r.status))))
    .then((data) => {
      view.scenes = data;
      data.scenes.forEach((id) => view.known.add(id));
      drawMap();
    })
    .catch((err) => console.warn('map not refreshed:', err.message))
    .finally(() => { scenesLoading = null; });
  return scenesLoading;
}

// --- the live stream -----------------------------------------------------

function connect() {
  const live = $('live');
  const es = new EventSource('api/live');
  // The browser retries a dropped stream by itself, but not a refused one
  // (503 past the limit, 502 from a proxy while the node restarts).
  es.addEventListener('error', () => {
    if (es.readyState === EventSource.CLOSED) setTimeout(connect, 5000);
  });
  es.addEventListener('state', (ev) => {
    live.className = 'live on';
    $('live-text').textContent = 'live';
    render(JSON.parse(ev.data));
  });
  es.onerror = () => {
    live.className = 'live off';
    $('live-text').textContent = 'reconnecting';
  };
}

setupMap();
loadScenes();
setInterval(loadScenes, 30000);
connect();
