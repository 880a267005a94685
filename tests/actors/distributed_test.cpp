// The cluster across processes: `tessera scheduler` and `tessera worker`
// processes on loopback, clients connecting over TCP, the test plugin's
// functions loaded in the workers. Every process is reaped (ProcessCluster).
#include <gtest/gtest.h>

#include <signal.h>

#include <fstream>
#include <map>
#include <numeric>
#include <set>
#include <thread>

#include "actors/cluster/child_process.hpp"
#include "actors/tessera.hpp"
#include "tests/actors/arrays_held_apart.hpp"
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

/// Waits until the scheduler reports `n` workers.
void wait_for_workers(Client& client, std::size_t n, std::chrono::seconds timeout = 30s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (client.scheduler_info().workers.size() != n) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline)
        << "expected " << n << " workers, have " << client.scheduler_info().workers.size();
    std::this_thread::sleep_for(20ms);
  }
}


TEST(Distributed, MapAndGatherAcrossWorkerProcesses) {
  ProcessCluster cluster;
  Client client{cluster.address()};
  wait_for_workers(client, 2);
  {
    std::vector<std::int64_t> xs(1000);
    std::iota(xs.begin(), xs.end(), 0);
    auto futures = client.map(dist::dist_inc, xs);
    auto results = client.gather(futures);
    ASSERT_EQ(results.size(), xs.size());
    EXPECT_EQ(std::accumulate(results.begin(), results.end(), std::int64_t{0}), 1000 * 1001 / 2);
    // Both workers took part, and each result lives on one of them.
    auto has_what = client.has_what();
    EXPECT_EQ(has_what.size(), 2u);
    for (const auto& [name, keys] : has_what) EXPECT_FALSE(keys.empty()) << name << " did no work";
  }
  expect_nothing_left(client);
}

TEST(Distributed, DependenciesMoveBetweenWorkers) {
  ProcessCluster cluster;
  Client client{cluster.address()};
  wait_for_workers(client, 2);
  {
    // 64 leaves spread over both workers, then a reduction that needs them all.
    std::vector<Delayed<std::int64_t>> leaves;
    for (std::int64_t i = 0; i < 64; ++i) leaves.push_back(delayed(dist::dist_slow_inc)(i, std::int64_t{2}));
    auto total = delayed(dist::dist_sum)(leaves);
    auto f = client.compute(total);
    EXPECT_EQ(f.result(60s), 64 * 65 / 2);
  }
  expect_nothing_left(client);
}

TEST(Distributed, ScatterAndBigValues) {
  ProcessCluster cluster;
  Client client{cluster.address()};
  wait_for_workers(client, 2);
  {
    // 4 MiB arrays: made on one worker, summed on whichever worker runs the sum.
    auto big = client.submit(dist::dist_ones, std::int64_t{1 << 19}, 2.0);
    EXPECT_EQ(big.result(60s).size(), 1 << 19);
    auto total = client.submit(dist::dist_total, big);
    EXPECT_DOUBLE_EQ(total.result(60s), 2.0 * (1 << 19));
    auto scattered = client.scatter(std::int64_t{41});
    EXPECT_EQ(client.submit(dist::dist_inc, scattered).result(60s), 42);
    auto everywhere = client.scatter(std::int64_t{7}, ScatterOptions{true});
    EXPECT_EQ(client.who_has()[everywhere.key().str()].size(), 2u);
  }
  expect_nothing_left(client);
}

/// Peak resident memory of a process, in bytes (VmHWM).
std::size_t peak_rss(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  return 0;
}

