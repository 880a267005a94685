#include "tests/plugins/dist_functions.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <numeric>
#include <stdexcept>
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
double dist_dot(const NDArray& a, const NDArray& b) {
  auto x = a.values<double>();
  auto y = b.values<double>();
  if (x.size() != y.size()) throw std::runtime_error("dist.dot: sizes differ");
  return std::inner_product(x.begin(), x.end(), y.begin(), 0.0);
}
std::int64_t dist_logged_inc(std::int64_t x, const std::string& path) {
  auto line = std::to_string(x) + "\n";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0) throw std::runtime_error("dist.logged_inc: cannot open " + path);
  auto written = ::write(fd, line.data(), line.size());  // one append: atomic between processes
  ::close(fd);
  if (written != static_cast<ssize_t>(line.size())) throw std::runtime_error("dist.logged_inc: cannot write " + path);
  return x + 1;
}
std::vector<std::int64_t> dist_inc_pid_20ms(std::int64_t x) {
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return {x + 1, static_cast<std::int64_t>(getpid())};
}

std::int64_t dist_hog_once(std::int64_t bytes, const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0) return 1;  // not the first run
  ::close(fd);
  std::vector<char> hog(static_cast<std::size_t>(bytes), 1);  // touched: resident
  for (int i = 0; i < 600; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  return hog[hog.size() / 2] == 1 ? 0 : -1;
}

TESSERA_FUNCTION_AS(dist_inc, "dist.inc");
TESSERA_FUNCTION_AS(dist_hog_once, "dist.hog_once");
TESSERA_FUNCTION_AS(dist_add, "dist.add");
TESSERA_FUNCTION_AS(dist_sum, "dist.sum");
TESSERA_FUNCTION_AS(dist_slow_inc, "dist.slow_inc");
TESSERA_FUNCTION_AS(dist_pid_after, "dist.pid_after");
TESSERA_FUNCTION_AS(dist_ones, "dist.ones");
TESSERA_FUNCTION_AS(dist_total, "dist.total");
TESSERA_FUNCTION_AS(dist_dot, "dist.dot");
TESSERA_FUNCTION_AS(dist_logged_inc, "dist.logged_inc");
TESSERA_FUNCTION_AS(dist_inc_pid_20ms, "dist.inc_pid_20ms");

}  // namespace tessera::testing
