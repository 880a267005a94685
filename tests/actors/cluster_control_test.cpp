// Cluster control through the Client, as distributed.Client's: retire_workers,
// restart, wait_for_workers, publish_dataset / get_dataset / unpublish_dataset
// / list_datasets; on the in-process cluster and on `tessera` processes over
// TCP (ProcessCluster reaps every process, also when a test fails). Ends with
// the elastic test: workers that join a running computation take their share.
#include <gtest/gtest.h>

#include <signal.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <fstream>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <thread>

#include "actors/tessera.hpp"
#include "tests/plugins/dist_functions.hpp"
#include "tests/support/error_of.hpp"
#include "tests/support/process_cluster.hpp"
#include "tests/support/nothing_left.hpp"

using namespace tessera;
using tessera::testing::error_of;
using tessera::testing::expect_nothing_left;
using tessera::testing::ProcessCluster;
namespace dist = tessera::testing;

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// In-process tasks count their executions: a recomputation shows.
std::atomic<int> square_calls{0};
std::int64_t counted_square(std::int64_t x) {
  ++square_calls;
  std::this_thread::sleep_for(std::chrono::milliseconds(5));  // spreads tasks over the workers
  return x * x;
}
std::int64_t ctl_add(std::int64_t a, std::int64_t b) { return a + b; }
std::int64_t ctl_slow(std::int64_t x) {
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return x;
}
TESSERA_FUNCTION_AS(counted_square, "test.ctl.counted_square");
TESSERA_FUNCTION_AS(ctl_add, "test.ctl.add");
TESSERA_FUNCTION_AS(ctl_slow, "test.ctl.slow");

std::vector<std::int64_t> range(std::int64_t n) {
  std::vector<std::int64_t> xs(static_cast<std::size_t>(n));
  std::iota(xs.begin(), xs.end(), std::int64_t{0});
  return xs;
}


std::set<std::string> worker_names(Client& client) {
  std::set<std::string> out;
  for (const auto& w : client.scheduler_info().workers) out.insert(w.name);
  return out;
}

std::size_t line_count(const std::string& path) {
  std::ifstream in(path);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) n += !line.empty();
  return n;
}

// ---- wait_for_workers ---------------------------------------------------------

TEST(ClusterControl, WaitForWorkersReturnsOrNamesTheShortfall) {
  for (int n : {1, 2}) {
    Client client(LocalClusterOptions{n, 1});
    client.wait_for_workers(static_cast<std::size_t>(n), 5s);
    auto start = Clock::now();
    try {
      client.wait_for_workers(static_cast<std::size_t>(n + 1), 300ms);
      ADD_FAILURE() << "wait_for_workers(" << n + 1 << ") returned with " << n << " workers";
    } catch (const TimeoutError& e) {
      std::string m = e.what();
      EXPECT_NE(m.find("asked for " + std::to_string(n + 1) + " workers"), std::string::npos) << m;
      EXPECT_NE(m.find("only " + std::to_string(n) + " are registered"), std::string::npos) << m;
    }
    EXPECT_GE(Clock::now() - start, 300ms);
    EXPECT_LT(Clock::now() - start, 5s);
  }
}

TEST(ClusterControl, WaitForWorkersSeesProcessesJoin) {
  ProcessCluster cluster(ProcessCluster::Options{0, 1});
  Client client{cluster.address()};
  auto m = error_of([&] { client.wait_for_workers(1, 200ms); });
  EXPECT_NE(m.find("only 0 are registered"), std::string::npos) << m;
  std::thread join([&] {
    std::this_thread::sleep_for(200ms);
    cluster.add_worker();
    cluster.add_worker();
  });
  auto waited = error_of([&] { client.wait_for_workers(2, 20s); });
  join.join();
  EXPECT_EQ(waited, "(no exception)");
  EXPECT_EQ(client.scheduler_info().workers.size(), 2u);
}

// ---- retire_workers -----------------------------------------------------------

class RetireInProcess : public ::testing::TestWithParam<int> {};

