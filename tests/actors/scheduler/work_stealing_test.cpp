// SchedulerState: elastic join and work stealing. A small simulator plays
// the workers: each runs its assigned tasks in priority order, `nthreads` at
// a time, and answers steal requests by giving back the tasks it has not
// started.
#include <gtest/gtest.h>

#include <limits>
#include <map>
#include <set>

#include "tests/actors/scheduler/scheduler_test_support.hpp"

namespace tessera::actors::sched_test {
namespace {

class WorkStealing : public SchedulerFixture {
 protected:
  WorkerId join(const std::string& name, std::uint32_t nthreads = 2) {
    auto w = add_worker(name, nthreads);
    threads_[w] = nthreads;
    deliver();
    return w;
  }
  /// Hands compute batches to the simulated workers and answers steal requests.
  void deliver() {
    while (!out.compute.empty() || !out.steal.empty()) {
      auto compute = std::move(out.compute);
      out.compute.clear();
      for (auto& [w, batch] : compute)
        for (auto& ct : batch) {
          queues_[w].emplace(ct.priority, ct.id);
          keys_[ct.id] = ct.spec->key.str();
        }
      auto steal = std::move(out.steal);
      out.steal.clear();
      for (auto& [victim, ids] : steal) {
        ++steal_requests_;
        std::vector<TaskId> released;
        for (auto id : ids)
          if (!started(victim, id)) {
            released.push_back(id);
            erase(victim, id);
          }
        state.steal_confirmed(victim, released, out);
      }
    }
  }
  bool started(WorkerId w, TaskId id) const {
    auto& q = queues_.at(w);
    std::uint32_t i = 0;
    for (auto it = q.begin(); it != q.end() && i < threads_.at(w); ++it, ++i)
      if (it->second == id) return true;
    return false;
  }
  void erase(WorkerId w, TaskId id) {
    auto& q = queues_[w];
    for (auto it = q.begin(); it != q.end(); ++it)
      if (it->second == id) {
        q.erase(it);
        return;
      }
  }
  /// Every worker finishes the tasks it is running (`seconds` each).
  std::size_t tick(double seconds, bool balance = false) {
    std::size_t done = 0;
    for (auto& [w, q] : queues_) {
      OutcomeBatch outcomes;
      for (std::uint32_t i = 0; i < threads_[w] && !q.empty(); ++i) {
        outcomes.push_back(ok(q.begin()->second, 8, seconds));
        q.erase(q.begin());
      }
      ran_[w] += outcomes.size();
      done += outcomes.size();
      if (!outcomes.empty()) state.tasks_finished(w, outcomes, out);
    }
    if (balance) state.balance(out);
    deliver();
    return done;
  }
  std::size_t finished_reports() {
    std::size_t n = 0;
    for (const auto& r : out.reports[client]) n += r.status == KeyReport::Status::finished;
    return n;
  }

