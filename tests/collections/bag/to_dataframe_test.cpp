// Bag -> Tables: columns and types from the first record, nulls for missing
// keys and None, lists by position, errors naming the column.
#include "collections/bag/to_dataframe.hpp"
#include "tests/collections/bag/bag_test_util.hpp"

namespace tessera::bag::test {
namespace {

std::vector<std::int64_t> int64s(const Column& c) {
  auto s = c.data->as<std::int64_t>();
  return {s.begin(), s.end()};
}
std::vector<double> float64s(const Column& c) {
  auto s = c.data->as<double>();
  return {s.begin(), s.end()};
}

using ToDataFrameOn = BagOn;

TEST_P(ToDataFrameOn, DictRecordsGiveTypedColumnsWithNulls) {
  std::vector<Value> records{
      ValueDict{{"name", "Zoë"}, {"age", 31}, {"amount", 1.5}, {"ok", true}},
      ValueDict{{"name", "Bo"}, {"age", 5}, {"amount", 2}, {"ok", false}},  // an int in a float column
      ValueDict{{"name", Value()}, {"age", 7}},                               // None and missing keys
      ValueDict{{"name", "Cy"}, {"age", -1}, {"amount", 0.25}, {"ok", true}, {"extra", 1}},
  };
  auto parts = to_dataframe(from_sequence(records, {.npartitions = 3}), {}, on());
  EXPECT_EQ(parts.npartitions, 2);  // partition_size 2
  EXPECT_EQ(parts.columns, (std::vector<std::string>{"age", "amount", "name", "ok"}));  // a dict's keys, sorted
  Table t = parts.compute(on());
  ASSERT_EQ(t.num_rows(), 4);
  EXPECT_EQ(t.column("age").type, ColumnType::int64);
  EXPECT_EQ(int64s(t.column("age")), (std::vector<std::int64_t>{31, 5, 7, -1}));
  EXPECT_EQ(t.column("amount").type, ColumnType::float64);
  EXPECT_EQ(float64s(t.column("amount"))[1], 2.0);
  EXPECT_FALSE(t.column("amount").is_valid(2));
  EXPECT_TRUE(t.column("amount").is_valid(3));
  EXPECT_EQ(t.column("name").string_at(0), "Zoë");
  EXPECT_FALSE(t.column("name").is_valid(2));
  EXPECT_EQ(t.column("ok").type, ColumnType::boolean);
  EXPECT_FALSE(t.column("ok").is_valid(2));
  // One Table per partition under the partition's key.
  Key k = parts.key(1);
  auto second = get_executor(GetParam())->compute(HighLevelGraph({parts.layer}), std::span<const Key>(&k, 1)).front();
  EXPECT_EQ(second.as_table().num_rows(), 2);
}

TEST_P(ToDataFrameOn, TheTablesAreADataFrameCollection) {
  // b.to_dataframe() is a lazy dask-style frame: filter and group-by run on it.
  std::vector<Value> records;
  for (int i = 0; i < 10; ++i) records.push_back(ValueDict{{"k", i % 3}, {"x", i * 1.5}});
  auto df = to_dataframe(from_sequence(records, {.npartitions = 4}), {}, on()).frame();
  EXPECT_EQ(df.npartitions(), 4);
  EXPECT_FALSE(df.known_divisions());
  // Sums of x = 1.5 * i by k = i % 3 over i > 2: k0: 3+6+9 -> 27, k1: 4+7 -> 16.5, k2: 5+8 -> 19.5.
  Table sums = df[df["x"] > 3.0].groupby("k")["x"].sum().compute(on());
  ASSERT_EQ(sums.num_rows(), 3);
  EXPECT_EQ(int64s(sums.column("k")), (std::vector<std::int64_t>{0, 1, 2}));
  EXPECT_EQ(float64s(sums.column("x")), (std::vector<double>{27.0, 16.5, 19.5}));
}

TEST_P(ToDataFrameOn, ListRecordsAndExplicitColumns) {
  std::vector<Value> rows{ValueList{1, "a"}, ValueList{2, "b"}, ValueList{3}};
  auto b = from_sequence(rows, {.npartitions = 2});
  Table t = to_dataframe(b, {}, on()).compute(on());
  EXPECT_EQ(int64s(t.column("0")), (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_FALSE(t.column("1").is_valid(2));
  Table named = to_dataframe(b, {.columns = {"id", "tag"}, .types = {ColumnType::float64, ColumnType::string}}, on())
                    .compute(on());
  EXPECT_EQ(float64s(named.column("id")), (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(named.column("tag").string_at(1), "b");
}

TEST_P(ToDataFrameOn, ErrorsNameTheColumn) {
  auto b = from_sequence(std::vector<Value>{ValueDict{{"x", 1}}, ValueDict{{"x", 2.5}}}, {.npartitions = 1});
  std::string err = error_of([&] { to_dataframe(b, {}, on()).compute(on()); });
  EXPECT_NE(err.find("column 'x' is int64 but a record holds 2.5"), std::string::npos) << err;
  auto empty = from_sequence(std::vector<Value>{});
  err = error_of([&] { to_dataframe(empty, {}, on()); });
  EXPECT_NE(err.find("the bag is empty"), std::string::npos) << err;
  Table none = to_dataframe(empty, {.columns = {"a"}, .types = {ColumnType::int64}}, on()).compute(on());
  EXPECT_EQ(none.num_rows(), 0);
  err = error_of([&] { to_dataframe(from_sequence(ints(0, 3)), {}, on()); });
  EXPECT_NE(err.find("records must be dicts or lists"), std::string::npos) << err;
}

INSTANTIATE_TEST_SUITE_P(Schedulers, ToDataFrameOn, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::bag::test
