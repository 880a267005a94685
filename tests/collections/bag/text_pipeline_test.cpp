// The fused read_text pipelines (text_pipeline.hpp) against dask.bag's own
// results on the committed fixtures (fixtures/make_fixtures.py: empty files
// = empty partitions, empty lines, unicode, escaped strings, a repeated key,
// records without the plucked key, CRLF), and against the unfused graph.
#include <fstream>
#include <sstream>

#include "collections/bag/json.hpp"
#include "collections/bag/read_text.hpp"
#include "collections/bag/text_pipeline.hpp"
#include "tests/collections/bag/bag_test_util.hpp"

namespace tessera::bag::test {
namespace {

std::string fixture(const std::string& rel) {
  return std::string(TESSERA_SOURCE_DIR) + "/tests/collections/bag/fixtures/" + rel;
}

// expected.json, written by dask.bag (make_fixtures.py).
const ValueDict& expected() {
  static const Value e = [] {
    std::ifstream in(fixture("expected.json"), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return json_loads(ss.str());
  }();
  return e.as_dict();
}
Value want(const std::string& name) { return expected().at(name); }

// The same graph without the pipeline: every step runs as its own layer.
Bag unfused(const Bag& b) { return Bag(b.name(), b.layer(), b.npartitions()); }

using TextPipelineOn = BagOn;

TEST_P(TextPipelineOn, CityFrequenciesMatchDask) {
  for (std::int64_t blocksize : {0, 40}) {
    SCOPED_TRACE("blocksize " + std::to_string(blocksize));
    auto records = read_text(fixture("records/*.jsonl"), {.blocksize = blocksize}).map("json_loads");
    auto cities = records.pluck("city", Value("?"));
    ASSERT_TRUE(cities.pipeline());
    EXPECT_EQ(Value(cities.frequencies().compute(on())), want("city_frequencies"));
    EXPECT_EQ(Value(cities.frequencies(true).compute(on())), want("city_frequencies_sorted"));
    EXPECT_EQ(Value(cities.frequencies().topk(2, Value(1)).compute(on())), want("city_top2"));
    EXPECT_EQ(Value(unfused(cities).frequencies().compute(on())), want("city_frequencies"));
  }
}

TEST_P(TextPipelineOn, WordFrequenciesMatchDask) {
  for (std::int64_t blocksize : {0, 7}) {
    SCOPED_TRACE("blocksize " + std::to_string(blocksize));
    auto words = read_text(fixture("text/*.txt"), {.blocksize = blocksize}).str_split().flatten();
    ASSERT_TRUE(words.pipeline());
    EXPECT_EQ(Value(words.frequencies().compute(on())), want("word_frequencies"));
    EXPECT_EQ(Value(words.frequencies(true).compute(on())), want("word_frequencies_sorted"));
    EXPECT_EQ(Value(words.frequencies().topk(3, Value(1)).compute(on())), want("word_top3"));
    EXPECT_EQ(words.count().compute(on()), want("word_count"));
    EXPECT_EQ(Value(unfused(words).frequencies().compute(on())), want("word_frequencies"));
  }
}

TEST_P(TextPipelineOn, MissingKeyAndBadInputFailAsUnfused) {
  auto records = read_text(fixture("records/*.jsonl")).map("json_loads");
  std::string err = error_of([&] { records.pluck("city").frequencies().compute(on()); });
  // Partitions run in parallel: either record without a city may fail first.
  EXPECT_TRUE(err.find("pluck: key 'city' not found in record {'age': 5, 'name': 'Cy'}") != std::string::npos ||
              err.find("pluck: key 'city' not found in record {'name': 'Ed'}") != std::string::npos)
      << err;

  auto bad = write_file("pipeline_bad.jsonl", "{\"city\": \"a\"}\n{\"city\": }\n");
  err = error_of([&] { read_text(bad).map("json_loads").pluck("city").frequencies().compute(on()); });
  EXPECT_NE(err.find("json_loads: invalid JSON at byte"), std::string::npos) << err;
  auto latin1 = write_file("pipeline_latin1.txt", "ok\nd\xe9j\xe0\n");
  err = error_of([&] { read_text(latin1).str_split().flatten().frequencies().compute(on()); });
  EXPECT_NE(err.find("is not valid UTF-8 at byte 4"), std::string::npos) << err;
  // pluck of a string record: TypeError without a default, the default with one.
  auto lines = read_text(fixture("text/a.txt"));
  err = error_of([&] { lines.pluck("x").frequencies().compute(on()); });
  EXPECT_NE(err.find("pluck: cannot take 'x' from record"), std::string::npos) << err;
  EXPECT_EQ(lines.pluck("x", Value(0)).frequencies().compute(on()), (ValueList{ValueList{0, 5}}));
}

// JSON lines of `n` plain records (about 40 bytes each), with `odd` lines
// put in at the given record numbers.
std::string json_lines(int n, const std::vector<std::pair<int, std::string>>& odd) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    for (const auto& [at, line] : odd)
      if (at == i) out += line + "\n";
    out += "{\"city\": \"c" + std::to_string(i % 7) + "\", \"n\": " + std::to_string(i) + "}\n";
  }
  return out;
}

// The JSON lines go through simdjson document streams of a few hundred KiB;
// a line that is not exactly one object goes the per-line way, which must
// give what the unfused graph gives, wherever the line falls.
TEST_P(TextPipelineOn, JsonLinesStreamsAgreeWithUnfused) {
  const std::vector<std::pair<int, std::string>> odd{
      {0, " \t{\"city\": \"padded\"} \r"},
      {1, "[1, 2]"},
      {2, "{\"n\": 1}"},
      {3000, "{\"city\": 123456789012345678901234567890}"},
      {3001, "{\"city\": \"after a refused line\"}"},
      {6000, "{\"city\": {\"nested\": [1, 2.5, null]}}"},
      {9000, "{\"city\": \"a\", \"n\": 2, \"city\": \"last\"}\r"},
      {11999, "7"},
  };
  auto path = write_file("pipeline_streams.jsonl", json_lines(12000, odd) + "{\"city\": \"no newline\"}");
  for (std::int64_t blocksize : {0, 100000}) {
    SCOPED_TRACE("blocksize " + std::to_string(blocksize));
    auto cities = read_text(path, {.blocksize = blocksize}).map("json_loads").pluck("city", Value("?"));
    ASSERT_TRUE(cities.pipeline());
    auto fused = cities.frequencies().compute(on());
    EXPECT_EQ(fused, unfused(cities).frequencies().compute(on()));
    EXPECT_EQ(fused.size(), 7u + 7u);  // c0..c6, and padded, ?, 1.2e29, after..., nested, last, no newline
  }
  // Lines json.loads refuses, deep in a stream: the unfused error.
  for (const char* bad : {"", "  ", "{\"city\": \"a\"} {\"city\": \"b\"}", "{\"city\":\n\"a\"}", "{\"city\": \"a\"}x"}) {
    SCOPED_TRACE(std::string("bad line '") + bad + "'");
    auto file = write_file("pipeline_stream_bad.jsonl", json_lines(9000, {{8000, bad}}));
    auto cities = read_text(file).map("json_loads").pluck("city");
    std::string err = error_of([&] { cities.frequencies().compute(on()); });
    std::string want = error_of([&] { unfused(cities).frequencies().compute(on()); });
    ASSERT_NE(err.find("json_loads: invalid JSON"), std::string::npos) << err;
    // The failing task differs (one fused task, or the json_loads layer's).
    EXPECT_EQ(err.substr(err.find("json_loads: invalid JSON")), want.substr(want.find("json_loads: invalid JSON")));
  }
}

TEST_P(TextPipelineOn, OtherStepsFuseAndAgreeWithUnfused) {
  auto lines = read_text(fixture("text/*.txt"), {.blocksize = 9});
  std::vector<Bag> bags{
      lines,
      lines.str_strip(),
      lines.str_upper().str_split(" ").flatten(),
      lines.str_strip().str_lower().str_split("", 1),
      lines.str_split().flatten().str_strip("\"{},:"),
      read_text(fixture("records/*.jsonl")).map("json_loads").pluck("tags", Value(ValueList{})).flatten(),
      read_text(fixture("records/*.jsonl")).map("json_loads").pluck("nested", Value()),
  };
  for (std::size_t i = 0; i < bags.size(); ++i) {
    SCOPED_TRACE("bag " + std::to_string(i));
    ASSERT_TRUE(bags[i].pipeline());
    EXPECT_EQ(bags[i].frequencies().compute(on()), unfused(bags[i]).frequencies().compute(on()));
  }
  // A step that is not a known built-in ends the pipeline.
  EXPECT_FALSE(lines.map([](const std::string& s) { return s; }).pipeline());
  EXPECT_FALSE(lines.filter([](const std::string& s) { return !s.empty(); }).pipeline());
}

INSTANTIATE_TEST_SUITE_P(Schedulers, TextPipelineOn, ::testing::Values("sync", "threads"));

TEST(JsonLoads, ParsesAsPythonDoes) {
  EXPECT_EQ(json_loads(R"([1, -2, 2.5, null, true, false, "x\u00e9\n"])"),
            Value(ValueList{1, -2, 2.5, Value(), true, false, "xé\n"}));
  EXPECT_EQ(json_loads(R"({"a": 1, "a": 2, "b": {"c": []}})"),
            Value(ValueDict{{"a", 2}, {"b", ValueDict{{"c", ValueList{}}}}}));
  EXPECT_EQ(json_loads("18446744073709551615"), Value(18446744073709551615.0));
  EXPECT_EQ(json_loads("123456789012345678901234567890"), Value(1.2345678901234568e29));
  EXPECT_EQ(json_loads(" 7 "), Value(7));
  EXPECT_NE(error_of([] { json_loads("[1, 2"); }).find("json_loads: invalid JSON at byte"), std::string::npos);
  EXPECT_NE(error_of([] { json_loads("{} x"); }).find("json_loads: invalid JSON"), std::string::npos);
  EXPECT_NE(error_of([] { json_loads(""); }).find("json_loads: invalid JSON"), std::string::npos);
}

}  // namespace
}  // namespace tessera::bag::test
