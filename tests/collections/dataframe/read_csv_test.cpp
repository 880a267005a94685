// read_csv against pandas' reading of the same files (fixtures/expected.json):
// nulls, quoted separators, quotes and newlines, unicode, CRLF, .gz, a
// one-row file, a glob with an empty file; block splitting; options; errors.
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

INSTANTIATE_TEST_SUITE_P(Schedulers, ReadCsvOn, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::dataframe::test
