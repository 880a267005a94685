#include "collections/dataframe/csv_parser.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>

#include "collections/dataframe/column_builder.hpp"
#include "collections/dataframe/csv_tokenizer.hpp"
#include "collections/dataframe/text_values.hpp"
#include "runtime/util/error.hpp"

namespace tessera::dataframe {
namespace {

using csv::Field;
using csv::next_field;
using csv::skip_blank_lines;
using csv::UnterminatedQuote;

class BlockParser {
 public:
  BlockParser(std::string_view text, const CsvSpec& spec, const BlockContext& ctx)
      : text_(text), spec_(spec), ctx_(ctx), na_(spec.na_values) {
    slot_.assign(spec.file_names.size(), -1);
    for (std::size_t i = 0; i < spec.use.size(); ++i) {
      auto u = spec.use[i];
      if (u < 0 || u >= static_cast<std::int64_t>(spec.file_names.size()))
        throw ValueError("read_csv: column index " + std::to_string(u) + " is out of range");
      slot_[static_cast<std::size_t>(u)] = static_cast<int>(i);
      builders_.emplace_back(spec.file_names[static_cast<std::size_t>(u)], spec.types[i]);
    }
    // About one row per 32 bytes: a reservation, not a limit.
    for (auto& b : builders_) {
      b.reserve(text.size() / 32 + 1);
      if (b.type() == ColumnType::string) b.reserve_bytes(text.size() / (slot_.size() + 1));
    }
  }

  Table run() {
    const char* p = text_.data();
    const char* end = p + text_.size();
    skip_blank_lines(p, end);
    if (ctx_.has_header && p < end) skip_row(p, end);
    while (true) {
      skip_blank_lines(p, end);
      if (p >= end) break;
      const char* row_start = p;
      try {
        parse_row(p, end);
      } catch (const UnterminatedQuote& u) {
        if (ctx_.partial_tail) {
          truncate_to(rows_);
          break;
        }
        csv::throw_unterminated(text_, u.start, ctx_);
      }
      (void)row_start;
      ++rows_;
    }
    std::vector<Column> cols;
    for (auto& b : builders_) cols.push_back(b.finish());
    return Table(std::move(cols));
  }

 private:
  void skip_row(const char*& p, const char* end) {
    while (true) {
      try {
        if (next_field(p, end, spec_.sep, scratch_, text_.data()).end_of_row) return;
      } catch (const UnterminatedQuote& u) {
        throw ValueError("read_csv: file '" + ctx_.path + "': the header's quoted field at byte " +
                         std::to_string(u.start) + " is never closed");
      }
    }
  }

  void parse_row(const char*& p, const char* end) {
    const std::size_t ncols = slot_.size();
    std::size_t j = 0;
    const char* row_start = p;
    while (true) {
      const char* field_start = p;
      Field f = next_field(p, end, spec_.sep, scratch_, text_.data());
      if (j >= ncols) {
        std::size_t n = j + 1;
        while (!f.end_of_row) f = next_field(p, end, spec_.sep, scratch_, text_.data()), ++n;
        csv::throw_field_count(text_, static_cast<std::size_t>(row_start - text_.data()), ctx_, ncols, n);
      }
      int s = slot_[j];
      if (s >= 0) append(builders_[static_cast<std::size_t>(s)], f.value, field_start);
      ++j;
      if (f.end_of_row) break;
    }
    for (; j < ncols; ++j)  // a short row: the missing fields are null
      if (slot_[j] >= 0) builders_[static_cast<std::size_t>(slot_[j])].append_null();
  }

  void append(ColumnBuilder& b, std::string_view v, const char* at) {
    switch (b.type()) {
      case ColumnType::int64: {
        std::int64_t x;
        if (parse_int64(v, x)) return b.append_int(x);
        break;
      }
      case ColumnType::float64: {
        double x;
        if (parse_float64(v, x)) {
          if (x != x) return b.append_null();  // "nan" and "NaN": NA, as pandas
          return b.append_float(x);
        }
        break;
      }
      case ColumnType::string:
        if (na_.contains(v)) return b.append_null();
        return b.append_string(v);
      case ColumnType::boolean: {
        bool x;
        if (parse_bool(v, x)) return b.append_bool(x);
        break;
      }
      case ColumnType::timestamp: {
        std::int64_t x;
        if (parse_timestamp(v, x)) return b.append_int(x);
        break;
      }
    }
    if (na_.contains(v)) return b.append_null();
    csv::throw_bad_value(text_, static_cast<std::size_t>(at - text_.data()), ctx_, b.name(), b.type(), v);
  }

  void truncate_to(std::int64_t rows) {
    for (auto& b : builders_) {
      if (b.size() == rows) continue;
      Column c = b.finish();
      ColumnBuilder fresh(c.name, c.type);
      for (std::int64_t i = 0; i < rows; ++i) fresh.append_from(c, i);
      b = std::move(fresh);
    }
  }

