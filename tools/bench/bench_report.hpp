#pragma once
// One benchmark result as a JSON line, in the shape of shared/bench/README.md:
// workload, engine, size, seconds (median), runs, result_digest, plus extras.
#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

namespace tessera::bench {

struct BenchOptions {
  std::string size = "full";  // "small" or "full"
  std::string data_dir;
  std::vector<std::string> engines;
  int repeat = 3;
  std::string only;  // regex on workload names
};

/// Median of `runs` (which it sorts).
double median(std::vector<double> runs);
/// Peak resident set size of this process, in MiB.
double peak_rss_mb();
/// Times `fn` `repeat` times; returns the runs in seconds.
std::vector<double> time_runs(int repeat, const std::function<void()>& fn);
/// Prints one JSON line to stdout (flushed).
void emit(const nlohmann::json& line);

}  // namespace tessera::bench