TEST_P(RetireInProcess, DataMovesToTheRemainingWorkerAndNothingIsRecomputed) {
  const int n = GetParam();
  Client client(LocalClusterOptions{n, 1});
  {
    square_calls = 0;
    auto futures = client.map(counted_square, range(40));
    auto before = client.gather(futures);
    ASSERT_EQ(square_calls.load(), 40);
    // Every worker but worker-0 leaves; they hold data that must move.
    std::vector<std::string> leaving;
    for (int i = 1; i < n; ++i) leaving.push_back("worker-" + std::to_string(i));
    std::size_t held_by_leaving = 0;
    for (const auto& [name, keys] : client.has_what())
      if (name != "worker-0") held_by_leaving += keys.size();
    ASSERT_GT(held_by_leaving, 0u) << "the test needs data on the retiring workers";

    client.retire_workers(leaving, 20s);

    EXPECT_EQ(worker_names(client), std::set<std::string>{"worker-0"});
    auto who_has = client.who_has();
    for (const auto& f : futures) {
      auto it = who_has.find(f.key().str());
      ASSERT_NE(it, who_has.end()) << f.key().str() << " is held by nobody";
      EXPECT_EQ(it->second, std::vector<std::string>{"worker-0"});
    }
    EXPECT_EQ(client.gather(futures), before);
    EXPECT_EQ(square_calls.load(), 40) << "data of retired workers was recomputed";
    // The remaining worker computes on.
    EXPECT_EQ(client.submit(counted_square, std::int64_t{12}).result(10s), 144);
  }
  expect_nothing_left(client);
}

TEST_P(RetireInProcess, QueuedWorkMovesWhileRetiringDuringAComputation) {
  const int n = GetParam();
  Client client(LocalClusterOptions{n, 1});
  {
    // 60 tasks of 20 ms and a sum: the retiring workers have work queued.
    std::vector<Delayed<std::int64_t>> parts;
    for (auto x : range(60)) parts.push_back(delayed(ctl_slow)(x));
    auto total = client.compute(delayed(dist::dist_sum)(parts));
    std::this_thread::sleep_for(100ms);
    std::vector<std::string> leaving;
    for (int i = 1; i < n; ++i) leaving.push_back("worker-" + std::to_string(i));
    client.retire_workers(leaving, 20s);
    EXPECT_EQ(worker_names(client), std::set<std::string>{"worker-0"});
    EXPECT_EQ(total.result(20s), 59 * 60 / 2);
  }
  expect_nothing_left(client);
}

INSTANTIATE_TEST_SUITE_P(Workers, RetireInProcess, ::testing::Values(2, 3));

TEST(ClusterControl, RetireRefusesUnknownNamesAndTheLastWorkerWithData) {
  Client client(LocalClusterOptions{1, 1});
  auto f = client.submit(counted_square, std::int64_t{3});
  EXPECT_EQ(f.result(10s), 9);
  try {
    client.retire_workers({"worker-9"});
    ADD_FAILURE() << "retiring an unknown worker succeeded";
  } catch (const KeyError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("'worker-9'"), std::string::npos) << m;
    EXPECT_NE(m.find("'worker-0'"), std::string::npos) << m;  // the known ones
  }
  try {
    client.retire_workers({"worker-0"});
    ADD_FAILURE() << "retiring the only worker with data succeeded";
  } catch (const ValueError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("worker-0"), std::string::npos) << m;
    EXPECT_NE(m.find("no other worker"), std::string::npos) << m;
  }
  // Nothing changed.
  EXPECT_EQ(worker_names(client), std::set<std::string>{"worker-0"});
  EXPECT_EQ(f.result(10s), 9);
}

