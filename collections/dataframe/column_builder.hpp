#pragma once
// ColumnBuilder: appends typed values and nulls, then makes an immutable
// Column (buffers copied once). The CSV parser, the kernels and the group-by
// aggregations all build columns through it. Not thread-safe; one per column.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/value/table.hpp"

namespace tessera::dataframe {

class ColumnBuilder {
 public:
  ColumnBuilder(std::string name, ColumnType type) : name_(std::move(name)), type_(type) {
    if (type_ == ColumnType::string) offsets_.push_back(0);
  }
  ColumnType type() const noexcept { return type_; }
  const std::string& name() const noexcept { return name_; }
  std::int64_t size() const noexcept { return length_; }
  void reserve(std::size_t rows);
  /// String bytes to reserve (string columns only).
  void reserve_bytes(std::size_t bytes) { chars_.reserve(bytes); }

  // The append matching the builder's type; int64 also serves timestamp.
  void append_int(std::int64_t v) { words_.push_back(v), ++length_; }
  void append_float(double v) { floats_.push_back(v), ++length_; }
  void append_bool(bool v) { bytes_.push_back(v ? 1 : 0), ++length_; }
  void append_string(std::string_view s) {
    chars_.append(s);
    offsets_.push_back(static_cast<std::int64_t>(chars_.size()));
    ++length_;
  }
  /// A null of the builder's type (the slot holds 0 / 0.0 / false / "").
  void append_null();
  /// Row `i` of `c` (same type), null kept.
  void append_from(const Column& c, std::int64_t i);

  Column finish();

 private:
  void mark_null(std::int64_t row);

  std::string name_;
  ColumnType type_;
  std::int64_t length_ = 0;
  std::vector<std::int64_t> words_;  // int64, timestamp
  std::vector<double> floats_;
  std::vector<std::uint8_t> bytes_;  // bool
  std::string chars_;                // string bytes
  std::vector<std::int64_t> offsets_;
  std::vector<std::uint8_t> validity_;  // empty until the first null
};

/// A column of `length` nulls.
Column null_column(std::string name, ColumnType type, std::int64_t length);

}  // namespace tessera::dataframe
