#include "runtime/value/dtype.hpp"

#include <string>

#include "runtime/util/error.hpp"

namespace tessera {

std::size_t dtype_size(DType t) noexcept {
  switch (t) {
    case DType::boolean:
    case DType::uint8: return 1;
    case DType::int32:
    case DType::float32: return 4;
    case DType::int64:
    case DType::float64: return 8;
  }
  return 0;
}

std::string_view dtype_name(DType t) noexcept {
  switch (t) {
    case DType::boolean: return "bool";
    case DType::uint8: return "uint8";
    case DType::int32: return "int32";
    case DType::int64: return "int64";
    case DType::float32: return "float32";
    case DType::float64: return "float64";
  }
  return "?";
}

DType parse_dtype(std::string_view name) {
  for (DType t : {DType::boolean, DType::uint8, DType::int32, DType::int64, DType::float32,
                  DType::float64})
    if (dtype_name(t) == name) return t;
  throw ValueError("unknown dtype '" + std::string(name) +
                   "' (expected bool, uint8, int32, int64, float32 or float64)");
}

std::string_view column_type_name(ColumnType t) noexcept {
  switch (t) {
    case ColumnType::int64: return "int64";
    case ColumnType::float64: return "float64";
    case ColumnType::boolean: return "bool";
    case ColumnType::string: return "object";
    case ColumnType::timestamp: return "datetime64[ns]";
  }
  return "?";
}

}  // namespace tessera
