// SchedulerState: heartbeats, their metrics, and workers whose heartbeats stopped.
#include "actors/scheduler/scheduler_state.hpp"

#include <algorithm>

namespace tessera::actors {

bool SchedulerState::heartbeat(WorkerId worker, const WorkerMetrics& metrics, double now, Outbox& out) {
  if (worker >= workers_.size() || !workers_[worker].alive) return false;
  auto& wr = workers_[worker];
  wr.metrics = metrics;
  wr.last_seen = std::max(wr.last_seen, now);
  if (wr.paused != metrics.paused) {
    wr.paused = metrics.paused;
    if (!wr.paused) {  // resumed: what waited for a running worker goes now
      place_waiting(out);
      fill_workers(out);
    }
    balance(out);  // paused: its queue goes to running workers; resumed: it may steal
  }
  return true;
}

std::vector<WorkerId> SchedulerState::expired_workers(double now, double timeout) const {
  std::vector<WorkerId> expired;
  for (WorkerId w = 0; w < workers_.size(); ++w)
    if (workers_[w].alive && now - workers_[w].last_seen > timeout) expired.push_back(w);
  return expired;
}

std::size_t SchedulerState::num_workers() const noexcept {
  std::size_t n = 0;
  for (const auto& w : workers_) n += w.accepting();
  return n;
}

}  // namespace tessera::actors