// A large scattered value goes from the client to the workers' data servers,
// never through the scheduler: the scheduler's memory stays far below the
// value's size (through the scheduler it would be deserialised there).
TEST(Distributed, LargeScatteredValuesGoToWorkersOnTheDataPlane) {
  ProcessCluster cluster;
  Client client{cluster.address()};
  wait_for_workers(client, 2);
  constexpr std::int64_t n = std::int64_t{8} << 20;  // 64 MiB of float64
  auto before = peak_rss(cluster.scheduler().pid());
  {
    auto buffer = make_buffer(static_cast<std::size_t>(n) * sizeof(double));
    auto xs = buffer->mutable_as<double>();
    for (std::int64_t i = 0; i < n; ++i) xs[i] = static_cast<double>(i % 7);
    NDArray big(DType::float64, {n}, std::move(buffer));
    double expected = 0;
    for (std::int64_t i = 0; i < n; ++i) expected += static_cast<double>(i % 7);
    auto one = client.scatter(big);
    EXPECT_EQ(client.who_has()[one.key().str()].size(), 1u);
    EXPECT_DOUBLE_EQ(client.submit(dist::dist_total, one).result(60s), expected);
    auto back = one.result(60s);
    ASSERT_EQ(back.size(), n);
    EXPECT_EQ(back.values<double>()[n - 1], static_cast<double>((n - 1) % 7));

    NDArray other = NDArray::zeros(DType::float64, {n / 8});
    auto everywhere = client.scatter(other, ScatterOptions{true});
    EXPECT_EQ(client.who_has()[everywhere.key().str()].size(), 2u);
    EXPECT_DOUBLE_EQ(client.submit(dist::dist_total, everywhere).result(60s), 0.0);
    // Scattering the same value again places nothing new.
    auto again = client.scatter(big);
    EXPECT_EQ(again.key(), one.key());
    EXPECT_EQ(client.who_has()[again.key().str()].size(), 1u);
  }
  auto grown = peak_rss(cluster.scheduler().pid()) - before;
  EXPECT_LT(grown, std::size_t{32} << 20) << "the scheduler's peak memory grew by " << grown << " bytes";
  expect_nothing_left(client);
}

TEST(Distributed, LargeValuesMoveBetweenWorkersOnTheDataPlane) {
  ProcessCluster cluster;
  Client client{cluster.address()};
  wait_for_workers(client, 2);
  dist::dot_of_arrays_held_apart(client);
  expect_nothing_left(client);
}

TEST(Distributed, LocalFunctionsAreRefusedAtSubmission) {
  ProcessCluster cluster(ProcessCluster::Options{1});
  Client client{cluster.address()};
  auto message = error_of([&] { client.submit([](std::int64_t x) { return x * 3; }, std::int64_t{1}); });
  EXPECT_NE(message.find("local function"), std::string::npos) << message;
  // The client still works afterwards.
  EXPECT_EQ(client.submit(dist::dist_inc, std::int64_t{1}).result(60s), 2);
}

TEST(Distributed, TaskErrorsCarryKeyFunctionAndMessage) {
  ProcessCluster cluster(ProcessCluster::Options{1});
  Client client{cluster.address()};
  // dist.ones with a negative size fails inside the worker process.
  auto bad = client.submit(dist::dist_ones, std::int64_t{-1}, 1.0);
  auto message = error_of([&] { bad.result(60s); });
  EXPECT_NE(message.find("dist.ones"), std::string::npos) << message;
  EXPECT_NE(message.find(bad.key().str()), std::string::npos) << message;
}

TEST(Distributed, LocalClusterWithWorkerProcesses) {
  LocalClusterOptions o;
  o.n_workers = 2;
  o.threads_per_worker = 1;
  o.processes = true;
  o.program = TESSERA_BINARY;
  o.worker_args = {"--plugin", TESSERA_TEST_PLUGIN};
  LocalCluster cluster(o);
  auto pids = cluster.worker_pids();
  ASSERT_EQ(pids.size(), 2u);
  {
    Client client(cluster);
    std::vector<std::int64_t> xs(200);
    std::iota(xs.begin(), xs.end(), 0);
    auto results = client.gather(client.map(dist::dist_inc, xs));
    EXPECT_EQ(std::accumulate(results.begin(), results.end(), std::int64_t{0}), 200 * 201 / 2);
  }
}

TEST(Distributed, ClusterSecretIsRequired) {
  ProcessCluster cluster(ProcessCluster::Options{0, 1, {"--auth-token", "s3cret"}, {}});
  // A worker without the secret is refused and exits with code 2.
  auto i = cluster.add_worker();
  auto code = cluster.worker(i).wait_for(20s);
  ASSERT_TRUE(code.has_value()) << "the worker without the secret kept running";
  EXPECT_EQ(*code, 2);
  EXPECT_NE(cluster.log().find("refused"), std::string::npos) << cluster.log();
  // A client without it cannot connect.
  auto message = error_of([&] { Client client{cluster.address(), ClientOptions{"wrong"}}; });
  EXPECT_NE(message.find("authentication failed"), std::string::npos) << message;
  // With it, workers join and clients compute.
  cluster.add_worker({"--auth-token", "s3cret"});
  Client client{cluster.address(), ClientOptions{"s3cret"}};
  wait_for_workers(client, 1);
  EXPECT_EQ(client.submit(dist::dist_inc, std::int64_t{1}).result(60s), 2);
}

