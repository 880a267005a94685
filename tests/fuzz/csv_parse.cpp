// libFuzzer target: read_csv's parser (csv_parser.cpp) and the fused read +
// group-by kernel (csv_aggregate.cpp) on arbitrary bytes. The first byte
// picks the separator, whether there is a header and the fused reader's window
// (small windows cut rows, quoted fields and "\r\n" anywhere); the rest is the
// file. Bad input must end in a ValueError (TypeError for a mask over it),
// never a crash, a hang or a sanitizer report; and the fused path must agree
// with parse_csv + aggregate_chunk: the same partials, or the same error.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "collections/dataframe/aggregation.hpp"
#include "collections/dataframe/csv_aggregate.hpp"
#include "collections/dataframe/csv_parser.hpp"
#include "collections/dataframe/expression.hpp"
#include "collections/dataframe/table_printer.hpp"
#include "runtime/util/error.hpp"

using namespace tessera;
using namespace tessera::dataframe;

namespace {

// parse_csv's or csv_aggregate's outcome: the partials, or the error's message.
struct Outcome {
  std::vector<Table> partials;
  std::string error;
};

template <class F>
Outcome outcome_of(F&& f) {
  Outcome o;
  try {
    o.partials = f();
  } catch (const ValueError& e) {
    o.error = e.what();
  } catch (const TypeError& e) {
    o.error = e.what();
  }
  return o;
}

const std::string& scratch_file() {
  static const std::string path = "/tmp/tessera-fuzz-csv-" + std::to_string(::getpid()) + ".csv";
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > 1 << 16) return 0;
  const std::uint8_t opts = data[0];
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  static const char seps[] = {',', ';', '\t', '|'};

  CsvSpec spec;
  spec.sep = seps[opts & 3];
  spec.header = (opts & 4) == 0;
  spec.na_values = default_na_values();
  BlockContext ctx{"fuzz.csv", 0, spec.header, false};

  // As read_csv plans: names from the header, types inferred from the text as strings.
  try {
    std::vector<std::string> first = parse_header(text, spec.sep);
    if (first.empty() || first.size() > 16) return 0;
    for (const auto& n : first)  // a column named "" is not fused (expr::column_name reads "" as no column)
      if (n.empty()) return 0;
    for (std::size_t i = 0; i < first.size(); ++i)
      spec.file_names.push_back(spec.header ? first[i] : std::to_string(i));
    CsvSpec as_text = spec;
    for (std::size_t i = 0; i < spec.file_names.size(); ++i)
      as_text.use.push_back(static_cast<std::int64_t>(i)), as_text.types.push_back(ColumnType::string);
    BlockContext sample{"fuzz.csv", 0, spec.header, (opts & 8) != 0};
    spec.types = infer_types(parse_csv(text, as_text, sample));
    for (std::size_t i = 0; i < spec.file_names.size(); ++i) spec.use.push_back(static_cast<std::int64_t>(i));
  } catch (const ValueError&) {
    return 0;
  }
  if (opts & 16) spec.types[0] = ColumnType::string;  // a string key whatever the text holds

  // Queries that read every column (so that both paths validate the same
  // cells): counts of all, sums/min/max of the numeric ones, grouped by the
  // first column when it can be a key, once more under a mask.
  std::vector<AggQuery> queries(2);
  Value mask;
  for (std::size_t i = 0; i < spec.types.size(); ++i) {
    const std::string& name = spec.file_names[i];
    queries[0].aggs.push_back({"c" + std::to_string(i), expr::col(name), "count", 1});
    if (spec.types[i] == ColumnType::int64 || spec.types[i] == ColumnType::float64) {
      queries[0].aggs.push_back({"s" + std::to_string(i), expr::col(name), "sum", 1});
      queries[1].aggs.push_back({"m" + std::to_string(i), expr::col(name), (opts & 32) ? "min" : "max", 1});
      queries[1].aggs.push_back({"a" + std::to_string(i), expr::col(name), "mean", 1});
      if (mask.is_none()) mask = expr::op("gt", {expr::col(name), expr::lit(Value(0))});
    } else if (spec.types[i] == ColumnType::string && mask.is_none()) {
      mask = expr::op("str_startswith", {expr::col(name), Value(std::string("a"))});  // as Series.str.startswith builds it
    }
  }
  queries[1].aggs.push_back({"size", expr::lit(Value(0)), "size", 1});
  queries[1].mask = mask;
  if (spec.types[0] != ColumnType::float64) queries[0].keys = queries[1].keys = {spec.file_names[0]};
  for (const auto& q : queries)
    if (!csv_aggregate_supports(spec, q)) std::abort();

  Outcome unfused = outcome_of([&] {
    if (spec.header) csv::check_header(text, spec, "fuzz.csv");  // as read_csv_block, before the rows
    Table t = parse_csv(text, spec, ctx);
    std::vector<Table> out;
    for (const auto& q : queries) out.push_back(aggregate_chunk(t, q.mask, q.keys, q.aggs));
    return out;
  });
  CsvSource in_memory;
  in_memory.path = "fuzz.csv";
  in_memory.text = &text;
  in_memory.context = ctx;
  Outcome fused = outcome_of([&] { return csv_aggregate(in_memory, spec, queries); });

  // From a file, in windows of 16..79 bytes.
  if (std::FILE* f = std::fopen(scratch_file().c_str(), "wb")) {
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }
  set_csv_aggregate_window(16 + ((opts >> 6) * 21));
  CsvSource from_file;
  from_file.path = scratch_file();
  Outcome windowed = outcome_of([&] { return csv_aggregate(from_file, spec, queries); });

  // Same partials, or both failed (messages name different files and, in the
  // windowed case, may word the header's error by byte).
  auto same = [](const Outcome& a, const Outcome& b) {
    if (a.error.empty() != b.error.empty()) return false;
    return !a.error.empty() || a.partials == b.partials;
  };
  auto fail = [&](const char* what, const Outcome& other) {
    std::fprintf(stderr, "csv_parse: the %s read disagrees with parse_csv\n  parse_csv: %s (%zu partials)\n  %s: %s (%zu partials)\n",
                 what, unfused.error.empty() ? "ok" : unfused.error.c_str(), unfused.partials.size(), what,
                 other.error.empty() ? "ok" : other.error.c_str(), other.partials.size());
    for (std::size_t i = 0; i < unfused.partials.size() && i < other.partials.size(); ++i)
      if (!(unfused.partials[i] == other.partials[i]))
        std::fprintf(stderr, "  query %zu:\n%s\n  against\n%s\n", i, to_string(unfused.partials[i]).c_str(),
                     to_string(other.partials[i]).c_str());
    std::abort();
  };
  if (!same(unfused, fused) || (!unfused.error.empty() && unfused.error != fused.error)) fail("fused", fused);
  if (!same(unfused, windowed)) fail("windowed", windowed);
  return 0;
}