TEST(ClusterControl, RetiredWorkerProcessExitsAfterItsDataMoved) {
  ProcessCluster cluster;  // w0, w1
  Client client{cluster.address()};
  client.wait_for_workers(2, 30s);
  auto log = (std::filesystem::path(cluster.log_file()).parent_path() / "executions.txt").string();
  {
    std::vector<Future<std::int64_t>> futures;
    for (auto x : range(40)) futures.push_back(client.submit(dist::dist_logged_inc, x, log));
    auto before = client.gather(futures);
    ASSERT_EQ(line_count(log), 40u);
    // Retire the worker holding more keys (both hold some: 1 thread each).
    auto has_what = client.has_what();
    ASSERT_EQ(has_what.size(), 2u);
    std::size_t leaving = has_what["w1"].size() >= has_what["w0"].size() ? 1 : 0;
    std::string name = "w" + std::to_string(leaving), staying = "w" + std::to_string(1 - leaving);
    ASSERT_GT(has_what[name].size(), 0u);

    client.retire_workers({name}, 20s);

    auto code = cluster.worker(leaving).wait_for(10s);
    ASSERT_TRUE(code.has_value()) << "the retired worker process did not exit";
    EXPECT_EQ(*code, 0);
    EXPECT_EQ(worker_names(client), std::set<std::string>{staying});
    auto who_has = client.who_has();
    for (const auto& f : futures) EXPECT_EQ(who_has[f.key().str()], std::vector<std::string>{staying});
    // Gathered from the remaining worker, with the retired process gone.
    EXPECT_EQ(client.gather(futures), before);
    EXPECT_EQ(line_count(log), 40u) << "tasks ran again after the retire";
    EXPECT_EQ(cluster.log().find("lost worker"), std::string::npos) << "a retired worker was treated as lost";
  }
  expect_nothing_left(client);
}

// ---- restart ------------------------------------------------------------------

void restart_clears_everything(Client& client, std::size_t workers) {
  auto futures = client.map(dist::dist_inc, range(50));
  EXPECT_EQ(client.gather(futures).back(), 50);
  auto running = client.submit(dist::dist_slow_inc, std::int64_t{1}, std::int64_t{300});
  client.publish_dataset("before", futures);
  ASSERT_EQ(client.list_datasets(), std::vector<std::string>{"before"});

  client.restart();

  for (const auto& f : {futures.front(), futures.back(), running}) {
    EXPECT_EQ(f.status(), "cancelled");
    try {
      f.result(5s);
      ADD_FAILURE() << "a future survived the restart";
    } catch (const CancelledError& e) {
      EXPECT_NE(std::string(e.what()).find("restarted"), std::string::npos) << e.what();
    }
  }
  EXPECT_TRUE(client.list_datasets().empty());
  auto info = client.scheduler_info();
  EXPECT_EQ(info.tasks_total, 0u);
  EXPECT_EQ(info.workers.size(), workers);  // the workers stay
  for (const auto& w : info.workers) EXPECT_EQ(w.keys_in_memory, 0u) << w.name;
  // The same keys computed again: the new futures are not the old, cancelled ones.
  auto again = client.map(dist::dist_inc, range(50));
  auto expected = range(50);
  for (auto& x : expected) ++x;
  EXPECT_EQ(client.gather(again), expected);
  EXPECT_EQ(client.submit(dist::dist_slow_inc, std::int64_t{1}, std::int64_t{300}).result(10s), 2);
}

TEST(ClusterControl, RestartClearsDataAndTasksInProcess) {
  for (int n : {1, 2}) {
    Client client(LocalClusterOptions{n, 1});
    restart_clears_everything(client, static_cast<std::size_t>(n));
    expect_nothing_left(client);
  }
}

TEST(ClusterControl, RestartClearsDataAndTasksOnWorkerProcesses) {
  ProcessCluster cluster;
  Client client{cluster.address()};
  client.wait_for_workers(2, 30s);
  restart_clears_everything(client, 2);
  expect_nothing_left(client);
}

// ---- datasets -----------------------------------------------------------------

