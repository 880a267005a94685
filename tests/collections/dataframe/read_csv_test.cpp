// read_csv against pandas' reading of the same files (fixtures/expected.json):
// nulls, quoted separators, quotes and newlines, unicode, CRLF, .gz, a
// one-row file, a glob with an empty file; block splitting; options; errors.
#include <fast_float/fast_float.h>

#include <cstring>

#include "collections/dataframe/csv_aggregate.hpp"
#include "collections/dataframe/text_values.hpp"
#include "collections/dataframe/fuse_csv.hpp"
#include "tests/collections/dataframe/df_test_util.hpp"

namespace tessera::dataframe::test {
namespace {

using ReadCsvOn = DfOn;

TEST_P(ReadCsvOn, PeopleMatchesPandas) {
  auto df = people();
  EXPECT_EQ(dtypes(df), expected_dtypes("people_dtypes"));
  expect_frame(df.compute(on()), expected("people"));
}

TEST_P(ReadCsvOn, CrlfAndGzipReadTheSameRows) {
  ReadCsvOptions o;
  o.parse_dates = {"when"};
  // The quoted newline keeps its bytes ("\r\n" in the CRLF file), as pandas reads it.
  nlohmann::json crlf = expected("people");
  crlf["data"][5][1] = "multi\r\nline";
  expect_frame(read_csv(fixture("people_crlf.csv"), o).compute(on()), crlf);
  auto gz = read_csv(fixture("people.csv.gz"), o);
  EXPECT_EQ(gz.npartitions(), 1);
  expect_frame(gz.compute(on()), expected("people"));
}

TEST_P(ReadCsvOn, OneRowFile) { expect_frame(read_csv(fixture("one_row.csv")).compute(on()), expected("one_row")); }

TEST_P(ReadCsvOn, GlobWithAnEmptyFileGivesAnEmptyPartition) {
  auto df = read_csv(fixture("part-*.csv"));
  EXPECT_EQ(df.npartitions(), 3);
  EXPECT_EQ(dtypes(df), expected_dtypes("parts_dtypes"));
  expect_frame(df.compute(on()), expected("parts"));
  EXPECT_EQ(df.length(on()), 7);
  // A list of files reads the same.
  auto listed = read_csv(std::vector<std::string>{fixture("part-0.csv"), fixture("part-1.csv"), fixture("part-2.csv")});
  expect_frame(listed.compute(on()), expected("parts"));
}

// Blocks split at line boundaries give the same rows as one block, for every blocksize.
TEST_P(ReadCsvOn, BlocksizeSplitsAtLineBoundaries) {
  std::string text = "a,b,s\n";
  for (int i = 0; i < 500; ++i)
    text += std::to_string(i) + "," + std::to_string(i * 0.25) + ",\"s," + std::to_string(i % 7) + "\"\n";
  auto path = write_file("blocks.csv", text);
  ReadCsvOptions whole;
  whole.blocksize = 0;
  Table want = read_csv(path, whole).compute(on());
  ASSERT_EQ(want.num_rows(), 500);
  for (std::int64_t bs : {3, 64, 1000, 4096}) {
    ReadCsvOptions o;
    o.blocksize = bs;
    auto df = read_csv(path, o);
    EXPECT_EQ(df.npartitions(), (static_cast<std::int64_t>(text.size()) + bs - 1) / bs);
    EXPECT_EQ(df.compute(on()), want) << "blocksize " << bs;
  }
  // A blocksize that cuts the quoted-newline file still reads every row when it falls outside quotes.
  ReadCsvOptions o;
  o.parse_dates = {"when"};
  o.blocksize = 200;
  EXPECT_EQ(read_csv(fixture("people.csv"), o).length(on()), 10);
}

TEST_P(ReadCsvOn, UsecolsDtypeNaValuesAndNames) {
  auto path = write_file("opts.csv", "a;b;c\n1;x;2\n-;y;3\n4;missing;5\n");
  ReadCsvOptions o;
  o.sep = ';';
  o.usecols = {"c", "a"};
  o.na_values = {"-"};
  o.dtype = {{"c", "float64"}};
  auto df = read_csv(path, o);
  ASSERT_EQ(dtypes(df), (std::vector<std::pair<std::string, std::string>>{{"a", "float64"}, {"c", "float64"}}));
  Table t = df.compute(on());
  EXPECT_FALSE(t.column("a").is_valid(1));
  EXPECT_EQ(t.column("c").data->as<double>()[2], 5.0);

  ReadCsvOptions n;
  n.sep = ';';
  n.na_values = {"missing"};
  n.header = false;
  n.names = {"p", "q", "r"};
  Table u = read_csv(path, n).compute(on());
  ASSERT_EQ(u.num_rows(), 4);  // the header line is a row now
  EXPECT_EQ(u.column("q").string_at(0), "b");
  EXPECT_FALSE(u.column("q").is_valid(3));

  ReadCsvOptions none;
  none.sep = ';';
  none.header = false;
  auto unnamed = read_csv(path, none);
  EXPECT_EQ(unnamed.columns(), (std::vector<std::string>{"0", "1", "2"}));
}

TEST_P(ReadCsvOn, AValueOfAnotherTypeInALaterBlockNamesFileLineAndColumn) {
  std::string text = "n,x\n";
  for (int i = 0; i < 300; ++i) text += std::to_string(i) + ",1.5\n";
  text += "oops,2.5\n";
  auto path = write_file("later.csv", text);
  ReadCsvOptions o;
  o.sample = 100;
  o.blocksize = 1000;
  auto df = read_csv(path, o);
  EXPECT_EQ(df.schema()[0].type, ColumnType::int64);
  auto msg = error_of([&] { df.compute(on()); });
  EXPECT_NE(msg.find("later.csv"), std::string::npos) << msg;
  EXPECT_NE(msg.find("line 302"), std::string::npos) << msg;
  EXPECT_NE(msg.find("column 'n'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'oops'"), std::string::npos) << msg;
}

TEST_P(ReadCsvOn, MalformedFilesAreClearErrors) {
  auto open_quote = write_file("open_quote.csv", "a,b\n1,\"never closed\n2,3\n");
  ReadCsvOptions tiny_sample;
  tiny_sample.sample = 4;
  auto msg = error_of([&] { read_csv(open_quote, tiny_sample).compute(on()); });
  EXPECT_NE(msg.find("never closed"), std::string::npos) << msg;
  EXPECT_NE(msg.find("line 2"), std::string::npos) << msg;

  auto wide = write_file("wide.csv", "a,b\n1,2\n3,4,5\n");
  msg = error_of([&] { read_csv(wide).compute(on()); });
  EXPECT_NE(msg.find("line 3: expected 2 fields, saw 3"), std::string::npos) << msg;

  // A short row gets nulls.
  auto short_row = write_file("short.csv", "a,b,c\n1,2,3\n4\n");
  Table t = read_csv(short_row).compute(on());
  EXPECT_FALSE(t.column("b").is_valid(1));
  EXPECT_FALSE(t.column("c").is_valid(1));

  EXPECT_NE(error_of([] { read_csv("/nonexistent/x.csv"); }).find("file not found"), std::string::npos);
  EXPECT_NE(error_of([] { read_csv("/nonexistent/*.csv"); }).find("no files match"), std::string::npos);
  ReadCsvOptions bad;
  bad.usecols = {"zzz"};
  EXPECT_NE(error_of([&] { read_csv(fixture("one_row.csv"), bad); }).find("usecols names column 'zzz'"),
            std::string::npos);
  ReadCsvOptions bad_type;
  bad_type.dtype = {{"a", "complex"}};
  EXPECT_NE(error_of([&] { read_csv(fixture("one_row.csv"), bad_type); }).find("unknown dtype 'complex'"),
            std::string::npos);
  auto empty = write_file("empty.csv", "");
  EXPECT_NE(error_of([&] { read_csv(empty); }).find("is empty"), std::string::npos);
  auto header_differs = write_file("hd.csv", "a,b\n1,2\n");
  auto header_three = write_file("hd3.csv", "a,b,c\n1,2,3\n");
  msg = error_of([&] { read_csv(std::vector<std::string>{header_differs, header_three}).compute(on()); });
  EXPECT_NE(msg.find("hd3.csv' has 3 columns in its header"), std::string::npos) << msg;
}

TEST_P(ReadCsvOn, HeadComputesOnlyWhatItNeeds) {
  auto df = read_csv(fixture("part-*.csv"));
  Table h = df.head(2, on());
  ASSERT_EQ(h.num_rows(), 2);
  EXPECT_EQ(h.column("k").data->as<std::int64_t>()[1], 2);
  // Past the empty second file, into the third.
  Table five = df.head(5, on());
  ASSERT_EQ(five.num_rows(), 5);
  EXPECT_EQ(five.column("k").data->as<std::int64_t>()[4], 5);
  EXPECT_EQ(df.head(100, on()).num_rows(), 7);
  EXPECT_EQ(df.head(0, on()).num_rows(), 0);
}

// ---- the fused read → filter → group-by chunk (fuse_csv.hpp, csv_aggregate.hpp) ----

// A file with every awkward case the fused reader must treat as parse_csv does:
// NA strings and empty fields in key and value columns, quoted keys holding the
// separator, doubled quotes and a newline, blank lines, a short row, "nan".
// A quoted newline only where blocks are not cut (blocksize 0): a block
// boundary inside quotes splits the row in both paths (read_csv.hpp, Limits).
std::string awkward_csv(bool crlf, bool quoted_newline) {
  const char* names[] = {"Ann", "Bob", "\"Smith, J\"", "\"say \"\"hi\"\"\"",
                         quoted_newline ? "\"multi\nline\"" : "\"one line\"", "NA", "", "Alf"};
  std::string eol = crlf ? "\r\n" : "\n";
  std::string text = "ts,id,name,x,y,flag" + eol;
  for (int i = 0; i < 700; ++i) {
    std::string id = i % 41 == 0 ? "NA" : std::to_string(1000 + (i * 7919) % 37);
    std::string x = i % 23 == 0 ? "" : i % 29 == 0 ? "nan" : std::to_string((i % 19 - 9) * 0.125);
    std::string y = std::to_string((i * 31) % 17 - 8);
    text += "2000-01-01T00:00:" + std::to_string(i % 60) + "," + id + "," + names[i % 8] + "," + x + "," + y + "," +
            (i % 3 ? "True" : "False") + eol;
    if (i % 97 == 0) text += eol;                  // a blank line
    if (i % 101 == 0) text += "2000-01-01,1001" + eol;  // a short row: name, x, y, flag are null
  }
  return text;
}

std::vector<DataFrame> awkward_queries(const DataFrame& df) {
  return {
      df.groupby("name")["x"].mean().to_frame(),
      df[df["x"] > 0].groupby("id")["y"].sum().to_frame(),
      df.groupby("name").agg({{"x", "min"}, {"y", "max"}}),
      df["id"].value_counts().to_frame(),
      df.groupby("id")["x"].count().to_frame(),
      df.groupby("name").size().to_frame(),
      df[df["name"].str().startswith("S") | (df["y"] < 0)].groupby("flag")["x"].sum().to_frame(),
      df.groupby("id").agg({{"y", "mean"}, {"x", "max"}}),
  };
}

ReadCsvOptions awkward_options(std::int64_t blocksize) {
  ReadCsvOptions o;
  o.blocksize = blocksize;
  o.dtype = {{"id", "int64"}, {"x", "float64"}, {"y", "int64"}, {"flag", "bool"}};
  return o;
}

// The fused path gives the very tables of the unfused one (same groups, same
// order, bit-identical sums), for blocks and windows that cut rows anywhere.
TEST_P(ReadCsvOn, FusedAggregationsMatchTheUnfusedPath) {
  for (int variant = 0; variant < 4; ++variant) {
    const bool crlf = variant & 1, quoted_newline = variant & 2;
    auto path = write_file("awkward" + std::to_string(variant) + ".csv", awkward_csv(crlf, quoted_newline));
    set_csv_fusion(false);
    auto unfused = compute(awkward_queries(read_csv(path, awkward_options(0))), on());
    Value unfused_sum = read_csv(path, awkward_options(0))["x"].sum().compute(on());
    set_csv_fusion(true);
    for (std::int64_t bs : {0, 333, 4096}) {
      if (quoted_newline && bs != 0) continue;
      for (std::size_t window : {16, 61, 4 << 20}) {
        set_csv_aggregate_window(window);
        auto df = read_csv(path, awkward_options(bs));
        auto fused = compute(awkward_queries(df), on());
        ASSERT_EQ(fused.size(), unfused.size());
        for (std::size_t q = 0; q < fused.size(); ++q)
          EXPECT_EQ(fused[q], unfused[q]) << "query " << q << " blocksize " << bs << " window " << window
                                          << " variant " << variant;
        EXPECT_EQ(df["x"].sum().compute(on()), unfused_sum);
        // Each query alone (its own read) agrees too.
        EXPECT_EQ(df.groupby("name")["x"].mean().compute(on()), unfused[0]);
      }
    }
    set_csv_aggregate_window(4 << 20);
  }
}

// The rewrite happens where it should, and only there.
TEST(ReadCsvFusion, FusesBlocksWhoseConsumersAreAllSupported) {
  auto path = write_file("fuse_graph.csv", awkward_csv(false, false));
  auto df = read_csv(path, awkward_options(4096));
  auto fn_count = [](const HighLevelGraph& g, const std::string& fn) {
    int n = 0;
    TaskGraph tasks = g.materialize();
    for (const auto& t : tasks.tasks()) n += t.function_name() == fn;
    return n;
  };
  auto graph_of = [&](const std::vector<DataFrame>& qs) {
    std::vector<LayerPtr> tops;
    std::vector<Key> keys;
    for (const auto& q : qs) {
      tops.push_back(q.layer());
      for (auto& k : q.keys()) keys.push_back(k);
    }
    return fuse_csv_aggregations(HighLevelGraph(tops), keys);
  };
  auto qs = awkward_queries(df);
  HighLevelGraph all = graph_of(qs);
  EXPECT_EQ(fn_count(all, "dataframe.read_csv_agg"), df.npartitions());
  EXPECT_EQ(fn_count(all, "dataframe.read_csv_block"), 0);
  EXPECT_EQ(fn_count(all, "dataframe.pick"), df.npartitions() * static_cast<int>(qs.size()));
  // A consumer that is not a group-by (the frame itself) keeps the plain read.
  HighLevelGraph mixed = graph_of({qs[0], df});
  EXPECT_EQ(fn_count(mixed, "dataframe.read_csv_agg"), 0);
  // Unsupported aggregations (std) and float keys are not fused.
  EXPECT_EQ(fn_count(graph_of({df.groupby("name")["x"].std().to_frame()}), "dataframe.read_csv_agg"), 0);
  EXPECT_EQ(fn_count(graph_of({df.groupby("x")["y"].sum().to_frame()}), "dataframe.read_csv_agg"), 0);
  set_csv_fusion(false);
  EXPECT_EQ(fn_count(graph_of({qs[0]}), "dataframe.read_csv_agg"), 0);
  set_csv_fusion(true);
}

// Bad input read by the fused path fails with parse_csv's messages (file, line, column).
TEST_P(ReadCsvOn, FusedReadReportsErrorsAsTheBlockParser) {
  std::string good = "id,name,x\n";
  for (int i = 0; i < 300; ++i) good += std::to_string(i % 5) + ",n" + std::to_string(i % 3) + ",1.5\n";
  auto bad_value = write_file("fused_bad_value.csv", good + "3,n1,oops\n");
  auto wide = write_file("fused_wide.csv", good + "3,n1,2.5,9\n");
  auto open_quote = write_file("fused_open_quote.csv", good + "3,\"n1,2.5\n4,n2,1\n");
  for (const auto& path : {bad_value, wide, open_quote}) {
    ReadCsvOptions o;
    o.sample = 100;
    o.blocksize = 1000;
    auto run = [&] { read_csv(path, o).groupby("name")["x"].sum().compute(on()); };
    // The message after the task's name ("task (...) (fn) failed: ").
    auto message = [&] {
      std::string m = error_of(run);
      auto at = m.find("failed: ");
      return at == std::string::npos ? m : m.substr(at);
    };
    set_csv_fusion(false);
    std::string want = message();
    set_csv_fusion(true);
    for (std::size_t window : {16, 200, 4 << 20}) {
      set_csv_aggregate_window(window);
      EXPECT_EQ(message(), want) << path << " window " << window;
    }
    set_csv_aggregate_window(4 << 20);
    EXPECT_NE(want.find("line 302"), std::string::npos) << want;
  }
}

// parse_float64's fast path (plain decimals, SWAR digits) gives fast_float's bits.
TEST(ReadCsvNumbers, DecimalFastPathGivesFastFloatsBits) {
  std::uint64_t state = 12345;
  auto next = [&] { return state = state * 6364136223846793005ull + 1442695040888963407ull, state >> 33; };
  for (int i = 0; i < 200000; ++i) {
    std::string s = next() % 2 ? "-" : "";
    int int_digits = 1 + static_cast<int>(next() % 12), frac_digits = static_cast<int>(next() % 21);
    for (int d = 0; d < int_digits; ++d) s += static_cast<char>('0' + next() % 10);
    if (frac_digits > 0 || next() % 4 == 0) s += ".";
    for (int d = 0; d < frac_digits; ++d) s += static_cast<char>('0' + next() % 10);
    double want = 0, got = 0;
    auto r = fast_float::from_chars(s.data(), s.data() + s.size(), want);
    bool ok = parse_float64(s, got);
    ASSERT_EQ(ok, r.ec == std::errc() && r.ptr == s.data() + s.size()) << s;
    if (ok) ASSERT_EQ(std::memcmp(&want, &got, sizeof got), 0) << s;
  }
  // parse_float64_in reads words past the field: whatever follows must not matter.
  for (int i = 0; i < 200000; ++i) {
    std::string s = next() % 3 ? "" : "-";
    int int_digits = static_cast<int>(next() % 10), frac_digits = static_cast<int>(next() % 19);
    for (int d = 0; d < int_digits; ++d) s += static_cast<char>('0' + next() % 10);
    if (frac_digits > 0 || next() % 4 == 0) s += ".";
    for (int d = 0; d < frac_digits; ++d) s += static_cast<char>('0' + next() % 10);
    if (!s.empty() && next() % 50 == 0) s[next() % s.size()] = "e+x.-"[next() % 5];
    std::string buffer = s;
    for (int k = 0; k < 40; ++k) buffer += static_cast<char>(next() % 3 ? '0' + next() % 10 : next() % 256);
    double want = 0, got = 0;
    bool want_ok = parse_float64(s, want);
    const char* p = buffer.data();
    bool ok = parse_float64_in(p, p + s.size(), p + (next() % 2 ? buffer.size() : s.size()), got);
    ASSERT_EQ(ok, want_ok) << s;
    if (ok) ASSERT_EQ(std::memcmp(&want, &got, sizeof got), 0) << s;
  }
  double x = 0;
  for (const char* s : {"0.1611328125", "-0.37109375", "-0.0", "9007199254740993", "1e5", ".5", "1.", "+2.5"}) {
    double want = 0;
    std::string_view v(s);
    if (v[0] == '+') v.remove_prefix(1);
    fast_float::from_chars(v.data(), v.data() + v.size(), want);
    ASSERT_TRUE(parse_float64(s, x)) << s;
    EXPECT_EQ(std::memcmp(&want, &x, sizeof x), 0) << s;
  }
}

INSTANTIATE_TEST_SUITE_P(Schedulers, ReadCsvOn, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::dataframe::test
