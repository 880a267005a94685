// foldby, groupby (shuffle), join, product, repartition, reduction,
// str_match and from_delayed against dask.bag's results on the same input
// (fixtures/expected.json, made by fixtures/make_fixtures.py).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <zlib.h>

#include "collections/bag/json.hpp"
#include "collections/bag/read_text.hpp"
#include "tests/collections/bag/bag_test_util.hpp"

namespace tessera::bag::test {
namespace {

const ValueDict& expected() {
  static const Value e = [] {
    std::ifstream in(std::string(TESSERA_SOURCE_DIR) + "/tests/collections/bag/fixtures/expected.json", std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return json_loads(ss.str());
  }();
  return e.as_dict();
}
Value want(const std::string& name) { return expected().at(name); }

std::int64_t mod3(std::int64_t x) { return x % 3; }
std::int64_t plus(std::int64_t a, std::int64_t b) { return a + b; }
TESSERA_FUNCTION_AS(mod3, "bagtest.mod3");
TESSERA_FUNCTION_AS(plus, "bagtest.grouping_plus");

Bag nums() { return from_sequence(ints(0, 10), {.npartitions = 3}); }

// Each partition's elements (what dask's to_delayed gives).
Value partitions_of(const Bag& b, const ComputeOptions& on) {
  ValueList out;
  for (std::int64_t i = 0; i < b.npartitions(); ++i) {
    Key k = b.key(i);
    out.push_back(get_executor(on.scheduler)->compute(b.graph(), std::span<const Key>(&k, 1)).front());
  }
  return Value(std::move(out));
}

using GroupingOn = BagOn;

TEST_P(GroupingOn, FoldbyMatchesDask) {
  EXPECT_EQ(Value(nums().foldby(&mod3, &plus, Value(0), BagFunction(&plus), Value(0)).compute(on())),
            want("foldby_mod3_initial"));
  EXPECT_EQ(Value(nums().foldby(&mod3, &plus).compute(on())), want("foldby_mod3"));
  EXPECT_EQ(Value(nums().foldby(&mod3, &plus, Value(100), BagFunction(&plus), Value(1000)).compute(on())),
            want("foldby_mod3_combine_initial"));
  for (std::size_t split : {2u, 8u})  // several combine levels give the same
    EXPECT_EQ(Value(from_sequence(ints(0, 10), {.npartitions = 10}).foldby(&mod3, &plus, {}, {}, {}, split).compute(on())),
              want("foldby_mod3"));
  auto recs = from_sequence(std::vector<Value>{ValueDict{{"k", "b"}, {"v", 1}}, ValueDict{{"k", "a"}, {"v", 2}},
                                               ValueDict{{"k", "b"}, {"v", 3}}, ValueDict{{"k", "c"}, {"v", 4}},
                                               ValueDict{{"k", "a"}, {"v", 5}}},
                            {.npartitions = 2});
  auto add_v = [](std::int64_t acc, const ValueDict& x) { return acc + x.at("v").as_int(); };
  EXPECT_EQ(Value(recs.foldby("k", add_v, Value(0), BagFunction(&plus), Value(0)).compute(on())), want("foldby_getter"));
  // Registered functions only: the graph can go to remote workers.
  EXPECT_EQ(nums().foldby(BagFunction("bagtest.mod3"), "bagtest.grouping_plus").compute(on()),
            nums().foldby(&mod3, &plus).compute(on()));
}

TEST_P(GroupingOn, GroupbyShufflesByHash) {
  for (std::int64_t n : {0, 1, 3, 5}) {
    SCOPED_TRACE("npartitions " + std::to_string(n));
    auto grouped = nums().groupby([](std::int64_t x) { return x % 4; }, n);
    EXPECT_EQ(grouped.npartitions(), n == 0 ? 3 : n);
    // Each key lives in exactly one output partition; within it, values keep their order.
    auto parts = partitions_of(grouped, on()).as_list();
    ValueList all;
    for (const auto& p : parts)
      for (const auto& kv : p.as_list()) all.push_back(kv);
    std::sort(all.begin(), all.end(), [](const Value& a, const Value& b) {
      return a.as_list()[0].as_int() < b.as_list()[0].as_int();
    });
    EXPECT_EQ(Value(all), want("groupby_mod4"));
  }
  // No task sees more than its share: every output task reads pieces, not whole partitions.
  auto grouped = nums().groupby([](std::int64_t x) { return x % 4; }, 2);
  for (const auto* layer : grouped.graph().layers())
    if (layer->name == grouped.name())
      for (const auto& t : layer->tasks)
        for_each_ref(t.args, [](const Key& k) { EXPECT_EQ(k.name().rfind("groupby-piece-", 0), 0u); });
  // A getter key on records.
  auto recs = from_sequence(std::vector<Value>{ValueDict{{"k", "x"}}, ValueDict{{"k", "y"}}, ValueDict{{"k", "x"}}});
  auto by_k = recs.groupby("k", 1).compute(on());
  ASSERT_EQ(by_k.size(), 2u);
  EXPECT_EQ(by_k[0], Value(ValueList{"x", ValueList{ValueDict{{"k", "x"}}, ValueDict{{"k", "x"}}}}));
}

TEST_P(GroupingOn, JoinProductRepartitionMatchDask) {
  std::vector<Value> other{ValueList{0, "zero"}, ValueList{1, "one"}, ValueList{1, "uno"}, ValueList{3, "three"}};
  EXPECT_EQ(Value(nums().join(other, [](std::int64_t x) { return x % 4; }, GroupKey(Value(0))).compute(on())),
            want("join_mod4"));
  auto p = from_sequence(ints(1, 4), {.npartitions = 2}).product(from_sequence(std::vector<std::string>{"a", "b"}, {.npartitions = 2}));
  EXPECT_EQ(Value(p.npartitions()), want("product_npartitions"));
  EXPECT_EQ(Value(p.compute(on())), want("product"));
  EXPECT_EQ(partitions_of(from_sequence(ints(0, 10), {.npartitions = 5}).repartition(2), on()), want("repartition_5_to_2"));
  EXPECT_EQ(partitions_of(nums().repartition(7), on()), want("repartition_3_to_7"));
  EXPECT_EQ(partitions_of(nums().repartition(4), on()), want("repartition_3_to_4"));
  EXPECT_EQ(nums().repartition(3).name(), nums().name());
  EXPECT_NE(error_of([] { nums().repartition(0); }).find("at least 1"), std::string::npos);
}

TEST_P(GroupingOn, ReductionAndStrMatchMatchDask) {
  auto max_of = [](const std::vector<std::int64_t>& xs) { return *std::max_element(xs.begin(), xs.end()); };
  auto sum_of = [](const std::vector<std::int64_t>& xs) {
    std::int64_t s = 0;
    for (auto x : xs) s += x;
    return s;
  };
  EXPECT_EQ(nums().reduction(max_of, sum_of).compute(on()), want("reduction_sum_of_maxes"));
  EXPECT_EQ(from_sequence(ints(0, 10), {.npartitions = 10}).reduction(sum_of, sum_of, 3).compute(on()), Value(45));
  auto words = from_sequence(std::vector<std::string>{"Alice", "alan", "Bob", "a[b", "日本語", "x.py", "y.PY", "]x", ""},
                             {.npartitions = 2});
  for (const auto& [pattern, matches] : want("str_match").as_dict()) {
    SCOPED_TRACE(pattern);
    EXPECT_EQ(Value(words.str_match(pattern).compute(on())), matches);
  }
  EXPECT_NE(error_of([] { from_sequence(ints(0, 2)).str_match("*").compute(); }).find("elements must be strings"),
            std::string::npos);
}

TEST_P(GroupingOn, FromDelayed) {
  auto part = delayed([](std::int64_t lo, std::int64_t n) {
    std::vector<std::int64_t> out;
    for (std::int64_t i = 0; i < n; ++i) out.push_back(lo + i);
    return out;
  });
  auto b = from_delayed(std::vector{part(0, 3), part(10, 0), part(20, 2)});
  EXPECT_EQ(b.npartitions(), 3);
  EXPECT_EQ(b.compute(on()), (ValueList{0, 1, 2, 20, 21}));
  EXPECT_EQ(b.sum().compute(on()), Value(44));
  auto scalar = delayed([](std::int64_t x) { return x; })(1);
  std::string err = error_of([&] { from_delayed(std::vector{scalar}).compute(on()); });
  EXPECT_NE(err.find("from_delayed: each delayed value must be a list"), std::string::npos) << err;
}

TEST_P(GroupingOn, ToTextfilesRoundTrips) {
  std::string dir = temp_path(std::string("to_textfiles_") + GetParam());
  std::filesystem::remove_all(dir);
  // Partitions ["a", ""] and ["日本", "b c"].
  auto lines = from_sequence(std::vector<std::string>{"a", "", "日本", "b c"}, {.npartitions = 2});
  auto files = lines.to_textfiles(dir + "/part-*.txt", {}, on());
  ASSERT_EQ(files, (std::vector<std::string>{dir + "/part-0.txt", dir + "/part-1.txt"}));
  std::ifstream f0(files[0], std::ios::binary);
  std::stringstream s0;
  s0 << f0.rdbuf();
  EXPECT_EQ(s0.str(), "a\n");  // lines joined by "\n", no newline after the last (as dask)
  EXPECT_EQ(read_text(dir + "/part-*.txt").compute(on()), (ValueList{"a", "日本", "b c"}));
  // .gz: compressed, and read back by read_text; a folder without '*' gets i.part files.
  auto gz = lines.to_textfiles(dir + "/gz/*.txt.gz", {.last_endline = true}, on());
  EXPECT_EQ(read_text(dir + "/gz/*.txt.gz").compute(on()), (ValueList{"a", "", "日本", "b c"}));
  gzFile g = gzopen(gz[1].c_str(), "rb");
  char buf[16] = {};
  int n = gzread(g, buf, sizeof buf);
  gzclose(g);
  EXPECT_EQ(std::string(buf, static_cast<std::size_t>(n)), "日本\nb c\n");
  auto parts = lines.to_textfiles(dir + "/plain", {}, on());
  EXPECT_EQ(parts.back(), dir + "/plain/1.part");
  std::string err = error_of([&] { from_sequence(ints(0, 2)).to_textfiles(dir + "/bad-*.txt", {}, on()); });
  EXPECT_NE(err.find("to_textfiles: elements must be strings"), std::string::npos) << err;
}

INSTANTIATE_TEST_SUITE_P(Schedulers, GroupingOn, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::bag::test
