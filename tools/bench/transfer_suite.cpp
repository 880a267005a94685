#include "tools/bench/transfer_suite.hpp"

#include <chrono>
#include <cstring>
#include <regex>

#include <sys/resource.h>

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

}  // namespace

void run_transfer_suite(const BenchOptions& o) {
  std::regex only(o.only.empty() ? ".*" : o.only);
  auto engines = o.engines.empty() ? std::vector<std::string>{"tessera-dataplane"} : o.engines;
  const bool full = o.size != "small";
  const std::string workload = full ? "transfer_256mib" : "transfer_16mib";
  for (const auto& engine : engines) {
    if (engine != "tessera-dataplane")
      throw ValueError("engine '" + engine + "' is not available for the transfer suite (known: tessera-dataplane)");
    if (std::regex_search(workload, only)) run_dataplane(o, workload, full ? 256 : 16);
  }
}

}  // namespace tessera::bench

TESSERA_BENCH_SUITE("transfer", tessera::bench::run_transfer_suite);
