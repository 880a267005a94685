#include "collections/dataframe/table_printer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <vector>

#include "collections/dataframe/text_values.hpp"

namespace tessera {
namespace {

using I64 = std::int64_t;

// The rows shown: all, or the head and tail with -1 marking the "..." row.
std::vector<I64> shown_rows(I64 n, const PrintOptions& o) {
  std::vector<I64> rows;
  if (n <= o.max_rows) {
    for (I64 i = 0; i < n; ++i) rows.push_back(i);
    return rows;
  }
  I64 half = std::max<I64>(1, o.min_rows / 2);
  for (I64 i = 0; i < half; ++i) rows.push_back(i);
  rows.push_back(-1);
  for (I64 i = n - half; i < n; ++i) rows.push_back(i);
  return rows;
}

void trim_zeros_alike(std::vector<std::string>& cells) {
  // Drop trailing zeros that every fixed-point cell has (keeping one decimal).
  while (true) {
    bool all = false;
    for (const auto& c : cells) {
      if (c == "NaN") continue;
      all = true;
      auto dot = c.find('.');
      if (dot == std::string::npos || c.size() - dot <= 2 || c.back() != '0') { all = false; break; }
    }
    if (!all) break;  // no number left to trim, or one that must keep its digits
    for (auto& c : cells)
      if (c != "NaN") c.pop_back();
  }
}

std::vector<std::string> format_floats(const Column& c, const std::vector<I64>& rows) {
  std::vector<std::string> out;
  bool small = false, large = false;
  for (auto r : rows) {
    if (r < 0 || !c.is_valid(r)) continue;
    double a = std::fabs(c.data->as<double>()[r]);
    if (a > 0 && a < 1e-6) small = true;
    if (a >= 1e16) large = true;
  }
  char buf[64];
  for (auto r : rows) {
    if (r < 0) continue;
    if (!c.is_valid(r)) { out.emplace_back("NaN"); continue; }
    double v = c.data->as<double>()[r];
    if (std::isnan(v)) out.emplace_back("NaN");
    else if (std::isinf(v)) out.emplace_back(v > 0 ? "inf" : "-inf");
    else std::snprintf(buf, sizeof buf, small || large ? "%.6e" : "%.6f", v), out.emplace_back(buf);
  }
  if (!small && !large) trim_zeros_alike(out);
  return out;
}

std::string cell(const Column& c, I64 r, std::size_t max_width) {
  if (!c.is_valid(r)) return c.type == ColumnType::timestamp ? "NaT" : "NaN";
  switch (c.type) {
    case ColumnType::int64: return std::to_string(c.data->as<I64>()[r]);
    case ColumnType::boolean: return c.data->as<std::uint8_t>()[r] ? "True" : "False";
    case ColumnType::timestamp: return dataframe::format_timestamp(c.data->as<I64>()[r]);
    case ColumnType::string: {
      std::string s(c.string_at(r));
      if (s.size() > max_width) s = s.substr(0, max_width - 3) + "...";
      return s;
    }
    case ColumnType::float64: break;
  }
  return {};
}

// Display width of UTF-8 text: one per code point.
std::size_t width(const std::string& s) {
  std::size_t w = 0;
  for (unsigned char ch : s) w += (ch & 0xC0) != 0x80;
  return w;
}
std::string pad_left(const std::string& s, std::size_t w) {
  auto n = width(s);
  return n >= w ? s : std::string(w - n, ' ') + s;
}
std::string pad_right(const std::string& s, std::size_t w) {
  auto n = width(s);
  return n >= w ? s : s + std::string(w - n, ' ');
}

// The cells of one column; `lead`: each gets pandas' leading space (a
// minus sign takes its place), as in value columns but not row labels.
std::vector<std::string> column_cells(const Column& c, const std::vector<I64>& rows, const PrintOptions& o, bool lead) {
  std::vector<std::string> cells;
  std::vector<std::string> floats;
  if (c.type == ColumnType::float64) floats = format_floats(c, rows);
  std::size_t k = 0;
  for (auto r : rows) {
    if (r < 0) { cells.emplace_back("..."); continue; }
    std::string s = c.type == ColumnType::float64 ? floats[k++] : cell(c, r, o.max_colwidth);
    bool negative = (c.type == ColumnType::float64 || c.type == ColumnType::int64) && !s.empty() && s[0] == '-';
    cells.push_back(lead && !negative ? " " + s : s);
  }
  return cells;
}

}  // namespace

std::string to_string(const Table& t, const PrintOptions& o) {
  const I64 n = t.num_rows();
  if (t.num_columns() == 0) return "Empty DataFrame\nColumns: []\nIndex: []";
  auto rows = shown_rows(n, o);
  const Column* index = t.index() ? &t.column(*t.index()) : nullptr;
  std::vector<const Column*> cols;
  for (const auto& c : t.columns())
    if (!index || c.name != index->name) cols.push_back(&c);
  if (n == 0) {
    std::string names;
    for (const auto* c : cols) names += (names.empty() ? "" : ", ") + c->name;
    return "Empty DataFrame\nColumns: [" + names + "]\nIndex: []";
  }
  std::vector<std::string> labels;
  if (index) labels = column_cells(*index, rows, o, false);
  else
    for (auto r : rows) labels.push_back(r < 0 ? "..." : std::to_string(r));
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (rows[i] < 0) labels[i] = "..";  // pandas' label of the elided rows
  std::size_t label_w = 0;
  for (const auto& l : labels) label_w = std::max(label_w, width(l));
  if (index) label_w = std::max(label_w, width(index->name));

  std::vector<std::vector<std::string>> cells;
  std::vector<std::size_t> widths;
  for (const auto* c : cols) {
    cells.push_back(column_cells(*c, rows, o, true));
    std::size_t w = width(c->name) + 1;  // headers count pandas' leading space too
    for (const auto& s : cells.back()) w = std::max(w, width(s));
    widths.push_back(w);
  }
  std::string out = std::string(label_w, ' ');
  for (std::size_t j = 0; j < cols.size(); ++j) out += " " + pad_left(cols[j]->name, widths[j]);
  if (index) {
    out += "\n" + pad_right(index->name, label_w);
    for (std::size_t j = 0; j < cols.size(); ++j) out += " " + std::string(widths[j], ' ');
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    out += "\n" + pad_right(labels[i], label_w);
    for (std::size_t j = 0; j < cols.size(); ++j) out += " " + pad_left(cells[j][i], widths[j]);
  }
  if (n > o.max_rows)
    out += "\n\n[" + std::to_string(n) + " rows x " + std::to_string(cols.size()) + " columns]";
  return out;
}

std::string dtypes_string(const Table& t) {
  std::size_t w = 0;
  for (const auto& c : t.columns()) w = std::max(w, width(c.name));
  std::size_t tw = 0;
  for (const auto& c : t.columns()) tw = std::max(tw, column_type_name(c.type).size());
  std::string out;
  for (const auto& c : t.columns())
    out += pad_right(c.name, w) + "    " + pad_left(std::string(column_type_name(c.type)), tw) + "\n";
  return out + "dtype: object";
}

std::ostream& operator<<(std::ostream& os, const Table& t) { return os << to_string(t); }

}  // namespace tessera
