// /status: the live page. A static document whose script polls
// /api/status every 500 ms (asking only for task-stream records newer than
// those it has) and redraws: tasks per state, the task stream (one row per
// worker thread, a bar per task coloured by its prefix), a progress bar per
// prefix (in memory, processing, waiting, erred) and per-worker memory and
// CPU bars. Progress rows carry data-prefix and data-complete, worker rows
// data-worker: the browser test reads them.
#include <string>

#include "tools/dashboard/html_pages.hpp"

namespace tessera::tools {
namespace {

constexpr const char* status_css = R"CSS(<style>
#summary span.state{display:inline-block;margin-right:14px}
.bar{position:relative;height:14px;background:#e4e4e4;border-radius:2px;overflow:hidden;width:100%}
.seg{position:absolute;top:0;height:100%}
.row{display:grid;grid-template-columns:160px 1fr 120px;gap:8px;align-items:center;font-size:12px;margin:3px 0}
.wrow{display:grid;grid-template-columns:120px 1fr 1fr 150px;gap:8px;align-items:center;font-size:12px;margin:3px 0}
.legend span{display:inline-block;margin-right:12px;font-size:12px}
.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle}
#stream{background:#fff;border:1px solid #ddd}
</style>)CSS";

constexpr const char* status_body = R"HTML(
<div id="summary"></div>
<h2>Task stream <span class="muted" id="stream-window"></span></h2>
<svg id="stream" width="100%" height="40"></svg>
<h2>Progress</h2>
<div class="legend"><span><i style="background:#2e7d32"></i>in memory / done</span><span><i style="background:#1e88e5"></i>processing</span><span><i style="background:#bdbdbd"></i>waiting</span><span><i style="background:#e53935"></i>erred</span></div>
<div id="progress"></div>
<h2>Workers</h2>
<div class="legend"><span><i style="background:#43a047"></i>managed memory</span><span><i style="background:#8e24aa"></i>spilled</span><span><i style="background:#90a4ae"></i>process memory</span><span><i style="background:#fb8c00"></i>cpu</span></div>
<div id="workers"></div>
<p class="muted" id="conn">connecting…</p>
<script>
"use strict";
const WINDOW = 20;          // seconds of task stream shown
const KEEP = 5000;          // stream records kept in the page
let since = 0, records = [];
const $ = id => document.getElementById(id);
const esc = s => String(s).replace(/[&<>"']/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]));
// Transfers and spills in colours of their own (as Dask: transfers red).
const KIND_COLOURS = {transfer: '#d62728', spill: '#8c564b', unspill: '#e7969c'};
function barColour(r) {
  if (!r.ok) return '#000';
  return KIND_COLOURS[r.kind] || colour(r.prefix);
}
function colour(prefix) {
  let h = 0;
  for (const c of prefix) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return 'hsl(' + (h % 360) + ',65%,50%)';
}
function bytes(n) {
  const u = ['B','KiB','MiB','GiB','TiB']; let i = 0;
  while (n >= 1024 && i < 4) { n /= 1024; i++; }
  return (i ? n.toFixed(1) : n.toFixed(0)) + ' ' + u[i];
}
function pct(x, total) { return total > 0 ? Math.min(100, 100 * x / total) : 0; }
function seg(left, width, colour) {
  return '<div class="seg" style="left:' + left + '%;width:' + width + '%;background:' + colour + '"></div>';
}
function renderSummary(s) {
  const t = s.tasks;
  $('summary').innerHTML = ['waiting','queued','processing','memory','erred','released'].map(k =>
    '<span class="state" id="state-' + k + '">' + k + ': <b>' + t[k] + '</b></span>').join('') +
    '<span class="state">workers: <b id="n-workers">' + s.workers.length + '</b></span>' +
    '<span class="state">finished: <b>' + s.tasks_finished + '</b></span>';
}
function renderProgress(s) {
  $('progress').innerHTML = s.prefixes.filter(p => p.total > 0).map(p => {
    const done = Math.max(p.done, p.memory), total = p.total;
    const complete = p.processing === 0 && p.waiting === 0 && p.erred === 0 && done > 0;
    let x = 0, html = '';
    for (const [n, c] of [[done, '#2e7d32'], [p.processing, '#1e88e5'], [p.waiting, '#bdbdbd'], [p.erred, '#e53935']]) {
      const w = pct(n, total); html += seg(x, w, c); x += w;
    }
    return '<div class="row progress" data-prefix="' + esc(p.prefix) + '" data-complete="' + complete + '">' +
      '<span>' + esc(p.prefix) + '</span><div class="bar">' + html + '</div>' +
      '<span class="count">' + done + ' / ' + total + (p.erred ? ' (' + p.erred + ' erred)' : '') + '</span></div>';
  }).join('');
}
function renderWorkers(s) {
  $('workers').innerHTML = s.workers.map(w => {
    const m = w.memory, limit = m.limit || Math.max(m.rss, m.managed + m.spilled, 1);
    const mem = seg(0, pct(m.rss, limit), '#90a4ae') + seg(0, pct(m.managed, limit), '#43a047') +
                seg(pct(m.managed, limit), pct(m.spilled, limit), '#8e24aa');
    const cpu = seg(0, pct(w.cpu, 100 * Math.max(1, w.nthreads)), '#fb8c00');
    return '<div class="wrow worker" data-worker="' + esc(w.name) + '"><span>' + esc(w.name) + ' (' + w.nthreads +
      ')</span><div class="bar" title="memory">' + mem + '</div><div class="bar" title="cpu">' + cpu + '</div><span>' +
      bytes(m.managed) + ' · ' + Math.round(w.cpu) + '% · ' + w.executing + ' running</span></div>';
  }).join('');
}
function renderStream(s) {
  const names = {}; s.workers.forEach(w => names[w.id] = w);
  const end = Math.max(s.time, ...records.map(r => r.stop)), start = end - WINDOW;
  const shown = records.filter(r => r.stop >= start);
  const lanes = {};  // worker -> rows
  s.workers.forEach(w => lanes[w.id] = w.nthreads);
  shown.forEach(r => lanes[r.worker] = Math.max(lanes[r.worker] || 0, r.lane + 1));
  const workers = Object.keys(lanes).map(Number).sort((a, b) => a - b);
  const rowH = 14, labelW = 110, svg = $('stream'), width = svg.clientWidth || 800, plotW = width - labelW;
  const rowOf = {}; let row = 0;
  let html = '';
  for (const w of workers) {
    rowOf[w] = row;
    const name = names[w] ? names[w].name : 'worker ' + w;
    for (let l = 0; l < lanes[w]; l++, row++)
      html += '<text x="2" y="' + (row * rowH + 11) + '" font-size="10">' + esc(name) + '/' + l + '</text>';
  }
  for (const r of shown) {
    const x = labelW + Math.max(0, (r.start - start) / WINDOW * plotW);
    const w = Math.max(1, (r.stop - Math.max(r.start, start)) / WINDOW * plotW);
    const y = (rowOf[r.worker] + r.lane) * rowH + 1;
    html += '<rect class="task" x="' + x.toFixed(1) + '" y="' + y + '" width="' + w.toFixed(1) + '" height="' +
      (rowH - 2) + '" fill="' + barColour(r) + '" data-kind="' + esc(r.kind || 'task') + '"><title>' +
      (r.kind && r.kind !== 'task' ? esc(r.kind) + ' ' + bytes(r.bytes || 0) + ': ' : '') + esc(r.key) + ' ' +
      ((r.stop - r.start) * 1000).toFixed(1) + ' ms</title></rect>';
  }
  svg.setAttribute('height', Math.max(1, row) * rowH + 4);
  svg.innerHTML = html;
  $('stream-window').textContent = '(last ' + WINDOW + ' s; ' + shown.length + ' tasks)';
}
async function poll() {
  try {
    const r = await fetch('/api/status?since=' + since, {cache: 'no-store'});
    if (!r.ok) throw new Error(r.status + ': ' + (await r.text()));
    const s = await r.json();
    for (const rec of s.stream) { records.push(rec); since = Math.max(since, rec.stop); }
    if (records.length > KEEP) records = records.slice(records.length - KEEP);
    renderSummary(s); renderProgress(s); renderWorkers(s); renderStream(s);
    $('conn').textContent = 'updated ' + new Date(s.time * 1000).toLocaleTimeString();
    $('conn').dataset.ok = 'true';
  } catch (e) {
    $('conn').textContent = 'cannot reach the scheduler: ' + e.message;
    $('conn').dataset.ok = 'false';
  }
  setTimeout(poll, 500);
}
poll();
</script>)HTML";

}  // namespace

const std::string& status_page() {
  static const std::string page = std::string("<!DOCTYPE html><html><head><meta charset=\"utf-8\">") +
                                  "<title>Status — Tessera</title>" + std::string(page_style()) + status_css +
                                  "</head><body>" + std::string(page_nav()) + "<main>" + status_body +
                                  "</main></body></html>";
  return page;
}

}  // namespace tessera::tools