  std::map<WorkerId, std::set<std::pair<std::int64_t, TaskId>>> queues_;
  std::map<WorkerId, std::uint32_t> threads_;
  std::map<WorkerId, std::size_t> ran_;
  std::map<TaskId, std::string> keys_;
  std::size_t steal_requests_ = 0;
};

std::vector<TaskSpec> roots(int n) {
  std::vector<TaskSpec> tasks;
  for (int i = 0; i < n; ++i) tasks.push_back(root("r" + std::to_string(i), i));
  return tasks;
}

std::vector<Key> keys(const std::vector<TaskSpec>& tasks) {
  std::vector<Key> ks;
  for (const auto& t : tasks) ks.push_back(t.key);
  return ks;
}

TEST_F(WorkStealing, AWorkerJoiningARootRunGetsItsShareAtOnce) {
  auto w0 = join("w0");
  auto tasks = roots(2000);
  auto wanted = keys(tasks);
  state.submit(client, submission(std::move(tasks), wanted), out);
  deliver();
  std::size_t done = 0;
  while (done < 200) done += tick(0.02);
  auto w1 = join("w1");
  EXPECT_FALSE(queues_[w1].empty());  // work at once, before any task finishes
  auto left = 2000 - done;
  for (int i = 0; i < 5000 && done < 2000; ++i) done += tick(0.02);
  EXPECT_EQ(done, 2000u);
  EXPECT_EQ(finished_reports(), 2000u);
  EXPECT_GE(ran_[w1], left * 3 / 10) << "w0 ran " << ran_[w0];
  EXPECT_EQ(state.info().tasks_processing, 0u);
}

TEST_F(WorkStealing, AJoiningWorkerStealsQueuedTasksAndStartedOnesStay) {
  // x, then 400 tasks that all need x: all go to w0, which holds it.
  auto w0 = join("w0");
  std::vector<TaskSpec> tasks{root("x")};
  std::vector<Key> wanted;
  for (int i = 0; i < 400; ++i) {
    tasks.push_back(task("d" + std::to_string(i), {Arg(Key("x")), Value(i)}));
    wanted.push_back(tasks.back().key);
  }
  state.submit(client, submission(std::move(tasks), wanted), out);
  deliver();
  tick(0.02);  // x
  ASSERT_EQ(queues_[w0].size(), 400u);

  auto w1 = add_worker("w1");
  threads_[w1] = 2;
  ASSERT_EQ(out.steal.size(), 1u);
  auto requested = out.steal[w0];
  out.steal.clear();
  ASSERT_EQ(requested.size(), 200u);  // down to the balanced level: 100 a thread
  // The latest tasks in w0's order are asked for.
  auto lowest_requested = std::numeric_limits<std::int64_t>::max();
  auto highest_kept = std::numeric_limits<std::int64_t>::min();
  for (auto& [priority, id] : queues_[w0]) {
    bool asked = std::find(requested.begin(), requested.end(), id) != requested.end();
    if (asked) lowest_requested = std::min(lowest_requested, priority);
    else highest_kept = std::max(highest_kept, priority);
  }
  EXPECT_GT(lowest_requested, highest_kept);
  // w0 had started one of them: it stays; the others move to w1.
  auto kept = requested.front();
  std::vector<TaskId> released(requested.begin() + 1, requested.end());
  for (auto id : released) erase(w0, id);
  state.steal_confirmed(w0, released, out);
  EXPECT_EQ(out.compute[w1].size(), 199u);
  EXPECT_EQ(state.info().workers[0].processing, 201u);
  EXPECT_EQ(rec(keys_[kept]).processing_on, std::optional<WorkerId>(w0));
  EXPECT_FALSE(rec(keys_[kept]).steal_pending);
  deliver();

  std::size_t done = 0;
  for (int i = 0; i < 1000 && done < 400; ++i) done += tick(0.02);
  EXPECT_EQ(done, 400u);
  EXPECT_GE(ran_[w1], 400u * 3 / 10);
  EXPECT_EQ(finished_reports(), 400u);
}

TEST_F(WorkStealing, PeriodicBalanceFeedsAnIdleWorker) {
  auto w0 = join("w0");
  auto w1 = join("w1");
  std::vector<TaskSpec> tasks{root("x")};
  std::vector<Key> wanted;
  for (int i = 0; i < 300; ++i) {
    tasks.push_back(task("d" + std::to_string(i), {Arg(Key("x")), Value(i)}));
    wanted.push_back(tasks.back().key);
  }
  state.submit(client, submission(std::move(tasks), wanted), out);
  deliver();
  std::size_t done = 0;
  for (int i = 0; i < 1000 && done < 301; ++i) done += tick(0.02, /*balance=*/true);
  EXPECT_EQ(done, 301u);
  EXPECT_GE(ran_[w1], 300u * 3 / 10) << "w0 ran " << ran_[w0];
}

TEST_F(WorkStealing, OneRequestPerVictimAtATime) {
  auto w0 = join("w0");
  std::vector<TaskSpec> tasks{root("x")};
  std::vector<Key> wanted;
  for (int i = 0; i < 100; ++i) {
    tasks.push_back(task("d" + std::to_string(i), {Arg(Key("x")), Value(i)}));
    wanted.push_back(tasks.back().key);
  }
  state.submit(client, submission(std::move(tasks), wanted), out);
  deliver();
  tick(0.02);
  add_worker("w1");
  ASSERT_EQ(out.steal[w0].size(), 50u);
  out = Outbox{};
  state.balance(out);  // not answered yet: no second request
  EXPECT_TRUE(out.steal.empty());
  state.steal_confirmed(w0, {}, out);  // w0 had started them all (say)
  EXPECT_TRUE(out.compute.empty());
  state.balance(out);  // answered: it may be asked again
  EXPECT_EQ(out.steal[w0].size(), 50u);
}

TEST_F(WorkStealing, TasksWithHeavyInputsAreNotStolen) {
  auto w0 = join("w0");
  std::vector<TaskSpec> tasks{root("x")};
  std::vector<Key> wanted;
  for (int i = 0; i < 100; ++i) {
    tasks.push_back(task("d" + std::to_string(i), {Arg(Key("x")), Value(i)}));
    wanted.push_back(tasks.back().key);
  }
  state.submit(client, submission(std::move(tasks), wanted), out);
  deliver();
  // x is 1 GB: 10 s to move at 100 MB/s, against 20 ms of work a task.
  auto x = queues_[w0].begin()->second;
  queues_[w0].clear();
  state.tasks_finished(w0, {ok(x, std::size_t{1} << 30, 0.02)}, out);
  deliver();
  ASSERT_EQ(queues_[w0].size(), 100u);
  add_worker("w1");
  EXPECT_TRUE(out.steal.empty());
}

TEST_F(WorkStealing, StealAnswersFromRemovedVictimsOrForOtherTasksAreIgnored) {
  auto w0 = join("w0");
  auto w1 = join("w1");
  state.submit(client, submission({root("a")}, {Key("a")}), out);
  deliver();
  auto a = id("a");
  ASSERT_EQ(rec("a").processing_on, std::optional<WorkerId>(w0));
  state.steal_confirmed(w1, {a}, out);  // a is not on w1
  EXPECT_EQ(rec("a").processing_on, std::optional<WorkerId>(w0));
  EXPECT_TRUE(out.compute.empty());
  state.remove_worker(w0, out);
  auto moved = take(w1);
  ASSERT_EQ(keys_of(moved), std::vector<std::string>{"a"});
  state.steal_confirmed(w0, {a}, out);  // w0 is gone
  EXPECT_EQ(rec("a").processing_on, std::optional<WorkerId>(w1));
  EXPECT_TRUE(out.compute.empty());
}

}  // namespace
}  // namespace tessera::actors::sched_test
