#include "tools/bench/array_suite.hpp"

#include <cblas.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <thread>

#include "actors/client/threads_executor.hpp"
#include "collections/array/creation.hpp"
#include "collections/array/blas_kernels.hpp"
#include "collections/array/file_source.hpp"
#include "collections/array/linalg.hpp"
#include "collections/array/random.hpp"
#include "tools/bench/suite_registry.hpp"

namespace tessera::bench {
namespace {

namespace da = tessera::array;

/// The workload parameters of dask_bench.py's SIZES.
struct Params {
  std::int64_t w3_n, w3_chunk, mm_chunk, sq_n, sq_chunk, w6_n, w6_chunk;
  std::string npy, raw;
};

Params params(const std::string& size) {
  if (size == "small")
    return {4000, 400, 1 << 19, 2048, 512, 1000, 250, "array-small/f64-2p22.npy", "array-small/f64-2p22.bin"};
  if (size == "full")
    return {20000, 2000, 1 << 23, 8192, 2048, 4000, 1000, "array/f64-2p27.npy", "array/f64-2p27.bin"};
  throw ValueError("array suite: size must be small or full, got '" + size + "'");
}

std::string scheduler_of(const std::string& engine) {
  if (engine == "tessera-threads") return "threads";
  if (engine == "tessera-sync") return "sync";
  throw ValueError("engine '" + engine + "' is not available for the array suite " +
                   "(known: tessera-threads, tessera-sync, openblas-direct for W6)");
}

double scalar(const NDArray& a) { return a.values<double>()[0]; }

struct Context {
  const BenchOptions& o;
  Params p;
  std::string data;
  std::regex only;
  bool wants(const std::string& w) const { return std::regex_search(w, only); }
};

void emit_line(const Context& c, const std::string& workload, const std::string& engine, const std::vector<double>& runs,
               nlohmann::json digest, nlohmann::json extra) {
  nlohmann::json line{{"workload", workload}, {"engine", engine}, {"size", c.o.size}, {"seconds", median(runs)},
                      {"runs", runs}, {"result_digest", std::move(digest)}, {"repeat", c.o.repeat},
                      {"peak_rss_mb", peak_rss_mb()}};
  line.update(extra);
  emit(line);
}

void w3_random(const Context& c, const std::string& engine, const std::string& op) {
  const auto sched = scheduler_of(engine);
  const std::int64_t n = c.p.w3_n, ch = c.p.w3_chunk;
  double v = 0;
  auto runs = time_runs(c.o.repeat, [&] {
    da::RandomState rs(42);
    auto x = rs.random_sample({n, n}, ch);
    auto expr = op == "sym_mean" ? (x + x.T()).mean({.axis = 0}).sum() : x.std();
    v = scalar(expr.compute({.scheduler = sched}));
  });
  nlohmann::json dig = op == "sym_mean"
      ? nlohmann::json{{"value", v}, {"match", "statistical"}, {"expected_approx", static_cast<double>(n)}, {"abs_tol", 2.0}}
      : nlohmann::json{{"value", v}, {"match", "statistical"}, {"expected_approx", std::sqrt(1.0 / 12)}, {"abs_tol", 1e-3}};
  emit_line(c, "w3_random_" + op, engine, runs, dig, {{"shape", {n, n}}, {"chunks", {ch, ch}}});
}

void w3_memmap_sum(const Context& c, const std::string& engine, const std::string& kind) {
  const auto sched = scheduler_of(engine);
  const std::string rel = kind == "npy" ? c.p.npy : c.p.raw, path = c.data + "/" + rel;
  double v = 0;
  auto runs = time_runs(c.o.repeat, [&] {
    da::Array x = kind == "npy" ? da::from_npy(path, c.p.mm_chunk)
                                : da::from_raw(path, DType::float64, {static_cast<std::int64_t>(std::filesystem::file_size(path) / 8)},
                                               c.p.mm_chunk);
    v = scalar(x.sum().compute({.scheduler = sched}));
  });
  emit_line(c, "w3_" + kind + "_memmap_sum", engine, runs, {{"value", v}, {"match", "exact"}},
            {{"file", rel}, {"chunk_elems", c.p.mm_chunk}});
}

void w3_file_square(const Context& c, const std::string& engine, const std::string& op) {
  const auto sched = scheduler_of(engine);
  const std::string path = c.data + "/" + c.p.npy;
  const std::int64_t n = c.p.sq_n, ch = c.p.sq_chunk;
  double v = 0;
  auto runs = time_runs(c.o.repeat, [&] {
    const auto h = da::read_npy_header(path);  // the first n*n elements as (n, n), as np.load(...)[:n*n].reshape
    auto x = da::from_raw(path, h.dtype, {n, n}, ch, h.data_offset);
    auto expr = op == "sym_mean" ? (x + x.T()).mean({.axis = 0}).sum() : x.std();
    v = scalar(expr.compute({.scheduler = sched}));
  });
  emit_line(c, "w3_file_" + op, engine, runs, {{"value", v}, {"match", op == "sym_mean" ? "exact" : "rel1e-9"}},
            {{"shape", {n, n}}, {"chunks", {ch, ch}}, {"file", c.p.npy}});
}

nlohmann::json w6_digest(const NDArray& r) {
  const auto v = r.values<double>();
  const std::int64_t n = r.shape()[0];
  double sum = 0, trace = 0;
  std::uint64_t checksum = 0;
  for (double x : v) {
    sum += x;
    checksum += static_cast<std::uint64_t>(static_cast<std::int64_t>(x * 1099511627776.0));  // 2^40: exact
  }
  for (std::int64_t i = 0; i < n; ++i) trace += v[static_cast<std::size_t>(i * n + i)];
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(checksum));
  return {{"sum", sum}, {"trace", trace}, {"checksum_u64_sum_of_r_times_2p40", hex},
          {"match", "exact (checksum), rel1e-9 (sum)"}};
}

void w6(const Context& c, const std::string& engine) {
  const std::int64_t n = c.p.w6_n, ch = c.p.w6_chunk;
  const std::string path = c.data + "/" + c.p.npy;
  const auto h = da::read_npy_header(path);
  const NDArray x = da::from_raw(path, h.dtype, {n, n}, n, h.data_offset).compute({.scheduler = "sync"});
  NDArray r;
  std::vector<double> runs;
  nlohmann::json extra{{"shape", {n, n}}};
  if (engine == "openblas-direct") {
    const int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    da::kernels::set_blas_threads(threads);
    runs = time_runs(c.o.repeat, [&] {
      auto buf = make_buffer(static_cast<std::size_t>(n * n) * sizeof(double));
      const double* xp = x.values<double>().data();
      cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(n), static_cast<int>(n),
                  static_cast<int>(n), 1.0, xp, static_cast<int>(n), xp, static_cast<int>(n), 0.0,
                  buf->mutable_as<double>().data(), static_cast<int>(n));
      r = NDArray(DType::float64, {n, n}, std::move(buf));
    });
    da::kernels::set_blas_threads(1);
    extra["blas_threads"] = threads;
  } else {
    const auto sched = scheduler_of(engine);
    runs = time_runs(c.o.repeat, [&] {
      auto a = da::from_array(x, ch);
      r = da::matmul(a, a.T()).compute({.scheduler = sched});
    });
    extra["chunks"] = {ch, ch};
    extra["blas_threads"] = 1;
  }
  extra["gflops"] = 2.0 * static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(n) / median(runs) / 1e9;
  emit_line(c, "w6_matmul_x_xT", engine, runs, w6_digest(r), extra);
}

}  // namespace

