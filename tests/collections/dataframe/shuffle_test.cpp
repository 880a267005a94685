// Shuffles against pandas: shuffle(on), merge (hash and broadcast joins,
// every `how`, on / left_on / right_on, suffixes), sort_values, set_index,
// drop_duplicates; over one and several partitions, an empty partition,
// null and unicode keys; and their graph-build-time errors.
#include <set>

#include "collections/dataframe/shuffle.hpp"
#include "tests/collections/dataframe/ops_test_util.hpp"

namespace tessera::dataframe::test {
namespace {

using ShuffleOn = DfOn;

TEST_P(ShuffleOn, ShuffleGroupsEqualKeysAndKeepsEveryRow) {
  auto df = people(60);
  ASSERT_GT(df.npartitions(), 2);
  for (std::int64_t n : {1, 3, 7}) {
    auto s = df.shuffle({"city"}, n);
    EXPECT_EQ(s.npartitions(), n);
    EXPECT_EQ(s.schema(), df.schema());
    // Each city (null included) in exactly one output partition.
    std::map<std::string, std::set<std::int64_t>> where;
    std::vector<Table> parts;
    for (std::int64_t j = 0; j < n; ++j) {
      Key k = s.key(j);
      Table t = get_executor(GetParam())->compute(s.graph(), std::span<const Key>(&k, 1)).front().as_table();
      for (std::int64_t r = 0; r < t.num_rows(); ++r) where[cell_json(t.column("city"), r).dump()].insert(j);
      parts.push_back(t);
    }
    for (const auto& [city, ps] : where) EXPECT_EQ(ps.size(), 1u) << city;
    EXPECT_EQ(sorted_all(concat(parts)), sorted_all(df.compute(on())));
  }
  // Several keys; an empty input partition.
  auto p = read_csv(fixture("part-*.csv"));
  EXPECT_EQ(sorted_all(p.shuffle({"g", "k"}, 4).compute(on())), sorted_all(p.compute(on())));
}

TEST_P(ShuffleOn, MergeEveryHowMatchesPandas) {
  auto cities = read_csv(fixture("cities.csv"));
  for (std::int64_t blocksize : {0, 60}) {
    auto small = people(blocksize)[{"id", "name", "city", "score"}];
    for (const char* how : {"inner", "left", "right", "outer"}) {
      SCOPED_TRACE(std::string(how) + ", blocksize " + std::to_string(blocksize));
      // Auto plan (cities has one partition: a broadcast where `how` allows), then a forced hash join.
      for (std::optional<bool> broadcast : {std::optional<bool>(), std::optional<bool>(false)}) {
        MergeOptions o;
        o.how = how;
        o.on = {"city"};
        o.broadcast = broadcast;
        auto m = merge(small, cities, o);
        EXPECT_EQ(dtypes(m), (std::vector<std::pair<std::string, std::string>>{
                                 {"id", "int64"}, {"name", "object"}, {"city", "object"}, {"score", "float64"},
                                 {"country", "object"}, {"rank", "int64"}}));
        expect_frame(sorted_all(m.compute(on())), expected_ops("merge_city")[how]);
      }
    }
  }
}

TEST_P(ShuffleOn, MergeLeftOnRightOnAndSuffixes) {
  auto df = people(60);
  auto parts = read_csv(fixture("part-*.csv"));  // an empty partition among three
  for (const char* how : {"inner", "left", "right", "outer"}) {
    SCOPED_TRACE(how);
    MergeOptions o;
    o.how = how;
    o.left_on = {"id"};
    o.right_on = {"k"};
    o.npartitions = 5;
    auto m = df[{"id", "name"}].merge(parts, o);
    EXPECT_EQ(m.npartitions(), 5);
    expect_frame(sorted_all(m.compute(on())), expected_ops("merge_id_k")[how]);
  }
  MergeOptions o;
  o.on = {"id"};
  auto self = merge(df[{"id", "city", "score"}], df[{"id", "city", "active"}], o);
  EXPECT_EQ(self.columns(), (std::vector<std::string>{"id", "city_x", "score", "city_y", "active"}));
  expect_frame(sorted_all(self.compute(on())), expected_ops("merge_self_suffixes"));
  // Forced broadcast of the side with fewer partitions, for an inner join.
  o.broadcast = true;
  auto b = merge(df[{"id", "city", "score"}], from_table(df[{"id", "city", "active"}].compute(on()), 2), o);
  EXPECT_EQ(b.npartitions(), df.npartitions());
  expect_frame(sorted_all(b.compute(on())), expected_ops("merge_self_suffixes"));
}

TEST_P(ShuffleOn, MergeErrorsAtGraphBuildTime) {
  auto df = people();
  auto cities = read_csv(fixture("cities.csv"));
  auto parts = read_csv(fixture("part-*.csv"));
  auto err = [&](MergeOptions o, const DataFrame& r) { return error_of([&] { merge(df, r, o); }); };
  MergeOptions o;
  o.on = {"city"};
  o.how = "cross";
  EXPECT_NE(err(o, cities).find("how must be \"inner\", \"left\", \"right\" or \"outer\", got \"cross\""), std::string::npos);
  o.how = "inner";
  o.on = {"nope"};
  EXPECT_NE(err(o, cities).find("no column 'nope' in the left frame"), std::string::npos);
  o.on = {};
  o.left_on = {"id"};
  o.right_on = {"g"};
  EXPECT_NE(err(o, parts).find("key 'id' is int64 on the left but 'g' is object on the right"), std::string::npos);
  o.right_on = {"g", "k"};
  EXPECT_NE(err(o, parts).find("1 left keys and 2 right keys"), std::string::npos);
  o.right_on = {};
  EXPECT_NE(err(o, parts).find("`left_on` given without `right_on`"), std::string::npos);
  EXPECT_NE(err(MergeOptions{}, parts).find("no common columns to merge on"), std::string::npos);
  o = MergeOptions{};
  o.on = {"city"};
  o.how = "outer";
  o.broadcast = true;
  EXPECT_NE(err(o, cities).find("a broadcast join cannot do how=\"outer\""), std::string::npos);
}

TEST_P(ShuffleOn, SortValuesMatchesPandas) {
  for (std::int64_t blocksize : {0, 41}) {
    auto df = people(blocksize);
    SCOPED_TRACE(std::to_string(df.npartitions()) + " partitions");
    expect_frame(df[{"id", "score"}].sort_values("score").compute(on()), expected_ops("sort_score"));
    expect_frame(df[{"id", "score"}].sort_values("score", false).compute(on()), expected_ops("sort_score_desc"));
    expect_frame(df[{"id", "city", "score"}].sort_values({"city", "score"}, {true, false}).compute(on()),
                 expected_ops("sort_city_score"));
    expect_frame(df[{"id", "name"}].sort_values("name").compute(on()), expected_ops("sort_name"));
    // More output partitions than rows: most are empty.
    expect_frame(df[{"id", "score"}].sort_values({"score"}, {}, 16).compute(on()), expected_ops("sort_score"));
  }
  auto parts = read_csv(fixture("part-*.csv"));
  expect_frame(parts.sort_values("v").compute(on()), expected_ops("sort_parts_v"));
  EXPECT_NE(error_of([&] { parts.sort_values("nope"); }).find("no column 'nope'"), std::string::npos);
  EXPECT_NE(error_of([&] { parts.sort_values({"k", "v"}, {true}); }).find("1 ascending flags for 2 columns"),
            std::string::npos);
}

TEST_P(ShuffleOn, SetIndexMatchesPandas) {
  for (std::int64_t blocksize : {0, 41}) {
    auto df = people(blocksize);
    auto byid = df[{"id", "name", "score"}].set_index("id");
    EXPECT_EQ(byid.index(), std::optional<std::string>("id"));
    Table t = byid.compute(on());
    EXPECT_EQ(t.index(), std::optional<std::string>("id"));
    expect_frame(t, expected_ops("set_index_id"));
    auto bycity = df[{"id", "city"}].set_index("city", 3);
    EXPECT_EQ(bycity.columns(), (std::vector<std::string>{"city", "id"}));
    expect_frame(bycity.compute(on()), expected_ops("set_index_city"));
  }
  EXPECT_NE(error_of([&] { people().set_index("nope"); }).find("no column 'nope'"), std::string::npos);
}

TEST_P(ShuffleOn, DropDuplicatesMatchesPandas) {
  for (std::int64_t blocksize : {0, 41}) {
    auto df = people(blocksize);
    const auto& want = expected_ops("drop_duplicates");
    expect_frame(sorted_all(df[{"city", "active"}].drop_duplicates().compute(on())), want["city_active"]);
    expect_frame(sorted_all(df[{"city", "id"}].drop_duplicates({"city"}).compute(on())), want["first"]);
    expect_frame(sorted_all(df[{"city", "id"}].drop_duplicates({"city"}, "last", 2).compute(on())), want["last"]);
    expect_frame(sorted_all(df[{"city", "active"}].drop_duplicates({}, "none").compute(on())), want["none"]);
  }
  EXPECT_NE(error_of([&] { people().drop_duplicates({"city"}, "middle"); }).find("keep must be"), std::string::npos);
  EXPECT_NE(error_of([&] { people().drop_duplicates({"nope"}); }).find("no column 'nope'"), std::string::npos);
}

TEST(ShuffleGraph, EveryTaskHoldsOnePartitionNotAll) {
  // m inputs -> m split tasks, m*n piece tasks, n concat tasks each reading only its n pieces.
  auto df = from_table(Table({Column::from_int64("a", {1, 2, 3, 4, 5, 6, 7, 8})}), 4);
  auto s = df.shuffle({"a"}, 3);
  auto g = s.graph().materialize();
  std::size_t splits = 0, pieces = 0, outs = 0;
  for (const auto* layer : s.graph().layers()) {
    if (layer->name.rfind("shuffle-split-", 0) == 0) splits = layer->tasks.size();
    if (layer->name.rfind("shuffle-piece-", 0) == 0) pieces = layer->tasks.size();
    if (layer->name == s.name()) {
      outs = layer->tasks.size();
      for (const auto& t : layer->tasks) EXPECT_EQ(dependencies(t).size(), 4u);
    }
  }
  EXPECT_EQ(splits, 4u);
  EXPECT_EQ(pieces, 12u);
  EXPECT_EQ(outs, 3u);
}

TEST(ShuffleTables, HashesAreStableAndNullsMatch) {
  Table a({Column::from_int64("k", {1, 2, 3})});
  Table b({Column::from_int64("k", {3, 2, 1})});
  auto ha = hash_rows(a, {"k"}), hb = hash_rows(b, {"k"});
  EXPECT_EQ(ha[0], hb[2]);
  EXPECT_NE(ha[0], ha[1]);
  // A column with a null bitmap hashes its valid values as one without.
  Table c = from_table(Table({Column::from_int64("k", {1, 2})}), 1).compute({"sync"});
  Table d = concat({c, take(c, std::vector<std::int64_t>{-1})});
  EXPECT_EQ(hash_rows(d, {"k"})[0], ha[0]);
  Table l({Column::from_strings("k", {"x", "y"}), Column::from_int64("v", {1, 2})});
  Table r({Column::from_strings("k", {"y", "z"}), Column::from_int64("w", {3, 4})});
  Table m = merge_tables(l, r, "outer", {"k"}, {"k"}, {"_x", "_y"});
  EXPECT_EQ(m.num_rows(), 3);
  EXPECT_EQ(m.column("k").string_at(2), "z");
}

INSTANTIATE_TEST_SUITE_P(Schedulers, ShuffleOn, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::dataframe::test
