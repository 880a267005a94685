#include "runtime/value/table.hpp"

#include <cstring>

#include "runtime/util/error.hpp"

namespace tessera {
namespace {

template <class T>
BufferPtr copy_buffer(const std::vector<T>& v) {
  return std::make_shared<Buffer>(v.data(), v.size() * sizeof(T));
}

bool same_buffer(const BufferPtr& a, const BufferPtr& b) {
  if (a == b) return true;
  if (!a || !b) return false;
  return a->size() == b->size() && std::memcmp(a->data(), b->data(), a->size()) == 0;
}

}  // namespace

std::string_view Column::string_at(std::int64_t i) const noexcept {
  auto off = offsets->as<std::int64_t>();
  auto* base = reinterpret_cast<const char*>(data->data());
  return {base + off[i], static_cast<std::size_t>(off[i + 1] - off[i])};
}

std::size_t Column::nbytes() const noexcept {
  std::size_t n = 0;
  for (const auto* b : {&data, &offsets, &validity})
    if (*b) n += (*b)->size();
  return n;
}

Column Column::from_int64(std::string name, const std::vector<std::int64_t>& v) {
  return {std::move(name), ColumnType::int64, static_cast<std::int64_t>(v.size()), copy_buffer(v), {}, {}};
}

Column Column::from_float64(std::string name, const std::vector<double>& v) {
  return {std::move(name), ColumnType::float64, static_cast<std::int64_t>(v.size()), copy_buffer(v), {}, {}};
}

Column Column::from_bool(std::string name, const std::vector<bool>& v) {
  std::vector<std::uint8_t> bytes(v.begin(), v.end());
  return {std::move(name), ColumnType::boolean, static_cast<std::int64_t>(v.size()), copy_buffer(bytes), {}, {}};
}

Column Column::from_strings(std::string name, const std::vector<std::string>& v) {
  std::vector<std::int64_t> offsets{0};
  std::string bytes;
  for (const auto& s : v) {
    bytes += s;
    offsets.push_back(static_cast<std::int64_t>(bytes.size()));
  }
  return {std::move(name), ColumnType::string, static_cast<std::int64_t>(v.size()),
          std::make_shared<Buffer>(bytes.data(), bytes.size()), copy_buffer(offsets), {}};
}

Column Column::from_timestamps(std::string name, const std::vector<std::int64_t>& ns) {
  auto c = from_int64(std::move(name), ns);
  c.type = ColumnType::timestamp;
  return c;
}

Table::Table(std::vector<Column> columns, std::optional<std::string> index)
    : columns_(std::move(columns)), index_(std::move(index)) {
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].length != columns_[0].length)
      throw ValueError("Table: column '" + columns_[i].name + "' has " +
                       std::to_string(columns_[i].length) + " rows, column '" + columns_[0].name +
                       "' has " + std::to_string(columns_[0].length));
    for (std::size_t j = 0; j < i; ++j)
      if (columns_[j].name == columns_[i].name)
        throw ValueError("Table: duplicate column name '" + columns_[i].name + "'");
  }
  if (index_) (void)column(*index_);
}

const Column& Table::column(std::string_view name) const {
  for (const auto& c : columns_)
    if (c.name == name) return c;
  std::string names;
  for (const auto& c : columns_) names += (names.empty() ? "" : ", ") + c.name;
  throw KeyError("no column '" + std::string(name) + "' (columns: " + names + ")");
}

std::size_t Table::nbytes() const noexcept {
  std::size_t n = 0;
  for (const auto& c : columns_) n += c.nbytes();
  return n;
}

bool operator==(const Table& a, const Table& b) {
  if (a.index_ != b.index_ || a.columns_.size() != b.columns_.size()) return false;
  for (std::size_t i = 0; i < a.columns_.size(); ++i) {
    const auto& x = a.columns_[i];
    const auto& y = b.columns_[i];
    if (x.name != y.name || x.type != y.type || x.length != y.length ||
        !same_buffer(x.data, y.data) || !same_buffer(x.offsets, y.offsets) ||
        !same_buffer(x.validity, y.validity))
      return false;
  }
  return true;
}

}  // namespace tessera
