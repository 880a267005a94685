// Larger than memory, with real `tessera worker` processes: a worker whose
// memory limit is far below the data it holds spills it, still computes
// exact results (values read back for tasks and served to a peer from disk),
// reports what it spilled in its heartbeats, and leaves no spill file behind;
// a worker past the terminate threshold restarts its process (with
// --nworkers 2, only that worker's); a paused worker gets no tasks.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "actors/tessera.hpp"
#include "tests/plugins/dist_functions.hpp"
#include "tests/support/nothing_left.hpp"
#include "tests/support/process_cluster.hpp"

using namespace tessera;
using tessera::testing::expect_nothing_left;
using tessera::testing::ProcessCluster;
namespace dist = tessera::testing;
namespace fs = std::filesystem;

namespace {

using namespace std::chrono_literals;

struct SpillDir {
  fs::path path = fs::temp_directory_path() / ("tessera-worker-memory-test-" + std::to_string(::getpid()) + "-" +
                                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  SpillDir() { fs::remove_all(path); }
  ~SpillDir() { fs::remove_all(path); }
  /// Files in the workers' spill folders (the folders themselves not counted).
  std::size_t files() const {
    std::size_t n = 0;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec))
      if (it->is_regular_file()) ++n;
    return n;
  }
  std::size_t entries() const {
    std::size_t n = 0;
    std::error_code ec;
    for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) ++n;
    return n;
  }
};

void wait_for_workers(Client& client, std::size_t n) {
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (client.scheduler_info().workers.size() != n) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline);
    std::this_thread::sleep_for(20ms);
  }
}

/// Waits until `pred(info)` holds for the scheduler's view (heartbeats lag).
template <class Pred>
bool eventually(Client& client, Pred pred, std::chrono::seconds timeout = 20s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred(client.scheduler_info())) return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

