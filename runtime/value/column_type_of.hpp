#pragma once
// The Table column type that holds a Value of a given kind, for code that
// infers a column's type from sample values (bag.to_dataframe, a
// dataframe lambda's result).
#include <optional>

#include "runtime/value/dtype.hpp"
#include "runtime/value/value.hpp"

namespace tessera {

/// int64, float64, bool and string values map to their column types; any
/// other kind (none, lists, dicts, arrays, ...) to nullopt.
inline std::optional<ColumnType> column_type_of(const Value& v) noexcept {
  switch (v.kind()) {
    case ValueKind::int64: return ColumnType::int64;
    case ValueKind::float64: return ColumnType::float64;
    case ValueKind::boolean: return ColumnType::boolean;
    case ValueKind::string: return ColumnType::string;
    default: return std::nullopt;
  }
}

}  // namespace tessera
