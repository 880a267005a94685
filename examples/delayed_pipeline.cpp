// The seed's dask.delayed example in C++: load files, process each, summarise.
//
//   load(f0)   load(f1)   load(f2)   load(f3)
//      |          |          |          |
//   process    process    process    process
//       \         |          |         /
//                  summarize(list)
#include <iostream>
#include <string>
#include <vector>

#include "actors/tessera.hpp"

using namespace tessera;

std::vector<std::int64_t> load(const std::string& filename) {
  // Stand-in for reading a file: the numbers 1..n, n = the name's length.
  std::vector<std::int64_t> data;
  for (std::int64_t i = 1; i <= static_cast<std::int64_t>(filename.size()); ++i) data.push_back(i);
  return data;
}

std::int64_t process(const std::vector<std::int64_t>& data) {
  std::int64_t s = 0;
  for (auto x : data) s += x * x;
  return s;
}

std::int64_t summarize(const std::vector<std::int64_t>& parts) {
  std::int64_t s = 0;
  for (auto x : parts) s += x;
  return s;
}

TESSERA_FUNCTION(load);
TESSERA_FUNCTION(process);
TESSERA_FUNCTION(summarize);

int main() {
  std::vector<std::string> filenames = {"a.csv", "bb.csv", "ccc.csv", "dddd.csv"};
  std::vector<Delayed<std::int64_t>> L;
  for (const auto& fn : filenames) {
    auto data = delayed(load)(fn);
    L.push_back(delayed(process)(data));
  }
  auto result = delayed(summarize)(L);
  std::int64_t total = result.compute();                          // the "threads" cluster
  std::int64_t check = result.compute({.scheduler = "sync"});     // the reference executor
  std::cout << "summary = " << total << "\n";
  // Sum of squares 1..n for n = 5, 6, 7, 8: 55 + 91 + 140 + 204.
  return total == 490 && check == 490 ? 0 : 1;
}
