#pragma once
// Schema: the names and types of a DataFrame's columns, known without
// computing anything (as a dask.dataframe's _meta).
#include <string>
#include <string_view>
#include <vector>

#include "runtime/value/table.hpp"

namespace tessera::dataframe {

struct ColumnInfo {
  std::string name;
  ColumnType type;
  friend bool operator==(const ColumnInfo&, const ColumnInfo&) = default;
};

using Schema = std::vector<ColumnInfo>;

/// The schema of a computed table.
Schema schema_of(const Table& t);
/// The type of column `name`; KeyError listing the columns otherwise.
ColumnType type_of(const Schema& s, std::string_view name);
bool has_column(const Schema& s, std::string_view name);
/// "a, b, c" for error messages.
std::string column_list(const Schema& s);

}  // namespace tessera::dataframe