void run_array_suite(const BenchOptions& o) {
  Context c{o, params(o.size), o.data_dir.empty() ? "/tmp/tessera-data" : o.data_dir,
            std::regex(o.only.empty() ? ".*" : o.only)};
  auto engines = o.engines.empty() ? std::vector<std::string>{"tessera-threads", "openblas-direct"} : o.engines;
  for (const auto& engine : engines) {
    if (engine == "openblas-direct") {
      if (c.wants("w6_matmul_x_xT")) w6(c, engine);
      continue;
    }
    scheduler_of(engine);
    if (engine == "tessera-threads") get_executor("threads");  // start the cluster outside the timed region
    for (const std::string op : {"sym_mean", "std"})
      if (c.wants("w3_random_" + op)) w3_random(c, engine, op);
    for (const std::string kind : {"npy", "raw"})
      if (c.wants("w3_" + kind + "_memmap_sum")) w3_memmap_sum(c, engine, kind);
    for (const std::string op : {"sym_mean", "std"})
      if (c.wants("w3_file_" + op)) w3_file_square(c, engine, op);
    if (c.wants("w6_matmul_x_xT")) w6(c, engine);
  }
}

}  // namespace tessera::bench

TESSERA_BENCH_SUITE("array", tessera::bench::run_array_suite);
