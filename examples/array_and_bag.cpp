// The seed's array and bag examples, first slices:
//
//   arange(0, 1000) in 10 blocks --*2--+1--> 10 blocks --sum--> tree --> 0-d
//   from_sequence(records) --pluck("city")--> frequencies --> topk(2)
#include <iostream>

#include "actors/tessera.hpp"

using namespace tessera;
namespace da = tessera::array;
namespace db = tessera::bag;

int main() {
  // x = da.arange(0, 1000, chunks=100); (x * 2 + 1).sum().compute()
  auto x = da::arange(Value(0), Value(1000), Value(1), 100);
  NDArray total = ((x * 2.0) + 1.0).sum().compute();
  double t = total.values<double>()[0];
  std::cout << "sum(2x + 1) = " << t << "\n";  // 2 * 499500 + 1000

  // da.ones((6, 4), chunks=(4, 3)).mean(axis=0)
  auto m = da::ones({6, 4}, da::ChunkSpec::per_axis({4, 3})).mean({.axis = 0}).compute();
  std::cout << "column means: " << m.values<double>()[0] << " ... (" << m.shape()[0] << " columns)\n";

  // b.pluck("city").frequencies().topk(2, key=count)
  std::vector<Value> records;
  for (const char* city : {"Oslo", "Lima", "Oslo", "Pune", "Oslo", "Lima"})
    records.push_back(Value(ValueDict{{"city", Value(city)}}));
  auto b = db::from_sequence(records, {.npartitions = 3});
  auto freq = b.pluck("city").frequencies(true).compute();
  std::cout << "frequencies: " << Value(freq).repr() << "\n";

  auto s = db::from_sequence(std::vector<std::int64_t>{1, 2, 3, 4}, {.npartitions = 2}).sum().compute();
  std::cout << "bag sum = " << s.repr() << "\n";

  bool ok = t == 1000000.0 && m.shape() == Shape{4} && m.values<double>()[0] == 1.0 &&
            freq.size() == 3 && freq[0] == Value(ValueList{Value("Oslo"), Value(3)}) && s == Value(10);
  return ok ? 0 : 1;
}
