// Divisions against pandas (fixtures/divisions_expected.json, made by
// fixtures/make_divisions_fixtures.py): set_index computes them, the
// operations that keep rows in place keep them and the others drop them,
// loc reads only the partitions whose ranges can hold its keys (counted in
// the culled graph), sorting by the index keeps or computes them, and a
// merge on indexes with equal divisions shuffles nothing.
#include "runtime/graph/optimize.hpp"
#include "tests/collections/dataframe/ops_test_util.hpp"

namespace tessera::dataframe::test {
namespace {

using DivisionsOn = DfOn;

const nlohmann::json& expected_div(const std::string& key) {
  static const nlohmann::json all = [] {
    std::ifstream in(fixture("divisions_expected.json"));
    return nlohmann::json::parse(in);
  }();
  return all.at(key);
}

// keyed.csv (240 rows) in several partitions.
DataFrame keyed() {
  ReadCsvOptions o;
  o.blocksize = 1000;
  return read_csv(fixture("keyed.csv"), o);
}

// How many partitions of `source` computing `frame` needs (the tasks of that layer left after culling).
std::size_t partitions_read(const DataFrame& frame, const DataFrame& source) {
  auto wanted = frame.keys();
  auto g = cull(frame.graph().materialize(), wanted);
  std::size_t n = 0;
  for (std::size_t i = 0; i < g.size(); ++i)
    if (g.task(static_cast<std::int32_t>(i)).key.name() == source.name()) ++n;
  return n;
}

void expect_ordered_by_divisions(const DataFrame& df, const ComputeOptions& on) {
  ASSERT_TRUE(df.known_divisions());
  auto d = df.divisions();
  ASSERT_EQ(static_cast<std::int64_t>(d.size()), df.npartitions() + 1);
  for (std::size_t i = 1; i < d.size(); ++i) EXPECT_LE(compare_division(d[i - 1], d[i]), 0) << i;
  // Every row sits in the range its partition claims (the last one closed).
  for (std::int64_t p = 0; p < df.npartitions(); ++p) {
    Key k = df.key(p);
    Table t = get_executor(on.scheduler)->compute(df.graph(), std::span<const Key>(&k, 1)).front().as_table();
    const Column& ix = t.column(*df.index());
    for (std::int64_t r = 0; r < t.num_rows(); ++r) {
      Value v = division_value(ix, r);
      EXPECT_GE(compare_division(v, d[p]), 0) << "partition " << p << " row " << r;
      if (p + 1 < df.npartitions()) EXPECT_LT(compare_division(v, d[p + 1]), 0) << "partition " << p;
      else EXPECT_LE(compare_division(v, d[p + 1]), 0) << "last partition";
    }
  }
}

TEST_P(DivisionsOn, SetIndexComputesDivisionsFromSampledQuantiles) {
  auto df = keyed();
  ASSERT_GT(df.npartitions(), 3);
  EXPECT_FALSE(df.known_divisions());
  EXPECT_TRUE(df.divisions()[0].is_none());
  auto ix = df.set_index("k", 4, on());
  EXPECT_EQ(ix.npartitions(), 4);
  auto d = ix.divisions();
  EXPECT_EQ(d.front().as_int(), expected_div("k_min").get<std::int64_t>());
  EXPECT_EQ(d.back().as_int(), expected_div("k_max").get<std::int64_t>());
  expect_ordered_by_divisions(ix, on());
  expect_frame(ix.compute(on()), expected_div("set_index_k"));
  // Given divisions: nothing computed now; values outside go to the end partitions.
  auto given = df.set_index("k", std::vector<Value>{Value(10), Value(50), Value(90)});
  EXPECT_EQ(given.npartitions(), 2);
  EXPECT_EQ(given.divisions()[1].as_int(), 50);
  expect_frame(given.compute(on()), expected_div("set_index_k"));
  // One distinct value: one partition, divisions (v, v).
  auto same = from_table(Table({Column::from_int64("a", {7, 7, 7}), Column::from_int64("b", {1, 2, 3})}), 2);
  auto one = same.set_index("a", 3, on());
  EXPECT_EQ(one.npartitions(), 1);
  EXPECT_EQ(one.divisions(), (std::vector<Value>{Value(7), Value(7)}));
  // No value to divide on: unknown.
  auto nothing = from_table(Table({Column::from_int64("a", {}), Column::from_int64("b", {})}), 1);
  EXPECT_FALSE(nothing.set_index("a", 2, on()).known_divisions());
}

TEST_P(DivisionsOn, RowPreservingOperationsKeepDivisionsOthersDropThem) {
  auto ix = keyed().set_index("k", 4, on());
  const auto d = ix.divisions();
  EXPECT_EQ(ix[ix["x"] > 0.0].divisions(), d);
  EXPECT_EQ((ix[{"k", "x"}].divisions()), d);
  EXPECT_EQ(ix.assign("y", ix["x"] * 2.0).divisions(), d);
  EXPECT_EQ(ix.rename({{"x", "xx"}}).divisions(), d);
  EXPECT_EQ(ix.dropna().divisions(), d);
  EXPECT_EQ(ix.astype({{"x", "int64"}}).divisions(), d);
  auto fewer = ix.repartition(2);  // neighbours joined: their outer divisions remain
  EXPECT_EQ(fewer.divisions(), (std::vector<Value>{d[0], d[2], d[4]}));
  expect_ordered_by_divisions(fewer, on());
  EXPECT_FALSE(ix.assign("k", ix["k"] + 1).known_divisions());  // the index changed
  EXPECT_FALSE(ix[{"x"}].known_divisions());                     // no index left
  EXPECT_FALSE(ix.shuffle({"g"}).known_divisions());
  EXPECT_FALSE(ix.repartition(8).known_divisions());
  EXPECT_FALSE(ix.sort_values("x").known_divisions());  // as Dask: the index is not sorted
  EXPECT_FALSE(ix.clear_divisions().known_divisions());
  EXPECT_NE(ix.repr().find("divisions (0, "), std::string::npos) << ix.repr();
  // Claimed divisions are checked.
  EXPECT_NE(error_of([&] { ix.with_divisions({Value(1), Value(2)}); }).find("2 values for 4 partitions"),
            std::string::npos);
  EXPECT_NE(error_of([&] { ix.with_divisions({Value(5), Value(4), Value(6), Value(7), Value(8)}); })
                .find("not increasing at position 1"),
            std::string::npos);
  EXPECT_NE(error_of([&] { keyed().with_divisions({Value(1), Value(2)}); }).find("no index"), std::string::npos);
}

TEST_P(DivisionsOn, LocReadsOnlyThePartitionsThatCanHoldTheKeys) {
  auto ix = keyed().set_index("k", 4, on());
  const auto d = ix.divisions();
  auto at = ix.loc(Value(42));
  EXPECT_EQ(at.npartitions(), 1);
  EXPECT_EQ(partitions_read(at, ix), 1u);
  EXPECT_EQ(at.divisions(), (std::vector<Value>{Value(42), Value(42)}));
  expect_frame(at.compute(on()), expected_div("loc_k_42"));
  // A slice: the partitions whose ranges meet [10, 30], counted independently from the divisions.
  std::size_t meeting = 0;
  for (std::int64_t p = 0; p < ix.npartitions(); ++p) {
    bool last = p + 1 == ix.npartitions();
    bool starts_by_30 = d[p].as_int() <= 30;
    bool ends_after_10 = last ? d[p + 1].as_int() >= 10 : d[p + 1].as_int() > 10;
    meeting += starts_by_30 && ends_after_10;
  }
  ASSERT_LT(meeting, static_cast<std::size_t>(ix.npartitions()));
  auto range = ix.loc(Value(10), Value(30));
  EXPECT_EQ(static_cast<std::size_t>(range.npartitions()), meeting);
  EXPECT_EQ(partitions_read(range, ix), meeting);
  EXPECT_EQ(range.divisions().front().as_int(), 10);
  EXPECT_EQ(range.divisions().back().as_int(), 30);
  expect_frame(range.compute(on()), expected_div("loc_k_10_30"));
  expect_frame(ix.loc(Value(), Value(7)).compute(on()), expected_div("loc_k_to_7"));
  EXPECT_EQ(partitions_read(ix.loc(Value(), Value(7)), ix), 1u);
  expect_frame(ix.loc(Value(95), Value()).compute(on()), expected_div("loc_k_from_95"));
  EXPECT_EQ(partitions_read(ix.loc(Value(95), Value()), ix), 1u);
  auto missing = ix.loc(Value(1000), Value(2000));
  EXPECT_EQ(partitions_read(missing, ix), 1u);
  expect_frame(missing.compute(on()), expected_div("loc_k_missing"));
  // Unknown divisions: every partition is read, with the same rows.
  auto blind = ix.clear_divisions().loc(Value(42));
  EXPECT_EQ(blind.npartitions(), ix.npartitions());
  expect_frame(blind.compute(on()), expected_div("loc_k_42"));
  // A string index.
  auto by_s = keyed()[{"s", "k"}].set_index("s", 3, on());
  auto s_range = by_s.loc(Value("s010"), Value("s020"));
  EXPECT_LT(partitions_read(s_range, by_s), 3u);
  expect_frame(s_range.compute(on()), expected_div("loc_s_s010_s020"));
  // Errors name what is wrong.
  EXPECT_NE(error_of([&] { keyed().loc(Value(1)); }).find("has no index"), std::string::npos);
  EXPECT_NE(error_of([&] { ix.loc(Value("x")); }).find("cannot be compared with an index of dtype int64"),
            std::string::npos);
}

TEST_P(DivisionsOn, SortingByTheIndexKeepsOrComputesDivisions) {
  auto ix = keyed()[{"k", "x"}].set_index("k", 3, on());
  auto sorted = ix.sort_values("k");
  EXPECT_EQ(sorted.divisions(), ix.divisions());
  expect_frame(sorted.compute(on()), expected_div("sort_index_x"));
  // An index with unknown divisions: computed now, as set_index.
  auto blind = ix.clear_divisions().sort_values(std::vector<std::string>{"k"}, {}, 4, on());
  EXPECT_EQ(blind.npartitions(), 4);
  expect_ordered_by_divisions(blind, on());
  expect_frame(blind.compute(on()), expected_div("sort_index_x"));
  EXPECT_FALSE(ix.sort_values("k", false).known_divisions());  // descending: no divisions
}

TEST_P(DivisionsOn, MergeOnIndexesWithEqualDivisionsShufflesNothing) {
  auto left = keyed()[{"k", "x"}].set_index("k", 4, on());
  ReadCsvOptions o;
  o.blocksize = 100;
  auto right_raw = read_csv(fixture("keyed_right.csv"), o);
  auto right = right_raw.set_index("k", left.divisions());
  ASSERT_EQ(right.divisions(), left.divisions());
  for (const char* how : {"inner", "left", "outer"}) {
    SCOPED_TRACE(how);
    MergeOptions mo;
    mo.how = how;
    mo.on = {"k"};
    auto m = merge(left, right, mo);
    EXPECT_EQ(m.npartitions(), left.npartitions());
    for (const auto* layer : m.graph().layers()) {
      EXPECT_EQ(layer->name.find("shuffle"), std::string::npos) << layer->name;
      EXPECT_EQ(layer->name.find("merge-broadcast"), std::string::npos) << layer->name;
    }
    // Each output partition reads one partition of each side.
    for (const auto* layer : m.graph().layers()) {
      if (layer->name != m.name()) continue;
      for (const auto& t : layer->tasks) EXPECT_EQ(dependencies(t).size(), 2u);
    }
    expect_frame(sorted_all(m.compute(on())), expected_div("merge_index")[how]);
  }
  // Different divisions: a hash join, still right.
  auto other = right_raw.set_index("k", 3, on());
  MergeOptions mo;
  mo.on = {"k"};
  mo.broadcast = false;
  expect_frame(sorted_all(merge(left, other, mo).compute(on())), expected_div("merge_index")["inner"]);
}

INSTANTIATE_TEST_SUITE_P(Schedulers, DivisionsOn, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::dataframe::test
