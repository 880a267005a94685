#include "collections/dataframe/column_builder.hpp"

namespace tessera::dataframe {
namespace {

template <class T>
BufferPtr to_buffer(const std::vector<T>& v) {
  return std::make_shared<Buffer>(v.data(), v.size() * sizeof(T));
}

}  // namespace

void ColumnBuilder::reserve(std::size_t rows) {
  switch (type_) {
    case ColumnType::int64:
    case ColumnType::timestamp: words_.reserve(rows); break;
    case ColumnType::float64: floats_.reserve(rows); break;
    case ColumnType::boolean: bytes_.reserve(rows); break;
    case ColumnType::string: offsets_.reserve(rows + 1); break;
  }
}

void ColumnBuilder::mark_null(std::int64_t row) {
  if (validity_.empty()) validity_.assign(static_cast<std::size_t>((row >> 3) + 1), 0xFF);
  while (static_cast<std::int64_t>(validity_.size()) <= (row >> 3)) validity_.push_back(0xFF);
  validity_[static_cast<std::size_t>(row >> 3)] &= static_cast<std::uint8_t>(~(1u << (row & 7)));
}

void ColumnBuilder::append_null() {
  mark_null(length_);
  switch (type_) {
    case ColumnType::int64:
    case ColumnType::timestamp: append_int(0); break;
    case ColumnType::float64: append_float(0.0); break;
    case ColumnType::boolean: append_bool(false); break;
    case ColumnType::string: append_string({}); break;
  }
}

void ColumnBuilder::append_from(const Column& c, std::int64_t i) {
  if (!c.is_valid(i)) return append_null();
  switch (type_) {
    case ColumnType::int64:
    case ColumnType::timestamp: append_int(c.data->as<std::int64_t>()[i]); break;
    case ColumnType::float64: append_float(c.data->as<double>()[i]); break;
    case ColumnType::boolean: append_bool(c.data->as<std::uint8_t>()[i] != 0); break;
    case ColumnType::string: append_string(c.string_at(i)); break;
  }
}

Column ColumnBuilder::finish() {
  Column c;
  c.name = name_;
  c.type = type_;
  c.length = length_;
  switch (type_) {
    case ColumnType::int64:
    case ColumnType::timestamp: c.data = to_buffer(words_); break;
    case ColumnType::float64: c.data = to_buffer(floats_); break;
    case ColumnType::boolean: c.data = to_buffer(bytes_); break;
    case ColumnType::string:
      c.data = std::make_shared<Buffer>(chars_.data(), chars_.size());
      c.offsets = to_buffer(offsets_);
      break;
  }
  if (!validity_.empty()) {
    validity_.resize(static_cast<std::size_t>((length_ + 7) >> 3), 0xFF);
    c.validity = to_buffer(validity_);
  }
  return c;
}

Column null_column(std::string name, ColumnType type, std::int64_t length) {
  ColumnBuilder b(std::move(name), type);
  b.reserve(static_cast<std::size_t>(length));
  for (std::int64_t i = 0; i < length; ++i) b.append_null();
  return b.finish();
}

}  // namespace tessera::dataframe
