// /graph: the scheduler's live graph, coloured by task state. A static page
// whose script polls /api/graph every second and lays the tasks out in
// columns by depth (a task sits one column right of its deepest input).
// Graphs larger than DashboardQuery::max_graph_tasks are not drawn.
#include <string>

#include "tools/dashboard/html_pages.hpp"

namespace tessera::tools {
namespace {

constexpr const char* graph_body = R"HTML(
<h2>Graph <span class="muted" id="graph-info"></span></h2>
<div class="legend" id="legend"></div>
<svg id="graph" width="100%" height="100"></svg>
<script>
"use strict";
const COLOURS = {released:'#bdbdbd', waiting:'#ffb74d', queued:'#fff176', processing:'#1e88e5', memory:'#2e7d32', erred:'#e53935'};
const $ = id => document.getElementById(id);
const esc = s => String(s).replace(/[&<>"']/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]));
$('legend').innerHTML = Object.entries(COLOURS).map(([k, c]) =>
  '<span style="margin-right:12px;font-size:12px"><i style="display:inline-block;width:10px;height:10px;background:' + c + '"></i> ' + k + '</span>').join('');
function depths(nodes) {
  const depth = new Array(nodes.length).fill(-1);
  const visit = i => {  // iterative: deep chains must not overflow the stack
    const stack = [[i, 0]];
    while (stack.length) {
      const top = stack[stack.length - 1], [n, k] = top, deps = nodes[n].deps;
      if (k < deps.length) { top[1]++; if (depth[deps[k]] < 0) stack.push([deps[k], 0]); continue; }
      depth[n] = deps.reduce((d, j) => Math.max(d, depth[j] + 1), 0);
      stack.pop();
    }
  };
  nodes.forEach((_, i) => { if (depth[i] < 0) visit(i); });
  return depth;
}
function render(g) {
  const svg = $('graph');
  if (!g.included) {
    $('graph-info').textContent = '(' + g.tasks_total + ' tasks: more than ' + g.limit + ', not drawn)';
    svg.innerHTML = ''; return;
  }
  $('graph-info').textContent = '(' + g.nodes.length + ' tasks)';
  const depth = depths(g.nodes), columns = [];
  g.nodes.forEach((n, i) => (columns[depth[i]] = columns[depth[i]] || []).push(i));
  const dx = 60, dy = 14, pos = [];
  columns.forEach((col, c) => col.forEach((i, r) => pos[i] = [20 + c * dx, 10 + r * dy]));
  let edges = '', nodes = '';
  g.nodes.forEach((n, i) => {
    for (const d of n.deps) edges += '<line x1="' + pos[d][0] + '" y1="' + pos[d][1] + '" x2="' + pos[i][0] + '" y2="' + pos[i][1] + '" stroke="#ccc"/>';
    nodes += '<a href="/info/task/' + encodeURIComponent(n.key) + '"><circle class="node" data-state="' + n.state + '" cx="' + pos[i][0] + '" cy="' + pos[i][1] +
      '" r="5" fill="' + (COLOURS[n.state] || '#000') + '"><title>' + esc(n.key) + ' (' + n.state + ')</title></circle></a>';
  });
  const rows = Math.max(1, ...columns.map(c => c.length));
  svg.setAttribute('height', 20 + rows * dy);
  svg.setAttribute('width', Math.max(200, 40 + columns.length * dx));
  svg.innerHTML = edges + nodes;
}
async function poll() {
  try {
    const r = await fetch('/api/graph', {cache: 'no-store'});
    if (!r.ok) throw new Error(r.status + ': ' + (await r.text()));
    render(await r.json());
  } catch (e) { $('graph-info').textContent = '(cannot reach the scheduler: ' + e.message + ')'; }
  setTimeout(poll, 1000);
}
poll();
</script>)HTML";

}  // namespace

const std::string& graph_page() {
  static const std::string page = std::string("<!DOCTYPE html><html><head><meta charset=\"utf-8\">") +
                                  "<title>Graph — Tessera</title>" + std::string(page_style()) + "</head><body>" +
                                  std::string(page_nav()) + "<main>" + graph_body + "</main></body></html>";
  return page;
}

}  // namespace tessera::tools
