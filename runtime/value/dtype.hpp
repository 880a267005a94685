#pragma once
// Element types of NDArray (NumPy's names) and column types of Table.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tessera {

enum class DType : std::uint8_t { boolean, uint8, int32, int64, float32, float64 };

/// Bytes per element.
std::size_t dtype_size(DType t) noexcept;
/// NumPy's name: "bool", "uint8", "int32", "int64", "float32", "float64".
std::string_view dtype_name(DType t) noexcept;
/// Parses a NumPy name; throws ValueError naming the bad name.
DType parse_dtype(std::string_view name);

enum class ColumnType : std::uint8_t { int64, float64, boolean, string, timestamp };

/// pandas' name: "int64", "float64", "bool", "object" (string), "datetime64[ns]".
std::string_view column_type_name(ColumnType t) noexcept;

}  // namespace tessera
