#include "tools/bench/transfer_suite.hpp"

#include <chrono>
#include <cstring>
#include <regex>

#include <sys/resource.h>

#include "actors/tessera.hpp"
#include "net/data_client.hpp"
#include "net/data_server.hpp"
#include "runtime/util/error.hpp"
#include "runtime/value/buffer.hpp"
#include "runtime/value/ndarray.hpp"
#include "tools/bench/suite_registry.hpp"

namespace tessera::bench {
namespace {

/// arange(n) as float64: its sum, n(n-1)/2, is exact in doubles for n < 2^26.
Value arange_f64(std::size_t n) {
  auto buf = make_buffer(n * sizeof(double));
  auto d = buf->mutable_as<double>();
  for (std::size_t i = 0; i < n; ++i) d[i] = static_cast<double>(i);
  return Value(NDArray(DType::float64, {static_cast<std::int64_t>(n)}, std::move(buf)));
}

/// CPU seconds this process has used (all threads, user + system): on a
/// loaded machine it shows what a transfer costs when wall time cannot.
double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

double sum_of(const Value& v) {
  double s = 0;
  for (double x : v.as_ndarray().buffer()->as<double>()) s += x;
  return s;
}

void run_dataplane(const BenchOptions& o, const std::string& workload, std::size_t mib) {
  const std::size_t n = mib * (std::size_t{1} << 20) / sizeof(double);
  const std::uint64_t nbytes = n * sizeof(double);
  auto sent = arange_f64(n);
  net::MapDataProvider store;
  store.store(1, "('x', 0)", sent);
  net::DataServer server(store);
  net::DataClient client;
  auto fetch = [&] { return client.fetch(server.address(), {{1, "('x', 0)"}}, std::chrono::seconds(120)); };

  auto t0 = std::chrono::steady_clock::now();
  auto first = fetch();  // connects and authenticates; not among the timed runs
  double cold_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  Value received;
  double cpu0 = cpu_seconds();
  auto runs = time_runs(o.repeat, [&] {
    received = Value();  // free the previous copy first: peak memory stays at two arrays
    received = *fetch().at(0);
  });
  double cpu_per_run = (cpu_seconds() - cpu0) / static_cast<double>(runs.size());
  double secs = median(runs);
  const auto& a = sent.as_ndarray().buffer();
  const auto& b = received.as_ndarray().buffer();
  bool same = b->size() == a->size() && std::memcmp(a->data(), b->data(), a->size()) == 0;
  double digest = sum_of(received);
  double expected = static_cast<double>(n) * static_cast<double>(n - 1) / 2;
  emit({{"workload", workload}, {"engine", "tessera-dataplane"}, {"size", o.size}, {"seconds", secs},
        {"runs", runs}, {"result_digest", {{"value", digest}, {"match", "exact"}}},
        {"correct", same && digest == expected && first.at(0).has_value()}, {"bytes", nbytes},
        {"gb_per_s", static_cast<double>(nbytes) / secs / 1e9}, {"first_fetch_s", cold_s},
        {"cpu_s_per_run", cpu_per_run}, {"gb_per_cpu_s", static_cast<double>(nbytes) / cpu_per_run / 1e9},
        {"transport", "tcp loopback, one connection, in-process server and client"}, {"repeat", o.repeat},
        {"peak_rss_mb", peak_rss_mb()}});
}

// Run in the worker processes (the tessera program is the worker program).
NDArray transfer_make(std::int64_t n, double fill) {
  auto buf = make_buffer(static_cast<std::size_t>(n) * sizeof(double));
  auto d = buf->mutable_as<double>();
  for (std::size_t i = 0; i < d.size(); ++i) d[i] = fill + static_cast<double>(i % 1024);
  return NDArray(DType::float64, {n}, std::move(buf));
}
double transfer_dot(const NDArray& a, const NDArray& b) {
  auto x = a.values<double>();
  auto y = b.values<double>();
  double s = 0;
  for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) s += x[i] * y[i];
  return s;
}
TESSERA_FUNCTION_AS(transfer_make, "bench.transfer_make");
TESSERA_FUNCTION_AS(transfer_dot, "bench.transfer_dot");

/// The exact dot of the two arrays transfer_make(n, fa) and (n, fb).
double expected_dot(std::int64_t n, double fa, double fb) {
  double s = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    double k = static_cast<double>(i % 1024);
    s += (fa + k) * (fb + k);
  }
  return s;
}