  std::string_view text_;
  const CsvSpec& spec_;
  const BlockContext& ctx_;
  NaSet na_;
  std::vector<int> slot_;
  std::vector<ColumnBuilder> builders_;
  std::string scratch_;
  std::int64_t rows_ = 0;
};

bool all_values(const Column& c, bool (*ok)(std::string_view, const NaSet&), const NaSet& na) {
  for (std::int64_t i = 0; i < c.length; ++i)
    if (c.is_valid(i) && !ok(c.string_at(i), na)) return false;
  return true;
}

}  // namespace

namespace csv {
void throw_bad_value(std::string_view text, std::size_t pos, const BlockContext& ctx, const std::string& column,
                     ColumnType type, std::string_view value) {
  throw ValueError("read_csv: file '" + ctx.path + "', line " + std::to_string(line_number(text, pos, ctx)) +
                   ", column '" + column + "': cannot parse '" + std::string(value.substr(0, 80)) + "' as " +
                   std::string(column_type_name(type)) +
                   " (the type read_csv inferred from the first rows, or the one given in dtype); "
                   "pass dtype={'" + column + "': ...} for this column");
}

void throw_field_count(std::string_view text, std::size_t row_pos, const BlockContext& ctx, std::size_t expected,
                       std::size_t saw) {
  throw ValueError("read_csv: file '" + ctx.path + "', line " + std::to_string(line_number(text, row_pos, ctx)) +
                   ": expected " + std::to_string(expected) + " fields, saw " + std::to_string(saw));
}

void throw_unterminated(std::string_view text, std::size_t pos, const BlockContext& ctx) {
  throw ValueError("read_csv: file '" + ctx.path + "', line " + std::to_string(line_number(text, pos, ctx)) +
                   ": a quoted field is never closed (missing '\"')");
}

void check_header(std::string_view text, const CsvSpec& spec, const std::string& path) {
  if (!spec.header) return;
  auto names = parse_header(text, spec.sep);
  if (names.size() != spec.file_names.size())
    throw ValueError("read_csv: file '" + path + "' has " + std::to_string(names.size()) +
                     " columns in its header, the first file has " + std::to_string(spec.file_names.size()));
}
}  // namespace csv

Table parse_csv(std::string_view text, const CsvSpec& spec, const BlockContext& ctx) {
  return BlockParser(text, spec, ctx).run();
}

std::vector<std::string> parse_header(std::string_view text, char sep) {
  const char* p = text.data();
  const char* end = p + text.size();
  skip_blank_lines(p, end);
  std::vector<std::string> names;
  std::string scratch;
  while (p < end) {
    Field f;
    try {
      f = next_field(p, end, sep, scratch, text.data());
    } catch (const UnterminatedQuote&) {
      throw ValueError("read_csv: the header line has a quoted field that is never closed");
    }
    std::string name(f.value);
    // Duplicates become "x.1", "x.2", ... as pandas' mangle_dupe_cols.
    std::string unique = name;
    for (int k = 1; std::find(names.begin(), names.end(), unique) != names.end(); ++k)
      unique = name + "." + std::to_string(k);
    names.push_back(unique);
    if (f.end_of_row) break;
  }
  return names;
}

std::vector<ColumnType> infer_types(const Table& sample) {
  static const NaSet na(default_na_values());
  std::vector<ColumnType> out;
  for (const auto& c : sample.columns()) {
    bool any_null = c.validity != nullptr;
    bool any_value = false;
    for (std::int64_t i = 0; i < c.length && !any_value; ++i) any_value = c.is_valid(i);
    auto is_int = +[](std::string_view s, const NaSet&) { std::int64_t x; return parse_int64(s, x); };
    auto is_float = +[](std::string_view s, const NaSet&) { double x; return parse_float64(s, x); };
    auto is_bool = +[](std::string_view s, const NaSet&) { bool x; return parse_bool(s, x); };
    if (!any_value) out.push_back(ColumnType::float64);  // all null: float64 (NaN), as pandas
    else if (all_values(c, is_int, na)) out.push_back(any_null ? ColumnType::float64 : ColumnType::int64);
    else if (all_values(c, is_float, na)) out.push_back(ColumnType::float64);
    else if (!any_null && all_values(c, is_bool, na)) out.push_back(ColumnType::boolean);
    else out.push_back(ColumnType::string);
  }
  return out;
}

std::int64_t line_number(std::string_view text, std::size_t pos, const BlockContext& ctx) {
  std::int64_t lines = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(std::min(pos, text.size())), '\n');
  if (ctx.offset > 0) {  // count the newlines before this block (only on the error path)
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(ctx.path.c_str(), "rb"), std::fclose);
    if (!f) return lines;
    char buf[1 << 16];
    std::int64_t left = ctx.offset;
    while (left > 0) {
      auto n = std::fread(buf, 1, static_cast<std::size_t>(std::min<std::int64_t>(left, sizeof buf)), f.get());
      if (n == 0) break;
      lines += std::count(buf, buf + n, '\n');
      left -= static_cast<std::int64_t>(n);
    }
  }
  return lines;
}

}  // namespace tessera::dataframe