TEST(Distributed, SchedulerShutdownClosesWorkersAndFailsClients) {
  ProcessCluster cluster;
  Client client{cluster.address()};
  wait_for_workers(client, 2);
  auto slow = client.submit(dist::dist_slow_inc, std::int64_t{1}, std::int64_t{30'000});
  cluster.scheduler().signal(SIGTERM);
  // Workers are told to close and exit with 0.
  for (std::size_t w = 0; w < 2; ++w) {
    auto code = cluster.worker(w).wait_for(20s);
    ASSERT_TRUE(code.has_value()) << "worker " << w << " did not exit";
    EXPECT_EQ(*code, 0);
  }
  // The client's future fails with a clear error instead of hanging.
  auto message = error_of([&] { slow.result(20s); });
  EXPECT_NE(message.find("scheduler"), std::string::npos) << message;
}

TEST(Distributed, WorkerReconnectsToARestartedScheduler) {
  ProcessCluster cluster(ProcessCluster::Options{1});
  cluster.scheduler().signal(SIGKILL);
  cluster.scheduler().wait_for(10s);
  cluster.restart_scheduler();
  Client client{cluster.address()};
  wait_for_workers(client, 1, 30s);
  EXPECT_EQ(client.submit(dist::dist_inc, std::int64_t{5}).result(60s), 6);
}

TEST(Distributed, KilledWorkerIsRecomputedElsewhere) {
  ProcessCluster cluster;
  Client client{cluster.address()};
  wait_for_workers(client, 2);
  // 120 tasks of 30 ms and a sum over them; one worker is killed midway.
  std::vector<Delayed<std::int64_t>> leaves;
  for (std::int64_t i = 0; i < 120; ++i) leaves.push_back(delayed(dist::dist_slow_inc)(i, std::int64_t{30}));
  auto total = client.compute(delayed(dist::dist_sum)(leaves));
  std::this_thread::sleep_for(600ms);
  cluster.worker(1).signal(SIGKILL);
  EXPECT_EQ(total.result(120s), 120 * 121 / 2);
  EXPECT_NE(cluster.log().find("lost worker"), std::string::npos) << cluster.log();
}

TEST(Distributed, HungWorkerIsDeclaredLostByHeartbeat) {
  ProcessCluster cluster(ProcessCluster::Options{2, 1, {"--worker-timeout", "2"}, {}});
  Client client{cluster.address()};
  wait_for_workers(client, 2);
  cluster.worker(0).signal(SIGSTOP);
  auto start = std::chrono::steady_clock::now();
  wait_for_workers(client, 1, 20s);
  auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(took, 8.0) << "a stopped worker took " << took << " s to be declared lost";
  // Work still runs on the other worker.
  EXPECT_EQ(client.submit(dist::dist_inc, std::int64_t{1}).result(60s), 2);
  cluster.worker(0).signal(SIGCONT);
}

/// Results computed on both workers; one worker then dies (SIGKILL) or hangs
/// (SIGSTOP) and the client gathers at once. Its results are computed again
/// on the other; the gather must not wait on the lost holder (CAF never fails
/// a request to a dead or stopped node by itself: that once took 60 s).
void gather_after_losing_a_holder(int signal) {
  ProcessCluster cluster(ProcessCluster::Options{2, 1, {"--worker-timeout", "2"}, {}});
  Client client{cluster.address()};
  wait_for_workers(client, 2);
  std::vector<Future<std::int64_t>> futures;
  for (std::int64_t i = 0; i < 40; ++i) futures.push_back(client.submit(dist::dist_slow_inc, i, std::int64_t{5}));
  for (auto& f : futures) f.wait();
  auto has_what = client.has_what();
  ASSERT_EQ(has_what.size(), 2u);
  for (const auto& [name, keys] : has_what) ASSERT_FALSE(keys.empty()) << name << " holds nothing";
  cluster.worker(0).signal(signal);
  auto start = std::chrono::steady_clock::now();
  auto results = client.gather(futures);
  auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(std::accumulate(results.begin(), results.end(), std::int64_t{0}), 40 * 41 / 2);
  EXPECT_LT(took, 15.0) << "the gather waited " << took << " s on a lost holder";
  if (signal == SIGSTOP) cluster.worker(0).signal(SIGCONT);
}

TEST(Distributed, GatherFromAKilledHolderGetsTheRecomputedValues) { gather_after_losing_a_holder(SIGKILL); }

TEST(Distributed, GatherFromAHungHolderGetsTheRecomputedValues) { gather_after_losing_a_holder(SIGSTOP); }

}  // namespace
