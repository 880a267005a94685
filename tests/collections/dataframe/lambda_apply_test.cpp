// Series.map and DataFrame.apply(axis=1) with expression trees (the REPL's
// lambdas, runtime/expr): values against plain loops over the same rows,
// dtype inference (Dask's meta) and its errors, nulls both ways, and use of
// the results as columns of the same frame (assign, filters).
#include "collections/dataframe/lambda_apply.hpp"
#include "tests/collections/dataframe/df_test_util.hpp"

namespace tessera::dataframe::test {
namespace {

Value node(std::initializer_list<Value> xs) { return Value(ValueList(xs)); }
Value arg() { return node({"arg", Value(0)}); }
Value lit(const Value& v) { return node({"const", v}); }
Value bin(const char* op, Value a, Value b) { return node({"bin", op, std::move(a), std::move(b)}); }
Value field(const char* name) { return node({"item", arg(), lit(Value(name))}); }

DataFrame frame() {
  Column x = Column::from_int64("x", {1, -2, 3, 40, -5, 6, 7});
  Column y = Column::from_float64("y", {0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5});
  Column s = Column::from_strings("s", {"a", "bb", "ccc", "", "e", "ff", "g"});
  return from_columns({x, y, s}, 3);
}

using LambdaOn = DfOn;

TEST_P(LambdaOn, MapInfersTheDtypeAndKeepsTheFrame) {
  auto df = frame();
  // x.map(lambda v: v * v if v > 0 else 0): int64 from the sample 1.
  auto sq = map_values(df["x"], node({"if", bin(">", arg(), lit(Value(0))), bin("*", arg(), arg()), lit(Value(0))}));
  EXPECT_EQ(sq.dtype(), ColumnType::int64);
  EXPECT_EQ(sq.name(), "x");
  std::vector<std::int64_t> want;
  for (std::int64_t v : {1, -2, 3, 40, -5, 6, 7}) want.push_back(v > 0 ? v * v : 0);
  Table t = sq.compute(on());
  const Column& c = t.column("x");
  ASSERT_EQ(c.length, 7);
  for (std::int64_t i = 0; i < 7; ++i) EXPECT_EQ(c.data->as<std::int64_t>()[i], want[static_cast<std::size_t>(i)]);
  // A Series of the same frame: assign and filter take it.
  auto both = df.assign({{"sq", sq}, {"long", map_values(df["s"], bin(">=", node({"call", "len", arg()}), lit(Value(2))))}});
  auto kept = both[both["long"]]["sq"].compute(on());
  EXPECT_EQ(kept.num_rows(), 3);  // "bb", "ccc", "ff"
  EXPECT_EQ(kept.column("sq").data->as<std::int64_t>()[2], 36);
}

TEST_P(LambdaOn, ApplyRowsAndNulls) {
  auto df = frame();
  // apply(lambda r: r["y"] * 2 if r["s"] else None, axis=1): float64, null for the empty string.
  auto r = apply_rows(df, node({"if", field("s"), bin("*", field("y"), lit(Value(2))), lit(Value())}));
  EXPECT_EQ(r.dtype(), ColumnType::float64);
  Table t = r.compute(on());
  const Column& c = t.column("apply");
  for (std::int64_t i = 0; i < 7; ++i) {
    if (i == 3) {
      EXPECT_FALSE(c.is_valid(i));
    } else {
      EXPECT_TRUE(c.is_valid(i));
      EXPECT_DOUBLE_EQ(c.data->as<double>()[i], (0.5 + static_cast<double>(i)) * 2);
    }
  }
  // A null cell reads as None: s.map(lambda v: v is None) over the nulls apply made.
  auto with_nulls = df.assign({{"r", r}});
  auto is_none = map_values(with_nulls["r"], bin("is", arg(), lit(Value())), ColumnType::boolean).compute(on());
  EXPECT_EQ(is_none.column("r").data->as<std::uint8_t>()[3], 1);
  EXPECT_EQ(is_none.column("r").data->as<std::uint8_t>()[2], 0);
}

TEST_P(LambdaOn, ErrorsAskForMeta) {
  auto df = frame();
  // 10 // (v - 1) fails on the sample 1: meta is asked for.
  std::string err = error_of([&] { map_values(df["x"], bin("//", lit(Value(10)), bin("-", arg(), lit(Value(1))))); });
  EXPECT_NE(err.find("could not infer the result's dtype"), std::string::npos) << err;
  EXPECT_NE(err.find("meta"), std::string::npos) << err;
  // v / 2 if v > 30 else v: int64 from the sample, then 20.0 at row 3 does not fit.
  auto half = map_values(df["x"], node({"if", bin(">", arg(), lit(Value(30))), bin("/", arg(), lit(Value(2))), arg()}));
  err = error_of([&] { half.compute(on()); });
  EXPECT_NE(err.find("returned 20.0"), std::string::npos) << err;
  EXPECT_NE(err.find("meta='float64'"), std::string::npos) << err;
  // With meta it runs.
  auto ok = map_values(df["x"], node({"if", bin(">", arg(), lit(Value(30))), bin("/", arg(), lit(Value(2))), arg()}),
                       meta_dtype("f8"))
                .compute(on());
  EXPECT_DOUBLE_EQ(ok.column("x").data->as<double>()[3], 20.0);
  EXPECT_NE(error_of([&] { meta_dtype("complex"); }).find("unknown dtype"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Sched, LambdaOn, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::dataframe::test
