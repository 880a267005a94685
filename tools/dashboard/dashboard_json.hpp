#pragma once
// The dashboard's JSON (/api/...): one function per document, from a
// snapshot of the scheduler. Field names follow Dask's where it has them.
#include <nlohmann/json.hpp>

#include "actors/scheduler/dashboard_snapshot.hpp"

namespace tessera::tools {

/// /api/status: time, tasks per state, workers, prefixes, the task stream.
nlohmann::json status_json(const actors::DashboardSnapshot& s);
/// /api/workers: {"workers": [...]}.
nlohmann::json workers_json(const actors::DashboardSnapshot& s);
/// /api/graph: the live graph, or included=false when it is too large.
nlohmann::json graph_json(const actors::DashboardSnapshot& s);
/// /api/task/KEY: one task (the snapshot must hold it).
nlohmann::json task_json(const actors::TaskDetail& t);
/// One worker, as in /api/workers.
nlohmann::json worker_json(const actors::DashboardWorker& w);
/// Tasks per state: {"released": n, ..., "erred": n, "total": n}.
nlohmann::json task_counts_json(const actors::DashboardSnapshot& s);

}  // namespace tessera::tools
