// The printer against pandas' repr of the same frame, and its truncation.
#include "tests/collections/dataframe/df_test_util.hpp"

namespace tessera::dataframe::test {
namespace {

TEST(TablePrinter, PrintsLikePandas) {
  Table t = read_csv(fixture("part-*.csv")).compute({"sync"});
  EXPECT_EQ(to_string(t), expected("parts_print").get<std::string>());
  std::ostringstream os;
  os << t;
  EXPECT_EQ(os.str(), to_string(t));
}

TEST(TablePrinter, TruncatesLongTablesAndNamesTheIndex) {
  std::vector<std::int64_t> a;
  for (std::int64_t i = 0; i < 100; ++i) a.push_back(i * i);
  Table t({Column::from_int64("a", a)});
  std::string s = to_string(t);
  EXPECT_EQ(s, "       a\n0      0\n1      1\n2      4\n3      9\n4     16\n..   ...\n95  9025\n96  9216\n"
               "97  9409\n98  9604\n99  9801\n\n[100 rows x 1 columns]");
  EXPECT_EQ(to_string(t, {.max_rows = 200}).find("..."), std::string::npos);
  Table g({Column::from_strings("name", {"Bob", "Alice"}), Column::from_float64("x", {0.5, -1.25})}, "name");
  EXPECT_EQ(to_string(g), "          x\nname       \nBob    0.50\nAlice -1.25");
  EXPECT_EQ(to_string(Table({Column::from_int64("a", {})})), "Empty DataFrame\nColumns: [a]\nIndex: []");
  EXPECT_EQ(dtypes_string(t), "a    int64\ndtype: object");
}

TEST(TablePrinter, DataFrameReprShowsTheStructure) {
  auto df = read_csv(fixture("part-*.csv"));
  EXPECT_EQ(df.repr().rfind(
                "Tessera DataFrame Structure (npartitions=3, divisions unknown):\nk    int64\ng    object\nv    float64\n", 0),
            0u)
      << df.repr();
}

}  // namespace
}  // namespace tessera::dataframe::test
