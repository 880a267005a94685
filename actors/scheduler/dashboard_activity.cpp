#include "actors/scheduler/dashboard_activity.hpp"

#include <algorithm>

#include "actors/scheduler/scheduler_state.hpp"

namespace tessera::actors {

void DurationHistogram::add(double seconds) {
  for (std::size_t i = 0; i < bounds.size(); ++i)
    if (seconds <= bounds[i]) ++counts[i];
  ++count;
  sum += seconds;
}

DashboardActivity::DashboardActivity(std::size_t capacity) : ring_(std::max<std::size_t>(1, capacity)) {}

void DashboardActivity::tasks_finished(const SchedulerState& state, WorkerId worker, const OutcomeBatch& outcomes) {
  for (const auto& o : outcomes) {
    const auto* t = state.find(o.id);
    if (!t || t->state != TaskState::processing || t->processing_on != worker || o.missing_data) continue;
    TaskStreamRecord r;
    r.key = t->key.str();
    r.prefix = std::string(t->key.prefix());
    r.worker = worker;
    r.start = o.start;
    r.stop = std::max(o.start, o.stop);
    r.ok = o.ok;
    r.lane = lane_for(worker, r.start, r.stop);
    durations_.add(r.stop - r.start);
    ++(o.ok ? finished_ : failed_);
    if (o.ok) {
      auto it = prefixes_.find(r.prefix);
      if (it == prefixes_.end()) it = prefixes_.emplace(r.prefix, PrefixCount{}).first;
      if (it->second.idle) it->second = PrefixCount{};
      ++it->second.done;
      it->second.last_done = r.stop;
    }
    record(std::move(r));
  }
}

void DashboardActivity::data_fetched(const SchedulerState& state, const std::vector<TaskId>& ids) {
  for (auto id : ids)
    if (const auto* t = state.find(id)) bytes_transferred_ += t->nbytes;
}

void DashboardActivity::worker_activity(WorkerId worker, const std::vector<WorkerActivity>& activity) {
  for (const auto& a : activity) {
    TaskStreamRecord r;
    r.kind = a.kind;
    r.prefix = stream_kind_name(a.kind);
    r.key = a.count > 1 ? a.key + " and " + std::to_string(a.count - 1) + " more" : a.key;
    r.worker = worker;
    r.start = a.start;
    r.stop = std::max(a.start, a.stop);
    r.bytes = a.bytes;
    r.lane = lane_for(worker, r.start, r.stop);
    record(std::move(r));
  }
}

/// Of the lanes free when the task started, the one freed last (the lane of
/// the thread that ran the task just before, when tasks abut): records come
/// in order of completion, not of start, and the first free lane would push
/// a thread's next task onto a third lane of a two-thread worker. When no
/// lane is free (clock skew), the one that frees first.
std::uint32_t DashboardActivity::lane_for(WorkerId worker, double start, double stop) {
  auto& lanes = lane_free_at_[worker];
  std::size_t best = lanes.size();
  for (std::size_t i = 0; i < lanes.size(); ++i)
    if (lanes[i] <= start && (best == lanes.size() || lanes[i] > lanes[best])) best = i;
  if (best == lanes.size()) {
    // Bounded: a worker's rows never outnumber its threads by much.
    if (lanes.size() < 64) lanes.push_back(0);
    else best = static_cast<std::size_t>(std::min_element(lanes.begin(), lanes.end()) - lanes.begin());
  }
  lanes[best] = stop;
  return static_cast<std::uint32_t>(best);
}

void DashboardActivity::record(TaskStreamRecord r) {
  ring_[next_] = std::move(r);
  if (++next_ == ring_.size()) {
    next_ = 0;
    full_ = true;
  }
}

void DashboardActivity::drop_old_prefixes(double now) {
  constexpr double keep_idle_seconds = 600;
  for (auto it = prefixes_.begin(); it != prefixes_.end();)
    it = it->second.idle && now - it->second.last_done > keep_idle_seconds ? prefixes_.erase(it) : std::next(it);
}

void DashboardActivity::fill(DashboardSnapshot& s, double since) {
  // The stream, oldest first.
  std::size_t n = size(), first = full_ ? next_ : 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& r = ring_[(first + i) % ring_.size()];
    if (r.stop > since) s.stream.push_back(r);
  }
  drop_old_prefixes(s.time);
  // Prefixes: the state's live counts, plus completions; prefixes whose
  // tasks are all forgotten appear with their completions only.
  std::map<std::string, PrefixProgress, std::less<>> merged;
  for (auto& p : s.prefixes) merged.emplace(p.prefix, std::move(p));
  for (auto& [name, count] : prefixes_) {
    auto& p = merged[name];
    p.prefix = name;
    p.done = count.done;
  }
  s.prefixes.clear();
  for (auto& [name, p] : merged) {
    auto c = prefixes_.find(name);
    if (c != prefixes_.end()) c->second.idle = p.processing == 0 && p.waiting == 0;
    s.prefixes.push_back(std::move(p));
  }
  s.durations = durations_;
  s.tasks_finished = finished_;
  s.tasks_failed = failed_;
  s.bytes_transferred = bytes_transferred_;
}

}  // namespace tessera::actors
