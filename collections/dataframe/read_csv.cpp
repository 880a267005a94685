#include "collections/dataframe/read_csv.hpp"

#include <glob.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "collections/core/text_file.hpp"
#include "collections/dataframe/csv_aggregate.hpp"
#include "collections/dataframe/csv_parser.hpp"
#include "collections/dataframe/kernels.hpp"
#include "runtime/graph/tokenize.hpp"
#include "runtime/util/error.hpp"

namespace tessera::dataframe {
namespace {

namespace fs = std::filesystem;
std::string read_range(std::FILE* f, const std::string& path, std::int64_t begin, std::int64_t end) {
  std::string text;
  if (end <= begin) return text;
  text.resize(static_cast<std::size_t>(end - begin));
  if (fseeko(f, begin, SEEK_SET) != 0 || std::fread(text.data(), 1, text.size(), f) != text.size())
    throw ValueError("read_csv: short read from '" + path + "' at byte " + std::to_string(begin));
  return text;
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<std::string> expand(const std::string& pattern) {
  if (pattern.find_first_of("*?[") == std::string::npos) {
    std::error_code ec;
    if (!fs::is_regular_file(pattern, ec)) throw ValueError("read_csv: file not found: '" + pattern + "'");
    return {pattern};
  }
  glob_t g{};
  int rc = ::glob(pattern.c_str(), 0, nullptr, &g);
  std::vector<std::string> out;
  if (rc == 0)
    for (std::size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
  globfree(&g);
  if (out.empty()) throw ValueError("read_csv: no files match '" + pattern + "'");
  return out;  // glob(3) sorts
}

// (path, start, end, spec): the rows of the lines starting in [start, end); end -1 = to the end.
Value read_csv_block(std::span<const Value> a) {
  const std::string& path = a[0].as_string();
  CsvSpec spec = CsvSpec::from_value(a[3]);
  auto f = open_text_file(path, "read_csv");
  std::int64_t size = text_file_size(f.get(), path, "read_csv");
  std::int64_t begin = line_start_at(f.get(), path, a[1].as_int(), size, "read_csv");
  std::int64_t end = a[2].as_int() < 0 ? size : line_start_at(f.get(), path, a[2].as_int(), size, "read_csv");
  std::string text = read_range(f.get(), path, begin, end);
  BlockContext ctx{path, begin, spec.header && begin == 0, false};
  if (ctx.has_header) csv::check_header(text, spec, path);
  return Value(parse_csv(text, spec, ctx));
}

// (path, spec): every row of a gzip file.
Value read_csv_gzip(std::span<const Value> a) {
  const std::string& path = a[0].as_string();
  CsvSpec spec = CsvSpec::from_value(a[1]);
  std::string text = read_gzip_text(path, -1, "read_csv");
  BlockContext ctx{path + " (decompressed)", 0, spec.header, false};
  if (ctx.has_header) csv::check_header(text, spec, path);
  return Value(parse_csv(text, spec, ctx));
}

// (source, spec, [[mask, keys, aggs], ...]) -> [[partial, keys, aggs], ...]: the
// fused read + group-by chunks of one block (fuse_csv.hpp); source is
// [path, start, end] for a block, [path] for a gzip file.
Value read_csv_agg(std::span<const Value> a) {
  if (a.size() != 3) throw TypeError("dataframe.read_csv_agg: expected 3 arguments");
  const auto& src = a[0].as_list();
  CsvSpec spec = CsvSpec::from_value(a[1]);
  std::vector<AggQuery> queries;
  for (const auto& q : a[2].as_list()) {
    const auto& l = q.as_list();
    AggQuery query{l.at(0), {}, aggs_from_value(l.at(2))};
    for (const auto& k : l.at(1).as_list()) query.keys.push_back(k.as_string());
    queries.push_back(std::move(query));
  }
  CsvSource source;
  source.path = src.at(0).as_string();
  std::string text;
  if (src.size() == 1) {  // gzip: the whole decompressed file
    text = read_gzip_text(source.path, -1, "read_csv");
    source.text = &text;
    source.context = BlockContext{source.path + " (decompressed)", 0, spec.header, false};
  } else {
    source.begin = src.at(1).as_int();
    source.end = src.at(2).as_int();
  }
  std::vector<Table> partials = csv_aggregate(source, spec, queries);
  ValueList out;
  const auto& qs = a[2].as_list();
  for (std::size_t i = 0; i < partials.size(); ++i) {
    const auto& l = qs[i].as_list();
    out.push_back(Value(ValueList{Value(std::move(partials[i])), l.at(1), l.at(2)}));
  }
  return Value(std::move(out));
}

// (list, i) -> its i-th element.
Value pick(std::span<const Value> a) {
  if (a.size() != 2) throw TypeError("dataframe.pick: expected 2 arguments");
  return a[0].as_list().at(static_cast<std::size_t>(a[1].as_int()));
}

std::string sample_of(const std::string& path, std::int64_t bytes, bool& whole) {
  if (ends_with(path, ".gz")) {
    std::string s = read_gzip_text(path, bytes, "read_csv");
    whole = static_cast<std::int64_t>(s.size()) < bytes;
    return s;
  }
  auto f = open_text_file(path, "read_csv");
  std::int64_t size = text_file_size(f.get(), path, "read_csv");
  whole = size <= bytes;
  return read_range(f.get(), path, 0, std::min(size, bytes));
}

// Decides the file's columns, the kept ones and their types.
CsvSpec plan(const std::string& first_file, const ReadCsvOptions& o) {
  if (o.sample <= 0) throw ValueError("read_csv: sample must be positive");
  bool whole = false;
  std::string sample = sample_of(first_file, o.sample, whole);
  if (!whole) {  // the last line of a cut sample is partial: drop it
    auto last = sample.rfind('\n');
    if (last != std::string::npos) sample.resize(last + 1);
  }
  CsvSpec spec;
  spec.sep = o.sep;
  spec.header = o.header;
  std::vector<std::string> first_line = parse_header(sample, o.sep);
  if (!o.names.empty()) {
    if (!first_line.empty() && first_line.size() != o.names.size())
      throw ValueError("read_csv: " + std::to_string(o.names.size()) + " names given, the file '" + first_file +
                       "' has " + std::to_string(first_line.size()) + " columns");
    spec.file_names = o.names;
  } else if (o.header) {
    if (first_line.empty()) throw ValueError("read_csv: '" + first_file + "' is empty: no header to read");
    spec.file_names = first_line;
  } else {
    for (std::size_t i = 0; i < first_line.size(); ++i) spec.file_names.push_back(std::to_string(i));
  }
  if (o.keep_default_na) spec.na_values = default_na_values();
  for (const auto& v : o.na_values) spec.na_values.push_back(v);

  // Infer every column from the sample read as strings.
  CsvSpec as_text = spec;
  for (std::size_t i = 0; i < spec.file_names.size(); ++i) {
    as_text.use.push_back(static_cast<std::int64_t>(i));
    as_text.types.push_back(ColumnType::string);
  }
  BlockContext ctx{first_file, 0, o.header, !whole};
  std::vector<ColumnType> inferred = infer_types(parse_csv(sample, as_text, ctx));

  auto index_of = [&](const std::string& name, const char* what) -> std::size_t {
    for (std::size_t i = 0; i < spec.file_names.size(); ++i)
      if (spec.file_names[i] == name) return i;
    std::string cols;
    for (const auto& n : spec.file_names) cols += (cols.empty() ? "" : ", ") + n;
    throw KeyError(std::string("read_csv: ") + what + " names column '" + name + "', which the file does not have (columns: " +
                   cols + ")");
  };
  for (const auto& [name, type] : o.dtype) inferred[index_of(name, "dtype")] = parse_column_type(type);
  for (const auto& name : o.parse_dates) inferred[index_of(name, "parse_dates")] = ColumnType::timestamp;
  std::vector<bool> keep(spec.file_names.size(), o.usecols.empty());
  for (const auto& name : o.usecols) keep[index_of(name, "usecols")] = true;
  for (std::size_t i = 0; i < spec.file_names.size(); ++i)
    if (keep[i]) spec.use.push_back(static_cast<std::int64_t>(i)), spec.types.push_back(inferred[i]);
  return spec;
}

}  // namespace

DataFrame read_csv(const std::string& pattern, const ReadCsvOptions& options) {
  return read_csv(std::vector<std::string>{pattern}, options);
}

DataFrame read_csv(const std::vector<std::string>& paths, const ReadCsvOptions& options) {
  if (options.blocksize < 0) throw ValueError("read_csv: blocksize must not be negative");
  if (options.sep == '"' || options.sep == '\n' || options.sep == '\r')
    throw ValueError("read_csv: the separator cannot be a quote or a line end");
  std::vector<std::string> files;
  for (const auto& p : paths)
    for (auto& f : expand(p)) files.push_back(std::move(f));
  if (files.empty()) throw ValueError("read_csv: no files given");
  CsvSpec spec = plan(files[0], options);
  Value spec_value = spec.to_value();
  auto block = df_function("dataframe.read_csv_block");
  auto gzip = df_function("dataframe.read_csv_gzip");

  Tokenizer t;
  t.add("read_csv").add(options.blocksize).add(spec_value);
  std::vector<std::pair<FunctionPtr, ArgList>> parts;
  for (const auto& f : files) {
    std::error_code ec;
    auto size = static_cast<std::int64_t>(fs::file_size(f, ec));
    if (ec) throw ValueError("read_csv: cannot read the size of '" + f + "': " + ec.message());
    auto mtime = fs::last_write_time(f, ec).time_since_epoch().count();
    t.add(f).add(size).add(static_cast<std::int64_t>(mtime));
    if (ends_with(f, ".gz")) {
      parts.push_back({gzip, {Arg(Value(f)), Arg(spec_value)}});
    } else if (options.blocksize == 0 || size <= options.blocksize) {
      parts.push_back({block, {Arg(Value(f)), Arg(Value(0)), Arg(Value(-1)), Arg(spec_value)}});
    } else {
      for (std::int64_t o = 0; o < size; o += options.blocksize) {
        std::int64_t end = o + options.blocksize >= size ? -1 : o + options.blocksize;
        parts.push_back({block, {Arg(Value(f)), Arg(Value(o)), Arg(Value(end)), Arg(spec_value)}});
      }
    }
  }
  std::string name = "read_csv-" + t.hex();
  std::vector<TaskSpec> tasks;
  for (std::size_t i = 0; i < parts.size(); ++i)
    tasks.push_back(TaskSpec{Key(name, {static_cast<std::int64_t>(i)}), parts[i].first, std::move(parts[i].second)});
  Schema schema;
  for (std::size_t i = 0; i < spec.use.size(); ++i)
    schema.push_back({spec.file_names[static_cast<std::size_t>(spec.use[i])], spec.types[i]});
  auto n = static_cast<std::int64_t>(tasks.size());
  return DataFrame(name, make_layer(name, std::move(tasks)), n, std::move(schema));
}

std::vector<KernelEntry> read_csv_kernels() {
  return {
      {"dataframe.read_csv_block", read_csv_block, "(path, start, end, spec) -> the rows of the lines starting in [start, end)"},
      {"dataframe.read_csv_gzip", read_csv_gzip, "(path, spec) -> every row of a gzip CSV file"},
      {"dataframe.read_csv_agg", read_csv_agg,
       "(source, spec, [[mask, keys, aggs], ...]) -> the group-by partials of one CSV block, read once"},
      {"dataframe.pick", pick, "(list, i) -> its i-th element"},
  };
}

}  // namespace tessera::dataframe