TEST(ClusterControl, DatasetsArePublishedGotListedAndUnpublished) {
  Client a(LocalClusterOptions{2, 1});
  Client b(*a.cluster());  // a second client of the same cluster
  {
    EXPECT_TRUE(b.list_datasets().empty());
    {
      auto xs = a.map(counted_square, range(10));
      a.publish_dataset("squares", xs);
      a.publish_dataset("sum", delayed(ctl_add)(std::int64_t{40}, std::int64_t{2}));
      EXPECT_EQ(b.list_datasets(), (std::vector<std::string>{"squares", "sum"}));
      // A taken name is refused unless overridden.
      auto m = error_of([&] { a.publish_dataset("squares", xs); });
      EXPECT_NE(m.find("'squares' already exists"), std::string::npos) << m;
      EXPECT_THROW(a.publish_dataset("squares", xs), KeyError);
      EXPECT_THROW(a.publish_dataset("", xs), ValueError);
      a.publish_dataset("squares", xs, true);
    }  // a's futures are gone: the datasets hold the data
    auto squares = b.get_dataset<std::int64_t>("squares");
    ASSERT_EQ(squares.size(), 10u);
    std::vector<std::int64_t> expected;
    for (auto x : range(10)) expected.push_back(x * x);
    EXPECT_EQ(b.gather(squares), expected);
    EXPECT_EQ(b.get_dataset<std::int64_t>("sum").at(0).result(10s), 42);
    // The publishing client may take its own dataset too, twice.
    EXPECT_EQ(a.gather(a.get_dataset<std::int64_t>("squares")), expected);
    EXPECT_EQ(a.gather(a.get_dataset<std::int64_t>("squares")), expected);

    try {
      b.get_dataset("nope");
      ADD_FAILURE() << "an unknown dataset was found";
    } catch (const KeyError& e) {
      std::string m = e.what();
      EXPECT_NE(m.find("'nope'"), std::string::npos) << m;
      EXPECT_NE(m.find("'squares'"), std::string::npos) << m;
      EXPECT_NE(m.find("'sum'"), std::string::npos) << m;
    }
    b.unpublish_dataset("squares");
    EXPECT_EQ(a.list_datasets(), std::vector<std::string>{"sum"});
    auto m = error_of([&] { a.unpublish_dataset("squares"); });
    EXPECT_NE(m.find("'squares'"), std::string::npos) << m;
    EXPECT_THROW(a.unpublish_dataset("squares"), KeyError);
    // b's futures still hold the data.
    EXPECT_EQ(b.gather(squares), expected);
    a.unpublish_dataset("sum");
    EXPECT_TRUE(b.list_datasets().empty());
  }
  expect_nothing_left(a);
}

TEST(ClusterControl, DatasetsAcrossClientsOfARemoteScheduler) {
  ProcessCluster cluster(ProcessCluster::Options{1});
  auto second = std::make_unique<Client>(cluster.address());
  {
    Client first{cluster.address()};
    first.wait_for_workers(1, 30s);
    first.publish_dataset("incs", first.map(dist::dist_inc, range(100)));
    first.publish_dataset("big", first.submit(dist::dist_ones, std::int64_t{1 << 18}, 3.0));
  }  // the first client is gone; the datasets stay
  EXPECT_EQ(second->list_datasets(), (std::vector<std::string>{"big", "incs"}));
  auto incs = second->get_dataset<std::int64_t>("incs");
  auto got = second->gather(incs);
  EXPECT_EQ(std::accumulate(got.begin(), got.end(), std::int64_t{0}), 100 * 101 / 2);
  auto big = second->get_dataset<NDArray>("big").at(0);
  EXPECT_DOUBLE_EQ(second->submit(dist::dist_total, big).result(30s), 3.0 * (1 << 18));
  auto m = error_of([&] { second->get_dataset("missing"); });
  EXPECT_NE(m.find("'missing'"), std::string::npos) << m;
  EXPECT_NE(m.find("'incs'"), std::string::npos) << m;
  second->unpublish_dataset("incs");
  second->unpublish_dataset("big");
  incs.clear();
  big = {};
  expect_nothing_left(*second);
}

/// Waits until process `pid` is stopped (state T in /proc/PID/stat): kill
/// returns before every thread of the target has stopped, and a request
/// sent at once can still be answered.
void wait_until_stopped(pid_t pid) {
  const auto deadline = Clock::now() + 5s;
  while (Clock::now() < deadline) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto paren = text.rfind(')');  // the name may hold spaces; the state follows ") "
    if (paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] == 'T') return;
    std::this_thread::sleep_for(1ms);
  }
  FAIL() << "process " << pid << " did not stop";
}

