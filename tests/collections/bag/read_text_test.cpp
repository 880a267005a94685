// read_text: blocks split at line ends give the same lines as whole files,
// for every blocksize; .gz; unicode; empty lines; errors name the file.
#include <zlib.h>

#include <filesystem>

#include "collections/bag/read_text.hpp"
#include "tests/collections/bag/bag_test_util.hpp"

namespace tessera::bag::test {
namespace {

using ReadTextOn = BagOn;

std::string dir(const std::string& name) {
  std::string d = temp_path("bag_read_text_" + name);
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

// Lines and the text that holds them (the last line without "\n" if `open_end`).
std::string join(const std::vector<std::string>& lines, bool open_end) {
  std::string s;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    s += lines[i];
    if (i + 1 < lines.size() || !open_end) s += "\n";
  }
  return s;
}

ValueList values(const std::vector<std::string>& lines) {
  ValueList out;
  for (const auto& l : lines) out.emplace_back(l);
  return out;
}

const std::vector<std::string> kLines{"first line", "", "héllo wörld", "日本語のテキスト", "", "",
                                      "emoji 🎉 done", "x", "a much longer line to cross several blocks"};

TEST_P(ReadTextOn, BlocksGiveTheSameLinesAsWholeFiles) {
  std::string a = write_file("bag_read_text_blocks_" + std::string(GetParam()) + "_a.txt", join(kLines, true));
  std::string b = write_file("bag_read_text_blocks_" + std::string(GetParam()) + "_b.txt", join(kLines, false));
  ValueList want = values(kLines);
  for (const auto& x : values(kLines)) want.push_back(x);
  EXPECT_EQ(read_text(std::vector<std::string>{a, b}).compute(on()), want);
  EXPECT_EQ(read_text(std::vector<std::string>{a, b}).npartitions(), 2);
  const auto size = static_cast<std::int64_t>(std::filesystem::file_size(a));
  for (std::int64_t bs : {1, 2, 3, 5, 7, 11, 16, 64, 1000}) {
    auto bag = read_text(std::vector<std::string>{a, b}, {.blocksize = bs});
    EXPECT_EQ(bag.compute(on()), want) << "blocksize " << bs;
    std::int64_t per_file_a = bs >= size ? 1 : (size + bs - 1) / bs;
    EXPECT_EQ(bag.npartitions(), per_file_a + (bs >= size + 1 ? 1 : (size + 1 + bs - 1) / bs)) << bs;
    EXPECT_EQ(bag.count().compute(on()), Value(static_cast<std::int64_t>(want.size())));
  }
}

TEST_P(ReadTextOn, EdgeFiles) {
  std::string p = GetParam();
  EXPECT_EQ(read_text(write_file("bag_empty_" + p + ".txt", "")).compute(on()), ValueList{});
  EXPECT_EQ(read_text(write_file("bag_newlines_" + p + ".txt", "\n\n\n"), {.blocksize = 1}).compute(on()),
            (ValueList{"", "", ""}));
  EXPECT_EQ(read_text(write_file("bag_crlf_" + p + ".txt", "a\r\nb\r\n\r\nc")).compute(on()),
            (ValueList{"a", "b", "", "c"}));
}

TEST_P(ReadTextOn, GlobAndGzip) {
  std::string d = dir(std::string("glob_") + GetParam());
  std::ofstream(d + "/2.txt") << "two\n";
  std::ofstream(d + "/1.txt") << "one\nuno\n";
  std::ofstream(d + "/3.csv") << "not me\n";
  gzFile g = gzopen((d + "/0.txt.gz").c_str(), "wb");
  ASSERT_NE(g, nullptr);
  std::string text = join(kLines, true);
  gzwrite(g, text.data(), static_cast<unsigned>(text.size()));
  gzclose(g);
  EXPECT_EQ(read_text(d + "/*.txt").compute(on()), (ValueList{"one", "uno", "two"}));
  auto gz = read_text(d + "/*.txt.gz", {.blocksize = 4});  // blocksize is ignored for .gz
  EXPECT_EQ(gz.npartitions(), 1);
  EXPECT_EQ(gz.compute(on()), values(kLines));
  EXPECT_EQ(read_text(std::vector<std::string>{d + "/*.gz", d + "/2.txt"}).compute(on()).size(), kLines.size() + 1);
}

TEST_P(ReadTextOn, Errors) {
  std::string p = GetParam();
  std::string missing = temp_path("bag_no_such_file.txt");
  std::string err = error_of([&] { read_text(missing); });
  EXPECT_NE(err.find("file not found: '" + missing + "'"), std::string::npos) << err;
  EXPECT_NE(error_of([&] { read_text(temp_path("bag_nothing_*.zzz")); }).find("no files match"),
            std::string::npos);
  std::string bad = write_file("bag_bad_utf8_" + p + ".txt", "ok\nab\xff" "cd\nmore\n");
  err = error_of([&] { read_text(bad).compute(on()); });
  EXPECT_NE(err.find(bad), std::string::npos) << err;
  EXPECT_NE(err.find("not valid UTF-8 at byte 5"), std::string::npos) << err;
  // Block 2 holds the bad byte; block 1 alone reads fine.
  auto blocks = read_text(bad, {.blocksize = 3});
  EXPECT_EQ(blocks.take(1, on()), ValueList{"ok"});
  std::string notgz = write_file("bag_notgz_" + p + ".gz", "\x1f\x8b garbage");
  EXPECT_NE(error_of([&] { read_text(notgz).compute(on()); }).find(notgz), std::string::npos);
}

TEST(ReadText, Utf8Validation) {
  EXPECT_EQ(invalid_utf8_offset("plain ascii, long enough for the fast path"), std::string_view::npos);
  EXPECT_EQ(invalid_utf8_offset("héllo 日本 🎉"), std::string_view::npos);
  EXPECT_EQ(invalid_utf8_offset("abc\xc3"), 3u);                 // truncated
  EXPECT_EQ(invalid_utf8_offset("abcdefghij\xc0\xaf"), 10u);     // overlong '/'
  EXPECT_EQ(invalid_utf8_offset("\xed\xa0\x80"), 0u);            // surrogate
  EXPECT_EQ(invalid_utf8_offset("x\xf4\x90\x80\x80"), 1u);       // above U+10FFFF
  EXPECT_EQ(invalid_utf8_offset("xy\x80"), 2u);                  // lone continuation
}

TEST_P(ReadTextOn, JsonLinesPipeline) {
  std::string d = dir(std::string("json_") + GetParam());
  std::ofstream(d + "/a.json") << R"({"name": "Zoë", "age": 3})" "\n" R"({"name": "bob"})" "\n";
  std::ofstream(d + "/b.json") << R"({"name": "Zoë", "tags": ["x"]})" "\n" R"({"age": 5})" "\n";
  auto records = read_text(d + "/*.json", {.blocksize = 10}).map("json_loads");
  std::string err = error_of([&] { records.pluck("name").frequencies().compute(on()); });
  EXPECT_NE(err.find("key 'name' not found in record {'age': 5}"), std::string::npos) << err;
  EXPECT_EQ(records.pluck("name", Value("?")).frequencies(true).compute(on()),
            (ValueList{ValueList{"Zoë", 2}, ValueList{"bob", 1}, ValueList{"?", 1}}));
  EXPECT_EQ(records.pluck("age", Value(0)).sum().compute(on()), Value(8));
  EXPECT_EQ(records.filter([](const ValueDict& r) { return r.count("name") > 0; }).pluck("name").frequencies()
                .compute(on()),
            (ValueList{ValueList{"Zoë", 2}, ValueList{"bob", 1}}));
}

INSTANTIATE_TEST_SUITE_P(Sched, ReadTextOn, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::bag::test
