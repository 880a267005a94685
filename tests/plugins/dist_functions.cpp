#include "tests/plugins/dist_functions.hpp"

#include <unistd.h>

#include <chrono>
#include <numeric>
#include <thread>

#include "runtime/registry/registry.hpp"

namespace tessera::testing {

std::int64_t dist_inc(std::int64_t x) { return x + 1; }
std::int64_t dist_add(std::int64_t a, std::int64_t b) { return a + b; }
std::int64_t dist_sum(const std::vector<std::int64_t>& xs) {
  return std::accumulate(xs.begin(), xs.end(), std::int64_t{0});
}
std::int64_t dist_slow_inc(std::int64_t x, std::int64_t ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  return x + 1;
}
std::int64_t dist_pid_after(std::int64_t ms, std::int64_t) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  return getpid();
}
NDArray dist_ones(std::int64_t n, double fill) {
  return NDArray::from_vector(std::vector<double>(static_cast<std::size_t>(n), fill));
}
double dist_total(const NDArray& xs) {
  auto v = xs.values<double>();
  return std::accumulate(v.begin(), v.end(), 0.0);
}

TESSERA_FUNCTION_AS(dist_inc, "dist.inc");
TESSERA_FUNCTION_AS(dist_add, "dist.add");
TESSERA_FUNCTION_AS(dist_sum, "dist.sum");
TESSERA_FUNCTION_AS(dist_slow_inc, "dist.slow_inc");
TESSERA_FUNCTION_AS(dist_pid_after, "dist.pid_after");
TESSERA_FUNCTION_AS(dist_ones, "dist.ones");
TESSERA_FUNCTION_AS(dist_total, "dist.total");

}  // namespace tessera::testing
