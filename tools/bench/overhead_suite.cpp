#include "tools/bench/overhead_suite.hpp"

#include <chrono>
#include <regex>

#include "actors/tessera.hpp"
#include "tools/bench/suite_registry.hpp"

namespace tessera::bench {
namespace {

std::int64_t inc(std::int64_t x) { return x + 1; }
std::int64_t sum_args(const std::vector<std::int64_t>& xs) {
  std::int64_t s = 0;
  for (auto x : xs) s += x;
  return s;
}
TESSERA_FUNCTION_AS(inc, "bench.inc");
TESSERA_FUNCTION_AS(sum_args, "bench.sum_args");

constexpr std::size_t fanin = 16;

struct W1Graph {
  Delayed<std::int64_t> root;
  std::size_t n_tasks = 0;
};

W1Graph build_w1(std::int64_t n) {
  W1Graph g;
  std::vector<Delayed<std::int64_t>> level;
  level.reserve(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) level.push_back(delayed(inc)(i));
  g.n_tasks = level.size();
  while (level.size() > 1) {
    std::vector<Delayed<std::int64_t>> next;
    for (std::size_t i = 0; i < level.size(); i += fanin) {
      std::vector<Delayed<std::int64_t>> group(level.begin() + static_cast<std::ptrdiff_t>(i),
                                               level.begin() + static_cast<std::ptrdiff_t>(std::min(i + fanin, level.size())));
      next.push_back(delayed(sum_args)(group));
    }
    g.n_tasks += next.size();
    level = std::move(next);
  }
  g.root = level.front();
  return g;
}

/// tessera-distributed: as dask's LocalCluster(n_workers=2, threads_per_worker=1,
/// processes=True): two worker processes over TCP, the scheduler in this one.
struct DistributedEngine {
  std::unique_ptr<LocalCluster> cluster;
  std::unique_ptr<Client> client;
  double startup_s = 0;
};

DistributedEngine start_distributed() {
  auto t0 = std::chrono::steady_clock::now();
  DistributedEngine e;
  LocalClusterOptions co{2, 1};
  co.processes = true;
  e.cluster = std::make_unique<LocalCluster>(co);
  e.client = std::make_unique<Client>(*e.cluster);
  e.startup_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return e;
}

std::string scheduler_of(const std::string& engine) {
  if (engine == "tessera-threads") return "threads";
  if (engine == "tessera-sync") return "sync";
  if (engine == "tessera-distributed") return "";  // the default executor: the Client
  throw ValueError("engine '" + engine + "' is not available for the overhead suite " +
                   "(known: tessera-threads, tessera-sync, tessera-distributed)");
}

void run_w1(const BenchOptions& o, const std::string& engine, std::int64_t n, const std::string& name) {
  auto t0 = std::chrono::steady_clock::now();
  auto g = build_w1(n);
  double build_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  auto sched = scheduler_of(engine);
  DistributedEngine dist;  // started outside the timed region
  if (engine == "tessera-distributed") dist = start_distributed();
  else get_executor(sched);
  std::int64_t result = 0;
  auto runs = time_runs(o.repeat, [&] { result = g.root.compute({.scheduler = sched}); });
  double secs = median(runs);
  std::int64_t expected = n * (n + 1) / 2;
  emit({{"workload", name}, {"engine", engine}, {"size", o.size}, {"seconds", secs}, {"runs", runs},
        {"result_digest", {{"value", result}, {"match", "exact"}}}, {"correct", result == expected},
        {"n_tasks", g.n_tasks}, {"tasks_per_s", static_cast<double>(g.n_tasks) / secs},
        {"graph_build_s", build_s}, {"fanin", fanin}, {"repeat", o.repeat}, {"peak_rss_mb", peak_rss_mb()}});
}

void run_w2(const BenchOptions& o, const std::string& engine) {
  if (engine != "tessera-threads" && engine != "tessera-distributed")
    throw ValueError("w2_futures_map_20k needs a cluster engine (tessera-threads, tessera-distributed), not " +
                     engine);
  constexpr std::int64_t n = 20000;
  auto t0 = std::chrono::steady_clock::now();
  DistributedEngine dist;
  std::unique_ptr<Client> threads_client;
  if (engine == "tessera-distributed") dist = start_distributed();
  else threads_client = std::make_unique<Client>(LocalClusterOptions{1, 0});
  Client& client = dist.client ? *dist.client : *threads_client;
  double startup = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::vector<std::int64_t> items(n);
  for (std::int64_t i = 0; i < n; ++i) items[static_cast<std::size_t>(i)] = i;
  std::int64_t digest = 0;
  auto runs = time_runs(o.repeat, [&] {
    auto futs = client.map(inc, items, {.pure = false});
    auto res = client.gather(futs);
    digest = 0;
    for (auto r : res) digest += r;
  });
  double secs = median(runs);
  emit({{"workload", "w2_futures_map_20k"}, {"engine", engine}, {"size", o.size}, {"seconds", secs},
        {"runs", runs}, {"result_digest", {{"value", digest}, {"match", "exact"}}},
        {"correct", digest == 200010000}, {"n_tasks", n}, {"tasks_per_s", n / secs},
        {"cluster_startup_s", startup}, {"repeat", o.repeat}, {"peak_rss_mb", peak_rss_mb()}});
}

}  // namespace

void run_overhead_suite(const BenchOptions& o) {
  std::regex only(o.only.empty() ? ".*" : o.only);
  auto engines = o.engines.empty() ? std::vector<std::string>{"tessera-threads"} : o.engines;
  for (const auto& engine : engines) {
    if (std::regex_search("w1_delayed_100k", only)) run_w1(o, engine, 100000, "w1_delayed_100k");
    if (std::regex_search("w1_delayed_10k", only)) run_w1(o, engine, 10000, "w1_delayed_10k");
    if (std::regex_search("w2_futures_map_20k", only) && engine != "tessera-sync") run_w2(o, engine);
  }
}

}  // namespace tessera::bench

TESSERA_BENCH_SUITE("overhead", tessera::bench::run_overhead_suite);
