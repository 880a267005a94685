// Column selection, filters, arithmetic, comparisons, the str and dt
// accessors, assign/rename/drop/astype/fillna/dropna, against pandas.
#include "tests/collections/dataframe/df_test_util.hpp"

namespace tessera::dataframe::test {
namespace {

using OperationsOn = DfOn;

TEST_P(OperationsOn, ArithmeticAndComparisons) {
  for (std::int64_t blocksize : {0, 90}) {
    auto df = people(blocksize);
    auto out = df.assign({{"a", df["score"] * 2 + df["id"]},
                          {"b", floordiv(df["id"], 3)},
                          {"c", df["id"] % 4},
                          {"d", df["id"] / 4},
                          {"e", (df["score"] > 50) & df["active"]},
                          {"f", df["city"] == "Paris"}})[{"a", "b", "c", "d", "e", "f"}];
    EXPECT_EQ(dtypes(out), (std::vector<std::pair<std::string, std::string>>{
                               {"a", "float64"}, {"b", "int64"}, {"c", "int64"}, {"d", "float64"}, {"e", "bool"}, {"f", "bool"}}));
    expect_frame(out.compute(on()), expected("arith"));
  }
}

TEST_P(OperationsOn, StringAndDatetimeAccessors) {
  auto df = people();
  auto strings = df.assign({{"lower", df["name"].str().lower()},
                            {"upper", df["name"].str().upper()},
                            {"len", df["name"].str().len()},
                            {"has_e", df["name"].str().contains("e")},
                            {"starts", df["city"].str().startswith("P")}})[{"lower", "upper", "len", "has_e", "starts"}];
  // pandas maps every letter's case; ours maps ASCII letters only: compare the ASCII rows.
  Table t = strings.compute(on());
  const auto& want = expected("strings")["data"];
  for (std::int64_t r = 0; r < t.num_rows(); ++r) {
    auto len = cell_json(t.column("len"), r);
    EXPECT_EQ(len, want[r][2]) << r;
    EXPECT_EQ(cell_json(t.column("has_e"), r), want[r][3]) << r;
    EXPECT_EQ(cell_json(t.column("starts"), r), want[r][4].is_null() ? nlohmann::json(nullptr) : want[r][4]) << r;
    if (r == 0 || r == 1 || r == 3 || r == 6) {
      EXPECT_EQ(cell_json(t.column("lower"), r), want[r][0]) << r;
      EXPECT_EQ(cell_json(t.column("upper"), r), want[r][1]) << r;
    }
  }
  auto dates = df.assign({{"year", df["when"].dt().year()},
                          {"month", df["when"].dt().month()},
                          {"day", df["when"].dt().day()},
                          {"hour", df["when"].dt().hour()},
                          {"dow", df["when"].dt().dayofweek()}})[{"year", "month", "day", "hour", "dow"}];
  expect_frame(dates.compute(on()), expected("dates"));
  EXPECT_NE(error_of([&] { df["id"].str(); }).find(".str needs a string Series"), std::string::npos);
  EXPECT_NE(error_of([&] { df["name"].dt(); }).find(".dt needs a datetime64[ns] Series"), std::string::npos);
}

TEST_P(OperationsOn, FilterSelectFillnaDropna) {
  auto df = people(90);
  auto proj = df[{"score", "city"}];
  auto filled2 = proj.assign({{"score", proj["score"].fillna(0.0)}, {"city", proj["city"].fillna("?")}});
  expect_frame(filled2.compute(on()), expected("fillna_dropna")["fill"]);
  expect_frame(df[{"id", "score", "city"}].dropna().compute(on()), expected("fillna_dropna")["drop"]);

  Table big = df[df["score"] > 50.0][{"id"}].compute(on());
  std::vector<std::int64_t> ids(big.column("id").data->as<std::int64_t>().begin(), big.column("id").data->as<std::int64_t>().end());
  EXPECT_EQ(ids, (std::vector<std::int64_t>{1, 2, 4, 7}));
  // A filter of a filter; nulls in a mask drop the row.
  auto f = df[df["score"] > 0.0];
  EXPECT_EQ(f[f["city"] == "Paris"].length(on()), 2);
  EXPECT_EQ(df[df["city"] != "Paris"].length(on()), 6);  // a null city is != "Paris", as pandas
}

TEST_P(OperationsOn, RenameDropAstypeIsna) {
  auto df = read_csv(fixture("part-*.csv"));
  auto r = df.rename({{"v", "value"}}).drop({"g"}).astype({{"k", "float64"}});
  EXPECT_EQ(dtypes(r), (std::vector<std::pair<std::string, std::string>>{{"k", "float64"}, {"value", "float64"}}));
  Table t = r.compute(on());
  EXPECT_EQ(t.column("k").data->as<double>()[6], 7.0);
  Table na = df.isna().compute(on());
  EXPECT_EQ(na.column("v").data->as<std::uint8_t>()[4], 1);
  EXPECT_EQ(na.column("v").data->as<std::uint8_t>()[3], 0);
  Table s = df["k"].astype("object").compute(on());
  EXPECT_EQ(s.column("k").string_at(3), "4");
  EXPECT_NE(error_of([&] { df.rename({{"nope", "x"}}); }).find("no column 'nope'"), std::string::npos);
  EXPECT_NE(error_of([&] { df.drop({"nope"}); }).find("no column 'nope'"), std::string::npos);
}

TEST_P(OperationsOn, BadCombinationsAreClearErrors) {
  auto df = people();
  auto other = read_csv(fixture("part-*.csv"));
  EXPECT_NE(error_of([&] { df["id"] + other["k"]; }).find("different DataFrames"), std::string::npos);
  EXPECT_NE(error_of([&] { df[other["k"] > 1]; }).find("another DataFrame"), std::string::npos);
  EXPECT_NE(error_of([&] { df[df["id"]]; }).find("must be a bool Series"), std::string::npos);
  EXPECT_NE(error_of([&] { df["name"] + 1; }).find("cannot apply 'add' to object and int64"), std::string::npos);
  EXPECT_NE(error_of([&] { df["name"] < 3; }).find("cannot compare object with int64"), std::string::npos);
  EXPECT_NE(error_of([&] { df["nope"]; }).find("no column 'nope' (columns: id, name, city, score, active, when)"),
            std::string::npos);
  EXPECT_NE(error_of([&] { df["name"].sum(); }).find("'sum' needs a numeric column"), std::string::npos);
}

TEST_P(OperationsOn, FromTableAndTimestampComparisons) {
  Table t({Column::from_int64("a", {5, 1, 4, 2, 3}),
           Column::from_timestamps("t", {0, 86400000000000, 2 * 86400000000000LL, 3 * 86400000000000LL, 4 * 86400000000000LL})});
  auto df = from_table(t, 3);
  EXPECT_EQ(df.npartitions(), 3);
  EXPECT_EQ(df.compute(on()), t);
  EXPECT_EQ(df[df["t"] >= "1970-01-03"].length(on()), 3);
  EXPECT_EQ(df["a"].sum().compute(on()), Value(15));
  auto empty = from_table(empty_like(t));
  EXPECT_EQ(empty.npartitions(), 1);
  EXPECT_EQ(empty.length(on()), 0);
  EXPECT_EQ(empty["a"].sum().compute(on()), Value(0));
  EXPECT_TRUE(empty["a"].mean().compute(on()).is_none());
}

INSTANTIATE_TEST_SUITE_P(Schedulers, OperationsOn, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::dataframe::test
