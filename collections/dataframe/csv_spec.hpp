#pragma once
// CsvSpec: everything a CSV block task needs to parse its bytes into a Table
// (separator, the file's columns, which of them to keep and as which type,
// the NA strings). read_csv decides it once (header, usecols, dtype,
// inference from a sample) and ships it in every task as a Value.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/value/value.hpp"

namespace tessera::dataframe {

struct CsvSpec {
  char sep = ',';
  bool header = true;                  // each file's first line holds the names
  std::vector<std::string> file_names; // every column of the file, in order
  std::vector<std::int64_t> use;       // file column index of each output column
  std::vector<ColumnType> types;       // type of each output column
  std::vector<std::string> na_values;  // strings read as null ("" always is)

  Value to_value() const;
  static CsvSpec from_value(const Value& v);
};

/// pandas' default NA strings ("", "NA", "NaN", "null", "N/A", ...).
const std::vector<std::string>& default_na_values();

/// A dtype name as pandas spells it: "int64", "float64", "bool", "object" or
/// "string" or "str", "datetime64[ns]" or "datetime64". ValueError otherwise.
ColumnType parse_column_type(std::string_view name);

}  // namespace tessera::dataframe
