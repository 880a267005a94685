// Bag reductions against plain loops, over trees of several levels
// (split_every 2 and 3), with empty partitions and empty bags.
#include <cmath>
#include <map>

#include "tests/collections/bag/bag_test_util.hpp"

namespace tessera::bag::test {
namespace {

std::int64_t plus(std::int64_t a, std::int64_t b) { return a + b; }
std::int64_t negate(std::int64_t x) { return -x; }
TESSERA_FUNCTION_AS(plus, "bagtest.plus");
TESSERA_FUNCTION_AS(negate, "bagtest.negate");

using BagReductionOn = BagOn;

std::vector<std::int64_t> data() {
  std::vector<std::int64_t> xs;
  for (std::int64_t i = 0; i < 37; ++i) xs.push_back((i * 7919) % 101 - 40);
  return xs;
}

TEST_P(BagReductionOn, NumericReductionsMatchLoops) {
  auto xs = data();
  std::int64_t sum = 0, mn = xs[0], mx = xs[0];
  for (auto x : xs) sum += x, mn = std::min(mn, x), mx = std::max(mx, x);
  double mean = static_cast<double>(sum) / static_cast<double>(xs.size()), ss = 0;
  for (auto x : xs) ss += (static_cast<double>(x) - mean) * (static_cast<double>(x) - mean);
  const double n = static_cast<double>(xs.size());
  for (std::int64_t parts : {1, 2, 10, 37}) {
    for (std::size_t split : {2u, 3u, 8u}) {
      auto b = from_sequence(xs, {.npartitions = parts});
      SCOPED_TRACE(std::to_string(parts) + " partitions, split_every " + std::to_string(split));
      EXPECT_EQ(b.count(split).compute(on()), Value(static_cast<std::int64_t>(xs.size())));
      EXPECT_EQ(b.sum(split).compute(on()), Value(sum));
      EXPECT_EQ(b.min(split).compute(on()), Value(mn));
      EXPECT_EQ(b.max(split).compute(on()), Value(mx));
      EXPECT_NEAR(b.mean(split).compute(on()).as_float(), mean, 1e-12);
      EXPECT_NEAR(b.var(0, split).compute(on()).as_float(), ss / n, 1e-9);
      EXPECT_NEAR(b.var(1, split).compute(on()).as_float(), ss / (n - 1), 1e-9);
      EXPECT_NEAR(b.std(1, split).compute(on()).as_float(), std::sqrt(ss / (n - 1)), 1e-9);
      EXPECT_EQ(b.any(split).compute(on()), Value(true));
      EXPECT_EQ(b.all(split).compute(on()), Value(false));  // data holds a 0? checked below
      EXPECT_EQ(b.fold(&plus, std::nullopt, std::nullopt, split).compute(on()), Value(sum));
    }
  }
  bool has_zero = false;
  for (auto x : xs) has_zero |= x == 0;
  ASSERT_TRUE(has_zero);
}

TEST_P(BagReductionOn, EmptyPartitionsAndEmptyBags) {
  // 20 elements in 5 partitions, only the last two keep anything.
  auto b = from_sequence(ints(0, 20), {.npartitions = 5}).filter([](std::int64_t x) { return x >= 13; });
  EXPECT_EQ(b.count(2).compute(on()), Value(7));
  EXPECT_EQ(b.sum(2).compute(on()), Value(13 + 14 + 15 + 16 + 17 + 18 + 19));
  EXPECT_EQ(b.min(2).compute(on()), Value(13));
  EXPECT_EQ(b.max(2).compute(on()), Value(19));
  EXPECT_EQ(b.mean(2).compute(on()), Value(16.0));
  EXPECT_EQ(b.all(2).compute(on()), Value(true));

  auto empty = b.filter([](std::int64_t) { return false; });
  EXPECT_EQ(empty.count().compute(on()), Value(0));
  EXPECT_EQ(empty.sum().compute(on()), Value(0));
  EXPECT_EQ(empty.any().compute(on()), Value(false));
  EXPECT_EQ(empty.all().compute(on()), Value(true));
  EXPECT_EQ(empty.frequencies().compute(on()), ValueList{});
  EXPECT_EQ(empty.distinct().compute(on()), ValueList{});
  EXPECT_EQ(empty.topk(3).compute(on()), ValueList{});
  EXPECT_NE(error_of([&] { empty.max().compute(on()); }).find("max() of an empty bag"), std::string::npos);
  EXPECT_NE(error_of([&] { empty.min().compute(on()); }).find("min() of an empty bag"), std::string::npos);
  EXPECT_NE(error_of([&] { empty.mean().compute(on()); }).find("mean() of an empty bag"), std::string::npos);
  EXPECT_NE(error_of([&] { empty.var(1).compute(on()); }).find("var(ddof=1)"), std::string::npos);
  EXPECT_NE(error_of([&] { empty.fold(&plus).compute(on()); }).find("fold() of an empty bag"), std::string::npos);
  EXPECT_EQ(empty.fold(&plus, std::nullopt, Value(0)).compute(on()), Value(0));
}

TEST_P(BagReductionOn, FrequenciesDistinctTopk) {
  std::vector<std::string> words{"b", "a", "c", "a", "日本", "b", "a", "", "日本", "a"};
  // First-seen order, as dask.bag (Python dicts keep insertion order).
  ValueList first_seen{ValueList{"b", 2}, ValueList{"a", 4}, ValueList{"c", 1}, ValueList{"日本", 2},
                       ValueList{"", 1}};
  for (std::int64_t parts : {1, 3, 10}) {
    auto b = from_sequence(words, {.npartitions = parts});
    EXPECT_EQ(b.frequencies(false, 2).compute(on()), first_seen);
    // By count, largest first; ties in first-seen order: a:4, b:2, 日本:2, c:1, "":1.
    EXPECT_EQ(b.frequencies(true, 2).compute(on()),
              (ValueList{ValueList{"a", 4}, ValueList{"b", 2}, ValueList{"日本", 2}, ValueList{"c", 1},
                         ValueList{"", 1}}));
    EXPECT_EQ(b.distinct(2).compute(on()), (ValueList{"b", "a", "c", "日本", ""}));
    // The wordcount shape: frequencies, then the top 2 by count.
    EXPECT_EQ(b.frequencies().topk(2, [](const ValueList& p) { return p[1]; }).compute(on()),
              (ValueList{ValueList{"a", 4}, ValueList{"b", 2}}));
    // The same by index (toolz's getter), a registered built-in only.
    EXPECT_EQ(b.frequencies().topk(2, Value(1)).compute(on()), (ValueList{ValueList{"a", 4}, ValueList{"b", 2}}));
    // Ties in first-seen order, from the merged counts directly and through every pair alike.
    ValueList top3{ValueList{"a", 4}, ValueList{"b", 2}, ValueList{"日本", 2}};
    EXPECT_EQ(b.frequencies(true).topk(3, Value(1)).compute(on()), top3);
    auto f = b.frequencies();
    EXPECT_EQ(Bag(f.name(), f.layer(), 1).topk(3, Value(1)).compute(on()), top3);
  }
  auto xs = from_sequence(ints(0, 30), {.npartitions = 7});
  EXPECT_EQ(xs.topk(3, std::nullopt, 2).compute(on()), (ValueList{29, 28, 27}));
  EXPECT_EQ(xs.topk(3, BagFunction(&negate), 2).compute(on()), (ValueList{0, 1, 2}));
  EXPECT_EQ(xs.topk(2, [](std::int64_t x) { return x % 10; }, 2).compute(on()), (ValueList{9, 19}));  // stable
  EXPECT_EQ(xs.topk(100).count().compute(on()), Value(30));
  // frequencies treats 1 and 1.0 as one value.
  auto mixed = from_sequence(std::vector<Value>{1, 1.0, 2, "x"}, {.npartitions = 2});
  EXPECT_EQ(mixed.frequencies().compute(on()), (ValueList{ValueList{1, 2}, ValueList{2, 1}, ValueList{"x", 1}}));
}

TEST_P(BagReductionOn, FoldWithLambdasAndInitial) {
  auto b = from_sequence(std::vector<std::string>{"a", "b", "c", "d", "e"}, {.npartitions = 3});
  auto concat = [](const std::string& x, const std::string& y) { return x + y; };
  EXPECT_EQ(b.fold(concat, std::nullopt, std::nullopt, 2).compute(on()), Value("abcde"));
  // binop adds an element's length to a count; combine adds counts.
  auto lengths = b.fold([](std::int64_t acc, const std::string& s) { return acc + static_cast<std::int64_t>(s.size()); },
                        BagFunction(&plus), Value(0), 2);
  EXPECT_EQ(lengths.compute(on()), Value(5));
  std::string err = error_of([&] {
    b.fold([](const std::string&, const std::string&) -> std::string { throw std::runtime_error("boom"); })
        .compute(on());
  });
  EXPECT_NE(err.find("boom"), std::string::npos) << err;
}

INSTANTIATE_TEST_SUITE_P(Sched, BagReductionOn, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::bag::test
