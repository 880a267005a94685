// Group-by split_out and apply, quantile and describe, map_partitions,
// repartition, persist, from_delayed, read_json, to_csv, to_json: against
// pandas (fixtures/operations_expected.json), on both schedulers; and the
// shuffle's peak memory.
#include <sys/resource.h>

#include <cstdlib>
#include <filesystem>

#include "collections/dataframe/column_builder.hpp"
#include "runtime/registry/registry.hpp"
#include "tests/collections/dataframe/ops_test_util.hpp"

namespace tessera::dataframe::test {

// Registered functions, as a user's program registers its own.
Table dftest_double_score(const Table& t) {
  ColumnBuilder b("score2", ColumnType::float64);
  const Column& s = t.column("score");
  for (std::int64_t i = 0; i < s.length; ++i)
    s.is_valid(i) ? b.append_float(2 * s.data->as<double>()[i]) : b.append_null();
  return Table({t.column("id"), b.finish()});
}
Table dftest_add_to_id(const Table& t, std::int64_t c) {
  std::vector<std::int64_t> v;
  for (std::int64_t i = 0; i < t.num_rows(); ++i) v.push_back(t.column("id").data->as<std::int64_t>()[i] + c);
  return Table({Column::from_int64("id", v)});
}
Table dftest_group_summary(const Table& g) {
  std::vector<std::int64_t> first;
  std::int64_t total = 0;
  if (g.num_rows() > 0) first.push_back(0);
  for (std::int64_t i = 0; i < g.num_rows(); ++i) total += g.column("id").data->as<std::int64_t>()[i];
  std::vector<std::int64_t> n, t;
  if (g.num_rows() > 0) n.push_back(g.num_rows()), t.push_back(total);
  return Table({take(g.column("city"), first), Column::from_int64("n", n), Column::from_int64("total", t)});
}
// (seed, rows) -> `rows` rows: a key with ~rows/4 distinct values, a float, a short string.
Table dftest_make_rows(const Table& seed, std::int64_t rows) {
  std::int64_t s = seed.column("seed").data->as<std::int64_t>()[0];
  std::vector<std::int64_t> key(static_cast<std::size_t>(rows));
  std::vector<double> x(static_cast<std::size_t>(rows));
  ColumnBuilder name("name", ColumnType::string);
  std::uint64_t h = static_cast<std::uint64_t>(s) * 0x9e3779b97f4a7c15ULL + 1;
  for (std::int64_t i = 0; i < rows; ++i) {
    h ^= h << 13, h ^= h >> 7, h ^= h << 17;
    key[static_cast<std::size_t>(i)] = static_cast<std::int64_t>(h % static_cast<std::uint64_t>(std::max<std::int64_t>(1, rows / 4)));
    x[static_cast<std::size_t>(i)] = static_cast<double>(h % 1000) / 7.0;
    name.append_string("user-" + std::to_string(h % 100000));
  }
  return Table({Column::from_int64("key", key), Column::from_float64("x", x), name.finish()});
}
Table dftest_nbytes(const Table& t) {
  return Table({Column::from_int64("bytes", {static_cast<std::int64_t>(t.nbytes())}),
                Column::from_int64("rows", {t.num_rows()})});
}
TESSERA_FUNCTION_AS(dftest_double_score, "dftest.double_score");
TESSERA_FUNCTION_AS(dftest_add_to_id, "dftest.add_to_id");
TESSERA_FUNCTION_AS(dftest_group_summary, "dftest.group_summary");
TESSERA_FUNCTION_AS(dftest_make_rows, "dftest.make_rows");
TESSERA_FUNCTION_AS(dftest_nbytes, "dftest.nbytes");

namespace {

using MoreOn = DfOn;

Table by_key(const Table& t, const std::string& key) {
  Table s = sort_table(t, {key}, {});
  return Table(s.columns(), t.index());
}

TEST_P(MoreOn, GroupbySplitOutMatchesOnePartition) {
  auto df = people(41);
  std::vector<NamedAgg> aggs;
  for (const char* f : {"sum", "mean", "count", "size", "min", "max", "std", "var", "first", "last"})
    aggs.push_back({f, "score", f});
  for (std::int64_t n : {2, 5}) {
    auto out = df.groupby("city").split_out(n).agg(aggs);
    EXPECT_EQ(out.npartitions(), n);
    expect_frame(by_key(out.compute(on()), "city"), expected("city_score_agg"));
    // nunique per group, through the same split.
    auto nu = df.dropna({"name"}).groupby("city").split_out(n)["name"].nunique();
    Table t = by_key(nu.compute(on()), "city");
    const auto& want = expected("city_name_agg")["data"];
    ASSERT_EQ(t.num_rows(), static_cast<std::int64_t>(want.size()));
    for (std::int64_t r = 0; r < t.num_rows(); ++r) EXPECT_EQ(cell_json(t.column("name"), r), want[r][6]);
  }
  EXPECT_NE(error_of([&] { df.groupby("city").split_out(0); }).find("split_out must be at least 1"), std::string::npos);
}

TEST_P(MoreOn, GroupbyApplyByShuffle) {
  auto df = people(41);
  auto out = df.groupby("city").apply("dftest.group_summary");
  EXPECT_EQ(dtypes(out), (std::vector<std::pair<std::string, std::string>>{
                             {"city", "object"}, {"n", "int64"}, {"total", "int64"}}));
  expect_frame(sorted_all(out.compute(on())), expected_ops("groupby_apply"));
  EXPECT_NE(error_of([&] { df.groupby("city").apply("dftest.no_such_fn"); }).find("dftest.no_such_fn"),
            std::string::npos);
}

TEST_P(MoreOn, QuantileAndDescribeMatchPandas) {
  for (std::int64_t blocksize : {0, 41}) {
    auto df = people(blocksize);
    const auto& q = expected_ops("quantiles");
    EXPECT_NEAR(df["score"].quantile(0.1).compute(on()).as_float(), q["score_0.1"].get<double>(), 1e-9);
    EXPECT_NEAR(df["score"].quantile(0.5).compute(on()).as_float(), q["score_0.5"].get<double>(), 1e-9);
    auto ids = df["id"].quantile(std::vector<double>{0.25, 0.9}).compute(on()).as_list();
    EXPECT_NEAR(ids.at(0).as_float(), q["id_0.25"].get<double>(), 1e-9);
    EXPECT_NEAR(ids.at(1).as_float(), q["id_0.9"].get<double>(), 1e-9);
    expect_frame(df.describe().compute(on()), expected_ops("describe"));
  }
  auto parts = read_csv(fixture("part-*.csv"));  // an empty partition
  EXPECT_NEAR(parts["v"].quantile(0.5).compute(on()).as_float(), expected_ops("quantiles")["parts_v_0.5"].get<double>(), 1e-9);
  EXPECT_NE(error_of([&] { parts["g"].quantile(0.5); }).find("quantile: needs a numeric Series, 'g' is object"),
            std::string::npos);
  EXPECT_NE(error_of([&] { parts["v"].quantile(1.5); }).find("q must be between 0 and 1"), std::string::npos);
  EXPECT_NE(error_of([&] { parts[{"g"}].describe(); }).find("describe: no numeric"), std::string::npos);
  // Approximate on big partitions: within a few ranks of the truth.
  std::vector<std::int64_t> v(100000);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::int64_t>((i * 7919) % v.size());
  auto big = from_columns({Column::from_int64("v", v)}, 4);
  EXPECT_NEAR(big["v"].quantile(0.5).compute(on()).as_float(), 49999.5, 200);
}

TEST_P(MoreOn, MapPartitionsRepartitionPersist) {
  auto df = people(41);
  auto doubled = df.map_partitions("dftest.double_score");  // meta learnt from an empty partition
  EXPECT_EQ(doubled.columns(), (std::vector<std::string>{"id", "score2"}));
  Table t = doubled.compute(on());
  ASSERT_EQ(t.num_rows(), 10);
  EXPECT_EQ(t.column("score2").data->as<double>()[0], 181.0);
  EXPECT_FALSE(t.column("score2").is_valid(2));
  Table plus = df.map_partitions("dftest.add_to_id", std::nullopt, {Value(100)}).compute(on());
  EXPECT_EQ(plus.column("id").data->as<std::int64_t>()[9], 110);
  EXPECT_NE(error_of([&] { df.map_partitions("dftest.nope"); }).find("dftest.nope"), std::string::npos);
  auto wrong = df.map_partitions("dftest.double_score", Schema{{"id", ColumnType::int64}});
  EXPECT_NE(error_of([&] { wrong.compute(on()); }).find("has columns (id int64, score2 float64) but meta says (id int64)"),
            std::string::npos);

  Table all = df.compute(on());
  for (std::int64_t n : {std::int64_t{1}, std::int64_t{2}, df.npartitions(), 3 * df.npartitions() + 1}) {
    auto r = df.repartition(n);
    EXPECT_EQ(r.npartitions(), n);
    EXPECT_EQ(r.compute(on()), all);
  }
  auto parts = read_csv(fixture("part-*.csv"));
  EXPECT_EQ(parts.repartition(7).compute(on()), parts.compute(on()));
  EXPECT_NE(error_of([&] { df.repartition(0); }).find("npartitions must be at least 1"), std::string::npos);

  auto p = df[df["score"] > 50.0].persist(on());
  EXPECT_EQ(p.npartitions(), df.npartitions());
  for (const auto* layer : p.graph().layers()) EXPECT_EQ(layer->dependencies.size(), 0u);  // the data, no reads
  EXPECT_EQ(p.length(on()), 4);
  EXPECT_EQ(p["id"].sum().compute(on()), Value(14));
}

TEST_P(MoreOn, FromDelayed) {
  auto part = [](std::int64_t a, std::int64_t b) {
    return delayed_value(Table({Column::from_int64("x", {a, b}), Column::from_strings("s", {"é", "ü"})}));
  };
  std::vector<Delayed<Table>> parts{part(1, 2), part(3, 4), delayed_value(Table({Column::from_int64("x", {}),
                                                                                  Column::from_strings("s", {})}))};
  auto df = from_delayed(parts);
  EXPECT_EQ(df.npartitions(), 3);
  EXPECT_EQ(df.columns(), (std::vector<std::string>{"x", "s"}));
  EXPECT_EQ(df["x"].sum().compute(on()), Value(10));
  EXPECT_EQ(df.sort_values("x", false).head(1, on()).column("x").data->as<std::int64_t>()[0], 4);
  auto bad = from_delayed(std::vector<Delayed<Table>>{part(1, 2), delayed_value(Table({Column::from_int64("y", {1})}))});
  EXPECT_NE(error_of([&] { bad.compute(on()); }).find("from_delayed: partition 1 has columns (y int64)"),
            std::string::npos);
}

TEST_P(MoreOn, ReadJsonMatchesPandas) {
  auto df = read_json(fixture("events.jsonl"));
  EXPECT_EQ(dtypes(df), expected_dtypes_of(expected_ops("read_json_dtypes")));
  expect_frame(df.compute(on()), expected_ops("read_json"));
  // Several files, one partition each; errors name file, line and column.
  auto dir = temp_path("read_json");
  std::filesystem::create_directories(dir);
  write_file("read_json/a.jsonl", "{\"k\": 1, \"v\": \"x\"}\n{\"k\": 2}\n");
  write_file("read_json/b.jsonl", "\n");
  write_file("read_json/c.jsonl", "{\"k\": 3, \"v\": \"y\"}\n{\"k\": \"oops\"}\n");
  auto many = read_json(dir + "/*.jsonl");
  EXPECT_EQ(many.npartitions(), 3);
  std::string e = error_of([&] { many.compute(on()); });
  EXPECT_NE(e.find("c.jsonl, line 2, column 'k': \"oops\" is not int64"), std::string::npos) << e;
  EXPECT_EQ(read_json(std::vector<std::string>{dir + "/a.jsonl", dir + "/b.jsonl"}).length(on()), 2);
  EXPECT_NE(error_of([&] { read_json(dir + "/none-*.jsonl"); }).find("no files match"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_P(MoreOn, ToCsvAndToJsonMatchPandas) {
  auto dir = temp_path(std::string("to_csv_") + GetParam());
  std::filesystem::create_directories(dir);
  auto read = [](const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  };
  auto files = to_csv(people(), dir + "/people-*.csv", {}, on());
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(read(files[0]), expected_ops("to_csv")["people"].get<std::string>());
  auto parts = to_csv(read_csv(fixture("part-*.csv")), dir + "/part-*.csv", {}, on());
  ASSERT_EQ(parts.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(read(parts[i]), expected_ops("to_csv")["parts"][i].get<std::string>());
  // The written files read back as the frame.
  EXPECT_EQ(read_csv(dir + "/part-*.csv").compute(on()), read_csv(fixture("part-*.csv")).compute(on()));
  EXPECT_NE(error_of([&] { to_csv(people(41), dir + "/nostar.csv"); }).find("put a '*' in the path"), std::string::npos);

  auto json_files = to_json(people(41), dir + "/people-*.jsonl", on());
  std::string all;
  for (const auto& f : json_files) all += read(f);
  // Values as pandas' (parsed: pandas writes floats with 10 digits at most).
  std::istringstream got(all), want(expected_ops("to_json").get<std::string>());
  std::string g, w;
  int rows = 0;
  while (std::getline(want, w)) {
    ASSERT_TRUE(std::getline(got, g));
    auto gj = nlohmann::ordered_json::parse(g), wj = nlohmann::ordered_json::parse(w);
    ASSERT_EQ(gj.size(), wj.size());
    for (auto it = wj.begin(); it != wj.end(); ++it) {
      if (it->is_number_float()) EXPECT_NEAR(gj.at(it.key()).get<double>(), it->get<double>(), 1e-9);
      else EXPECT_EQ(gj.at(it.key()), *it) << it.key();
    }
    ++rows;
  }
  EXPECT_EQ(rows, 10);
  // And back through read_json.
  auto back = read_json(dir + "/people-*.jsonl").compute(on());
  // (the glob reads people-10 before people-2: compare the values, not their order)
  EXPECT_EQ(sorted_all(Table({back.column("name")})), sorted_all(Table({people().compute(on()).column("name")})));
  std::filesystem::remove_all(dir);
}

TEST(PythonFloatRepr, AsPython) {
  EXPECT_EQ(python_float_repr(55.0), "55.0");
  EXPECT_EQ(python_float_repr(-0.5), "-0.5");
  EXPECT_EQ(python_float_repr(1e-05), "1e-05");
  EXPECT_EQ(python_float_repr(0.0001), "0.0001");
  EXPECT_EQ(python_float_repr(1e16), "1e+16");
  EXPECT_EQ(python_float_repr(123456789012345.6), "123456789012345.6");
  EXPECT_EQ(python_float_repr(0.1), "0.1");
  EXPECT_EQ(python_float_repr(1.5e300), "1.5e+300");
}

// The shuffle's memory: TESSERA_SHUFFLE_MB of generated rows (default 32)
// in 16 partitions, shuffled into 16 on the threads scheduler. Reports the
// process's peak resident memory during the shuffle (VmHWM reset first) and
// the largest output partition; the whole frame is never in one task.
std::int64_t vm_hwm_kb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::atoll(line.c_str() + 6);
  return -1;
}
std::int64_t vm_rss_kb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::atoll(line.c_str() + 6);
  return -1;
}

TEST(ShuffleMemory, PeakIsAFractionOfTheData) {
  const char* env = std::getenv("TESSERA_SHUFFLE_MB");
  const std::int64_t mb = env ? std::atoll(env) : 32, m = 16;
  const std::int64_t rows = mb * 1000000 / 40 / m;  // ~40 bytes a row
  std::vector<std::int64_t> seeds;
  for (std::int64_t i = 0; i < m; ++i) seeds.push_back(i + 1);
  auto data = from_columns({Column::from_int64("seed", seeds)}, m)
                  .map_partitions("dftest.make_rows", std::nullopt, {Value(rows)});
  auto sizes = data.shuffle({"key"}, m).map_partitions("dftest.nbytes");
  { std::ofstream("/proc/self/clear_refs") << "5"; }  // resets VmHWM
  const std::int64_t base = vm_rss_kb();
  Table per_part = sizes.compute({"threads"});
  const std::int64_t peak = vm_hwm_kb() - base;
  std::int64_t total = 0, largest = 0, nrows = 0;
  for (std::int64_t i = 0; i < per_part.num_rows(); ++i) {
    total += per_part.column("bytes").data->as<std::int64_t>()[i];
    largest = std::max(largest, per_part.column("bytes").data->as<std::int64_t>()[i]);
    nrows += per_part.column("rows").data->as<std::int64_t>()[i];
  }
  EXPECT_EQ(nrows, rows * m);
  // Gathering everything for comparison: the whole frame in one table.
  { std::ofstream("/proc/self/clear_refs") << "5"; }
  const std::int64_t base2 = vm_rss_kb();
  std::int64_t gathered = data.shuffle({"key"}, m).compute({"threads"}).num_rows();
  const std::int64_t peak_gather = vm_hwm_kb() - base2;
  EXPECT_EQ(gathered, rows * m);
  std::printf("[shuffle memory] %lld rows, data %.1f MB in %lld partitions; largest output partition %.1f MB; "
              "peak RSS growth: shuffle %.1f MB, shuffle + gather into one table %.1f MB\n",
              static_cast<long long>(nrows), total / 1e6, static_cast<long long>(m), largest / 1e6, peak / 1e3,
              peak_gather / 1e3);
  EXPECT_LT(largest, total / m * 2);  // hash partitioning spreads the rows
}

INSTANTIATE_TEST_SUITE_P(Schedulers, MoreOn, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::dataframe::test
