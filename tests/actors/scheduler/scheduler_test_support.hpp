#pragma once
// Test support for SchedulerState tests: graphs of `add` tasks, outcomes, and
// a fixture that plays the workers (takes what the Outbox sends them, reports
// their outcomes back). Worker handles are distinct dummy actors, so that
// holders in messages can be told apart.
#include <gtest/gtest.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "actors/scheduler/scheduler_state.hpp"
#include "runtime/registry/make_function.hpp"

namespace tessera::actors::sched_test {

inline FunctionPtr add_fn() {
  static auto fn = make_function("add", [](std::int64_t a, std::int64_t b) { return a + b; });
  return fn;
}

/// A task `key = add(args...)`; Key("x") args reference other tasks.
inline TaskSpec task(const std::string& key, ArgList args) {
  return TaskSpec{Key(key), add_fn(), std::move(args)};
}
inline TaskSpec root(const std::string& key, std::int64_t v = 1) { return task(key, {Value(v), Value(v)}); }

inline GraphSubmissionPtr submission(std::vector<TaskSpec> tasks, std::vector<Key> wanted) {
  auto s = std::make_shared<GraphSubmission>();
  s->graph = optimize(HighLevelGraph({make_layer("g", std::move(tasks))}), wanted,
                      OptimizeOptions{.cull = true, .fuse = false});
  s->wanted = std::move(wanted);
  return s;
}

inline TaskOutcome ok(TaskId id, std::size_t nbytes = 8, double seconds = 0.001) {
  TaskOutcome o;
  o.id = id;
  o.nbytes = nbytes;
  o.start = 1000.0;
  o.stop = 1000.0 + seconds;
  return o;
}

/// What a worker reports when it could not fetch input `dep` from `from`.
inline TaskOutcome missing(TaskId id, TaskId dep, caf::actor from) {
  TaskOutcome o;
  o.id = id;
  o.ok = false;
  o.missing_data = true;
  o.missing_dep = dep;
  o.missing_from = std::move(from);
  o.error_function = "fetch";
  o.error_message = "could not get input";
  return o;
}

inline std::vector<std::string> keys_of(const ComputeBatch& batch) {
  std::vector<std::string> keys;
  for (const auto& ct : batch) keys.push_back(ct.spec->key.str());
  std::sort(keys.begin(), keys.end());
  return keys;
}

class SchedulerFixture : public ::testing::Test {
 private:
  // First, so that it outlives every handle held by the state and the Outbox.
  caf::actor_system_config cfg_;
  caf::actor_system sys_;

 protected:
  explicit SchedulerFixture(SchedulerOptions options = {}) : sys_(cfg_), state(options) {
    client = state.add_client(caf::actor{});
  }
  ~SchedulerFixture() override {
    for (auto& h : handles_) caf::anon_send_exit(h, caf::exit_reason::user_shutdown);
  }

  /// Registers a worker with its own dummy actor handle.
  WorkerId add_worker(const std::string& name, std::uint32_t nthreads = 2, double now = 0) {
    auto h = sys_.spawn([]() -> caf::behavior { return {[](int) {}}; });
    handles_.push_back(h);
    return state.add_worker(h, name, nthreads, out, now);
  }
  const caf::actor& handle(WorkerId w) const { return state.worker_handle(w); }

  /// Takes the compute batch queued for a worker (leaves the rest of the Outbox).
  ComputeBatch take(WorkerId w) {
    auto it = out.compute.find(w);
    if (it == out.compute.end()) return {};
    auto batch = std::move(it->second);
    out.compute.erase(it);
    return batch;
  }
  /// Reports every task of `batch` finished on `w`.
  void finish(WorkerId w, const ComputeBatch& batch, std::size_t nbytes = 8, double seconds = 0.001) {
    OutcomeBatch outcomes;
    for (const auto& ct : batch) outcomes.push_back(ok(ct.id, nbytes, seconds));
    state.tasks_finished(w, outcomes, out);
  }
  TaskId id(const std::string& key) const {
    auto id = state.task_id(Key(key));
    EXPECT_TRUE(id) << key << " is not on the scheduler";
    return id.value_or(0);
  }
  const TaskRecord& rec(const std::string& key) const {
    const auto* t = state.find(Key(key));
    if (!t) throw std::runtime_error(key + " is not on the scheduler");
    return *t;
  }
  TaskState state_of(const std::string& key) const { return rec(key).state; }
  std::vector<WorkerId> who_has(const std::string& key) const {
    const auto& t = rec(key);
    std::vector<WorkerId> ws(t.who_has.begin(), t.who_has.end());
    std::sort(ws.begin(), ws.end());
    return ws;
  }
  const WorkerInfo* info_of(WorkerId w) const {
    info_ = state.info();
    for (const auto& wi : info_.workers)
      if (wi.id == w) return &wi;
    return nullptr;
  }
  /// Runs a graph to completion on the workers, `rounds` batches at most;
  /// returns how many tasks each worker ran.
  std::vector<std::size_t> run_all(int rounds = 1000) {
    std::vector<std::size_t> ran(state.info().workers.size() + 8, 0);
    for (int i = 0; i < rounds && !out.compute.empty(); ++i) {
      auto compute = std::move(out.compute);
      out.compute.clear();
      for (auto& [w, batch] : compute) {
        if (w >= ran.size()) ran.resize(w + 1, 0);
        ran[w] += batch.size();
        finish(w, batch);
      }
    }
    return ran;
  }

  SchedulerState state;
  Outbox out;
  ClientId client = 0;

 private:
  std::vector<caf::actor> handles_;
  mutable SchedulerInfo info_;
};

}  // namespace tessera::actors::sched_test
