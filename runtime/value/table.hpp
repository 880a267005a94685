#pragma once
// Table: named, typed columns of equal length (a pandas DataFrame partition).
// Strings are offsets + one byte buffer (never a std::string per cell);
// nulls are a validity bitmap (bit set = valid), absent when there are none.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/value/buffer.hpp"
#include "runtime/value/dtype.hpp"

namespace tessera {

struct Column {
  std::string name;
  ColumnType type = ColumnType::int64;
  std::int64_t length = 0;
  BufferPtr data;      // int64/float64/timestamp: 8 bytes each; bool: 1 byte; string: bytes
  BufferPtr offsets;   // string only: length + 1 int64 offsets into data
  BufferPtr validity;  // optional bitmap, ceil(length / 8) bytes

  bool is_valid(std::int64_t i) const noexcept {
    if (!validity) return true;
    return (static_cast<std::uint8_t>(validity->data()[i >> 3]) >> (i & 7)) & 1;
  }
  std::string_view string_at(std::int64_t i) const noexcept;
  std::size_t nbytes() const noexcept;

  static Column from_int64(std::string name, const std::vector<std::int64_t>& v);
  static Column from_float64(std::string name, const std::vector<double>& v);
  static Column from_bool(std::string name, const std::vector<bool>& v);
  static Column from_strings(std::string name, const std::vector<std::string>& v);
  static Column from_timestamps(std::string name, const std::vector<std::int64_t>& ns);
};

class Table {
 public:
  Table() = default;
  /// Throws ValueError when lengths differ or a name repeats.
  explicit Table(std::vector<Column> columns, std::optional<std::string> index = std::nullopt);

  std::int64_t num_rows() const noexcept { return columns_.empty() ? 0 : columns_[0].length; }
  std::size_t num_columns() const noexcept { return columns_.size(); }
  const std::vector<Column>& columns() const noexcept { return columns_; }
  /// The column called `name`; throws KeyError listing the columns otherwise.
  const Column& column(std::string_view name) const;
  /// The name of the index column, when one is set.
  const std::optional<std::string>& index() const noexcept { return index_; }
  std::size_t nbytes() const noexcept;

  friend bool operator==(const Table& a, const Table& b);

 private:
  std::vector<Column> columns_;
  std::optional<std::string> index_;
};

}  // namespace tessera
