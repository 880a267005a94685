#pragma once
// Prints a Table as pandas prints a DataFrame: columns right-aligned under
// their names, row labels (0..n-1, or the index column's values) on the
// left, floats with pandas' six digits trimmed alike per column, NaN / NaT
// for nulls, and, past max_rows, the first and last min_rows/2 rows around
// a "..." row followed by "[N rows x M columns]". Wide frames are not
// wrapped (pandas wraps at 80 characters).
#include <cstdint>
#include <iosfwd>
#include <string>

#include "runtime/value/table.hpp"

namespace tessera {

struct PrintOptions {
  std::int64_t max_rows = 60;     // pandas' display.max_rows
  std::int64_t min_rows = 10;     // rows shown when truncated (display.min_rows)
  std::size_t max_colwidth = 50;  // longer cells end in "..."
};

/// The pandas-like rendering of `t` (no trailing newline).
std::string to_string(const Table& t, const PrintOptions& options = {});
/// The column types as pandas prints df.dtypes.
std::string dtypes_string(const Table& t);
std::ostream& operator<<(std::ostream& os, const Table& t);

}  // namespace tessera
