// SchedulerState: graceful retire (steps 1-3 of "Graceful retire" in scheduler_state.hpp).
#include <algorithm>

#include "actors/scheduler/scheduler_state.hpp"
#include "runtime/util/error.hpp"

namespace tessera::actors {

void SchedulerState::retire_workers(const std::vector<WorkerId>& ids, Outbox& out) {
  // Check everything first: a refused retire changes nothing.
  std::vector<char> leaving(workers_.size(), 0);
  for (auto w : ids) {
    if (w >= workers_.size() || !workers_[w].alive)
      throw KeyError("retire_workers: no worker with id " + std::to_string(w) + " is registered");
    leaving[w] = 1;
  }
  bool someone_stays = false;
  for (WorkerId w = 0; w < workers_.size(); ++w) someone_stays = someone_stays || (workers_[w].accepting() && !leaving[w]);
  if (!someone_stays)
    for (auto w : ids) {
      const auto& wr = workers_[w];
      if (wr.processing.empty() && wr.has_what.empty()) continue;
      throw ValueError("retire_workers: cannot retire " + (wr.name.empty() ? "worker " + std::to_string(w) : wr.name) +
                       ": it holds " + std::to_string(wr.has_what.size()) + " keys and " +
                       std::to_string(wr.processing.size()) +
                       " tasks, and no other worker would remain to take them (add a worker first)");
    }
  // 1. No new work; assigned work is offered to the others.
  for (auto w : ids) {
    auto& wr = workers_[w];
    if (wr.retiring) continue;
    wr.retiring = true;
    ++retiring_;
    std::vector<TaskId> offer;
    for (auto id : wr.processing)
      if (!tasks_[slot_of(id)].steal_pending) offer.push_back(id);
    std::sort(offer.begin(), offer.end());
    if (!offer.empty() && someone_stays) request_steal(w, std::move(offer), out);
  }
  for (auto w : ids) advance_retire(w, out);
}

void SchedulerState::advance_retirements(Outbox& out) {
  for (WorkerId w = 0; w < workers_.size(); ++w)
    if (workers_[w].retiring) advance_retire(w, out);
}

void SchedulerState::advance_retire(WorkerId worker, Outbox& out) {
  auto& wr = workers_[worker];
  if (!wr.alive || !wr.retiring || !wr.processing.empty()) return;  // its tasks finish first
  // Copies of keys it no longer holds are not waited for.
  for (auto it = wr.copying.begin(); it != wr.copying.end();) {
    if (!wr.has_what.contains(it->first)) wr.copying.erase(it++);
    else ++it;
  }
  // 2. Every key no staying worker holds is copied to the one with least data.
  std::vector<TaskId> held(wr.has_what.begin(), wr.has_what.end());
  std::sort(held.begin(), held.end());
  std::vector<std::size_t> planned;
  bool unique_left = false;
  for (auto id : held) {
    const auto& t = tasks_[slot_of(id)];
    bool safe = std::any_of(t.who_has.begin(), t.who_has.end(),
                            [&](WorkerId h) { return h != worker && workers_[h].accepting(); });
    if (safe) {
      wr.copying.erase(id);
      continue;
    }
    unique_left = true;
    if (wr.copying.contains(id)) continue;  // a copy is on its way
    if (planned.empty())
      for (const auto& r : workers_) planned.push_back(r.nbytes);
    std::optional<WorkerId> receiver;
    for (WorkerId r = 0; r < workers_.size(); ++r)
      if (workers_[r].accepting() && (!receiver || planned[r] < planned[*receiver])) receiver = r;
    if (!receiver) continue;  // nobody to take it yet: wait for a worker to join
    planned[*receiver] += t.nbytes;
    out.acquire[*receiver].push_back(DepLocation{id, t.key, {wr.handle}});
    wr.copying.emplace(id, *receiver);
  }
  if (unique_left) return;
  // 3. Nothing it holds is needed from it any more. Clients learn the keys'
  //    remaining holders (they gather from those), then it is closed.
  out.close.push_back(worker);
  detach_worker(worker);
  for (auto id : held)
    if (const auto* t = get(id); t && t->state == TaskState::memory && !t->who_has.empty()) report(*t, id, out);
}

void SchedulerState::detach_worker(WorkerId worker) {
  auto& wr = workers_[worker];
  for (auto id : wr.has_what) {
    auto& hs = tasks_[slot_of(id)].who_has;
    hs.erase(std::remove(hs.begin(), hs.end(), worker), hs.end());
  }
  for (auto id : wr.steal_requested)
    if (auto* t = get(id)) t->steal_pending = false;
  wr.has_what.clear();
  wr.processing.clear();
  wr.steal_requested.clear();
  wr.copying.clear();
  wr.nbytes = 0;
  wr.alive = false;
  if (wr.retiring) {
    wr.retiring = false;
    --retiring_;
  }
}

}  // namespace tessera::actors
