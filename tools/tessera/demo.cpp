#include "tools/tessera/demo.hpp"

#include <iostream>

#include "actors/tessera.hpp"

namespace tessera::tools {
namespace {
std::int64_t square(std::int64_t x) { return x * x; }
std::int64_t total(const std::vector<std::int64_t>& xs) {
  std::int64_t s = 0;
  for (auto x : xs) s += x;
  return s;
}
TESSERA_FUNCTION_AS(square, "demo.square");
TESSERA_FUNCTION_AS(total, "demo.total");
}  // namespace

int run_demo(int workers, int threads) {
  std::cout << "Tessera demo: a local cluster of " << workers << " worker(s) x " << threads
            << " thread(s)\n\n";
  Client client(LocalClusterOptions{workers, threads});

  std::cout << ">>> squares = [delayed(square)(i) for i in range(10)]\n"
            << ">>> delayed(total)(squares).compute()\n";
  std::vector<Delayed<std::int64_t>> squares;
  for (std::int64_t i = 0; i < 10; ++i) squares.push_back(delayed(square)(i));
  std::cout << delayed(total)(squares).compute() << "\n\n";

  std::cout << ">>> futures = client.map(square, range(100))\n"
            << ">>> client.submit(total, futures).result()\n";
  std::vector<std::int64_t> xs(100);
  for (std::int64_t i = 0; i < 100; ++i) xs[static_cast<std::size_t>(i)] = i;
  auto futures = client.map(square, xs);
  std::cout << client.submit(total, futures).result() << "\n\n";

  auto info = client.scheduler_info();
  std::cout << "workers: " << info.workers.size() << ", tasks held: " << info.tasks_total << "\n";
  std::cout << "\nMore: ./run bench overhead   (JSON lines; see README)\n";
  return 0;
}

}  // namespace tessera::tools
