// The seed's concurrent.futures example: submit work, pass futures to
// further work, collect the result.
//
//   load(f0)  load(f1)  load(f2)        (client.submit, one future each)
//       \        |        /
//        summarize(futures)             (futures as arguments)
#include <iostream>
#include <string>
#include <vector>

#include "actors/tessera.hpp"

using namespace tessera;

std::int64_t load(const std::string& filename) { return static_cast<std::int64_t>(filename.size()); }

std::int64_t summarize(const std::vector<std::int64_t>& parts) {
  std::int64_t s = 0;
  for (auto x : parts) s += x;
  return s;
}

std::int64_t inc(std::int64_t x) { return x + 1; }

TESSERA_FUNCTION(load);
TESSERA_FUNCTION(summarize);
TESSERA_FUNCTION(inc);

int main() {
  Client client(LocalClusterOptions{2, 1});  // two workers, one thread each

  std::vector<Future<std::int64_t>> futures;
  for (std::string fn : {"2015-01-01.csv", "2015-01-02.csv", "x.csv"})
    futures.push_back(client.submit(load, fn));
  auto summary = client.submit(summarize, futures);
  std::cout << "summary = " << summary.result() << "\n";  // 14 + 14 + 5

  auto incs = client.map(inc, std::vector<std::int64_t>{1, 2, 3, 4});
  auto values = client.gather(incs);
  std::int64_t s = 0;
  for (auto v : values) s += v;
  std::cout << "sum of incs = " << s << "\n";  // 2 + 3 + 4 + 5
  return summary.result() == 33 && s == 14 ? 0 : 1;
}