// Two workers of 100MB spilling past 5% (5 MB) of it: 16 arrays of 2 MiB each
// cannot stay in memory. Process-memory thresholds are off: the test sees
// the managed-memory spilling alone, whatever the process's own footprint.
TEST(WorkerMemory, ATinyLimitSpillsAndResultsStayExact) {
  SpillDir dir;
  ProcessCluster cluster({.workers = 2,
                          .worker_args = {"--memory-limit", "100MB", "--memory-target-fraction", "0.05",
                                          "--memory-spill-fraction", "0", "--memory-pause-fraction", "0",
                                          "--memory-terminate-fraction", "0", "--local-directory",
                                          dir.path.string()}});
  Client client{cluster.address()};
  wait_for_workers(client, 2);
  constexpr std::int64_t n = 1 << 18;  // 2 MiB of float64
  {
    std::vector<Future<NDArray>> arrays;
    for (int i = 0; i < 16; ++i) arrays.push_back(client.submit(dist::dist_ones, n, static_cast<double>(i)));
    for (auto& a : arrays) a.wait();
    EXPECT_GT(dir.files(), 0u) << "nothing was spilled";
    // Read back for tasks on the worker that holds them, and sent to the
    // other worker (from its file) for the dot products of pairs.
    double total = 0, expected = 0;
    std::vector<Future<double>> totals, dots;
    for (int i = 0; i < 16; ++i) totals.push_back(client.submit(dist::dist_total, arrays[static_cast<std::size_t>(i)]));
    for (int i = 0; i < 8; ++i)
      dots.push_back(client.submit(dist::dist_dot, arrays[static_cast<std::size_t>(i)], arrays[static_cast<std::size_t>(15 - i)]));
    for (int i = 0; i < 16; ++i) {
      total += totals[static_cast<std::size_t>(i)].result(60s);
      expected += static_cast<double>(n) * i;
    }
    EXPECT_EQ(total, expected);
    for (int i = 0; i < 8; ++i) EXPECT_EQ(dots[static_cast<std::size_t>(i)].result(60s), static_cast<double>(n) * i * (15 - i));
    // A result gathered by the client comes back from disk too.
    EXPECT_EQ(arrays[0].result(60s).values<double>()[n - 1], 0.0);
    EXPECT_EQ(arrays[15].result(60s).values<double>()[0], 15.0);

    // The heartbeats say what was spilled, and how long it took.
    EXPECT_TRUE(eventually(client, [](const actors::SchedulerInfo& info) {
      std::uint64_t spilled = 0;
      double seconds = 0;
      bool limits = true;
      for (const auto& w : info.workers) {
        spilled += w.metrics.spilled_total;
        seconds += w.metrics.spill_seconds;
        limits = limits && w.metrics.memory_limit == 100'000'000u && !w.metrics.paused;
      }
      return limits && spilled >= 8u * n * 8 && seconds > 0;
    })) << "the workers' metrics do not show the spilling (or their limit)";
  }
  expect_nothing_left(client);
  // Released values take their files with them.
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (dir.files() != 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(50ms);
  EXPECT_EQ(dir.files(), 0u) << "spill files left after every value was released";
  cluster.worker(0) = {};  // stopped: its spill folder goes with it
  cluster.worker(1) = {};
  EXPECT_EQ(dir.entries(), 0u) << "the workers left their spill folders";
}

// Past the terminate threshold the worker restarts its process (same pid, a
// fresh registration); a task that keeps doing so is KilledWorker at last.
/// Resident bytes of a process (VmRSS).
std::size_t rss_of(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  return 0;
}

/// An idle worker process's resident memory after one task (far larger
/// under the sanitizers): limits are set well above it.
std::size_t idle_worker_rss() {
  ProcessCluster probe({.workers = 1});
  Client client{probe.address()};
  wait_for_workers(client, 1);
  EXPECT_EQ(client.submit(dist::dist_inc, std::int64_t{1}).result(60s), 2);
  return rss_of(probe.worker(0).pid());
}

TEST(WorkerMemory, PastTheTerminateThresholdTheWorkerRestarts) {
  // The limit well above an idle worker's footprint, the task's value well above the limit.
  const std::size_t idle = idle_worker_rss();
  const std::size_t limit = 2 * idle + (100u << 20);
  SpillDir dir;
  ProcessCluster cluster({.workers = 1,
                          .worker_args = {"--memory-limit", std::to_string(limit), "--memory-spill-fraction", "0",
                                          "--memory-pause-fraction", "0", "--local-directory", dir.path.string()}});
  Client client{cluster.address()};
  wait_for_workers(client, 1);
  const auto pid = cluster.worker(0).pid();
  {
    // Twice the limit in one value: the process cannot stay under 95% of it.
    auto huge = client.submit(dist::dist_ones, static_cast<std::int64_t>(limit / 4), 1.0);
    bool killed = false;
    std::string error;
    try {
      huge.result(120s);
    } catch (const KilledWorker& e) {
      killed = true;
      error = e.what();
    } catch (const std::exception& e) {
      error = e.what();
    }
    EXPECT_TRUE(killed) << error;
    EXPECT_NE(error.find("died while running it"), std::string::npos) << error;
    // The restarted process joins again and works.
    wait_for_workers(client, 1);
    EXPECT_EQ(client.submit(dist::dist_inc, std::int64_t{41}).result(60s), 42);
  }
  EXPECT_EQ(cluster.worker(0).pid(), pid);
  EXPECT_NE(cluster.log().find("restarting"), std::string::npos) << cluster.log();
  expect_nothing_left(client);
}

/// The worker processes `tessera worker --nworkers N` (process `pid`) started.
std::vector<pid_t> children_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
  std::vector<pid_t> out;
  for (pid_t c; in >> c;) out.push_back(c);
  std::sort(out.begin(), out.end());
  return out;
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

/// Worker name → id, as the scheduler has them.
std::map<std::string, actors::WorkerId> worker_ids(Client& client) {
  std::map<std::string, actors::WorkerId> ids;
  for (const auto& w : client.scheduler_info().workers) ids[w.name] = w.id;
  return ids;
}

// `--nworkers 2` runs two worker processes (as Dask's nannies): the one that
// crosses its terminate fraction restarts alone; the other keeps its
// registration and its process; the task is rescheduled and completes.
TEST(WorkerMemory, WithNWorkersOnlyTheWorkerPastItsLimitRestarts) {
  const std::size_t idle = idle_worker_rss();
  const std::size_t limit = 2 * idle + (100u << 20);
  SpillDir dir;
  ProcessCluster cluster({.workers = 0,
                          .worker_args = {"--memory-limit", std::to_string(limit), "--memory-spill-fraction", "0",
                                          "--memory-pause-fraction", "0", "--local-directory", dir.path.string()}});
  cluster.add_worker({"--nworkers", "2"});
  Client client{cluster.address()};
  wait_for_workers(client, 2);
  const pid_t node = cluster.worker(0).pid();
  const auto pids = children_of(node);
  ASSERT_EQ(pids.size(), 2u) << "--nworkers 2 did not start two worker processes";
  const auto before = worker_ids(client);
  ASSERT_EQ(before.size(), 2u);
  ASSERT_TRUE(before.count("w0-0") && before.count("w0-1")) << cluster.log();
  {
    const auto flag = dir.path.string() + ".hogged";
    fs::remove(flag);
    // The first run holds 1.2x the limit: its worker restarts, and the task
    // runs again (on either worker) and returns 1.
    auto hog = client.submit(dist::dist_hog_once, static_cast<std::int64_t>(limit * 6 / 5), flag);
    EXPECT_EQ(hog.result(120s), 1);
    fs::remove(flag);
    wait_for_workers(client, 2);
    auto after = worker_ids(client);
    ASSERT_EQ(after.size(), 2u) << cluster.log();
    // One name was registered afresh (new id), the other never left.
    int kept = 0, renewed = 0;
    for (const auto& [name, id] : before) {
      ASSERT_TRUE(after.count(name)) << name << " did not come back\n" << cluster.log();
      (after[name] == id ? kept : renewed) += 1;
    }
    EXPECT_EQ(kept, 1);
    EXPECT_EQ(renewed, 1);
    EXPECT_EQ(count_of(cluster.log(), "restarting"), 1u) << cluster.log();
    EXPECT_EQ(children_of(node), pids) << "the restart is in place: same processes";
    // Both take work again.
    std::vector<Future<std::int64_t>> incs;
    for (std::int64_t i = 0; i < 20; ++i) incs.push_back(client.submit(dist::dist_inc, i));
    for (std::int64_t i = 0; i < 20; ++i) EXPECT_EQ(incs[static_cast<std::size_t>(i)].result(60s), i + 1);
  }
  expect_nothing_left(client);
}

// A paused worker (its memory past the pause fraction from the start) gets
// no task while another runs them; with every worker paused, tasks wait
// queued, and run when a running worker joins.
TEST(WorkerMemory, PausedWorkersGetNoTasksAndWorkWaitsForARunningOne) {
  // A pause fraction far below any process's footprint: paused at once, for good.
  const std::vector<std::string> paused_args{"--memory-limit", "100MB", "--memory-target-fraction", "0",
                                             "--memory-spill-fraction", "0", "--memory-pause-fraction", "0.01",
                                             "--memory-terminate-fraction", "0"};
  ProcessCluster cluster({.workers = 0});
  cluster.add_worker(paused_args);
  Client client{cluster.address()};
  wait_for_workers(client, 1);
  ASSERT_TRUE(eventually(client, [](const actors::SchedulerInfo& info) {
    return info.workers.size() == 1 && info.workers[0].metrics.paused;
  })) << "the worker does not say it is paused";
  {
    std::vector<Future<std::vector<std::int64_t>>> tasks;
    for (std::int64_t i = 0; i < 10; ++i) tasks.push_back(client.submit(dist::dist_inc_pid_20ms, i));
    std::this_thread::sleep_for(1500ms);
    auto info = client.scheduler_info();
    EXPECT_EQ(info.tasks_memory, 0u) << "a paused worker ran a task";
    EXPECT_EQ(info.tasks_processing, 0u) << "a paused worker was given a task";
    EXPECT_EQ(info.tasks_queued, 10u);
    // A running worker joins: everything runs there, nothing is lost.
    cluster.add_worker();
    const auto running = cluster.worker(1).pid();
    for (std::int64_t i = 0; i < 10; ++i) {
      auto r = tasks[static_cast<std::size_t>(i)].result(60s);
      EXPECT_EQ(r[0], i + 1);
      EXPECT_EQ(r[1], running) << "task " << i << " ran on the paused worker";
    }
    // More work, with both registered: none goes to the paused one.
    std::vector<Future<std::vector<std::int64_t>>> more;
    for (std::int64_t i = 0; i < 20; ++i) more.push_back(client.submit(dist::dist_inc_pid_20ms, 100 + i));
    for (auto& f : more) EXPECT_EQ(f.result(60s)[1], running);
  }
  expect_nothing_left(client);
}

}  // namespace
