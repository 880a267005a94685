#include "collections/dataframe/table_ops.hpp"

#include <cstring>

#include "collections/dataframe/column_builder.hpp"
#include "runtime/util/error.hpp"

namespace tessera::dataframe {
namespace {

// Copies fixed-width values at `rows` (-1 = null slot).
template <class T>
BufferPtr take_fixed(const Column& c, std::span<const std::int64_t> rows) {
  auto out = make_buffer(rows.size() * sizeof(T));
  auto dst = out->mutable_as<T>();
  auto src = c.data->as<T>();
  for (std::size_t i = 0; i < rows.size(); ++i) dst[i] = rows[i] < 0 ? T{} : src[rows[i]];
  return out;
}

BufferPtr take_validity(const Column& c, std::span<const std::int64_t> rows) {
  bool any_null = false;
  for (auto r : rows)
    if (r < 0 || !c.is_valid(r)) { any_null = true; break; }
  if (!any_null) return nullptr;
  auto out = make_buffer((rows.size() + 7) / 8);
  std::memset(out->mutable_data(), 0, out->size());
  auto* bits = reinterpret_cast<std::uint8_t*>(out->mutable_data());
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (rows[i] >= 0 && c.is_valid(rows[i])) bits[i >> 3] |= static_cast<std::uint8_t>(1u << (i & 7));
  return out;
}

}  // namespace

Column take(const Column& c, std::span<const std::int64_t> rows) {
  Column out;
  out.name = c.name;
  out.type = c.type;
  out.length = static_cast<std::int64_t>(rows.size());
  switch (c.type) {
    case ColumnType::int64:
    case ColumnType::timestamp: out.data = take_fixed<std::int64_t>(c, rows); break;
    case ColumnType::float64: out.data = take_fixed<double>(c, rows); break;
    case ColumnType::boolean: out.data = take_fixed<std::uint8_t>(c, rows); break;
    case ColumnType::string: {
      auto src = c.offsets->as<std::int64_t>();
      std::size_t bytes = 0;
      for (auto r : rows)
        if (r >= 0) bytes += static_cast<std::size_t>(src[r + 1] - src[r]);
      auto data = make_buffer(bytes);
      auto offsets = make_buffer((rows.size() + 1) * sizeof(std::int64_t));
      auto off = offsets->mutable_as<std::int64_t>();
      auto* base = reinterpret_cast<const char*>(c.data->data());
      auto* dst = reinterpret_cast<char*>(data->mutable_data());
      std::int64_t at = 0;
      off[0] = 0;
      for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows[i] >= 0) {
          auto n = src[rows[i] + 1] - src[rows[i]];
          if (n > 0) std::memcpy(dst + at, base + src[rows[i]], static_cast<std::size_t>(n));
          at += n;
        }
        off[i + 1] = at;
      }
      out.data = std::move(data);
      out.offsets = std::move(offsets);
      break;
    }
  }
  out.validity = take_validity(c, rows);
  return out;
}

Column filter(const Column& c, const Column& mask) {
  std::vector<std::int64_t> rows;
  auto m = mask.data->as<std::uint8_t>();
  for (std::int64_t i = 0; i < mask.length; ++i)
    if (m[i] && mask.is_valid(i)) rows.push_back(i);
  return take(c, rows);
}

Column slice(const Column& c, std::int64_t begin, std::int64_t end) {
  begin = std::max<std::int64_t>(0, std::min(begin, c.length));
  end = std::max(begin, std::min(end, c.length));
  std::vector<std::int64_t> rows(static_cast<std::size_t>(end - begin));
  for (std::int64_t i = begin; i < end; ++i) rows[static_cast<std::size_t>(i - begin)] = i;
  return take(c, rows);
}

Column concat(const std::vector<const Column*>& parts, const std::string& name) {
  if (parts.empty()) throw ValueError("concat: no columns to concatenate");
  ColumnType type = parts[0]->type;
  std::int64_t total = 0;
  for (const auto* p : parts) {
    if (p->type != type)
      throw TypeError("concat: column '" + name + "' is " + std::string(column_type_name(type)) +
                      " in one partition and " + std::string(column_type_name(p->type)) + " in another");
    total += p->length;
  }
  ColumnBuilder b(name, type);
  b.reserve(static_cast<std::size_t>(total));
  for (const auto* p : parts)
    for (std::int64_t i = 0; i < p->length; ++i) b.append_from(*p, i);
  return b.finish();
}

Table take(const Table& t, std::span<const std::int64_t> rows) {
  std::vector<Column> cols;
  for (const auto& c : t.columns()) cols.push_back(take(c, rows));
  return Table(std::move(cols), t.index());
}

Table filter(const Table& t, const Column& mask) {
  if (mask.type != ColumnType::boolean)
    throw TypeError("filter: the mask must be a bool column, got " + std::string(column_type_name(mask.type)));
  if (mask.length != t.num_rows())
    throw ValueError("filter: the mask has " + std::to_string(mask.length) + " rows, the frame " +
                     std::to_string(t.num_rows()));
  std::vector<std::int64_t> rows;
  rows.reserve(static_cast<std::size_t>(mask.length));
  auto m = mask.data->as<std::uint8_t>();
  for (std::int64_t i = 0; i < mask.length; ++i)
    if (m[i] && mask.is_valid(i)) rows.push_back(i);
  return take(t, rows);
}

Table slice(const Table& t, std::int64_t begin, std::int64_t end) {
  std::vector<Column> cols;
  for (const auto& c : t.columns()) cols.push_back(slice(c, begin, end));
  return Table(std::move(cols), t.index());
}

Table concat(const std::vector<Table>& parts) {
  if (parts.empty()) throw ValueError("concat: no tables to concatenate");
  if (parts.size() == 1) return parts[0];
  const Table& first = parts[0];
  std::vector<Column> cols;
  for (std::size_t j = 0; j < first.num_columns(); ++j) {
    const std::string& name = first.columns()[j].name;
    std::vector<const Column*> pieces;
    for (const auto& p : parts) {
      if (p.num_columns() != first.num_columns() || p.columns()[j].name != name)
        throw ValueError("concat: partitions have different columns ('" + name + "' expected at position " +
                         std::to_string(j) + ")");
      pieces.push_back(&p.columns()[j]);
    }
    cols.push_back(concat(pieces, name));
  }
  return Table(std::move(cols), first.index());
}

Table select(const Table& t, const std::vector<std::string>& names) {
  std::vector<Column> cols;
  for (const auto& n : names) cols.push_back(t.column(n));
  std::optional<std::string> index;
  for (const auto& n : names)
    if (t.index() && *t.index() == n) index = n;
  return Table(std::move(cols), index);
}

Column renamed(Column c, std::string name) {
  c.name = std::move(name);
  return c;
}

Table with_column(const Table& t, Column c) {
  if (t.num_columns() > 0 && c.length != t.num_rows())
    throw ValueError("assign: column '" + c.name + "' has " + std::to_string(c.length) + " rows, the frame " +
                     std::to_string(t.num_rows()));
  std::vector<Column> cols = t.columns();
  bool replaced = false;
  for (auto& x : cols)
    if (x.name == c.name) x = c, replaced = true;
  if (!replaced) cols.push_back(std::move(c));
  return Table(std::move(cols), t.index());
}

Table empty_like(const Table& t) { return slice(t, 0, 0); }

}  // namespace tessera::dataframe
