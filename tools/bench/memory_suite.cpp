#include "tools/bench/memory_suite.hpp"

#include <caf/all.hpp>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <thread>

#include "actors/tessera.hpp"
#include "collections/array/file_source.hpp"
#include "collections/dataframe/dataframe.hpp"
#include "runtime/util/error.hpp"
#include "tools/bench/suite_registry.hpp"

namespace tessera::bench {
namespace {

namespace fs = std::filesystem;
namespace da = tessera::array;
namespace dd = tessera::dataframe;
using nlohmann::json;

constexpr int n_workers = 2;
constexpr const char* memory_limit = "256MB";
constexpr double memory_limit_mb = 256e6 / (1 << 20);
constexpr std::int64_t raw_elems = std::int64_t{1} << 29;  // 4 GiB of float64
constexpr std::int64_t raw_chunk = std::int64_t{1} << 23;  // 64 MiB chunks

/// Value i of the 4 GiB file: k / 2^20 with k = (i * 0x9E3779B1) mod 2^20, a
/// permutation of 0 .. 2^20-1 over every 2^20 consecutive i. Every partial
/// sum is a multiple of 2^-20 below 2^29: exact in float64 in any order.
double raw_value(std::int64_t i) {
  return static_cast<double>((static_cast<std::uint64_t>(i) * 0x9E3779B1ULL) & 0xFFFFFULL) / 1048576.0;
}
// 512 cycles of sum(k, k < 2^20) / 2^20 = (2^20 - 1) / 2.
constexpr double raw_sum = 512.0 * (1048575.0 / 2.0);
constexpr double raw_mean = raw_sum / static_cast<double>(raw_elems);

/// Writes the 4 GiB file when it is missing or of another size.
void ensure_raw_file(const fs::path& path) {
  std::error_code ec;
  if (fs::file_size(path, ec) == static_cast<std::uintmax_t>(raw_elems) * 8 && !ec) return;
  fs::create_directories(path.parent_path());
  std::fprintf(stderr, "memory suite: writing %s (4 GiB)\n", path.c_str());
  const fs::path tmp = path.string() + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw Error("memory suite: cannot write " + tmp.string());
    std::vector<double> block(static_cast<std::size_t>(raw_chunk));
    for (std::int64_t at = 0; at < raw_elems; at += raw_chunk) {
      for (std::int64_t j = 0; j < raw_chunk; ++j) block[static_cast<std::size_t>(j)] = raw_value(at + j);
      out.write(reinterpret_cast<const char*>(block.data()), static_cast<std::streamsize>(block.size() * 8));
      if (!out) throw Error("memory suite: cannot write " + tmp.string() + " (disk full?)");
    }
  }
  fs::rename(tmp, path);
}

std::size_t status_kb(int pid, const char* field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  const std::size_t n = std::strlen(field);
  while (std::getline(in, line))
    if (line.compare(0, n, field) == 0) return std::stoull(line.substr(n));
  return 0;
}

/// What the scheduler says the workers hold, at one moment.
struct HeldBytes {
  double managed = 0;  // values in the workers' memory (their heartbeats: up to 0.5 s late)
  double held = 0;     // results the scheduler counts on the workers, in memory or spilled (exact)
};

/// Samples the resident memory of processes every 20 ms, keeping each one's
/// highest, and every 100 ms `held()` (the scheduler's view).
class RssSampler {
 public:
  RssSampler(std::vector<int> pids, std::function<HeldBytes()> held)
      : pids_(std::move(pids)), peak_kb_(pids_.size()) {
    thread_ = std::thread([this, held = std::move(held)] {
      for (int tick = 0; !done_; ++tick) {
        for (std::size_t i = 0; i < pids_.size(); ++i) peak_kb_[i] = std::max(peak_kb_[i].load(), status_kb(pids_[i], "VmRSS:"));
        if (tick % 5 == 0) {
          auto h = held();
          managed_peak_ = std::max(managed_peak_.load(), h.managed);
          held_peak_ = std::max(held_peak_.load(), h.held);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    });
  }
  /// The highest total of values in the workers' memory seen.
  double managed_peak() const { return managed_peak_; }
  /// The highest total of task results held on the workers seen (the data in
  /// flight: what the scheduler's co-assignment and ordering keep small).
  double held_peak() const { return held_peak_; }
  ~RssSampler() { finish(); }
  /// Peaks in MiB (the kernel's high-water mark when higher than sampled).
  std::vector<double> finish() {
    if (thread_.joinable()) {
      done_ = true;
      thread_.join();
    }
    std::vector<double> mb;
    for (std::size_t i = 0; i < pids_.size(); ++i)
      mb.push_back(static_cast<double>(std::max(peak_kb_[i].load(), status_kb(pids_[i], "VmHWM:"))) / 1024.0);
    return mb;
  }

 private:
  std::vector<int> pids_;
  std::vector<std::atomic<std::size_t>> peak_kb_;
  std::atomic<bool> done_{false};
  std::atomic<double> managed_peak_{0};
  std::atomic<double> held_peak_{0};
  std::thread thread_;
};

/// Two worker processes of 256MB, spilling into `spill_dir`.
struct Cluster {
  std::unique_ptr<LocalCluster> cluster;
  std::unique_ptr<Client> client;
  explicit Cluster(const fs::path& spill_dir) {
    LocalClusterOptions co{n_workers, 1};
    co.processes = true;
    co.program = fs::read_symlink("/proc/self/exe").string();
    co.worker_args = {"--memory-limit", memory_limit, "--local-directory", spill_dir.string()};
    cluster = std::make_unique<LocalCluster>(co);
    client = std::make_unique<Client>(*cluster);
  }
  /// The workers' metrics, as their last heartbeats told the scheduler.
  std::vector<actors::WorkerInfo> workers(bool fresh = true) {
    if (fresh) std::this_thread::sleep_for(std::chrono::milliseconds(1200));  // a fresh heartbeat
    caf::scoped_actor self{cluster->system()};
    std::vector<actors::WorkerInfo> out;
    self->request(cluster->scheduler(), std::chrono::seconds(10), actors::info_atom_v)
        .receive([&](actors::SchedulerInfo& info) { out = std::move(info.workers); }, [](caf::error&) {});
    return out;
  }
};

bool folder_is_empty(const fs::path& dir) {
  std::error_code ec;
  return fs::is_empty(dir, ec) || !fs::exists(dir);
}

/// Runs `fn` `repeat` times on a fresh cluster; emits the line.
void run_workload(const BenchOptions& o, const std::string& workload, const std::function<json(Client&)>& fn,
                  json extra) {
  const fs::path spill_dir = fs::temp_directory_path() / ("tessera-bench-spill-" + std::to_string(::getpid()));
  fs::create_directories(spill_dir);
  json line;
  {
    Cluster c(spill_dir);
    RssSampler sampler(c.cluster->worker_pids(), [&c] {
      HeldBytes h;
      for (const auto& w : c.workers(false)) {
        h.managed += static_cast<double>(w.metrics.bytes_in_memory);
        h.held += static_cast<double>(w.bytes_in_memory);
      }
      return h;
    });
    json digest;
    auto runs = time_runs(o.repeat, [&] { digest = fn(*c.client); });
    auto peaks = sampler.finish();
    auto infos = c.workers();
    double spilled = 0, spill_s = 0, unspill_s = 0;
    std::uint64_t workers_seen = infos.size();
    actors::WorkerId max_id = 0;
    for (const auto& w : infos) {
      spilled += static_cast<double>(w.metrics.spilled_total);
      spill_s += w.metrics.spill_seconds;
      unspill_s += w.metrics.unspill_seconds;
      max_id = std::max(max_id, w.id);
    }
    double worst = 0;
    for (double p : peaks) worst = std::max(worst, p / memory_limit_mb);
    const bool correct = digest.value("correct", false);
    digest.erase("correct");
    line = {{"workload", workload}, {"engine", "tessera-distributed"}, {"size", o.size}, {"seconds", median(runs)},
            {"runs", runs}, {"result_digest", digest}, {"correct", correct}, {"repeat", o.repeat},
            {"n_workers", n_workers}, {"threads_per_worker", 1}, {"memory_limit_mb", memory_limit_mb},
            {"worker_peak_rss_mb", peaks}, {"worst_peak_over_limit", worst}, {"within_1_3x", worst <= 1.3},
            {"spilled_mb", spilled / (1 << 20)}, {"managed_peak_mb", sampler.managed_peak() / (1 << 20)},
            {"held_peak_mb", sampler.held_peak() / (1 << 20)}, {"spill_s", spill_s}, {"unspill_s", unspill_s},
            // Workers registered beyond the first two were restarts (95% of the limit).
            {"worker_restarts", static_cast<std::int64_t>(max_id) + 1 - n_workers}, {"workers_at_end", workers_seen},
            {"client_peak_rss_mb", peak_rss_mb()}};
  }
  line["spill_dir_clean"] = folder_is_empty(spill_dir);
  line.update(extra);
  std::error_code ec;
  fs::remove_all(spill_dir, ec);
  emit(line);
}

double scalar(const NDArray& a) { return a.values<double>()[0]; }

void from_raw_sum_mean(const BenchOptions& o, const std::string& data) {
  const fs::path path = fs::path(data) / "array" / "f64-2p29.bin";
  ensure_raw_file(path);
  run_workload(
      o, "mem_from_raw_4g_sum_mean",
      [&](Client&) {
        auto x = da::from_raw(path.string(), DType::float64, {raw_elems}, raw_chunk);
        double sum = scalar(x.sum().compute());
        double mean = scalar(x.mean().compute());
        return json{{"sum", sum}, {"mean", mean}, {"expected_sum", raw_sum}, {"expected_mean", raw_mean},
                    {"match", "exact"}, {"correct", sum == raw_sum && mean == raw_mean}};
      },
      {{"file", path.string()}, {"file_gib", 4}, {"chunk_elems", raw_chunk}, {"chunk_mib", raw_chunk * 8 >> 20}});
}

// The file's first 1 GiB, persisted: twice what the two workers may hold.
constexpr std::int64_t persist_elems = std::int64_t{1} << 27;
constexpr std::int64_t persist_chunk = std::int64_t{1} << 21;  // 16 MiB chunks
constexpr double persist_sum = 128.0 * (1048575.0 / 2.0);      // 128 cycles of 2^20 values
constexpr double persist_mean = persist_sum / static_cast<double>(persist_elems);

/// Computes every block of `x` on the cluster and keeps them there (as the
/// REPL's and Dask's persist): an array over the held blocks, with the same
/// name, shape and chunks, whose layer keeps their futures.
da::Array persist_blocks(Client& client, const da::Array& x) {
  auto layer = std::make_shared<Layer>(x.name(), std::vector<TaskSpec>{}, std::vector<LayerPtr>{});
  std::vector<Future<Value>> futures;
  for (const auto& k : x.keys()) futures.push_back(client.compute(Delayed<Value>(k, x.layer())));
  tessera::wait(futures);
  for (auto& f : futures) {
    f.result();  // throws the error of a failed block
    layer->external.push_back(f.key());
    layer->keep_alive.push_back(std::make_shared<Future<Value>>(f));
  }
  return da::Array(x.name(), layer, x.shape(), x.chunks(), x.dtype());
}

void persisted_sum_mean(const BenchOptions& o, const std::string& data) {
  const fs::path path = fs::path(data) / "array" / "f64-2p29.bin";
  ensure_raw_file(path);
  run_workload(
      o, "mem_persist_1g_sum_mean",
      [&](Client& client) {
        auto held = persist_blocks(client, da::from_raw(path.string(), DType::float64, {persist_elems}, persist_chunk));
        double sum = scalar(held.sum().compute());
        double mean = scalar(held.mean().compute());
        return json{{"sum", sum}, {"mean", mean}, {"expected_sum", persist_sum}, {"expected_mean", persist_mean},
                    {"match", "exact"}, {"correct", sum == persist_sum && mean == persist_mean}};
      },
      {{"file", path.string()}, {"persisted_gib", 1}, {"chunk_elems", persist_chunk},
       {"chunk_mib", persist_chunk * 8 >> 20}});
}

json q1_rows(const Table& t) {
  json rows = json::array();
  for (std::int64_t i = 0; i < t.num_rows(); ++i)
    rows.push_back({std::string(t.column("name").string_at(i)), t.column("x").data->as<double>()[i]});
  return rows;
}

void w4_q1(const BenchOptions& o, const std::string& data) {
  const std::string dir = data + (o.size == "small" ? "/timeseries-small" : "/timeseries");
  const std::string pattern = dir + "/ts-*.csv";
  if (dd::read_csv(pattern).npartitions() == 0) throw ValueError("memory suite: no CSV files match " + pattern);
  // The exact answer, another way: the threads engine in this process.
  auto expected = q1_rows(dd::compute({dd::read_csv(pattern).groupby("name")["x"].mean().to_frame()},
                                      {.scheduler = "threads"})[0]);
  std::int64_t npartitions = 0;
  run_workload(
      o, "w4_q1_groupby_name_x_mean",
      [&](Client&) {
        auto df = dd::read_csv(pattern);
        npartitions = df.npartitions();
        auto rows = q1_rows(dd::compute({df.groupby("name")["x"].mean().to_frame()})[0]);
        return json{{"by_name", rows}, {"match", "exact, against tessera-threads"}, {"correct", rows == expected}};
      },
      {{"data", dir}});
}

}  // namespace

void run_memory_suite(const BenchOptions& o) {
  std::regex only(o.only.empty() ? ".*" : o.only);
  const std::string data = o.data_dir.empty() ? std::string("/tmp/tessera-data") : o.data_dir;
  if (!o.engines.empty() && (o.engines.size() != 1 || o.engines[0] != "tessera-distributed"))
    throw ValueError("the memory suite runs on tessera-distributed only (2 worker processes of 256MB)");
  if (std::regex_search("mem_from_raw_4g_sum_mean", only)) from_raw_sum_mean(o, data);
  if (std::regex_search("mem_persist_1g_sum_mean", only)) persisted_sum_mean(o, data);
  if (std::regex_search("w4_q1_groupby_name_x_mean", only)) w4_q1(o, data);
}

}  // namespace tessera::bench

TESSERA_BENCH_SUITE("memory", tessera::bench::run_memory_suite);
