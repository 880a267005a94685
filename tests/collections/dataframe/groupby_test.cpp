// Group-by aggregations, value_counts and reductions against pandas, over
// one and several partitions and trees of several levels (split_every 2).
#include "tests/collections/dataframe/df_test_util.hpp"

namespace tessera::dataframe::test {
namespace {

using GroupByOn = DfOn;

TEST_P(GroupByOn, NumericAggregationsMatchPandas) {
  for (std::int64_t blocksize : {0, 60}) {
    auto df = people(blocksize);
    SCOPED_TRACE("blocksize " + std::to_string(blocksize) + ", " + std::to_string(df.npartitions()) + " partitions");
    std::vector<NamedAgg> aggs;
    for (const char* f : {"sum", "mean", "count", "size", "min", "max", "std", "var", "first", "last"})
      aggs.push_back({f, "score", f});
    auto out = df.groupby("city").agg(aggs);
    EXPECT_EQ(out.npartitions(), 1);
    expect_frame(out.compute(on()), expected("city_score_agg"));
  }
}

TEST_P(GroupByOn, StringAggregationsAndNunique) {
  auto df = people(60).dropna({"name"});
  auto g = df.groupby("city");
  Table t = g.agg(std::vector<NamedAgg>{{"first", "name", "first"}, {"last", "name", "last"}, {"min", "name", "min"},
                                        {"max", "name", "max"}, {"count", "name", "count"}})
                .compute(on());
  Table n = g["name"].nunique().compute(on());
  auto want = expected("city_name_agg");
  nlohmann::json without_nunique = want;
  without_nunique["columns"].erase(6);
  for (auto& row : without_nunique["data"]) row.erase(6);
  expect_frame(t, without_nunique);
  for (std::int64_t r = 0; r < n.num_rows(); ++r) EXPECT_EQ(cell_json(n.column("name"), r), want["data"][r][6]);
}

TEST_P(GroupByOn, FilterThenGroupbyFusesAndMatches) {
  auto df = people(60);
  auto q = df[df["score"] > 50.0].groupby("city")["id"].sum();
  expect_frame(q.compute(on()), expected("city_id_sum_filtered"));
  // The filter runs inside the aggregation's chunk tasks: no filter layer is in the graph.
  bool has_filter = false;
  auto frame = q.to_frame();
  auto graph = frame.graph();
  for (const auto* layer : graph.layers()) has_filter |= layer->name.rfind("filter-", 0) == 0;
  EXPECT_FALSE(has_filter);
}

TEST_P(GroupByOn, SeveralKeysAndSplitEvery) {
  auto df = people(41);
  ASSERT_GT(df.npartitions(), 4);
  for (std::size_t split : {2u, 3u, 8u}) {
    auto g = GroupBy(df, {"city", "active"}, split);
    expect_frame(g["score"].sum().to_frame().compute(on()), expected("city_active_score_sum"));
  }
}

TEST_P(GroupByOn, ValueCountsAndSeriesReductions) {
  for (std::int64_t blocksize : {0, 60}) {
    auto df = people(blocksize);
    expect_frame(df["city"].value_counts().to_frame().compute(on()), expected("city_value_counts"));
    const auto& s = expected("score_reductions");
    EXPECT_DOUBLE_EQ(df["score"].sum().compute(on()).as_float(), s["sum"].get<double>());
    EXPECT_DOUBLE_EQ(df["score"].mean().compute(on()).as_float(), s["mean"].get<double>());
    EXPECT_EQ(df["score"].count().compute(on()), Value(s["count"].get<std::int64_t>()));
    EXPECT_EQ(df["score"].min().compute(on()), Value(s["min"].get<double>()));
    EXPECT_EQ(df["score"].max().compute(on()), Value(s["max"].get<double>()));
    EXPECT_NEAR(df["score"].std().compute(on()).as_float(), s["std"].get<double>(), 1e-12);
    EXPECT_NEAR(df["score"].var().compute(on()).as_float(), s["var"].get<double>(), 1e-9);
    EXPECT_EQ(df["score"].nunique().compute(on()), Value(s["nunique"].get<std::int64_t>()));
    const auto& i = expected("id_reductions");
    EXPECT_EQ(df["id"].sum().compute(on()), Value(i["sum"].get<std::int64_t>()));
    EXPECT_DOUBLE_EQ(df["id"].mean().compute(on()).as_float(), i["mean"].get<double>());
    EXPECT_EQ(df["id"].min().compute(on()), Value(i["min"].get<std::int64_t>()));
    EXPECT_NEAR(df["id"].std().compute(on()).as_float(), i["std"].get<double>(), 1e-12);
    EXPECT_EQ(df.len().compute(on()), Value(10));
  }
}

TEST_P(GroupByOn, EmptyPartitionsAndWholeFrameReductions) {
  auto df = read_csv(fixture("part-*.csv"));
  expect_frame(df.groupby("g")["v"].mean().to_frame().compute(on()), expected("parts_g_v_mean"));
  Table sums = df.sum().compute(on());
  EXPECT_EQ(sums.num_rows(), 1);
  EXPECT_EQ(sums.column("k").data->as<std::int64_t>()[0], 28);
  EXPECT_DOUBLE_EQ(sums.column("v").data->as<double>()[0], 15.25);
  EXPECT_THROW(sums.column("g"), KeyError);  // strings are left out of sum, as pandas' numeric_only
  // Everything filtered away: groups are empty, reductions are pandas' empty results.
  auto none = df[df["k"] > 100];
  EXPECT_EQ(none.groupby("g")["v"].sum().compute(on()).num_rows(), 0);
  EXPECT_EQ(none["v"].sum().compute(on()), Value(0.0));
  EXPECT_TRUE(none["v"].max().compute(on()).is_none());
  EXPECT_NE(error_of([&] { df.groupby("nope"); }).find("no column 'nope'"), std::string::npos);
  EXPECT_NE(error_of([&] { df.groupby("g")["v"].agg("median"); }).find("unknown aggregation 'median'"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Schedulers, GroupByOn, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::dataframe::test
