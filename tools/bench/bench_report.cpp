#include "tools/bench/bench_report.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <iostream>

namespace tessera::bench {

double median(std::vector<double> runs) {
  if (runs.empty()) return 0;
  std::sort(runs.begin(), runs.end());
  auto n = runs.size();
  return n % 2 ? runs[n / 2] : (runs[n / 2 - 1] + runs[n / 2]) / 2;
}

double peak_rss_mb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

std::vector<double> time_runs(int repeat, const std::function<void()>& fn) {
  std::vector<double> runs;
  for (int i = 0; i < repeat; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    fn();
    runs.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return runs;
}

void emit(const nlohmann::json& line) { std::cout << line.dump() << std::endl; }

}  // namespace tessera::bench
