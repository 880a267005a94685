#include "tools/dashboard/dashboard_json.hpp"

#include "actors/scheduler/scheduler_state.hpp"

namespace tessera::tools {

using nlohmann::json;

json task_counts_json(const actors::DashboardSnapshot& s) {
  json j = json::object();
  for (std::size_t i = 0; i < s.tasks_by_state.size(); ++i)
    j[std::string(actors::task_state_name(static_cast<actors::TaskState>(i)))] = s.tasks_by_state[i];
  j["total"] = s.tasks_total;
  return j;
}

json worker_json(const actors::DashboardWorker& w) {
  const auto& m = w.metrics;
  return {{"id", w.id},
          {"name", w.name},
          {"address", w.address},
          {"nthreads", w.nthreads},
          {"processing", w.processing},
          {"executing", m.executing},
          {"ready", m.ready},
          {"in_flight", m.in_flight},
          {"keys_in_memory", w.keys_in_memory},
          {"memory", {{"managed", w.bytes_in_memory},
                      {"worker_managed", m.bytes_in_memory},
                      {"spilled", m.bytes_spilled},
                      {"rss", m.memory_rss},
                      {"limit", m.memory_limit},
                      {"spilled_total", m.spilled_total},
                      {"unspilled_total", m.unspilled_total},
                      {"spill_seconds", m.spill_seconds},
                      {"unspill_seconds", m.unspill_seconds},
                      {"paused", m.paused}}},
          {"cpu", m.cpu},
          {"last_seen", w.last_seen},
          {"retiring", w.retiring}};
}

json workers_json(const actors::DashboardSnapshot& s) {
  json workers = json::array();
  for (const auto& w : s.workers) workers.push_back(worker_json(w));
  return {{"time", s.time}, {"workers", std::move(workers)}};
}

namespace {

json prefixes_json(const actors::DashboardSnapshot& s) {
  json out = json::array();
  for (const auto& p : s.prefixes)
    out.push_back({{"prefix", p.prefix},
                   {"done", p.done},
                   {"memory", p.memory},
                   {"processing", p.processing},
                   {"waiting", p.waiting},
                   {"erred", p.erred},
                   {"total", p.total()}});
  return out;
}

json stream_json(const actors::DashboardSnapshot& s) {
  json out = json::array();
  for (const auto& r : s.stream)
    out.push_back({{"key", r.key},
                   {"prefix", r.prefix},
                   {"worker", r.worker},
                   {"lane", r.lane},
                   {"start", r.start},
                   {"stop", r.stop},
                   {"ok", r.ok},
                   {"kind", actors::stream_kind_name(r.kind)},
                   {"bytes", r.bytes}});
  return out;
}

}  // namespace

json status_json(const actors::DashboardSnapshot& s) {
  json workers = json::array();
  for (const auto& w : s.workers) workers.push_back(worker_json(w));
  return {{"time", s.time},
          {"tasks", task_counts_json(s)},
          {"clients", s.clients},
          {"tasks_finished", s.tasks_finished},
          {"tasks_failed", s.tasks_failed},
          {"bytes_transferred", s.bytes_transferred},
          {"workers", std::move(workers)},
          {"prefixes", prefixes_json(s)},
          {"stream", stream_json(s)}};
}

json graph_json(const actors::DashboardSnapshot& s) {
  json nodes = json::array();
  for (const auto& n : s.graph)
    nodes.push_back({{"key", n.key}, {"prefix", n.prefix}, {"state", n.state}, {"deps", n.deps}});
  return {{"included", s.graph_included},
          {"tasks_total", s.tasks_total},
          {"limit", actors::DashboardQuery::max_graph_tasks},
          {"nodes", std::move(nodes)}};
}

json task_json(const actors::TaskDetail& t) {
  return {{"key", t.key},
          {"state", t.state},
          {"prefix", t.prefix},
          {"nbytes", t.nbytes},
          {"priority", t.priority},
          {"who_has", t.who_has},
          {"processing_on", t.processing_on},
          {"dependencies", t.dependencies},
          {"dependents", t.dependents},
          {"wanted_by", t.wanted_by},
          {"error", t.error}};
}

}  // namespace tessera::tools
