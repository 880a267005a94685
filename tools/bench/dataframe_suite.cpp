#include "tools/bench/dataframe_suite.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <algorithm>
#include <regex>

#include "actors/client/threads_executor.hpp"
#include "collections/dataframe/dataframe.hpp"
#include "runtime/util/error.hpp"
#include "tools/bench/suite_registry.hpp"

namespace tessera::bench {
namespace {

namespace dd = tessera::dataframe;
using nlohmann::json;

// SHA-256 (FIPS 180-4) of the digest lines; small and only used for digests.
class Sha256 {
 public:
  void update(const std::string& s) {
    for (unsigned char c : s) {
      block_[fill_++] = c;
      bits_ += 8;
      if (fill_ == 64) compress(), fill_ = 0;
    }
  }
  std::string hex() {
    std::uint64_t bits = bits_;
    update(std::string(1, '\x80'));
    while (fill_ != 56) update(std::string(1, '\0'));
    for (int i = 7; i >= 0; --i) update(std::string(1, static_cast<char>(bits >> (i * 8))));
    char out[65];
    for (int i = 0; i < 8; ++i) std::snprintf(out + i * 8, 9, "%08x", h_[i]);
    return std::string(out, 64);
  }

 private:
  static std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
  void compress() {
    static constexpr std::uint32_t k[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
        0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
        0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
        0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
        0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
        0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
        0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2};
    std::uint32_t w[64];
    for (int i = 0; i < 16; ++i)
      w[i] = (std::uint32_t{block_[i * 4]} << 24) | (std::uint32_t{block_[i * 4 + 1]} << 16) |
             (std::uint32_t{block_[i * 4 + 2]} << 8) | block_[i * 4 + 3];
    for (int i = 16; i < 64; ++i) {
      std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    std::uint32_t a = h_[0], b = h_[1], c = h_[2], d = h_[3], e = h_[4], f = h_[5], g = h_[6], h = h_[7];
    for (int i = 0; i < 64; ++i) {
      std::uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
      std::uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      h = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    std::uint32_t add[8] = {a, b, c, d, e, f, g, h};
    for (int i = 0; i < 8; ++i) h_[i] += add[i];
  }
  std::array<std::uint8_t, 64> block_{};
  std::size_t fill_ = 0;
  std::uint64_t bits_ = 0;
  std::uint32_t h_[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
};

// ---- the four queries, exactly as dask_bench.py's W4_Q ----
std::vector<dd::DataFrame> queries(const dd::DataFrame& df) {
  return {
      df.groupby("name")["x"].mean().to_frame(),
      df[df["x"] > 0].groupby("id")["y"].sum().to_frame(),
      df.groupby("name").agg({{"x", "mean"}, {"y", "max"}}),
      df["id"].value_counts().to_frame(),
  };
}

double f64(const Table& t, const std::string& c, std::int64_t i) { return t.column(c).data->as<double>()[i]; }
std::int64_t i64(const Table& t, const std::string& c, std::int64_t i) { return t.column(c).data->as<std::int64_t>()[i]; }

// Results come sorted by key (value_counts by count): digests sort as the Python side does.
json digest(int q, const Table& t) {
  const std::int64_t n = t.num_rows();
  if (q == 0) {
    json rows = json::array();
    for (std::int64_t i = 0; i < n; ++i) rows.push_back({std::string(t.column("name").string_at(i)), f64(t, "x", i)});
    return {{"by_name", rows}, {"match", "exact"}};
  }
  if (q == 1) {
    Sha256 sha;
    double total = 0;
    json first5 = json::array();
    for (std::int64_t i = 0; i < n; ++i) {
      double v = f64(t, "y", i);
      total += v;
      sha.update(std::to_string(i64(t, "id", i)) + "," + std::to_string(static_cast<std::int64_t>(std::nearbyint(v * 1024))) + "\n");
      if (i < 5) first5.push_back({i64(t, "id", i), v});
    }
    return {{"n_groups", n}, {"total", total}, {"sha256_id_sumx1024", sha.hex()}, {"first5", first5}, {"match", "exact"}};
  }
  if (q == 2) {
    json rows = json::array();
    for (std::int64_t i = 0; i < n; ++i)
      rows.push_back({std::string(t.column("name").string_at(i)), f64(t, "x", i), f64(t, "y", i)});
    return {{"by_name", rows}, {"columns", {"name", "x_mean", "y_max"}}, {"match", "exact"}};
  }
  std::vector<std::pair<std::int64_t, std::int64_t>> counts;
  for (std::int64_t i = 0; i < n; ++i) counts.emplace_back(i64(t, "id", i), i64(t, "count", i));
  json top5 = json::array();
  for (std::size_t i = 0; i < counts.size() && i < 5; ++i) top5.push_back({counts[i].first, counts[i].second});
  std::sort(counts.begin(), counts.end());
  Sha256 sha;
  std::int64_t total = 0;
  for (auto [id, c] : counts) sha.update(std::to_string(id) + "," + std::to_string(c) + "\n"), total += c;
  return {{"n_distinct", n}, {"total", total}, {"sha256_id_count", sha.hex()}, {"top5", top5}, {"match", "exact"}};
}

const char* const names[] = {"w4_q1_groupby_name_x_mean", "w4_q2_filter_groupby_id_y_sum", "w4_q3_groupby_name_agg",
                             "w4_q4_id_value_counts"};

std::string scheduler_of(const std::string& engine) {
  if (engine == "tessera-threads") return "threads";
  if (engine == "tessera-sync") return "sync";
  throw ValueError("engine '" + engine + "' is not available for the dataframe suite (known: tessera-threads, tessera-sync)");
}

void run_workload(const BenchOptions& o, const std::string& engine, const std::string& pattern, int which) {
  ComputeOptions on{scheduler_of(engine)};
  std::vector<Table> results;
  std::int64_t npartitions = 0;
  auto runs = time_runs(o.repeat, [&] {
    auto df = dd::read_csv(pattern);  // as dask: the read is part of every query
    npartitions = df.npartitions();
    auto qs = queries(df);
    if (which >= 0) qs = {qs[static_cast<std::size_t>(which)]};
    results = dd::compute(qs, on);
  });
  json d;
  if (which >= 0) d = digest(which, results[0]);
  else
    for (int q = 0; q < 4; ++q) d["q" + std::to_string(q + 1)] = digest(q, results[static_cast<std::size_t>(q)]);
  std::string workload = which >= 0 ? names[which] : "w4_all4_one_pass";
  emit({{"workload", workload}, {"engine", engine}, {"size", o.size}, {"seconds", median(runs)}, {"runs", runs},
        {"result_digest", d}, {"npartitions", npartitions}, {"repeat", o.repeat}, {"peak_rss_mb", peak_rss_mb()}});
}

}  // namespace

void run_dataframe_suite(const BenchOptions& o) {
  std::regex only(o.only.empty() ? ".*" : o.only);
  std::string dir = (o.data_dir.empty() ? std::string("/tmp/tessera-data") : o.data_dir) +
                    (o.size == "small" ? "/timeseries-small" : "/timeseries");
  std::string pattern = dir + "/ts-*.csv";
  auto engines = o.engines.empty() ? std::vector<std::string>{"tessera-threads"} : o.engines;
  for (const auto& engine : engines) {
    get_executor(scheduler_of(engine));  // start the cluster outside the timed region
    for (int q = 0; q < 4; ++q)
      if (std::regex_search(names[q], only)) run_workload(o, engine, pattern, q);
    if (std::regex_search("w4_all4_one_pass", only)) run_workload(o, engine, pattern, -1);
  }
}

}  // namespace tessera::bench

TESSERA_BENCH_SUITE("dataframe", tessera::bench::run_dataframe_suite);
