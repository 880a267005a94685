// SchedulerState::restart: every task forgotten, clients told, workers cleared.
#include <algorithm>

#include "actors/scheduler/scheduler_state.hpp"

namespace tessera::actors {

void SchedulerState::restart(Outbox& out) {
  // Clients: every key they held is cancelled.
  for (ClientId c = 0; c < clients_.size(); ++c) {
    auto& cr = clients_[c];
    if (cr.alive) {
      std::vector<TaskId> ids(cr.wants.begin(), cr.wants.end());
      std::sort(ids.begin(), ids.end());
      for (auto id : ids) {
        const auto* t = get(id);
        if (!t) continue;
        KeyReport r;
        r.key = t->key;
        r.id = id;
        r.status = KeyReport::Status::cancelled;
        r.error_message = "cluster restarted";
        out.reports[c].push_back(std::move(r));
      }
    }
    cr.wants.clear();
  }
  datasets_.clear();
  // Tasks: every record forgotten; slots keep their generation, so a late
  // outcome of an old task never aliases a new one.
  for (std::uint32_t slot = 0; slot < tasks_.size(); ++slot) {
    auto& t = tasks_[slot];
    if (!t.alive) continue;
    auto generation = t.generation;
    t = TaskRecord{};
    t.generation = generation;
    free_slots_.push_back(slot);
  }
  key_index_.clear();
  root_queue_.clear();
  no_worker_.clear();
  // Workers: nothing queued for them is sent; they drop everything.
  for (WorkerId w = 0; w < workers_.size(); ++w) {
    auto& wr = workers_[w];
    if (!wr.alive) continue;
    out.compute.erase(w);
    out.free.erase(w);
    out.store.erase(w);
    out.refresh.erase(w);
    out.steal.erase(w);
    out.acquire.erase(w);
    out.clear.push_back(w);
    wr.processing.clear();
    wr.has_what.clear();
    wr.steal_requested.clear();
    wr.copying.clear();
    wr.nbytes = 0;
  }
  if (retiring_ > 0) advance_retirements(out);  // they hold nothing now: close them
}

}  // namespace tessera::actors