/// Worker to worker: two 2-process workers each make one array; a dot of the
/// two runs on one of them, so the other array crosses the data plane. The
/// same dot of two arrays on one worker (no transfer) is timed too.
void run_distributed(const BenchOptions& o, const std::string& workload, std::size_t mib) {
  const auto n = static_cast<std::int64_t>(mib * (std::size_t{1} << 20) / sizeof(double));
  const std::uint64_t nbytes = static_cast<std::uint64_t>(n) * sizeof(double);
  auto t0 = std::chrono::steady_clock::now();
  LocalClusterOptions co{2, 1};
  co.processes = true;
  LocalCluster cluster(co);
  Client client(cluster);
  double startup = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const SubmitOptions fresh{.pure = false};
  std::vector<double> local_runs;
  bool correct = true;
  double digest = 0;
  int round = 0;
  std::vector<double> runs;  // each run has its own untimed set-up
  for (int r = 0; r < o.repeat; ++r) {
    // Set-up: two arrays on different workers.
    Future<NDArray> a, b;
    double fa = 0, fb = 0;
    for (int attempt = 0;; ++attempt) {
      fa = 1.0 + round;
      fb = 2.0 + round;
      ++round;
      a = client.submit_with(fresh, transfer_make, n, fa);
      b = client.submit_with(fresh, transfer_make, n, fb);
      wait(std::vector{a, b});
      auto who = client.who_has();
      if (who[a.key().str()] != who[b.key().str()]) break;
      if (attempt == 5) throw Error("transfer bench: the scheduler kept both arrays on one worker");
    }
    auto t = std::chrono::steady_clock::now();
    auto dot = client.submit_with(fresh, transfer_dot, a, b).result();
    runs.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count());
    digest = dot;
    correct = correct && dot == expected_dot(n, fa, fb);
    // The same dot with both inputs already on its worker: the compute alone.
    auto t2 = std::chrono::steady_clock::now();
    auto same = client.submit_with(fresh, transfer_dot, a, a).result();
    local_runs.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t2).count());
    correct = correct && same == expected_dot(n, fa, fa);
  }
  double secs = median(runs), local = median(local_runs);
  emit({{"workload", workload}, {"engine", "tessera-distributed"}, {"size", o.size}, {"seconds", secs},
        {"runs", runs}, {"result_digest", {{"value", digest}, {"match", "exact"}}}, {"correct", correct},
        {"bytes", nbytes}, {"gb_per_s", static_cast<double>(nbytes) / secs / 1e9},
        {"local_dot_s", local},
        {"gb_per_s_transfer_only", secs > local ? static_cast<double>(nbytes) / (secs - local) / 1e9 : 0.0},
        {"cluster_startup_s", startup},
        {"transport", "worker process to worker process over the data plane (tcp loopback); seconds: the dependent "
                      "task from submit to result, transfer included"},
        {"repeat", o.repeat}, {"peak_rss_mb", peak_rss_mb()}});
}

}  // namespace

void run_transfer_suite(const BenchOptions& o) {
  std::regex only(o.only.empty() ? ".*" : o.only);
  auto engines = o.engines.empty() ? std::vector<std::string>{"tessera-dataplane"} : o.engines;
  const bool full = o.size != "small";
  const std::string workload = full ? "transfer_256mib" : "transfer_16mib";
  for (const auto& engine : engines) {
    if (!std::regex_search(workload, only)) continue;
    if (engine == "tessera-dataplane") run_dataplane(o, workload, full ? 256 : 16);
    else if (engine == "tessera-distributed") run_distributed(o, workload, full ? 256 : 16);
    else
      throw ValueError("engine '" + engine +
                       "' is not available for the transfer suite (known: tessera-dataplane, tessera-distributed)");
  }
}

}  // namespace tessera::bench

TESSERA_BENCH_SUITE("transfer", tessera::bench::run_transfer_suite);