TEST(ClusterControl, ControlRequestsToAStoppedSchedulerTimeOut) {
  ProcessCluster cluster(ProcessCluster::Options{1});
  ClientOptions o;
  o.request_timeout = 1000ms;
  Client client{cluster.address(), o};
  client.wait_for_workers(1, 30s);
  cluster.scheduler().signal(SIGSTOP);
  struct Resume {  // the scheduler must run again before it is reaped
    ProcessCluster& c;
    ~Resume() { c.scheduler().signal(SIGCONT); }
  } resume{cluster};
  wait_until_stopped(cluster.scheduler().pid());
  for (auto [what, call] : std::vector<std::pair<std::string, std::function<void()>>>{
           {"list_datasets", [&] { client.list_datasets(); }},
           {"restart", [&] { client.restart(); }},
           {"publish_dataset", [&] { client.publish_dataset("x", std::vector<Future<Value>>{}); }}}) {
    auto start = Clock::now();
    try {
      call();
      ADD_FAILURE() << what << " returned from a stopped scheduler";
    } catch (const TimeoutError& e) {
      std::string m = e.what();
      EXPECT_NE(m.find(what), std::string::npos) << m;
      EXPECT_NE(m.find("did not answer within 1 s"), std::string::npos) << m;
    }
    EXPECT_LT(Clock::now() - start, 5s) << what;
  }
}

// ---- elastic: workers joining a running computation ---------------------------

TEST(ClusterControl, WorkersJoiningARunningComputationTakeTheirShare) {
  ProcessCluster cluster(ProcessCluster::Options{1, 1});  // w0, one thread
  Client client{cluster.address()};
  client.wait_for_workers(1, 30s);
  constexpr std::int64_t n = 2000;
  {
    auto futures = client.map(dist::dist_inc_pid_20ms, range(n));  // 40 s of work for one thread
    std::this_thread::sleep_for(1s);
    cluster.add_worker();  // w1
    cluster.add_worker();  // w2
    // Each newcomer gets work within one heartbeat (0.5 s) of registering.
    std::map<std::string, Clock::time_point> registered, busy;
    auto deadline = Clock::now() + 20s;
    while (busy.size() < 2 && Clock::now() < deadline) {
      for (const auto& w : client.scheduler_info().workers) {
        if (w.name == "w0") continue;
        registered.try_emplace(w.name, Clock::now());
        if (w.processing + w.keys_in_memory > 0) busy.try_emplace(w.name, Clock::now());
      }
      std::this_thread::sleep_for(5ms);
    }
    ASSERT_EQ(busy.size(), 2u) << "the new workers got no work";
    for (const auto& [name, at] : busy) {
      auto wait = std::chrono::duration<double>(at - registered[name]).count();
      std::cout << "[ elastic ] " << name << " got work " << wait << " s after it registered" << std::endl;
      EXPECT_LT(wait, 0.5) << name << " waited " << wait << " s for work";
    }

    auto results = client.gather(futures);
    ASSERT_EQ(results.size(), static_cast<std::size_t>(n));
    std::map<std::int64_t, std::size_t> ran;  // pid → tasks
    for (std::int64_t i = 0; i < n; ++i) {
      ASSERT_EQ(results[i].size(), 2u);
      EXPECT_EQ(results[i][0], i + 1) << "task " << i;
      ++ran[results[i][1]];
    }
    std::set<std::int64_t> pids{cluster.worker(0).pid(), cluster.worker(1).pid(), cluster.worker(2).pid()};
    for (const auto& [pid, count] : ran) EXPECT_TRUE(pids.contains(pid)) << "unknown worker pid " << pid;
    auto by_new = ran[cluster.worker(1).pid()] + ran[cluster.worker(2).pid()];
    double share = static_cast<double>(by_new) / static_cast<double>(n);
    std::cout << "[ elastic ] w0 ran " << ran[cluster.worker(0).pid()] << ", w1 " << ran[cluster.worker(1).pid()]
              << ", w2 " << ran[cluster.worker(2).pid()] << " of " << n << " tasks; the new workers' share "
              << share << std::endl;
    RecordProperty("new_workers_share", std::to_string(share));
    EXPECT_GE(share, 0.30);
  }
  expect_nothing_left(client);
}

}  // namespace
